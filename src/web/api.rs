//! The JSON API (DESIGN §4): the same flow as the pages, for scripts, SPAs and tests.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::app::{blocking, now, App};
use crate::audit::{Kind, Outcome};
use crate::auth::devices::DeviceView;
use crate::auth::flow::{self, Attempt, FactorOutcome, LoginOutcome};
use crate::auth::sending::{send_code, Requester, SendOutcome};
use crate::auth::sent_codes::Channel;
use crate::auth::session::Factor;
use crate::notices::{notify_user, Notice};
use crate::web::login::{device_cookie, end_session, log_outcome, session_cookie};
use crate::web::{csrf, current_session, error, json, qr, record, set_cookie, ClientIp};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

/// Refuses cross-site and non-JSON state-changing calls, then parses the body.
pub(crate) fn guarded<T: DeserializeOwned>(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Response> {
    if !app.check_provenance(headers) {
        return Err(error(StatusCode::FORBIDDEN, "cross_site_request"));
    }
    if !csrf::is_json(headers) {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type_must_be_json",
        ));
    }
    serde_json::from_slice(body).map_err(|_| error(StatusCode::BAD_REQUEST, "invalid_request_body"))
}

/// 429 for a locked account (DESIGN §4), the same for the right and the wrong secret.
pub fn locked(retry_after: u64) -> Response {
    let mut r = json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"error": "locked", "retry_after": retry_after}),
    );
    if let Ok(v) = http::HeaderValue::from_str(&retry_after.to_string()) {
        r.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    r
}

/// POST P/api/login
pub async fn login(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: LoginBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let attempt = Attempt {
        username: &b.username,
        password: &b.password,
        device: device_cookie(&app, &headers),
        ip,
    };
    let outcome = match flow::password_step(&app, attempt, now()).await {
        Ok(o) => o,
        Err(flow::FlowError::Busy(_)) => return error(StatusCode::SERVICE_UNAVAILABLE, "busy"),
        Err(e) => {
            tracing::error!(error = %e, "sign-in could not be completed");
            return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        }
    };
    log_outcome(&app, &b.username, ip, &headers, &outcome);
    let mut response = match &outcome {
        LoginOutcome::Invalid => return error(StatusCode::UNAUTHORIZED, "invalid_credentials"),
        LoginOutcome::Locked { retry_after, .. } => return locked(*retry_after),
        LoginOutcome::Authenticated(_) => json(StatusCode::OK, &json!({"status": "authenticated"})),
        LoginOutcome::MfaRequired(c) => {
            let user = app.users().get(&c.sub).cloned();
            let methods = match &user {
                Some(u) => flow::user_methods(&app, u).await.unwrap_or_default(),
                None => Vec::new(),
            };
            let names: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
            json(
                StatusCode::OK,
                &json!({"status": "mfa_required", "methods": names}),
            )
        }
        LoginOutcome::EnrollmentRequired(c) => {
            // Besides an authenticator app (P/api/enroll/totp): channels a code can be sent
            // over (P/api/mfa/send); proving one enrols it.
            let channels: Vec<&str> = app
                .users()
                .get(&c.sub)
                .map(|u| {
                    flow::offered_channels(&app, u)
                        .iter()
                        .map(|c| c.name())
                        .collect()
                })
                .unwrap_or_default();
            json(
                StatusCode::OK,
                &json!({"status": "enrollment_required", "methods": channels}),
            )
        }
    };
    if let Some(claims) = outcome.claims() {
        set_cookie(&mut response, session_cookie(&app, claims));
    }
    response
}

/// GET P/api/session
pub async fn session(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let Some(v) = current_session(&app, &headers, now()) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    if v.claims.half {
        return error(StatusCode::UNAUTHORIZED, "second_factor_required");
    }
    let users = app.users();
    let user = users.get(&v.claims.sub);
    let c = &v.claims;
    let idle_end = c.lat + app.sessions.lifetimes().idle;
    let mut response = json(
        StatusCode::OK,
        &json!({
            "user": c.sub,
            "email": user.and_then(|u| u.email.clone()),
            "name": user.and_then(|u| u.display_name.clone()),
            "groups": user.map(|u| u.groups.clone()).unwrap_or_default(),
            "factors": c.amr.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "expires_at": c.exp.min(idle_end),
        }),
    );
    if let Some(fresh) = &v.refreshed {
        set_cookie(&mut response, app.cookies.refreshed_session(fresh));
    }
    response
}

