//! The sign-in pages: work without JavaScript, CSRF-protected (DESIGN §4).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use crate::app::{now, App};
use crate::auth::flow::{self, Attempt, LoginOutcome, INVALID_CREDENTIALS};
use crate::auth::session::Claims;
use crate::i18n::Locale;
use crate::web::cookies::CookieJar;
use crate::web::{csrf, current_session, encode_query, html, redirect, set_cookie, ClientIp};

#[derive(Debug, Default, Deserialize)]
pub struct RdQuery {
    #[serde(default)]
    pub rd: String,
}

#[derive(Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rd: String,
    /// A passwordless sign-in: the passkey's `{"ceremony","credential"}` answer.
    #[serde(default)]
    code: String,
}

#[derive(Default, Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rd: String,
}

/// The CSRF nonce from the cookie, or a fresh one to set.
pub(crate) fn csrf_nonce(app: &App, headers: &HeaderMap) -> (String, bool) {
    match CookieJar::get(headers, &app.cookies.csrf) {
        Ok(Some(n)) if !n.is_empty() && n.len() <= 64 => (n.to_owned(), false),
        _ => (csrf::new_nonce(), true),
    }
}

/// Renders a page that carries a CSRF token, setting the cookie when it is new.
pub(crate) fn with_csrf(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    render: impl FnOnce(String) -> String,
) -> Response {
    let (nonce, fresh) = csrf_nonce(app, headers);
    let mut response = html(status, render(csrf::token_for(&app.csrf_key, &nonce)));
    if fresh {
        set_cookie(
            &mut response,
            app.cookies.set(&app.cookies.csrf, &nonce, None),
        );
    }
    response
}

/// A POSTed form of our pages: it carries the CSRF token, and may carry `rd`.
pub(crate) trait Form: serde::de::DeserializeOwned {
    fn csrf(&self) -> &str;
    fn rd(&self) -> &str {
        ""
    }
}

pub(crate) fn form_is_genuine(app: &App, headers: &HeaderMap, token: &str) -> bool {
    let nonce = CookieJar::get(headers, &app.cookies.csrf).ok().flatten();
    csrf::verify(&app.csrf_key, nonce, Some(token)) && app.check_provenance(headers)
}

/// 403 for a form without a genuine token: most often one left open too long.
pub(crate) fn forbidden_form(app: &App, lang: Locale) -> Response {
    let body = app.pages.render(
        "message.html",
        lang,
        context! {
            heading => lang.t("error-request-refused"),
            message => lang.t("error-form-expired"),
            alert => true,
        },
    );
    html(StatusCode::FORBIDDEN, body)
}

/// 400 for a form that could not be read.
pub(crate) fn bad_request(app: &App, lang: Locale) -> Response {
    let body = app.pages.render(
        "message.html",
        lang,
        context! {
            heading => lang.t("error-bad-request"),
            message => lang.t("error-form-unreadable"),
            alert => true,
        },
    );
    html(StatusCode::BAD_REQUEST, body)
}

/// GET P/login
pub async fn form(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<RdQuery>,
) -> Response {
    if let Some(v) = current_session(&app, &headers, now()) {
        if !v.claims.half {
            let target = app.redirects.validate(&q.rd).unwrap_or_else(|| "/".into());
            return redirect(StatusCode::FOUND, &target);
        }
    }
    let rd = app.redirects.validate(&q.rd).unwrap_or_default();
    let lang = app.pages.locale(&headers);
    login_page(&app, &headers, lang, StatusCode::OK, &rd, "", "")
}

/// The login form; with passwordless passkeys on, also "Sign in with a passkey".
fn login_page(
    app: &App,
    headers: &HeaderMap,
    lang: crate::i18n::Locale,
    status: StatusCode,
    rd: &str,
    username: &str,
    error: &str,
) -> Response {
    let passwordless = app.passkeys.as_ref().is_some_and(|p| p.passwordless());
    let passkey_script = passwordless.then(crate::web::passkeys::script);
    let r = with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "login.html",
            lang,
            context! { csrf, rd, username, error, passwordless, passkey_script },
        )
    });
    if passwordless {
        crate::web::passkeys::allow_script(r)
    } else {
        r
    }
}

