//! `portcullis demo`: a self-contained gateway in front of a built-in "whoami" page that shows
//! the identity headers it received. Same code path as `serve`: a config file is written into a
//! temporary data directory and loaded like any other.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rand::distributions::{Alphanumeric, DistString};
use tokio::net::TcpListener;

use crate::auth::{password, users};

/// Starts the whoami upstream on an ephemeral loopback port.
pub async fn start_whoami() -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let svc = service_fn(|req| async move { Ok::<_, Infallible>(whoami(&req)) });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Ok(addr)
}

fn whoami<B>(req: &Request<B>) -> Response<Full<Bytes>> {
    let mut rows = String::new();
    for (name, value) in req.headers() {
        let v = value.to_str().unwrap_or("(binary)");
        let mark = if name.as_str().starts_with("remote-") {
            " class=\"id\""
        } else {
            ""
        };
        let _ = write!(
            rows,
            "<tr{mark}><th>{}</th><td>{}</td></tr>",
            escape(name.as_str()),
            escape(v)
        );
    }
    let user = req
        .headers()
        .get("remote-user")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(nobody)");
    let body = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>whoami</title><style>body{{font:15px system-ui;margin:2rem}}td,th{{text-align:left;padding:.2rem .8rem;border-bottom:1px solid #ddd;overflow-wrap:anywhere}}table{{width:100%;table-layout:fixed}}th{{width:30%}}a{{display:inline-block;padding:.6rem 0}}\
         tr.id{{background:#dff5e1}}</style><h1>Hello, {}</h1><p>This page is the demo upstream. It received <code>{} {}</code> with these headers:</p>\
         <table>{rows}</table><p><a href=\"/.portcullis/account\">Your account</a> (trusted devices, backup codes, sign out)</p></html>",
        escape(user),
        escape(req.method().as_str()),
        escape(&req.uri().to_string()),
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes the demo's config and users file into `dir`; returns the config path and the password.
pub fn write_files(
    dir: &Path,
    listen: SocketAddr,
    upstream: SocketAddr,
) -> std::io::Result<(std::path::PathBuf, String)> {
    let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 16);
    let hash = password::hash(&password).map_err(|e| std::io::Error::other(e.to_string()))?;
    users::add_user(
        &dir.join("users.toml"),
        users::NewUser {
            name: "demo".into(),
            password_hash: hash,
            email: Some("demo@example.com".into()),
            display_name: Some("Demo User".into()),
            // An admin too, so the admin page can be tried (`[admin] groups` defaults to admins).
            groups: vec!["demo".into(), "admins".into()],
        },
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    // Browsers offer passkeys on https or `localhost` only (not on an IP address): on loopback
    // the demo is reached as localhost, with passkeys among the methods.
    let (public_url, passkeys) = if listen.ip().is_loopback() {
        (
            format!("http://localhost:{}", listen.port()),
            "\"webauthn\", ",
        )
    } else {
        (format!("http://{listen}"), "")
    };
    let config = format!(
        r#"# Written by `portcullis demo`.
[server]
listen = "{listen}"
public_url = "{public_url}"
admin_socket = "data/portcullis.sock"

[upstream]
url = "http://{upstream}"

[users]
file = "users.toml"

[storage]
path = "data/portcullis.redb"

# Every path needs a password and a second factor (the default): at first sign-in the demo user
# enrols an authenticator app by scanning a QR code, and receives backup codes — or sets up a
# passkey, or has codes e-mailed instead.
[mfa]
methods = ["totp", {passkeys}"email", "backup_code"]

# No mail server needed: each message is a .eml file in the mail directory.
[smtp]
url = "file:mail"
from = "Portcullis demo <no-reply@demo.invalid>"
"#
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, config)?;
    Ok((path, password))
}