/// POST P/api/logout
pub async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if !app.check_provenance(&headers) {
        return error(StatusCode::FORBIDDEN, "cross_site_request");
    }
    // The body may be empty, but the call must still declare JSON (no simple cross-site form can).
    if !csrf::is_json(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type_must_be_json",
        );
    }
    if end_session(&app, &headers).await.is_err() {
        return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    }
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    set_cookie(&mut response, app.cookies.clear(&app.cookies.session));
    response
}

#[derive(Deserialize)]
struct FactorBody {
    #[serde(default = "totp")]
    method: String,
    /// Required, except for a passkey's answer (`ceremony` and `credential`).
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    remember_device: bool,
    /// `"method":"webauthn"`: the ceremony of `P/api/webauthn/challenge` and the browser's
    /// `PublicKeyCredential` (binary fields base64url).
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: Option<serde_json::Value>,
}

impl FactorBody {
    /// The secret as the flow reads it: the code, or a passkey's answer as one JSON text;
    /// `None` when the body has neither (400).
    fn secret(&self) -> Option<String> {
        match &self.credential {
            Some(c) if self.method == "webauthn" => {
                Some(json!({"ceremony": self.ceremony, "credential": c}).to_string())
            }
            _ => self.code.clone(),
        }
    }
}

fn totp() -> String {
    "totp".into()
}

#[derive(Deserialize)]
struct CodeBody {
    code: String,
}

/// POST P/api/mfa
pub async fn mfa(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: FactorBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(secret) = b.secret() else {
        return error(StatusCode::BAD_REQUEST, "invalid_request_body");
    };
    let Some(v) = current_session(&app, &headers, now()) else {
        if b.method == "webauthn" {
            return passwordless(&app, ip, &headers, &secret).await;
        }
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let t = now();
    match flow::check_second_factor(&app, &v.claims.sub, &b.method, &secret, t).await {
        Ok(FactorOutcome::Accepted(factor)) => {
            record(
                &app,
                Kind::FactorSucceeded,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(&b.method),
            );
            let claims = flow::step_up(&app, &v.claims, factor, t).await;
            let mut r = json(StatusCode::OK, &json!({"status": "authenticated"}));
            set_cookie(&mut r, session_cookie(&app, &claims));
            if b.remember_device {
                remember(&app, &mut r, &v.claims.sub, ip, &headers, t).await;
            }
            r
        }
        Ok(FactorOutcome::Invalid) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(&b.method),
            );
            error(StatusCode::UNAUTHORIZED, "invalid_code")
        }
        Ok(FactorOutcome::Locked { retry_after }) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(&format!("{} locked", b.method)),
            );
            locked(retry_after)
        }
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// `P/api/mfa` without a session: a passwordless passkey sign-in (when enabled).
async fn passwordless(
    app: &Arc<App>,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    answer: &str,
) -> Response {
    if !app.passkeys.as_ref().is_some_and(|p| p.passwordless()) {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    }
    let outcome = match flow::passwordless_step(app, answer, now()).await {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "passwordless sign-in could not be completed");
            return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        }
    };
    crate::web::login::log_passwordless(app, ip, headers, &outcome);
    match outcome {
        LoginOutcome::Authenticated(claims) => {
            let mut r = json(StatusCode::OK, &json!({"status": "authenticated"}));
            set_cookie(&mut r, session_cookie(app, &claims));
            r
        }
        LoginOutcome::Locked { retry_after, .. } => locked(retry_after),
        _ => error(StatusCode::UNAUTHORIZED, "invalid_code"),
    }
}

/// Trusts the device the request came from and sets its cookie (when devices are enabled).
pub async fn remember(
    app: &Arc<App>,
    r: &mut Response,
    user: &str,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    now: u64,
) {
    if !app.config.trusted_devices.enabled {
        return;
    }
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match flow::trust_device(app, user, ip, ua, now).await {
        Ok(Some(token)) => {
            notify_user(app, user, Notice::DeviceTrusted, ip, headers);
            let age = std::time::Duration::from_secs(app.devices.lifetime());
            set_cookie(r, app.cookies.set(&app.cookies.device, &token, Some(age)));
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "could not remember the device"),
    }
}

