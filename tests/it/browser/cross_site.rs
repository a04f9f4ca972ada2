//! Another site in the same browser: its link to us leads to a sign-in that works; its forms
//! posting to us are refused. `localhost` and `127.0.0.1` are different sites to Chromium.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::sign_in::expect_app;
use super::*;

/// Serves `html` at every path on a free port; returns the port.
async fn other_site(html: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let html = Bytes::from(html);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |_req| {
                    let mut r = http::Response::new(Full::new(html.clone()));
                    r.headers_mut()
                        .insert("content-type", "text/html".parse().unwrap());
                    async move { Ok::<_, Infallible>(r) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    port
}

#[tokio::test]
async fn a_link_from_another_site_signs_in_and_that_sites_forms_are_refused() {
    let gw = Gateway::for_browser(Setup::default()).await;
    let us = format!("http://{}", gw.addr);
    let port = other_site(format!(
        r#"<!doctype html><title>Intranet portal</title>
        <p><a id="link" href="{us}/reports">Reports</a></p>
        <form method="post" action="{us}/.portcullis/logout">
          <input type="hidden" name="csrf" value="guessed"><button id="logout">Win a prize</button></form>
        <form method="post" action="{us}/.portcullis/login">
          <input type="hidden" name="username" value="mallory"><input type="hidden" name="password" value="x">
          <input type="hidden" name="csrf" value="guessed"><button id="login">Claim it</button></form>"#
    ))
    .await;
    let other = format!("http://localhost:{port}/");
    let b = Browser::open("cross_site").await;

    // Reached through another site's link and our redirect to the login page.
    b.goto(&other).await;
    b.click("#link").await;
    sign_in(&b, "alice").await;
    expect_app(&b, &gw, "/reports", "alice").await;

    for form in ["#logout", "#login"] {
        b.goto(&other).await;
        b.click(form).await;
        b.expect_heading("Request refused").await;
        // Still signed in as alice.
        b.goto(&gw.url("/reports")).await;
        expect_app(&b, &gw, "/reports", "alice").await;
    }
}
