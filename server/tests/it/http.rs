//! The portal through its real axum router: server functions, sessions and security layers.

use app::accounts::types::{IdentityOutcome, SessionInfo};
use app::error::{AppError, Refusal};
use app::platform::{config::OidcSettings, AppState, PortalConfig};
use app::testing::{as_account, as_operator, registration, Clinic, TestDb, PASSWORD};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use leptos::config::LeptosOptions;
use sea_orm::EntityTrait;
use tower::ServiceExt;

fn options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build()
}

pub(super) fn router(state: &AppState) -> Router {
    server::router::build(state.clone(), options(), Default::default())
}

pub(super) struct Answer {
    pub(super) status: StatusCode,
    headers: axum::http::HeaderMap,
    /// The body as text, to look for words in (postcard writes strings as they are).
    pub(super) body: String,
    bytes: Vec<u8>,
}

impl Answer {
    /// A server function's answer (or error), as the browser decodes it.
    pub(super) fn decode<T: serde::de::DeserializeOwned>(&self) -> T {
        postcard::from_bytes(&self.bytes).expect("a postcard answer of the expected type")
    }

    /// The session cookie this answer sets, as `name=value`.
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|cookie| cookie.contains("portal_session="))
            .map(|cookie| cookie.split(';').next().unwrap_or_default().to_owned())
    }

    fn set_cookie(&self) -> String {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

pub(super) async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// A same-origin form post to a server function, as the portal's pages make it.
pub(super) async fn call(
    router: &Router,
    function: &str,
    form: &str,
    cookie: Option<&str>,
) -> Answer {
    let mut request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, "http://127.0.0.1:3000");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(router, request.body(Body::from(form.to_owned())).unwrap()).await
}