/// POST P/api/enroll/totp
pub async fn enroll_totp(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    // No fields; an empty body is fine, but it must still be a same-site JSON call.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    if let Err(r) = guarded::<serde_json::Map<String, serde_json::Value>>(&app, &headers, body) {
        return r;
    }
    let Some(v) = current_session(&app, &headers, now()) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let started = flow::start_enrolment(&app, &v.claims, now()).await;
    match started {
        Ok(Some(e)) => {
            let uri = app.factors.uri(&e, &v.claims.sub);
            let qr_svg = qr::svg(&uri, qr::LABEL).unwrap_or_default();
            json(
                StatusCode::OK,
                &json!({"secret": e.secret.to_base32(), "otpauth_uri": uri, "qr_svg": qr_svg}),
            )
        }
        Ok(None) => error(StatusCode::CONFLICT, "already_enrolled"),
        Err(e) => {
            tracing::error!(error = %e, "enrolment failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// POST P/api/enroll/totp/confirm
pub async fn enroll_confirm(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: CodeBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(v) = current_session(&app, &headers, now()) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    match flow::may_enrol(&app, &v.claims).await {
        Ok(true) => {}
        Ok(false) => return error(StatusCode::CONFLICT, "already_enrolled"),
        Err(_) => return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
    let t = now();
    match flow::confirm_enrolment(&app, &v.claims, &b.code, t).await {
        Ok(Some((codes, replaced))) => {
            record(
                &app,
                Kind::Enrolled,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some("totp"),
            );
            let notice = if replaced {
                Notice::AuthenticatorReplaced
            } else {
                Notice::AuthenticatorEnrolled
            };
            notify_user(&app, &v.claims.sub, notice, ip, &headers);
            let claims = flow::step_up(&app, &v.claims, Factor::Otp, t).await;
            let mut r = json(
                StatusCode::OK,
                &json!({"status": "authenticated", "backup_codes": codes}),
            );
            set_cookie(&mut r, session_cookie(&app, &claims));
            r
        }
        Ok(None) => error(StatusCode::UNAUTHORIZED, "invalid_code"),
        Err(e) => {
            tracing::error!(error = %e, "enrolment confirmation failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// POST P/api/backup-codes: a new set, after a fresh second factor in the same request.
pub async fn backup_codes(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: FactorBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(secret) = b.secret() else {
        return error(StatusCode::BAD_REQUEST, "invalid_request_body");
    };
    let Some(v) = current_session(&app, &headers, now()).filter(|v| !v.claims.half) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let t = now();
    match flow::check_second_factor(&app, &v.claims.sub, &b.method, &secret, t).await {
        Ok(FactorOutcome::Accepted(_)) => {}
        Ok(FactorOutcome::Invalid) => return error(StatusCode::UNAUTHORIZED, "invalid_code"),
        Ok(FactorOutcome::Locked { retry_after }) => return locked(retry_after),
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        }
    }
    let user = v.claims.sub.clone();
    match blocking(&app, move |app| {
        app.factors.regenerate_backup_codes(&app.store, &user, t)
    })
    .await
    {
        Ok(codes) => {
            record(
                &app,
                Kind::BackupCodesRegenerated,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                None,
            );
            notify_user(
                &app,
                &v.claims.sub,
                Notice::BackupCodesRegenerated,
                ip,
                &headers,
            );
            json(StatusCode::OK, &json!({"backup_codes": codes}))
        }
        Err(e) => {
            tracing::error!(error = %e, "backup code regeneration failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// GET P/api/devices: the signed-in user's trusted devices.
pub async fn devices(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let Some(v) = current_session(&app, &headers, now()).filter(|v| !v.claims.half) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let user = v.claims.sub.clone();
    match blocking(&app, move |app| app.store.devices(Some(&user))).await {
        Ok(list) => {
            let list: Vec<DeviceView> = list
                .into_iter()
                .map(|(id, r)| DeviceView::from_record(id, r))
                .collect();
            json(StatusCode::OK, &json!({ "devices": list }))
        }
        Err(e) => {
            tracing::error!(error = %e, "could not list devices");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// DELETE P/api/devices/{id}: forget one of the user's own trusted devices.
pub async fn revoke_device(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    if !app.check_provenance(&headers) {
        return error(StatusCode::FORBIDDEN, "cross_site_request");
    }
    let Some(v) = current_session(&app, &headers, now()).filter(|v| !v.claims.half) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let user = v.claims.sub.clone();
    let did = id.clone();
    match blocking(&app, move |app| app.store.revoke_device(&did, Some(&user))).await {
        Ok(true) => {
            record(
                &app,
                Kind::DeviceRevoked,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(&id),
            );
            let mut r = Response::new(axum::body::Body::empty());
            *r.status_mut() = StatusCode::NO_CONTENT;
            r
        }
        Ok(false) => error(StatusCode::NOT_FOUND, "no_such_device"),
        Err(e) => {
            tracing::error!(error = %e, "could not revoke a device");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// `{"method": "email" | "sms"}`. Other fields are ignored on purpose: the code goes to the
/// users file's address or number, never to one named in a request.
#[derive(Deserialize)]
struct SendBody {
    method: String,
}

/// POST P/api/mfa/send: a code by e-mail or SMS, for the session's user (half or full).
pub async fn mfa_send(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: SendBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let t = now();
    let Some(v) = current_session(&app, &headers, t) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let Some(user) = app.users().get(&v.claims.sub).cloned() else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let channel = match b.method.as_str() {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        _ => return error(StatusCode::BAD_REQUEST, "unknown_method"),
    };
    match flow::account_locked(&app, &user.name, t).await {
        Ok(Some(retry_after)) => return locked(retry_after),
        Ok(None) => {}
        Err(_) => return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The code's e-mail or text is in the caller's language, as a page would be.
    let by = Requester {
        ip,
        user_agent: ua,
        lang: app.pages.locale(&headers),
    };
    match send_code(&app, &user, channel, by, t).await {
        Ok(SendOutcome::Sent { to }) => json(
            StatusCode::ACCEPTED,
            &json!({"status": "sent", "method": channel.name(), "to": to}),
        ),
        Ok(SendOutcome::RateLimited { retry_after }) => {
            let mut r = json(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"error": "too_many_codes", "retry_after": retry_after}),
            );
            if let Ok(v) = http::HeaderValue::from_str(&retry_after.to_string()) {
                r.headers_mut().insert(http::header::RETRY_AFTER, v);
            }
            r
        }
        Ok(SendOutcome::Unavailable) => error(StatusCode::BAD_REQUEST, "method_unavailable"),
        Ok(SendOutcome::Failed) => error(StatusCode::SERVICE_UNAVAILABLE, "delivery_failed"),
        Err(e) => {
            tracing::error!(error = %e, "sending a code failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// GET P/api/mfa/status: the caller's own two-step verification.
pub async fn mfa_status(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let Some(v) = current_session(&app, &headers, now()).filter(|v| !v.claims.half) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let Some(user) = app.users().get(&v.claims.sub).cloned() else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    match flow::overview(&app, &user).await {
        Ok(o) => json(StatusCode::OK, &o),
        Err(e) => {
            tracing::error!(error = %e, "could not read MFA status");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisableBody {
    password: String,
    method: String,
    code: String,
}

/// POST P/api/mfa/disable: turns two-step verification off where no policy requires it, with
/// the password and a fresh second factor; every other session and trusted device ends.
pub async fn mfa_disable(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: DisableBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let t = now();
    let Some(v) = current_session(&app, &headers, t).filter(|v| !v.claims.half) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let Some(user) = app.users().get(&v.claims.sub).cloned() else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    match flow::disable_mfa(&app, &user, &b.password, &b.method, &b.code, t).await {
        Ok(flow::DisableOutcome::Done { .. }) => {
            record(
                &app,
                Kind::MfaDisabled,
                Outcome::Success,
                Some(&user.name),
                ip,
                &headers,
                None,
            );
            crate::notices::notify(
                &app,
                &user,
                crate::notices::Notice::MfaTurnedOff,
                ip,
                &headers,
            );
            let mut r = Response::new(axum::body::Body::empty());
            *r.status_mut() = StatusCode::NO_CONTENT;
            let claims = app.sessions.start(&user, false, t);
            set_cookie(&mut r, session_cookie(&app, &claims));
            set_cookie(&mut r, app.cookies.clear(&app.cookies.device));
            r
        }
        Ok(flow::DisableOutcome::RequiredByPolicy) => {
            error(StatusCode::FORBIDDEN, "mfa_required_by_policy")
        }
        Ok(flow::DisableOutcome::Invalid) => {
            record(
                &app,
                Kind::MfaDisabled,
                Outcome::Failure,
                Some(&user.name),
                ip,
                &headers,
                Some("wrong password or code"),
            );
            error(StatusCode::UNAUTHORIZED, "invalid_credentials")
        }
        Ok(flow::DisableOutcome::Locked { retry_after }) => locked(retry_after),
        Err(e) => {
            tracing::error!(error = %e, "could not turn MFA off");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}
