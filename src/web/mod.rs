//! The gateway's own pages and JSON API under `[server] prefix` (DESIGN §4).

pub mod account;
pub mod admin;
pub mod api;
pub mod cookies;
pub mod csrf;
pub mod deadline;
pub mod factor;
pub mod forward_auth;
pub mod login;
pub mod pages;
pub mod passkeys;
pub mod qr;
pub mod redirect;

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header::{self, HeaderMap, HeaderValue};
use http::StatusCode;
use serde::Serialize;

use crate::app::App;
use crate::auth::session::Verified;
use crate::i18n::Locale;
use crate::web::cookies::CookieJar;

/// Our forms and JSON bodies are tiny; refuse anything bigger before reading it.
const BODY_LIMIT: usize = 16 * 1024;

/// The client address the gateway settled on (peer, or from a trusted proxy's chain).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The TCP peer (the proxy itself, in forward-auth).
#[derive(Debug, Clone, Copy)]
pub struct PeerIp(pub IpAddr);

pub fn router(app: Arc<App>) -> Router {
    let p = app.prefix().to_owned();
    Router::new()
        .route(&format!("{p}/login"), get(login::form).post(login::submit))
        .route(
            &format!("{p}/logout"),
            get(login::logout_page).post(login::logout),
        )
        .route(
            &format!("{p}/mfa"),
            get(factor::mfa_page).post(factor::mfa_submit),
        )
        .route(&format!("{p}/mfa/send"), post(factor::mfa_send))
        .route(
            &format!("{p}/enroll"),
            get(factor::enroll_page).post(factor::enroll_submit),
        )
        .route(&format!("{p}/account"), get(account::page))
        .route(
            &format!("{p}/account/devices/revoke"),
            post(account::revoke_device),
        )
        .route(&format!("{p}/account/factors"), post(account::factors))
        .route(&format!("{p}/account/passkeys"), post(account::add_passkey))
        .route(&format!("{p}/account/mfa-off"), post(account::turn_off))
        .route(
            &format!("{p}/account/send-code"),
            post(account::send_code_page),
        )
        .route(
            &format!("{p}/account/signout-all"),
            post(account::sign_out_everywhere),
        )
        .route(&format!("{p}/admin"), get(admin::page::overview))
        .route(&format!("{p}/admin/users/{{name}}"), get(admin::page::user))
        .route(&format!("{p}/admin/events"), get(admin::page::events))
        .route(&format!("{p}/admin/{{file}}"), get(admin::page::export))
        .route(&format!("{p}/admin/act"), post(admin::confirm::act))
        .route(&format!("{p}/api/admin/users"), get(admin::api::users))
        .route(
            &format!("{p}/api/admin/users/{{name}}/{{action}}"),
            post(admin::api::user_action),
        )
        .route(
            &format!("{p}/api/admin/devices/{{id}}"),
            axum::routing::delete(admin::api::revoke_device),
        )
        .route(&format!("{p}/api/admin/events"), get(admin::api::events))
        .route(&format!("{p}/api/admin/stats"), get(admin::api::stats))
        .route(&format!("{p}/api/login"), post(api::login))
        .route(&format!("{p}/api/session"), get(api::session))
        .route(&format!("{p}/api/logout"), post(api::logout))
        .route(&format!("{p}/api/mfa"), post(api::mfa))
        .route(&format!("{p}/api/mfa/send"), post(api::mfa_send))
        .route(&format!("{p}/api/mfa/status"), get(api::mfa_status))
        .route(&format!("{p}/api/mfa/disable"), post(api::mfa_disable))
        .route(&format!("{p}/api/enroll/totp"), post(api::enroll_totp))
        .route(
            &format!("{p}/api/enroll/totp/confirm"),
            post(api::enroll_confirm),
        )
        .route(&format!("{p}/api/backup-codes"), post(api::backup_codes))
        .route(
            &format!("{p}/api/webauthn/challenge"),
            post(passkeys::challenge),
        )
        .route(
            &format!("{p}/api/webauthn/register"),
            post(passkeys::register),
        )
        .route(
            &format!("{p}/api/webauthn/register/finish"),
            post(passkeys::register_finish),
        )
        .route(&format!("{p}/api/devices"), get(api::devices))
        .route(
            &format!("{p}/api/devices/{{id}}"),
            axum::routing::delete(api::revoke_device),
        )
        .route(&format!("{p}/auth"), get(forward_auth::auth))
        .route(&format!("{p}/jwks.json"), get(forward_auth::jwks))
        .route(&format!("{p}/logo/{{file}}"), get(pages::logo))
        .route(&format!("{p}/healthz"), get(healthz))
        .route(&format!("{p}/readyz"), get(readyz))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

async fn healthz() -> Response {
    json(StatusCode::OK, &serde_json::json!({"status": "ok"}))
}

/// 200 when the store answers, the upstream has answered once, and (with a shared store) this
/// replica's revocations are current; otherwise 503, saying which part is not ready.
async fn readyz(State(app): State<Arc<App>>) -> Response {
    // A shared store's answer is a round trip (up to its deadline): not on a runtime worker.
    let store = crate::app::blocking(&app, |app| {
        Ok::<_, std::convert::Infallible>(app.store.is_ready())
    })
    .await
    .unwrap_or(false);
    let upstream = app.upstream_seen() || app.upstream.probe().await;
    if upstream {
        app.mark_upstream_seen();
    }
    let stale = app.store.revocations_stale();
    let status = if store && upstream && !stale {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(
        status,
        &serde_json::json!({
            "store": store,
            "backend": app.store.kind(),
            "revocations": if stale { "stale" } else { "current" },
            "keys": true,
            "upstream": upstream,
        }),
    )
}

async fn not_found(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if wants_html(&headers) {
        let lang = app.pages.locale(&headers);
        let body = app.pages.render(
            "message.html",
            lang,
            minijinja::context! { heading => lang.t("error-not-found"), message => lang.t("error-not-found-text") },
        );
        return html(StatusCode::NOT_FOUND, body);
    }
    error(StatusCode::NOT_FOUND, "not_found")
}

/// A JSON response.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// `{"error": code}` with a status.
pub fn error(status: StatusCode, code: &str) -> Response {
    json(status, &serde_json::json!({ "error": code }))
}

/// An HTML page. Every page is in the language its request's `Accept-Language` chose, so a
/// cache must key it on that header (RFC 9110 §12.5.5).
pub fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::VARY, "Accept-Language"),
        ],
        body,
    )
        .into_response()
}

