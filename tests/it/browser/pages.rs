//! Every page of the gateway, on a desktop and on a phone: axe-core finds no serious or critical
//! violation, every field has its label, `autocomplete` and keypad, keyboard focus is visible,
//! and on a phone nothing scrolls sideways and every tap target is at least 44 px. A screenshot
//! of each is saved for a reviewer.

use super::sign_in::{expect_app, two_factors};
use super::*;

/// Walks through every page a person can meet and checks each one.
async fn every_page(device: Device) {
    let gw = Gateway::for_browser(two_factors()).await;
    let b = Browser::with(&format!("pages_{}", device.name()), device, true).await;
    let mut problems = Vec::new();

    b.goto(&gw.url("/app")).await;
    b.expect_heading("Sign in").await;
    problems.extend(b.check_page("login").await);

    b.type_into("#username", "alice").await;
    b.type_into("#password", "not the password").await;
    b.press("Sign in").await;
    b.expect_text("Wrong user name or password.").await;
    problems.extend(b.check_page("login-error").await);

    b.type_into("#password", PASSWORD).await;
    b.press("Sign in").await;
    b.expect_heading("Set up two-step verification").await;
    problems.extend(b.check_page("enroll").await);
    b.type_into("#code", "000000").await;
    b.press("Activate").await;
    b.expect_text("That code is not valid.").await;
    problems.extend(b.check_page("enroll-error").await);
    let (key, _) = enrol(&b).await;
    problems.extend(b.check_page("backup-codes").await);
    b.press("I saved them — continue").await;
    expect_app(&b, &gw, "/app", "alice").await;

    b.goto(&gw.url("/admin")).await;
    b.expect_heading("Access denied").await;
    problems.extend(b.check_page("access-denied").await);
    b.press("Your account").await;
    b.expect_heading("Your account").await;
    problems.extend(b.check_page("account").await);

    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    problems.extend(b.check_page("mfa").await);
    b.type_into("#code", "000000").await;
    b.press("Verify").await;
    b.expect_text("That code is not valid.").await;
    problems.extend(b.check_page("mfa-error").await);
    b.press("Use a backup code").await;
    problems.extend(b.check_page("mfa-backup-code").await);
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.press("Verify").await;
    // Signed out and in again from the login page itself: no deep link, so the root.
    expect_app(&b, &gw, "/", "alice").await;

    b.goto(&gw.url("/.portcullis/logout")).await;
    b.expect_heading("Sign out").await;
    problems.extend(b.check_page("sign-out").await);
    b.goto(&gw.url("/.portcullis/no-such-page")).await;
    b.expect_heading("Not found").await;
    problems.extend(b.check_page("not-found").await);

    // A form whose CSRF cookie is gone (cleared by the person, or another browser profile).
    b.goto(&gw.url("/.portcullis/account")).await;
    b.expect_heading("Your account").await;
    b.drop_cookie("portcullis_csrf").await;
    b.press("Sign out").await;
    b.expect_heading("Request refused").await;
    problems.extend(b.check_page("form-expired").await);

    // The gateway's own error pages: the application down (502), too many attempts (429).
    let down = Gateway::for_browser(Setup {
        upstream_url: Some(format!("http://127.0.0.1:{}", free_port())),
        limits: "per_ip = \"3/min\"".into(),
        ..Setup::default()
    })
    .await;
    b.goto(&down.url("/public/x")).await;
    b.expect_heading("Bad Gateway").await;
    problems.extend(b.check_page("upstream-down").await);
    b.goto(&down.url("/.portcullis/login")).await;
    for attempt in 1..=4 {
        b.type_into("#username", "alice").await;
        b.type_into("#password", "wrong").await;
        b.press("Sign in").await;
        let now = b.expect_heading_of(&["Sign in", "Too many requests"]).await;
        if now == "Too many requests" {
            break;
        }
        assert!(attempt < 4, "3 sign-ins a minute allowed, and the 4th too");
    }
    problems.extend(b.check_page("rate-limited").await);

    assert_no_problems(&problems);
}

#[tokio::test]
async fn every_page_passes_its_checks_on_a_desktop() {
    every_page(Device::Desktop).await;
}

#[tokio::test]
async fn every_page_passes_its_checks_on_a_phone() {
    every_page(Device::Phone).await;
}
