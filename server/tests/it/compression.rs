//! What the portal sends compressed, through its real axum router: the browser bundle from its
//! precompressed copies, pages on the fly. (Event streams are not: see `http.rs`.)

use app::testing::TestDb;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    response::Response,
    Router,
};
use leptos::config::LeptosOptions;
use std::{fs, io::Read, path::PathBuf};
use tower::ServiceExt;

/// A site root of the test's own (tests run in parallel) holding a bundle of one script,
/// precompressed as the release server does it.
fn site_with_bundle(test: &str, script: &str) -> (PathBuf, LeptosOptions) {
    let root = std::env::temp_dir().join(format!("portal-site-{}-{test}", std::process::id()));
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root(root.to_string_lossy().into_owned())
        .build();
    let directory = server::bundle::directory(&options);
    fs::create_dir_all(&directory).unwrap();
    fs::write(directory.join("portal.js"), script).unwrap();
    server::bundle::precompress(&directory).unwrap();
    (root, options)
}

async fn get(
    router: &Router,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> (Response, Vec<u8>) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 22).await.unwrap();
    (Response::from_parts(parts, Body::empty()), bytes.to_vec())
}

fn encoding(response: &Response) -> Option<&str> {
    response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn the_bundle_is_served_precompressed_to_browsers_that_accept_it() {
    let test = TestDb::new().await;
    let script = "export function hydrate() { return 'portal'; }\n".repeat(500);
    let (root, options) = site_with_bundle("precompressed", &script);
    let router = server::router::build(test.state.clone(), options, Default::default());

    let (brotli, brotli_body) = get(
        &router,
        "/pkg/portal.js",
        &[(header::ACCEPT_ENCODING, "gzip, deflate, br")],
    )
    .await;
    let (gzip, gzip_body) = get(
        &router,
        "/pkg/portal.js",
        &[(header::ACCEPT_ENCODING, "gzip")],
    )
    .await;
    let (plain, plain_body) = get(&router, "/pkg/portal.js", &[]).await;
    fs::remove_dir_all(root).unwrap();

    assert_eq!(brotli.status(), StatusCode::OK);
    assert_eq!(encoding(&brotli), Some("br"));
    assert_eq!(
        brotli.headers()[header::CONTENT_TYPE],
        "text/javascript",
        "the type is the script's, not the compressed file's"
    );
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut brotli_body.as_slice(), &mut unpacked).unwrap();
    assert_eq!(unpacked, script.as_bytes());
    assert!(brotli_body.len() < script.len() / 20);

    assert_eq!(encoding(&gzip), Some("gzip"));
    let mut gunzipped = String::new();
    flate2::read::GzDecoder::new(gzip_body.as_slice())
        .read_to_string(&mut gunzipped)
        .unwrap();
    assert_eq!(gunzipped, script);

    assert_eq!(encoding(&plain), None);
    assert_eq!(plain_body, script.as_bytes());
}

#[tokio::test]
async fn browsers_revalidate_the_bundle_and_reuse_an_unchanged_copy() {
    let test = TestDb::new().await;
    let (root, options) = site_with_bundle("revalidated", "export function hydrate() {}\n");
    let router = server::router::build(test.state.clone(), options, Default::default());

    let (first, _) = get(
        &router,
        "/pkg/portal.js",
        &[(header::ACCEPT_ENCODING, "br")],
    )
    .await;
    let last_modified = first.headers()[header::LAST_MODIFIED].to_str().unwrap();
    let revalidation = [
        (header::ACCEPT_ENCODING, "br"),
        (header::IF_MODIFIED_SINCE, last_modified),
    ];
    let (second, second_body) = get(&router, "/pkg/portal.js", &revalidation).await;
    fs::remove_dir_all(root).unwrap();

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
    assert!(
        second_body.is_empty(),
        "an unchanged bundle is not sent again"
    );
}

#[tokio::test]
async fn pages_are_compressed_on_the_fly() {
    let test = TestDb::new().await;
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let router = server::router::build(test.state.clone(), options, Default::default());

    let (page, page_body) = get(&router, "/", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(encoding(&page), Some("gzip"));
    let mut html = String::new();
    flate2::read::GzDecoder::new(page_body.as_slice())
        .read_to_string(&mut html)
        .unwrap();
    assert!(html.contains("Sign in with BC Services Card"));
}