/// 503 page for a failure on the gateway's side (the store, a blocking task): says nothing more.
pub fn unavailable_page(app: &App, lang: Locale) -> Response {
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        app.pages.render(
            "message.html",
            lang,
            minijinja::context! { heading => lang.t("error-try-again"), message => lang.t("error-unavailable"), alert => true },
        ),
    )
}

/// 503 for a signed-in request while this replica's revocations are stale (see
/// [`crate::store::Store::revocations_stale`]): a page in `html`'s language for browsers,
/// `{"error": "store_unavailable"}` for the rest (`None`), with `Retry-After`.
pub fn stale_page(app: &App, html: Option<Locale>) -> Response {
    let mut r = if let Some(lang) = html {
        let body = app.pages.render(
            "message.html",
            lang,
            minijinja::context! {
                heading => lang.t("error-stale"),
                message => lang.t("error-stale-text"),
                alert => true,
            },
        );
        let mut r = self::html(StatusCode::SERVICE_UNAVAILABLE, body);
        harden(r.headers_mut());
        r
    } else {
        error(StatusCode::SERVICE_UNAVAILABLE, "store_unavailable")
    };
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// A redirect (302 for GET navigations, 303 after a POST).
pub fn redirect(status: StatusCode, location: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Hardening for every response the gateway itself produces (not proxied ones).
///
/// `Referrer-Policy: same-origin` keeps our URLs (and the `rd` they carry) out of every other
/// site's `Referer`, while our own form POSTs still carry our `Origin` (`no-referrer` would turn
/// it into `null`; see [`csrf`]).
pub fn harden(headers: &mut HeaderMap) {
    const SET: [(&str, &str); 5] = [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ];
    for (name, value) in SET {
        // A handler that chose its own cache or content policy keeps it (the logo is cached
        // for a year and runs sandboxed); everything else gets these.
        if matches!(name, "cache-control" | "content-security-policy") {
            headers
                .entry(name)
                .or_insert(HeaderValue::from_static(value));
        } else {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// The caller's session, if its cookie is present, unique and valid.
///
/// While this replica's revocations are stale, our pages treat every caller as signed out:
/// nothing there is reachable by a session that may have been revoked elsewhere.
pub fn current_session(app: &App, headers: &HeaderMap, now: u64) -> Option<Verified> {
    if app.store.revocations_stale() {
        tracing::debug!("session not accepted: revocations are stale");
        return None;
    }
    session_of(app, &app.users(), headers, now)
}

/// [`current_session`] against an already loaded users database.
pub fn session_of(
    app: &App,
    users: &crate::auth::users::UserDb,
    headers: &HeaderMap,
    now: u64,
) -> Option<Verified> {
    let token = CookieJar::get(headers, &app.cookies.session).ok()??;
    app.sessions
        .verify(token, now, |name| users.get(name).cloned())
        .map_err(|why| tracing::debug!(%why, "session cookie not accepted"))
        .ok()
}

/// Records a security event with the request's client and user agent (DESIGN §9).
pub fn record(
    app: &App,
    kind: crate::audit::Kind,
    outcome: crate::audit::Outcome,
    user: Option<&str>,
    ip: IpAddr,
    headers: &HeaderMap,
    detail: Option<&str>,
) {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let mut e = crate::audit::Event::new(crate::app::now(), kind, outcome)
        .with_ip(ip)
        .with_user_agent(ua);
    if let Some(u) = user {
        e = e.with_user(u);
    }
    if let Some(d) = detail {
        e = e.with_detail(d);
    }
    app.audit.record(e);
}

/// True for browser navigations (DESIGN §4: `Accept` contains `text/html`).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The language of a page answering this request, or `None` when it wants no page (a
/// script: JSON). Only the gateway's own answers call this, never a forwarded request.
pub fn page_locale(app: &App, headers: &HeaderMap) -> Option<crate::i18n::Locale> {
    wants_html(headers).then(|| app.pages.locale(headers))
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie<B>(response: &mut http::Response<B>, value: HeaderValue) {
    response.headers_mut().append(header::SET_COOKIE, value);
}

/// `P/login?rd=…` (path only, so it works whatever host the user came in on).
pub fn login_path(prefix: &str, rd: &str) -> String {
    format!("{prefix}/login?rd={}", encode_query(rd))
}

pub fn encode_query(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
