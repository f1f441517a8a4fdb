//! Request guards and response headers: cross-site request refusal for state-changing requests,
//! development pages hidden in production, and the security headers (CSP with a per-response
//! nonce for the hydration script), and the client's address through the trusted proxies.

use app::platform::{
    client_address::{ClientAddress, TrustedProxies},
    sessions, PortalConfig,
};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::prelude::use_context;
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Clone)]
pub struct Policy {
    public_origin: String,
    production: bool,
}

impl Policy {
    pub fn new(config: &PortalConfig) -> Self {
        Self {
            public_origin: origin_of(&config.public_url),
            production: config.production,
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            let host_end = rest.find('/').unwrap_or(rest.len());
            format!("{}://{}", &url[..scheme_end], &rest[..host_end])
        }
        None => url.to_owned(),
    }
}

/// Whether a state-changing request comes from another site. Browsers send `Sec-Fetch-Site`
/// (and `Origin`) on every POST; a request from the portal's own pages is `same-origin`.
fn is_cross_site(request: &Request, public_origin: &str) -> bool {
    if let Some(site) = request.headers().get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let host_origin = request
            .headers()
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .map(|host| {
                format!(
                    "{}://{host}",
                    public_origin.split("://").next().unwrap_or("http")
                )
            });
        return origin != public_origin && Some(origin) != host_origin.as_deref();
    }
    false
}

/// The development tools' pages and server functions: in production they do not exist (404),
/// whatever their own checks would answer.
fn is_development_tool(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    path.starts_with("/dev/")
        || path == app::accounts::api::DevIdentitySignIn::PATH
        || path == app::mail::mailbox::MailboxMessages::PATH
}

pub async fn guard(State(policy): State<Policy>, request: Request, next: Next) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && is_cross_site(&request, &policy.public_origin) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response();
    }
    if policy.production && is_development_tool(request.uri().path()) {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let mut response = next.run(request).await;
    add_security_headers(&mut response, policy.production);
    response
}

fn add_security_headers(response: &mut Response<Body>, production: bool) {
    let headers = response.headers_mut();
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Links carry one-time tokens in their query: never leak them to another site.
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages and answers may hold someone's records, and clinics share computers: nothing is kept
    // in a cache unless its handler says otherwise (the versioned static files do).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if production {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Pages set their own policy with a nonce; everything else gets the strictest one.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
}

/// The policy of a server-rendered page: only the portal's own scripts, styles and connections,
/// plus the inline hydration script carrying this response's nonce.
pub fn content_security_policy(nonce: &str, production: bool) -> String {
    // `cargo leptos watch` reloads pages over a websocket on port 3001.
    let reload = if production {
        ""
    } else {
        " ws://127.0.0.1:3001 ws://localhost:3001"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
}

/// Called while a page renders: puts the CSP with Leptos's nonce on the response.
pub fn provide_content_security_policy(production: bool) {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce, production)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Keeps signed-in sessions alive while they are used (see `sessions::keep_alive`). Static files
/// are skipped (they never touch the session), and so is asking how long the session has left.
pub async fn keep_session_alive(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/") || path.starts_with("/favicon");
    if !static_file && !sessions::PASSIVE_PATHS.contains(&path) {
        let client = request.extensions().get::<ClientAddress>().copied();
        if let Some(session) = request.extensions().get::<tower_sessions::Session>() {
            if let Err(error) = app::platform::sessions::keep_alive(session, client).await {
                tracing::warn!(?error, "could not keep the session alive");
            }
        }
    }
    next.run(request).await
}

/// The account signed in on this session, or the response refusing a route that needs one.
pub async fn signed_in(session: &Session) -> Result<i64, Response> {
    match sessions::signed_in_account(session).await {
        Ok(Some(account_id)) => Ok(account_id),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// Puts the request's [`ClientAddress`] on it, before anything logs, limits or audits by it. A
/// request without a socket (an in-process test) has none.
pub async fn resolve_client(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = ClientAddress(proxies.client(peer.ip(), request.headers()));
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method("POST").uri("/api/x");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://portal.example/path"),
            "https://portal.example"
        );
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let origin = "http://127.0.0.1:3000";
        assert!(!is_cross_site(
            &post(&[("sec-fetch-site", "same-origin")]),
            origin
        ));
        assert!(is_cross_site(
            &post(&[("sec-fetch-site", "cross-site")]),
            origin
        ));
        assert!(is_cross_site(
            &post(&[("sec-fetch-site", "same-site")]),
            origin
        ));
        assert!(!is_cross_site(&post(&[("origin", origin)]), origin));
        assert!(is_cross_site(
            &post(&[("origin", "https://evil.example")]),
            origin
        ));
        assert!(!is_cross_site(
            &post(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            origin
        ));
        assert!(!is_cross_site(&post(&[]), origin));
    }

    #[test]
    fn development_tools_are_recognised_by_path() {
        for path in [
            "/dev/mailbox",
            "/dev/idp",
            "/api/dev_identity_sign_in",
            "/api/mailbox_messages",
        ] {
            assert!(is_development_tool(path), "{path}");
        }
        for path in ["/", "/api/sign_in", "/developers", "/api/mailbox"] {
            assert!(!is_development_tool(path), "{path}");
        }
    }

    #[test]
    fn page_policy_allows_only_the_nonce_inline() {
        let policy = content_security_policy("abc", true);
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("ws://"));
    }
}
