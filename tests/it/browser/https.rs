//! A person signing in over HTTPS (the gateway's own TLS listener) in Chromium: HTTP/2 chosen
//! by ALPN, `__Host-` cookies with `Secure`, and the app told the request came over https.

use super::sign_in::expect_app;
use super::*;

const DEEP_LINK: &str = "/reports/q3?year=2026";

#[tokio::test]
async fn a_person_signs_in_over_https_and_http2_with_host_prefixed_secure_cookies() {
    let pki = Pki::new();
    let (cert, key, spki) = pki.leaf_with_spki_hash(&["127.0.0.1"]);
    let port = free_port();
    let origin = format!("https://127.0.0.1:{port}");
    let gw = Gateway::with(Setup {
        listen: Some(format!("127.0.0.1:{port}")),
        public_url: Some(origin.clone()),
        extra: "tls_cert = \"tls.crt\"\ntls_key = \"tls.key\"\n".into(),
        files: vec![("tls.crt".into(), cert), ("tls.key".into(), key)],
        mfa_required: true,
        ..Setup::default()
    })
    .await;
    let b = Browser::trusting("https", &spki).await;
    b.goto(&format!("{origin}{DEEP_LINK}")).await;
    sign_in(&b, "alice").await;
    enrol(&b).await;
    b.press("I saved them — continue").await;
    expect_app(&b, &gw, DEEP_LINK, "alice").await;

    let protocol = b
        .eval(
            "return performance.getEntriesByType('navigation')[0].nextHopProtocol",
            vec![],
        )
        .await;
    assert_eq!(protocol, "h2", "the page came over HTTP/2");
    let seen = gw.upstream.latest(DEEP_LINK).unwrap();
    assert_eq!(seen.header("x-forwarded-proto"), Some("https"));

    let cookies = b.cookie_records().await;
    let session = cookies
        .iter()
        .find(|c| c["name"] == "__Host-portcullis_session")
        .unwrap_or_else(|| panic!("no __Host- session cookie: {cookies:?}"));
    assert_eq!(session["secure"], true);
    assert_eq!(session["httpOnly"], true);
    assert_eq!(session["path"], "/");
    for c in &cookies {
        let name = c["name"].as_str().unwrap_or("");
        if name.contains("portcullis") {
            assert!(name.starts_with("__Host-"), "{name} without __Host-");
            assert_eq!(c["secure"], true, "{name} without Secure");
        }
    }
    // Signing out works over h2 too, and the app is closed again.
    b.goto(&format!("{origin}/.portcullis/logout")).await;
    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
    b.goto(&format!("{origin}{DEEP_LINK}")).await;
    b.expect_heading("Sign in").await;
}