/// POST P/login
pub async fn submit(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = app.pages.locale(&headers);
    let Ok(f) = serde_urlencoded::from_bytes::<LoginForm>(&body) else {
        return bad_request(&app, lang);
    };
    if !form_is_genuine(&app, &headers, &f.csrf) {
        return forbidden_form(&app, lang);
    }
    let rd = app.redirects.validate(&f.rd);
    let attempt = Attempt {
        username: &f.username,
        password: &f.password,
        device: device_cookie(&app, &headers),
        ip,
    };
    // A passkey's answer only where passwordless sign-in is on (else the field is ignored).
    let passwordless =
        !f.code.is_empty() && app.passkeys.as_ref().is_some_and(|p| p.passwordless());
    let step = if passwordless {
        flow::passwordless_step(&app, &f.code, now()).await
    } else {
        flow::password_step(&app, attempt, now()).await
    };
    let outcome = match step {
        Ok(o) => o,
        Err(flow::FlowError::Busy(_)) => {
            return html(StatusCode::SERVICE_UNAVAILABLE, app.pages.render(
                "message.html",
                lang,
                context! { heading => lang.t("error-busy"), message => lang.t("error-busy-text"), alert => true },
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in could not be completed");
            return crate::web::unavailable_page(&app, lang);
        }
    };
    if passwordless {
        log_passwordless(&app, ip, &headers, &outcome);
    } else {
        log_outcome(&app, &f.username, ip, &headers, &outcome);
    }
    let Some(claims) = outcome.claims() else {
        let username = f.username.chars().take(256).collect::<String>();
        let rd = rd.unwrap_or_default();
        let (status, error) = match outcome {
            LoginOutcome::Locked { retry_after, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                locked_message(lang, retry_after),
            ),
            _ if passwordless => (StatusCode::UNAUTHORIZED, lang.t(flow::INVALID_PASSKEY)),
            _ => (StatusCode::UNAUTHORIZED, lang.t(INVALID_CREDENTIALS)),
        };
        return login_page(&app, &headers, lang, status, &rd, &username, &error);
    };
    let next = match outcome {
        LoginOutcome::Authenticated(_) => rd.unwrap_or_else(|| "/".into()),
        LoginOutcome::MfaRequired(_) => step_path(&app, "mfa", rd.as_deref()),
        _ => step_path(&app, "enroll", rd.as_deref()),
    };
    let mut response = redirect(StatusCode::SEE_OTHER, &next);
    set_cookie(&mut response, session_cookie(&app, claims));
    response
}

pub(crate) fn step_path(app: &App, step: &str, rd: Option<&str>) -> String {
    match rd {
        Some(rd) => format!("{}/{step}?rd={}", app.prefix(), encode_query(rd)),
        None => format!("{}/{step}", app.prefix()),
    }
}

pub fn session_cookie(app: &App, claims: &Claims) -> http::HeaderValue {
    app.metrics.session_issued(claims.half);
    app.cookies
        .set(&app.cookies.session, &app.sessions.encode(claims), None)
}

/// The device cookie, when sent exactly once.
pub fn device_cookie<'h>(app: &App, headers: &'h HeaderMap) -> Option<&'h str> {
    CookieJar::get(headers, &app.cookies.device).ok().flatten()
}

/// What a person reads while their account is locked.
pub fn locked_message(lang: Locale, retry_after: u64) -> String {
    let minutes = retry_after.div_ceil(60).max(1);
    lang.t_with("error-locked", &[("minutes", minutes.into())])
}

