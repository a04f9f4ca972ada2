//! The operator's login template and logo, in Chromium: the logo loads under the pages' CSP,
//! the page passes the page checks, and signing in through it works.

use super::sign_in::expect_app;
use super::*;
use crate::branding::branded;

#[tokio::test]
async fn the_operators_login_page_and_logo_show_and_sign_in_works() {
    let gw = Gateway::for_browser(branded()).await;
    let b = Browser::open("branding").await;
    b.goto(&gw.url("/app")).await;
    b.expect_heading("Welcome to ACME").await;
    let width = b
        .eval(
            "const i = document.querySelector('img.logo'); return i && i.complete ? i.naturalWidth : 0;",
            vec![],
        )
        .await;
    assert_eq!(width, json!(120), "the logo loaded");
    assert_no_problems(&b.check_page("login").await);
    b.type_into("#username", "alice").await;
    b.type_into("#password", PASSWORD).await;
    b.press("Sign in").await;
    expect_app(&b, &gw, "/app", "alice").await;
}
