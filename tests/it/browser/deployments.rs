//! The first sign-in as an operator deploys Portcullis: behind the shipped nginx example
//! (forward-auth), behind an nginx that adds `Referrer-Policy: no-referrer`, and the demo.

use super::sign_in::expect_app;
use super::*;
use crate::forward_auth::{gateway_behind, start_nginx_with};

const DEEP_LINK: &str = "/reports/q3?year=2026";

/// Password, enrolment, backup codes and the deep link, through nginx on `port`.
async fn first_sign_in_through(b: &Browser, gw: &Gateway, port: u16) {
    b.goto(&format!("http://127.0.0.1:{port}{DEEP_LINK}")).await;
    sign_in(b, "alice").await;
    enrol(b).await;
    b.press("I saved them — continue").await;
    expect_app(b, gw, DEEP_LINK, "alice").await;
}

/// The access log lines of nginx in front of `gw` (see `start_nginx_with`).
fn nginx_log(gw: &Gateway) -> String {
    std::fs::read_to_string(gw.dir.path().join("nginx/access.log")).unwrap_or_default()
}

#[tokio::test]
async fn the_nginx_example_signs_a_person_in_and_the_app_receives_their_identity() {
    let port = free_port();
    let gw = gateway_behind(port, "").await;
    let _nginx = start_nginx_with(&gw, port, |site| site).await;
    let b = Browser::open("nginx").await;
    first_sign_in_through(&b, &gw, port).await;
    let seen = gw.upstream.latest(DEEP_LINK).unwrap();
    assert_eq!(seen.header("remote-email"), Some("alice@example.com"));
    assert_eq!(seen.header("remote-name"), Some("alice example"));
    assert_eq!(seen.header("remote-groups"), Some("staff"));
    b.screenshot("app-through-nginx").await;
    // Chromium posted our forms with our origin (Referrer-Policy: same-origin).
    let log = nginx_log(&gw);
    let origin = format!("POST /.portcullis/login origin=http://127.0.0.1:{port} site=same-origin");
    assert!(log.contains(&origin), "{log}");
}

#[tokio::test]
async fn our_forms_still_work_behind_a_proxy_that_adds_referrer_policy_no_referrer() {
    // A common hardening line. Under it, Chromium posts our own forms with `Origin: null`.
    let port = free_port();
    let gw = gateway_behind(port, "").await;
    let _nginx = start_nginx_with(&gw, port, |site| {
        site.replace(
            "server_name app.example.com;",
            "server_name app.example.com;\n    add_header Referrer-Policy \"no-referrer\" always;",
        )
    })
    .await;
    let b = Browser::open("nginx_no_referrer").await;
    first_sign_in_through(&b, &gw, port).await;
    let log = nginx_log(&gw);
    for form in ["login", "enroll"] {
        let line = format!("POST /.portcullis/{form} origin=null site=same-origin");
        assert!(log.contains(&line), "expected {line:?} in:\n{log}");
    }
}

#[tokio::test]
async fn the_demo_signs_a_person_in_with_the_printed_password_and_an_authenticator_app() {
    let demo = Demo::start().await;
    let b = Browser::open("demo").await;
    b.goto(&demo.address).await;
    sign_in_with(&b, &demo.user, &demo.password).await;
    enrol(&b).await;
    b.press("I saved them — continue").await;
    b.expect_heading("Hello, demo").await;
    b.screenshot("demo-app").await;
    b.press("Your account").await;
    b.expect_heading("Your account").await;
    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
}