pub(super) fn form_of(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_that_matches_the_hydration_script() {
    let test = TestDb::new().await;
    let answer = send(
        &router(&test.state),
        Request::get("/").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let csp = answer.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(answer
        .body
        .contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(answer.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(answer.headers[header::REFERRER_POLICY], "no-referrer");
    assert!(answer.body.contains("Sign in with BC Services Card"));
    // Pages may hold someone's records and clinics share computers: nothing is cached.
    assert_eq!(answer.headers[header::CACHE_CONTROL], "no-store");

    let health = send(
        &router(&test.state),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(health.status, StatusCode::OK);
    let missing = send(
        &router(&test.state),
        Request::get("/no/such/page").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_any_server_function_runs() {
    let test = TestDb::new().await;
    app::testing::verified(&test.state, "jane").await;
    let router = router(&test.state);
    let body = form_of(&[("username", "jane"), ("password", PASSWORD)]);
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let request = Request::post("/api/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(name, value)
            .body(Body::from(body.clone()))
            .unwrap();
        let answer = send(&router, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.session_cookie().is_none(), "no session was started");
    }
}

#[tokio::test]
async fn identity_then_registration_rotates_the_session_and_signs_in() {
    let test = TestDb::new().await;
    let router = router(&test.state);

    // Registering without a validated identity is refused.
    let form = registration(test.db(), "jane", "jane@clinic.example").await;
    let register_form = form_of(&[
        ("form[email]", &form.email),
        ("form[username]", &form.username),
        ("form[password]", &form.password),
        ("form[password_confirmation]", &form.password_confirmation),
        ("form[phone]", &form.phone),
        ("form[profession_id]", &form.profession_id),
        ("form[licence_number]", &form.licence_number),
    ]);
    let refused = call(&router, "register", &register_form, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("validate your identity"));

    let identity = form_of(&[
        ("form[subject]", "jane"),
        ("form[given_name]", "Jane"),
        ("form[family_name]", "Doe"),
        ("form[birthdate]", "1980-01-31"),
        ("form[email]", "jane@clinic.example"),
    ]);
    let validated = call(&router, "dev_identity_sign_in", &identity, None).await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    assert_eq!(
        validated.decode::<IdentityOutcome>(),
        IdentityOutcome::MustRegister
    );
    let pending = validated.session_cookie().expect("session cookie");
    let cookie_attributes = validated.set_cookie();
    assert!(cookie_attributes.contains("HttpOnly"));
    assert!(cookie_attributes.contains("SameSite=Lax"));
    assert!(cookie_attributes.contains("Path=/"));

    let start = call(&router, "load_registration", "", Some(&pending)).await;
    assert!(start.body.contains("Jane Doe"), "{}", start.body);

    let registered = call(&router, "register", &register_form, Some(&pending)).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let signed_in = registered
        .session_cookie()
        .expect("a new session id at sign-in");
    assert_ne!(signed_in, pending, "session id rotated at sign-in");

    let session = call(&router, "load_session", "", Some(&signed_in)).await;
    let user = session.decode::<SessionInfo>().user.expect("signed in");
    assert_eq!(user.username, "jane");
    let old = call(&router, "load_session", "", Some(&pending)).await;
    assert_eq!(
        old.decode::<SessionInfo>().user,
        None,
        "the pre-sign-in id is worthless"
    );

    let signed_out = call(&router, "sign_out", "", Some(&signed_in)).await;
    assert_eq!(signed_out.status, StatusCode::OK);
    // The browser is told to forget what it kept of the signed-in pages.
    assert_eq!(
        signed_out.headers["clear-site-data"],
        "\"cache\", \"storage\""
    );
    let after = call(&router, "load_session", "", Some(&signed_in)).await;
    assert_eq!(after.decode::<SessionInfo>().user, None);
}

#[tokio::test]
async fn refusals_carry_their_http_status() {
    let test = TestDb::new().await;
    app::testing::verified(&test.state, "jane").await;
    let router = router(&test.state);

    let wrong = call(
        &router,
        "sign_in",
        &form_of(&[("username", "jane"), ("password", "nope nope nope")]),
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The browser decodes the typed refusal and shows its words.
    let refusal = wrong.decode::<AppError>();
    assert_eq!(refusal, AppError::Refused(Refusal::WrongCredentials));
    assert_eq!(refusal.to_string(), "Incorrect username or password.");
    assert!(wrong.session_cookie().is_none());

    let anonymous = call(
        &router,
        "update_contact",
        &form_of(&[("form[email]", "x@y.ca"), ("form[phone]", "6045550199")]),
        None,
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let right = call(
        &router,
        "sign_in",
        &form_of(&[("username", "jane"), ("password", PASSWORD)]),
        None,
    )
    .await;
    assert_eq!(right.status, StatusCode::OK);
    let cookie = right.session_cookie().unwrap();
    let invalid = call(
        &router,
        "update_contact",
        &form_of(&[("form[email]", "bad"), ("form[phone]", "1")]),
        Some(&cookie),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = invalid.decode::<AppError>();
    assert!(
        refusal
            .field_errors()
            .and_then(|errors| errors.get("email"))
            .is_some(),
        "{refusal:?}"
    );
}

/// A password sign-in arriving from `peer`, with the forwarding header a proxy (or a forger) set.
fn sign_in_from(peer: &str, forwarded_for: Option<&str>, username: &str) -> Request<Body> {
    let mut request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, "http://127.0.0.1:3000");
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    let form = form_of(&[("username", username), ("password", PASSWORD)]);
    let mut request = request.body(Body::from(form)).unwrap();
    let peer = std::net::SocketAddr::new(peer.parse().unwrap(), 50_000);
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    request
}

/// The client addresses the audit log recorded for password sign-ins, oldest first.
async fn sign_in_addresses(db: &sea_orm::DatabaseConnection) -> Vec<Option<String>> {
    use app::entities::audit_event;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.is_in(["sign_in", "sign_in_failed"]))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.client_addr)
        .collect()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_is_the_address_it_forwards() {
    use app::platform::client_address::{ForwardingHeader, TrustedProxies};
    let test = TestDb::new().await;
    app::testing::registered(&test.state, "jane").await;
    let mut config = test.state.config.as_ref().clone();
    config.trusted_proxies =
        TrustedProxies::parse("127.0.0.1", ForwardingHeader::XForwardedFor).unwrap();
    config.sign_ins_per_address_per_minute = 5;
    let state = AppState::new(test.state.db.clone(), config);
    let router = router(&state);

    // A client that is not the proxy cannot choose its address by writing the header itself.
    let forged = sign_in_from("198.51.100.7", Some("203.0.113.50"), "nobody");
    assert_eq!(
        send(&router, forged).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Through the proxy, the address the proxy saw is the client's, whatever came before it.
    let proxied = sign_in_from("127.0.0.1", Some("10.9.9.9, 203.0.113.9"), "jane");
    assert_eq!(send(&router, proxied).await.status, StatusCode::OK);
    assert_eq!(
        sign_in_addresses(test.db()).await,
        [
            Some("198.51.100.7".to_owned()),
            Some("203.0.113.9".to_owned())
        ]
    );

    // One noisy client behind the proxy uses up its own limit, and only its own.
    let limit = state.config.sign_ins_per_address_per_minute;
    let mut refused = 0;
    for _ in 0..limit + 10 {
        let noisy = sign_in_from("127.0.0.1", Some("203.0.113.66"), "nobody");
        if send(&router, noisy).await.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 10);
    let other = sign_in_from("127.0.0.1", Some("203.0.113.9"), "jane");
    assert_eq!(send(&router, other).await.status, StatusCode::OK);
}

pub(super) fn production(database_url: &str) -> PortalConfig {
    PortalConfig {
        production: true,
        public_url: "https://portal.example".to_owned(),
        smtp_url: Some("smtp://127.0.0.1:2525".to_owned().into()),
        oidc: Some(OidcSettings {
            issuer_url: "https://idp.example".to_owned(),
            client_id: "portal".to_owned(),
            client_secret: "secret".to_owned().into(),
        }),
        ..PortalConfig::for_tests(database_url)
    }
}

#[tokio::test]
async fn production_hides_development_tools_and_secures_the_cookie() {
    let test = TestDb::new().await;
    app::testing::verified(&test.state, "jane").await;
    let state = AppState::new(
        test.db().clone(),
        production(secrecy::ExposeSecret::expose_secret(
            &test.state.config.database_url,
        )),
    );
    let router = router(&state);

    for page in ["/dev/idp", "/dev/mailbox", "/dev/careconnect"] {
        let answer = send(&router, Request::get(page).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{page}");
    }
    // The development server functions do not exist either.
    for (function, fields) in [
        (
            "/api/dev_identity_sign_in",
            &[
                ("form[subject]", "x"),
                ("form[given_name]", "X"),
                ("form[family_name]", "Y"),
            ][..],
        ),
        ("/api/mailbox_messages", &[("page", "0")][..]),
    ] {
        let request = Request::post(function)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, "https://portal.example")
            .body(Body::from(form_of(fields)))
            .unwrap();
        assert_eq!(
            send(&router, request).await.status,
            StatusCode::NOT_FOUND,
            "{function}"
        );
    }

    let request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://portal.example")
        .body(Body::from(form_of(&[
            ("username", "jane"),
            ("password", PASSWORD),
        ])))
        .unwrap();
    let answer = send(&router, request).await;
    assert_eq!(answer.status, StatusCode::OK);
    let cookie = answer.set_cookie();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(answer
        .headers
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
}

pub(super) async fn signed_in(router: &Router, username: &str) -> String {
    let answer = call(
        router,
        "sign_in",
        &form_of(&[("username", username), ("password", PASSWORD)]),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.session_cookie().expect("session cookie")
}

/// Signs a CareConnect team member in as staff must: through an identity provider (here the
/// development one, whose identity is first linked to the account).
pub(super) async fn staff_signed_in(router: &Router, state: &AppState, username: &str) -> String {
    use app::entities::{account, account_identity};
    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
    let account = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&state.db)
        .await
        .unwrap()
        .expect("the account");
    let subject = format!("{username}-staff");
    account_identity::ActiveModel {
        account_id: Set(account.id),
        issuer: Set(app::accounts::types::DEVELOPMENT_ISSUER.to_owned()),
        subject: Set(subject.clone()),
        created_at: Set(chrono::Utc::now()),
        last_signed_in_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    let identity = form_of(&[
        ("form[subject]", &subject),
        ("form[given_name]", &account.given_name),
        ("form[family_name]", &account.family_name),
    ]);
    let answer = call(router, "dev_identity_sign_in", &identity, None).await;
    assert_eq!(
        answer.decode::<IdentityOutcome>(),
        IdentityOutcome::SignedIn
    );
    answer.session_cookie().expect("session cookie")
}

#[tokio::test]
async fn open_pages_hear_of_changes_over_server_sent_events() {
    use futures_util::StreamExt;
    let test = TestDb::new().await;
    let jane = app::testing::verified(&test.state, "jane").await;
    let router = router(&test.state);
    let anonymous = send(
        &router,
        Request::get("/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let cookie = signed_in(&router, "jane").await;
    let response = router
        .clone()
        .oneshot(
            Request::get("/events")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "text/event-stream"
    );
    assert!(
        response.headers().get(header::CONTENT_ENCODING).is_none(),
        "compression would hold events back"
    );
    let mut stream = response.into_body().into_data_stream();
    // The stream opens at once with its reconnection delay, which also gets it past proxies
    // that hold a response until its body starts.
    let opening = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("the opening frame at once")
        .expect("a frame")
        .expect("bytes");
    let opening = String::from_utf8_lossy(&opening);
    assert!(opening.starts_with("retry:"), "{opening}");
    assert!(!opening.contains("event: changed"), "{opening}");
    test.state.live.announce([jane + 1000, jane]);
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("an event within 5 s")
        .expect("a frame")
        .expect("bytes");
    let text = String::from_utf8_lossy(&frame);
    assert!(text.contains("event: changed"), "{text}");
    assert!(
        text.contains("data: 1"),
        "browsers ignore events without data: {text}"
    );
    test.state.live.close();
    let end = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("the stream ends when the server closes");
    assert!(end.is_none(), "{end:?}");
}

/// Opens `/events` with the session, and reads its opening frame.
async fn open_events(router: &Router, cookie: &str) -> (StatusCode, axum::body::BodyDataStream) {
    use futures_util::StreamExt;
    let response = router
        .clone()
        .oneshot(
            Request::get("/events")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let mut stream = response.into_body().into_data_stream();
    if status == StatusCode::OK {
        let opening = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
            .await
            .expect("the opening frame at once");
        assert!(opening.is_some());
    }
    (status, stream)
}

/// Whether the stream ends within five seconds (no event before its end).
async fn ends(stream: &mut axum::body::BodyDataStream) -> bool {
    use futures_util::StreamExt;
    matches!(
        tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await,
        Ok(None)
    )
}

#[tokio::test]
async fn live_streams_end_with_their_session_and_are_limited() {
    let mut test = TestDb::new().await;
    test.state.live = app::notifications::live::LiveHub::for_database(
        test.db(),
        app::notifications::live::StreamLimits {
            per_account: 2,
            per_server: 5,
        },
    );
    let state = &test.state;
    let jane = app::testing::verified(state, "jane").await;
    let rita_id = app::testing::verified(state, "rita").await;
    app::testing::person(state, "sam", "Sam", "Staff", "physician").await;
    app::testing::as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let router = router(state);

    // Signing out ends the session's stream, not the stream of the person's other session.
    let laptop = signed_in(&router, "jane").await;
    let phone = signed_in(&router, "jane").await;
    let (_, mut on_laptop) = open_events(&router, &laptop).await;
    let (_, mut on_phone) = open_events(&router, &phone).await;
    // A third tab is one too many for this server's limit of two per account.
    let (refused, _) = open_events(&router, &laptop).await;
    assert_eq!(refused, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        call(&router, "sign_out", "", Some(&laptop)).await.status,
        StatusCode::OK
    );
    assert!(
        ends(&mut on_laptop).await,
        "the signed-out session's stream ends"
    );
    state.live.announce([jane]);
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), {
        use futures_util::StreamExt;
        on_phone.next()
    })
    .await
    .expect("the other session's page still hears")
    .expect("a frame")
    .expect("bytes");
    assert!(String::from_utf8_lossy(&frame).contains("event: changed"));
    // Its place is free again.
    let (reopened, _kept) = open_events(&router, &phone).await;
    assert_eq!(reopened, StatusCode::OK);

    // Disabling an account ends its streams at once.
    let rita = signed_in(&router, "rita").await;
    let (_, mut ritas) = open_events(&router, &rita).await;
    let sam = staff_signed_in(&router, state, "sam").await;
    let disabled = call(
        &router,
        "staff_disable_account",
        &form_of(&[("id", &rita_id.to_string()), ("reason", "left the clinic")]),
        Some(&sam),
    )
    .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert!(ends(&mut ritas).await, "the disabled account's stream ends");
}

#[tokio::test]
async fn member_actions_are_authorized_on_every_request() {
    use app::memberships::{service as memberships, types::MemberChange};
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = app::testing::verified(state, "dalia").await;
    let greg = app::testing::verified(state, "greg").await;
    let barclay = Clinic::named("Barclay Clinic")
        .members([greg])
        .registered_by(state, dalia)
        .await;
    let worksite_id = memberships::as_member(&state.db, dalia, &barclay.code)
        .await
        .unwrap()
        .0
        .id;
    let dalia_membership = memberships::membership_of(&state.db, worksite_id, dalia)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let greg_membership = memberships::membership_of(&state.db, worksite_id, greg)
        .await
        .unwrap()
        .unwrap()
        .id;
    let router = router(state);
    let greg_cookie = signed_in(&router, "greg").await;

    let demote = form_of(&[
        ("code", barclay.code.as_str()),
        ("membership_id", &dalia_membership),
        ("change", "RemoveAdmin"),
    ]);
    let refused = call(&router, "change_member", &demote, Some(&greg_cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let list = form_of(&[
        ("code", barclay.code.as_str()),
        ("active", "true"),
        ("search", ""),
        ("cursor", "First"),
    ]);
    let listed = call(&router, "worksite_members", &list, Some(&greg_cookie)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);

    // Set inactive while signed in: the very next request of the open session is refused.
    as_account(state, dalia, async |ch| {
        app::flows::members::change_member(
            ch,
            &barclay.code,
            greg_membership,
            MemberChange::SetInactive,
        )
        .await
    })
    .await
    .unwrap();
    let gone = call(&router, "worksite_members", &list, Some(&greg_cookie)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
}

#[tokio::test]
async fn a_worksite_id_is_read_once_where_the_request_is_decoded() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = app::testing::verified(state, "dalia").await;
    let barclay = Clinic::named("Barclay Clinic")
        .registered_by(state, dalia)
        .await;
    let router = router(state);
    let cookie = signed_in(&router, "dalia").await;
    let invite = |code: &str| form_of(&[("code", code), ("email", "new.member@clinic.example")]);

    let malformed = call(&router, "invite_member", &invite("K6MR-QY"), Some(&cookie)).await;
    assert_eq!(
        malformed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        malformed.body
    );
    assert!(matches!(
        malformed.decode::<AppError>(),
        AppError::Transport(_)
    ));
    assert!(
        app::testing::emails_to(&state.db, "new.member@clinic.example")
            .await
            .is_empty()
    );

    let typed_lower = barclay.code.as_str().to_lowercase();
    let invited = call(
        &router,
        "invite_member",
        &invite(&typed_lower),
        Some(&cookie),
    )
    .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    assert_eq!(
        app::testing::emails_to(&state.db, "new.member@clinic.example")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn sponsorship_and_catalogue_changes_are_authorized_on_every_request() {
    use app::testing::person;
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let olga = person(state, "olga", "Olga", "Other", "moa").await;
    let barclay = Clinic::named("Barclay Clinic")
        .members([greg, olga])
        .registered_by(state, dalia)
        .await;
    let worksite_id = app::memberships::service::as_member(&state.db, dalia, &barclay.code)
        .await
        .unwrap()
        .0
        .id;
    let dalia_membership = app::memberships::service::membership_of(&state.db, worksite_id, dalia)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let router = router(state);
    let greg_cookie = signed_in(&router, "greg").await;
    let olga_cookie = signed_in(&router, "olga").await;
    let dalia_cookie = signed_in(&router, "dalia").await;

    let unchosen = form_of(&[("code", barclay.code.as_str()), ("membership_id", "")]);
    let refused = call(
        &router,
        "request_sponsorship",
        &unchosen,
        Some(&greg_cookie),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Choose an Authorizer."),
        "{}",
        refused.body
    );

    let ask = form_of(&[
        ("code", barclay.code.as_str()),
        ("membership_id", &dalia_membership),
    ]);
    let asked = call(&router, "request_sponsorship", &ask, Some(&greg_cookie)).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let id = app::sponsorships::service::view(&state.db, dalia, &barclay.code)
        .await
        .unwrap()
        .pending[0]
        .id
        .to_string();
    let accept = form_of(&[
        ("code", barclay.code.as_str()),
        ("sponsorship_id", &id),
        ("change", "Accept"),
    ]);
    let anonymous = call(&router, "change_sponsorship", &accept, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let stranger = call(&router, "change_sponsorship", &accept, Some(&olga_cookie)).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND, "{}", stranger.body);
    let own_request = call(&router, "change_sponsorship", &accept, Some(&greg_cookie)).await;
    assert_eq!(
        own_request.status,
        StatusCode::FORBIDDEN,
        "{}",
        own_request.body
    );
    let accepted = call(&router, "change_sponsorship", &accept, Some(&dalia_cookie)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);

    let catalogue_change = form_of(&[
        ("form[id]", "1"),
        ("form[name]", "Physician"),
        ("form[user_type]", "independent"),
    ]);
    let not_staff = call(
        &router,
        "save_profession",
        &catalogue_change,
        Some(&dalia_cookie),
    )
    .await;
    assert_eq!(
        not_staff.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_staff.body
    );
}

#[tokio::test]
async fn the_learning_system_posts_signed_course_completions() {
    use app::privacy::callback;
    let test = TestDb::new().await;
    let post = |timestamp: Option<String>, signature: Option<String>, body: &'static str| {
        let mut request = Request::post("/integrations/course-completions")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(timestamp) = timestamp {
            request = request.header(callback::TIMESTAMP_HEADER, timestamp);
        }
        if let Some(signature) = signature {
            request = request.header(callback::SIGNATURE_HEADER, signature);
        }
        request.body(Body::from(body)).unwrap()
    };
    let body = r#"{"email":"jane@clinic.example","completed_on":"2026-11-02","reference":"LH-77"}"#;
    let now = chrono::Utc::now().timestamp();

    // Without a configured secret the endpoint does not exist.
    let off = send(&router(&test.state), post(None, None, body)).await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);

    let secret = "x".repeat(40);
    let mut state = test.state.clone();
    std::sync::Arc::make_mut(&mut state.config).course_callback_secret =
        Some(secret.clone().into());
    let router = router(&state);
    let signed = callback::signature(secret.as_bytes(), now, body.as_bytes());
    // A server-to-server post carries no browser headers; the cross-site guard lets it through.
    let first = send(
        &router,
        post(Some(now.to_string()), Some(signed.clone()), body),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let replay = send(
        &router,
        post(Some(now.to_string()), Some(signed.clone()), body),
    )
    .await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "{}", replay.body);
    // The same signature in capital hex digits is the same request.
    let shouted = format!("sha256={}", signed["sha256=".len()..].to_ascii_uppercase());
    let replay = send(&router, post(Some(now.to_string()), Some(shouted), body)).await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "{}", replay.body);
    let unsigned = send(&router, post(None, None, body)).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    let forged = send(
        &router,
        post(Some((now + 5).to_string()), Some(signed), body),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert!(forged.body.contains("signature"), "{}", forged.body);

    // While the learning system changes its secret, the previous one still signs; then not.
    let next = "y".repeat(40);
    let config = std::sync::Arc::make_mut(&mut state.config);
    config.course_callback_secret = Some(next.clone().into());
    config.course_callback_previous_secret = Some(secret.clone().into());
    let rotating = self::router(&state);
    let other =
        r#"{"email":"jane@clinic.example","completed_on":"2026-11-03","reference":"LH-78"}"#;
    let third =
        r#"{"email":"jane@clinic.example","completed_on":"2026-11-04","reference":"LH-79"}"#;
    for (key, body) in [(&secret, other), (&next, third)] {
        let signed = callback::signature(key.as_bytes(), now + 1, body.as_bytes());
        let answer = send(
            &rotating,
            post(Some((now + 1).to_string()), Some(signed), body),
        )
        .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    std::sync::Arc::make_mut(&mut state.config).course_callback_previous_secret = None;
    let rotated = self::router(&state);
    let late = callback::signature(secret.as_bytes(), now + 2, other.as_bytes());
    let answer = send(
        &rotated,
        post(Some((now + 2).to_string()), Some(late), other),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_signed_hpcaa_downloads_as_a_pdf_for_its_signer_only() {
    use app::privacy::{hpcaa, types::HpcaaSigning};
    let test = TestDb::new().await;
    let state = &test.state;
    // A name as people write it: Vietnamese letters, and the Squamish Nation's own spelling with
    // combining macrons below (x̱ is x + U+0331).
    let (given, family) = ("Nguyễn", "Sḵwx̱wú7mesh");
    let dalia = app::testing::person(state, "dalia", given, family, "physician").await;
    app::testing::person(state, "wade", "Wade", "Bales", "physician").await;
    let signing = HpcaaSigning {
        full_name: format!("{given} {family}"),
        agree: Some("on".to_owned()),
    };
    as_account(state, dalia, async |ch| hpcaa::sign(ch, &signing).await)
        .await
        .unwrap();
    let router = router(state);
    let get = |cookie: Option<&str>| {
        let mut request = Request::get("/hpcaa/signed.pdf");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&router, get(None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let dalia_cookie = signed_in(&router, "dalia").await;
    let pdf = send(&router, get(Some(&dalia_cookie))).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    assert!(pdf.body.starts_with("%PDF-"));
    // A PDF reader finds every letter of the name as written.
    let text = app::testing::pdf_text(&pdf.bytes);
    assert!(
        text.contains(&format!("Signed electronically by {given} {family} on")),
        "{text}"
    );
    assert!(text.contains("Healthcare Practitioner CareConnect Access Agreement"));
    let wade_cookie = signed_in(&router, "wade").await;
    let unsigned = send(&router, get(Some(&wade_cookie))).await;
    assert_eq!(unsigned.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn applications_and_the_back_office_are_authorized_on_every_request() {
    use app::testing::person;
    use app::worksites::types::WorksiteType;
    let test = TestDb::new().await;
    let state = &test.state;
    let olive = person(state, "olive", "Olive", "Owner", "pharmacist").await;
    let pia = person(state, "pia", "Pia", "Pharm", "pharmacist").await;
    person(state, "sam", "Sam", "Staff", "physician").await;
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let site = Clinic::named("Main Street Pharmacy")
        .of_type(WorksiteType::CommunityPharmacy)
        .at("88 Main St", "V5T 3E2")
        .members([pia])
        .registered_by(state, olive)
        .await;
    let router = router(state);
    let (pia_cookie, olive_cookie, sam_cookie) = (
        signed_in(&router, "pia").await,
        signed_in(&router, "olive").await,
        staff_signed_in(&router, state, "sam").await,
    );
    let enrolment = form_of(&[
        ("form[worksite]", site.code.as_str()),
        ("form[licence_number]", "P-55120"),
        ("form[health_authority_access]", "no"),
        ("form[direct_patient_care]", "on"),
    ]);

    let anonymous = call(&router, "submit_application", &enrolment, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let incomplete = call(
        &router,
        "submit_application",
        &form_of(&[("form[worksite]", site.code.as_str())]),
        Some(&pia_cookie),
    )
    .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("direct_patient_care"),
        "{}",
        incomplete.body
    );
    let submitted = call(&router, "submit_application", &enrolment, Some(&pia_cookie)).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert!(submitted.body.contains("pending approval"));

    let queue = form_of(&[("filter[status]", "")]);
    let refused = call(&router, "application_queue", &queue, Some(&olive_cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = call(&router, "application_queue", &queue, Some(&sam_cookie)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(listed.body.contains("Pia Pharm"));
    let id = app::entities::careconnect_application::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let review = form_of(&[
        ("id", &id),
        ("decision", "start_review"),
        ("seen", "submitted"),
        ("message", ""),
    ]);
    for cookie in [&pia_cookie, &olive_cookie] {
        let answer = call(&router, "decide_application", &review, Some(cookie)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let detail = call(
            &router,
            "load_application_detail",
            &form_of(&[("id", &id)]),
            Some(cookie),
        )
        .await;
        assert_eq!(detail.status, StatusCode::FORBIDDEN);
    }
    let started = call(&router, "decide_application", &review, Some(&sam_cookie)).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let again = call(&router, "decide_application", &review, Some(&sam_cookie)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Only an administrator of the worksite signs its declaration.
    let declaration = form_of(&[
        ("code", site.code.as_str()),
        ("form[full_name]", "Pia Pharm"),
        ("form[title]", "Pharmacist"),
        ("form[signing_authority]", "on"),
        ("form[agree]", "on"),
    ]);
    let not_admin = call(
        &router,
        "sign_site_declaration",
        &declaration,
        Some(&pia_cookie),
    )
    .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let locked = form_of(&[
        ("code", site.code.as_str()),
        ("form[street]", "99 Kingsway"),
        ("form[city]", "Burnaby"),
        ("form[postal_code]", "V5H 2A9"),
        ("form[emr]", "Accuro"),
        ("form[clinic_type]", "Pharmacy"),
    ]);
    let admin_edit = call(
        &router,
        "update_locked_fields",
        &locked,
        Some(&olive_cookie),
    )
    .await;
    assert_eq!(admin_edit.status, StatusCode::FORBIDDEN);
    let staff_edit = call(&router, "update_locked_fields", &locked, Some(&sam_cookie)).await;
    assert_eq!(staff_edit.status, StatusCode::OK, "{}", staff_edit.body);

    // The audit export: staff only, criteria checked.
    let export = |query: &str, cookie: Option<&str>| {
        let mut request = Request::get(format!("/staff/audit.csv?{query}"));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&router, export("", None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&router, export("", Some(&olive_cookie))).await.status,
        StatusCode::FORBIDDEN
    );
    let csv = send(
        &router,
        export("action=application_submitted", Some(&sam_cookie)),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);
    assert!(csv.body.contains("Pia Pharm <pia@clinic.example>"));
    let bad_date = send(&router, export("from=yesterday", Some(&sam_cookie))).await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.body.contains("YYYY-MM-DD"));
}

#[tokio::test]
async fn every_answer_carries_its_request_id() {
    let test = TestDb::new().await;
    let router = router(&test.state);
    let made = send(
        &router,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    let id = made
        .headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .expect("a request id");
    // A reference a person can read out: 12 characters of Crockford's base32.
    assert_eq!(id.len(), 12, "{id}");
    assert!(
        id.bytes()
            .all(|c| server::observe::REFERENCE_ALPHABET.contains(&c)),
        "{id}"
    );
    let again = send(
        &router,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_ne!(again.headers.get("x-request-id").unwrap(), id);

    // An id the proxy (or the caller) gave is kept, so their logs and ours line up; errors too.
    let given = Request::post("/api/sign_in")
        .header("x-request-id", "proxy-7f3k")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=nobody&password=wrong"))
        .unwrap();
    let refused = send(&router, given).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.headers.get("x-request-id").unwrap(), "proxy-7f3k");
}

/// A second app server on the test's database: its own connections, the same configuration.
async fn second_server(test: &TestDb) -> AppState {
    use secrecy::ExposeSecret;
    let config = (*test.state.config).clone();
    let db = app::platform::db::connect(config.database_url.expose_secret(), 4)
        .await
        .expect("second connection pool");
    AppState::new(db, config)
}

#[tokio::test]
async fn sessions_end_on_every_app_server_when_signed_out_elsewhere_or_disabled() {
    use app::accounts::types::SignedInDevice;
    let test = TestDb::new().await;
    let jane = app::testing::verified(&test.state, "jane").await;
    app::testing::verified(&test.state, "staff").await;
    as_operator(&test.state, async |ch| {
        app::accounts::service::grant_staff(ch, "staff@clinic.example").await
    })
    .await
    .unwrap();
    let a = router(&test.state);
    let b = router(&second_server(&test).await);
    let signed_in_on = |answer: Answer| answer.decode::<SessionInfo>().user.is_some();

    let laptop = signed_in(&a, "jane").await;
    let phone = signed_in(&b, "jane").await;
    assert!(signed_in_on(
        call(&b, "load_session", "", Some(&laptop)).await
    ));

    let listed = call(&a, "signed_in_devices", "", Some(&phone)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let devices = listed.decode::<Vec<SignedInDevice>>();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices.iter().filter(|d| d.this_device).count(), 1);

    // "Sign out other sessions" on the phone, through server A, ends the laptop's on server B.
    let ended = call(&a, "sign_out_other_sessions", "", Some(&phone)).await;
    assert_eq!(ended.decode::<u64>(), 1);
    assert!(!signed_in_on(
        call(&b, "load_session", "", Some(&laptop)).await
    ));
    assert!(signed_in_on(
        call(&b, "load_session", "", Some(&phone)).await
    ));

    // Asking how long is left is not activity; it answers only for a signed-in session.
    let left = call(&a, "session_time_left", "", Some(&phone)).await;
    let left = left.decode::<Option<i64>>().expect("signed in");
    assert!((29 * 60..=30 * 60).contains(&left), "{left}");
    let nobody = call(&a, "session_time_left", "", Some(&laptop)).await;
    assert_eq!(nobody.decode::<Option<i64>>(), None);

    // Only the CareConnect team disables an account.
    let id = jane.to_string();
    let form = form_of(&[("id", &id), ("reason", "Left the clinic")]);
    let forbidden = call(&a, "staff_disable_account", &form, Some(&phone)).await;
    assert_eq!(
        forbidden.status,
        StatusCode::FORBIDDEN,
        "{}",
        forbidden.body
    );
    // Staff may not use a password; they sign in through the identity provider.
    let refused = call(
        &b,
        "sign_in",
        &form_of(&[("username", "staff"), ("password", PASSWORD)]),
        None,
    )
    .await;
    assert_eq!(
        refused.decode::<AppError>(),
        AppError::Refused(Refusal::StaffSignInWithIdentityProvider)
    );
    let staff_cookie = staff_signed_in(&b, &test.state, "staff").await;
    let disabled = call(&b, "staff_disable_account", &form, Some(&staff_cookie)).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert!(!signed_in_on(
        call(&a, "load_session", "", Some(&phone)).await
    ));
    let refused = call(
        &a,
        "sign_in",
        &form_of(&[("username", "jane"), ("password", PASSWORD)]),
        None,
    )
    .await;
    assert_eq!(
        refused.decode::<AppError>(),
        AppError::Refused(Refusal::AccountDisabled)
    );
    assert!(refused.session_cookie().is_none());

    let enabled = call(
        &a,
        "staff_enable_account",
        &form_of(&[("id", &id)]),
        Some(&staff_cookie),
    )
    .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    signed_in(&b, "jane").await;
}