pub fn log_outcome(
    app: &App,
    username: &str,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    outcome: &LoginOutcome,
) {
    use crate::audit::{Kind, Outcome};
    let (kind, result, detail) = match outcome {
        LoginOutcome::Invalid => (Kind::LoginFailed, Outcome::Failure, None),
        LoginOutcome::Locked {
            trusted_device: false,
            ..
        } => (
            Kind::LoginFailed,
            Outcome::Failure,
            Some("locked (account)"),
        ),
        LoginOutcome::Locked {
            trusted_device: true,
            ..
        } => (
            Kind::LoginFailed,
            Outcome::Failure,
            Some("locked (trusted device)"),
        ),
        LoginOutcome::Authenticated(c) if c.amr.contains(&crate::auth::session::Factor::Device) => {
            (
                Kind::LoginSucceeded,
                Outcome::Success,
                Some("trusted device"),
            )
        }
        LoginOutcome::Authenticated(_) => (Kind::LoginSucceeded, Outcome::Success, None),
        LoginOutcome::MfaRequired(_) => (
            Kind::LoginSucceeded,
            Outcome::Info,
            Some("second factor required"),
        ),
        LoginOutcome::EnrollmentRequired(_) => (
            Kind::LoginSucceeded,
            Outcome::Info,
            Some("enrolment required"),
        ),
    };
    crate::web::record(app, kind, result, Some(username), ip, headers, detail);
}

/// Audits a passwordless sign-in: the user the passkey named when it verified, the detail
/// "passkey" (which the statistics count as the passkey's step, not the password's).
pub fn log_passwordless(
    app: &App,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    outcome: &LoginOutcome,
) {
    use crate::audit::{Kind, Outcome};
    let (kind, result, detail) = match outcome {
        LoginOutcome::Authenticated(_) => (Kind::LoginSucceeded, Outcome::Success, "passkey"),
        LoginOutcome::Locked { .. } => (Kind::LoginFailed, Outcome::Failure, "passkey locked"),
        _ => (Kind::LoginFailed, Outcome::Failure, "passkey"),
    };
    let user = outcome.claims().map(|c| c.sub.as_str());
    crate::web::record(app, kind, result, user, ip, headers, Some(detail));
}

/// GET P/logout: a "Sign out" button, for an application's own sign-out link (signing out
/// changes state, so it takes a POST with the CSRF token, never a bare GET).
pub async fn logout_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    // As in `end_session`: a replica whose revocations are stale still offers the sign-out (a
    // session that may have been revoked elsewhere can do nothing here but end).
    let Some(v) = crate::web::session_of(&app, &app.users(), &headers, now()) else {
        return redirect(StatusCode::FOUND, &format!("{}/login", app.prefix()));
    };
    let lang = app.pages.locale(&headers);
    let message = lang.t_with(
        "common-signed-in-as",
        &[("user", v.claims.sub.as_str().into())],
    );
    with_csrf(&app, &headers, StatusCode::OK, |csrf| {
        app.pages.render(
            "message.html",
            lang,
            context! { heading => lang.t("common-sign-out"), message, csrf, primary_signout => true },
        )
    })
}

/// POST P/logout
pub async fn logout(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let f = serde_urlencoded::from_bytes::<LogoutForm>(&body).unwrap_or_default();
    let lang = app.pages.locale(&headers);
    if !form_is_genuine(&app, &headers, &f.csrf) {
        return forbidden_form(&app, lang);
    }
    if end_session(&app, &headers).await.is_err() {
        return crate::web::unavailable_page(&app, lang);
    }
    let target = app
        .redirects
        .validate(&f.rd)
        .unwrap_or_else(|| format!("{}/login", app.prefix()));
    let mut response = redirect(StatusCode::SEE_OTHER, &target);
    set_cookie(&mut response, app.cookies.clear(&app.cookies.session));
    response
}

/// Revokes the caller's session server-side, if it has one. Err when the revocation could not
/// be stored: the caller answers 503 and keeps the cookie, so that the person can try again —
/// other replicas would still accept the session.
pub async fn end_session(app: &App, headers: &HeaderMap) -> Result<(), ()> {
    // Not `current_session`: a replica whose revocations are stale must still be able to end
    // a session.
    if let Some(v) = crate::web::session_of(app, &app.users(), headers, now()) {
        if let Err(e) = app.revoke_session(&v.claims.sid, v.claims.exp).await {
            tracing::error!(error = %e, "could not store a revocation; the sign-out is refused");
            return Err(());
        }
        app.metrics.sessions_revoked(false);
        let ua = headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok());
        app.audit.record(
            crate::audit::Event::new(
                now(),
                crate::audit::Kind::SessionRevoked,
                crate::audit::Outcome::Success,
            )
            .with_user(&v.claims.sub)
            .with_user_agent(ua)
            .with_detail("logout"),
        );
    }
    Ok(())
}
