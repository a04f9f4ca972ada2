//! The second-factor pages: `P/mfa` (verify) and `P/enroll` (TOTP enrolment, backup codes once).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use crate::app::{now, App};
use crate::audit::{Kind, Outcome};
use crate::auth::flow::{self, invalid_code_message, FactorOutcome, INVALID_ENROL_CODE};
use crate::auth::mfa::Enrolment;
use crate::auth::sending::{destination, masked, send_code, Requester, SendOutcome};
use crate::auth::sent_codes::Channel;
use crate::auth::session::{Factor, Verified};
use crate::auth::users::User;
use crate::config::MfaMethod;
use crate::i18n::Locale;
use crate::notices::{notify_user, Notice};
use crate::web::api::remember;
use crate::web::login::locked_message;
use crate::web::login::{
    bad_request, forbidden_form, form_is_genuine, session_cookie, step_path, with_csrf, Form,
    RdQuery,
};
use crate::web::{
    current_session, html, login_path, passkeys, qr, record, redirect, set_cookie,
    unavailable_page, ClientIp,
};

#[derive(Default, Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    rd: String,
    #[serde(default)]
    remember_device: String,
    /// The name of a passkey registered at enrolment.
    #[serde(default)]
    name: String,
}

impl Form for CodeForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
    fn rd(&self) -> &str {
        &self.rd
    }
}

impl Form for SendForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
    fn rd(&self) -> &str {
        &self.rd
    }
}

/// A POSTed form of these pages: unreadable → 400, not from our page → 403, no session → the
/// login page. Returns it with its `rd` ("" when absent or refused) and the session.
fn read_form<F: Form>(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(F, String, Verified), Response> {
    let lang = app.pages.locale(headers);
    let Ok(f) = serde_urlencoded::from_bytes::<F>(body) else {
        return Err(bad_request(app, lang));
    };
    if !form_is_genuine(app, headers, f.csrf()) {
        return Err(forbidden_form(app, lang));
    }
    let rd = app.redirects.validate(f.rd()).unwrap_or_default();
    let v = session_or_login(app, headers, &rd)?;
    Ok((f, rd, v))
}

/// Where to go after a step: `rd`, or the site's root.
fn or_root(rd: &str) -> &str {
    if rd.is_empty() {
        "/"
    } else {
        rd
    }
}

/// The session, or a redirect to the login page.
fn session_or_login(app: &App, headers: &HeaderMap, rd: &str) -> Result<Verified, Response> {
    current_session(app, headers, now())
        .ok_or_else(|| redirect(StatusCode::FOUND, &login_path(app.prefix(), rd)))
}

/// Whether `user` has enrolled a second factor (see [`flow::enrolled`]).
async fn enrolled(app: &Arc<App>, user: &str) -> Option<bool> {
    let u = app.users().get(user).cloned()?;
    flow::enrolled(app, &u).await.ok()
}

/// What the second-factor page says besides its forms.
#[derive(Default)]
struct MfaView<'a> {
    rd: &'a str,
    /// The method the `error` or `sent` belongs to (its form is shown open and focused).
    method: &'a str,
    error: &'a str,
    notice: &'a str,
    /// A code was just sent over this method: its code field is shown.
    sent: &'a str,
}

/// The second-factor page: every method `user` has, in `[mfa] methods` order.
async fn render_mfa(
    app: &Arc<App>,
    headers: &HeaderMap,
    status: StatusCode,
    user: &User,
    view: MfaView<'_>,
) -> Response {
    let lang = app.pages.locale(headers);
    let user_methods = match flow::user_methods(app, user).await {
        Ok(ms) => ms,
        Err(_) => return unavailable_page(app, lang),
    };
    let with_passkey = user_methods.contains(&MfaMethod::Webauthn);
    let methods: Vec<minijinja::Value> = user_methods
        .into_iter()
        .map(|m| {
            let channel = Channel::from_method(m);
            let to = channel
                .and_then(|c| destination(app, user, c).map(|d| masked(c, d)))
                .unwrap_or_default();
            let label = lang.t(match m {
                MfaMethod::Totp => "mfa-use-app",
                MfaMethod::Email => "common-email-me-code",
                MfaMethod::Sms => "common-text-me-code",
                MfaMethod::BackupCode => "mfa-use-backup-code",
                MfaMethod::Webauthn => "mfa-use-passkey",
            });
            context! { name => m.as_str(), label, to }
        })
        .collect();
    let remember_for = app
        .config
        .trusted_devices
        .enabled
        .then(|| lang.duration(app.devices.lifetime()));
    let MfaView {
        rd,
        method,
        error,
        notice,
        sent,
    } = view;
    let user = &user.name;
    let passkey_script = with_passkey.then(passkeys::script);
    let r = with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "mfa.html",
            lang,
            context! { csrf, rd, user, method, error, notice, sent, methods, remember_for, passkey_script },
        )
    });
    if with_passkey {
        passkeys::allow_script(r)
    } else {
        r
    }
}

/// [`render_mfa`] for a user named in a session (gone from the users file: sign in again).
async fn page_for(
    app: &Arc<App>,
    headers: &HeaderMap,
    status: StatusCode,
    name: &str,
    view: MfaView<'_>,
) -> Response {
    match app.users().get(name).cloned() {
        Some(user) => render_mfa(app, headers, status, &user, view).await,
        None => redirect(StatusCode::SEE_OTHER, &login_path(app.prefix(), view.rd)),
    }
}

#[derive(Default, Deserialize)]
struct SendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    rd: String,
}

/// POST P/mfa/send: "Email me a code" / "Text me a code", then the page with the code field.
pub async fn mfa_send(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, rd, v) = match read_form::<SendForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let Some(user) = app.users().get(&v.claims.sub).cloned() else {
        return redirect(StatusCode::SEE_OTHER, &login_path(app.prefix(), &rd));
    };
    let lang = app.pages.locale(&headers);
    let channel = match f.method.as_str() {
        "email" => Channel::Email,
        "sms" => Channel::Sms,
        _ => return bad_request(&app, lang),
    };
    let t = now();
    let locked = flow::account_locked(&app, &user.name, t).await;
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let could_not_send = || (StatusCode::SERVICE_UNAVAILABLE, lang.t(COULD_NOT_SEND));
    let by = Requester {
        ip,
        user_agent: ua,
        lang,
    };
    let outcome = match locked {
        Ok(Some(retry_after)) => Err((
            StatusCode::TOO_MANY_REQUESTS,
            locked_message(lang, retry_after),
        )),
        Ok(None) => send_code(&app, &user, channel, by, t)
            .await
            .map_err(|_| could_not_send()),
        Err(_) => Err(could_not_send()),
    };
    let valid_for = lang.duration(match channel {
        Channel::Email => app.config.mfa.email.code_ttl.as_secs(),
        Channel::Sms => app.config.mfa.sms.code_ttl.as_secs(),
    });
    let (status, notice, error, sent) = match outcome {
        Ok(SendOutcome::Sent { to }) => (
            StatusCode::OK,
            lang.t_with(
                "mfa-code-sent",
                &[("to", to.into()), ("duration", valid_for.into())],
            ),
            String::new(),
            channel.name(),
        ),
        Ok(SendOutcome::RateLimited { retry_after }) => (
            StatusCode::TOO_MANY_REQUESTS,
            String::new(),
            lang.t_with(
                "mfa-too-many-codes",
                &[("wait", lang.duration(retry_after).into())],
            ),
            "",
        ),
        Ok(SendOutcome::Unavailable) => return bad_request(&app, lang),
        Ok(SendOutcome::Failed) => (
            StatusCode::SERVICE_UNAVAILABLE,
            String::new(),
            lang.t(COULD_NOT_SEND),
            "",
        ),
        Err((status, message)) => (status, String::new(), message, ""),
    };
    let view = MfaView {
        rd: &rd,
        method: channel.name(),
        error: &error,
        notice: &notice,
        sent,
    };
    render_mfa(&app, &headers, status, &user, view).await
}

/// The key of what the page says when a code could not be sent.
const COULD_NOT_SEND: &str = "mfa-could-not-send";

/// GET P/mfa
pub async fn mfa_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<RdQuery>,
) -> Response {
    let rd = app.redirects.validate(&q.rd).unwrap_or_default();
    let v = match session_or_login(&app, &headers, &rd) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if v.claims.has_second_factor() {
        // Already proved (a reloaded or Back-restored page): nothing to ask, go on.
        return redirect(StatusCode::FOUND, or_root(&rd));
    }
    match enrolled(&app, &v.claims.sub).await {
        Some(true) => match app.users().get(&v.claims.sub).cloned() {
            Some(user) => {
                let view = MfaView {
                    rd: &rd,
                    ..MfaView::default()
                };
                render_mfa(&app, &headers, StatusCode::OK, &user, view).await
            }
            None => redirect(StatusCode::FOUND, &login_path(app.prefix(), &rd)),
        },
        Some(false) => redirect(
            StatusCode::FOUND,
            &step_path(
                &app,
                "enroll",
                Some(&rd).filter(|r| !r.is_empty()).map(|r| r.as_str()),
            ),
        ),
        None => unavailable_page(&app, app.pages.locale(&headers)),
    }
}

/// POST P/mfa
pub async fn mfa_submit(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, rd, v) = match read_form::<CodeForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    if v.claims.has_second_factor() {
        // A form left open from before the second factor was proved: not a guess to count.
        return redirect(StatusCode::SEE_OTHER, or_root(&rd));
    }
    let t = now();
    let method = if f.method.is_empty() {
        "totp"
    } else {
        f.method.as_str()
    };
    match flow::check_second_factor(&app, &v.claims.sub, method, &f.code, t).await {
        Ok(FactorOutcome::Accepted(factor)) => {
            record(
                &app,
                Kind::FactorSucceeded,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(method),
            );
            let claims = flow::step_up(&app, &v.claims, factor, t).await;
            let mut r = redirect(StatusCode::SEE_OTHER, or_root(&rd));
            set_cookie(&mut r, session_cookie(&app, &claims));
            if !f.remember_device.is_empty() {
                remember(&app, &mut r, &v.claims.sub, ip, &headers, t).await;
            }
            r
        }
        Ok(FactorOutcome::Locked { retry_after }) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(&format!("{method} locked")),
            );
            let message = locked_message(app.pages.locale(&headers), retry_after);
            let view = MfaView {
                rd: &rd,
                method,
                error: &message,
                ..MfaView::default()
            };
            page_for(
                &app,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                &v.claims.sub,
                view,
            )
            .await
        }
        Ok(FactorOutcome::Invalid) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(method),
            );
            let message = app.pages.locale(&headers).t(invalid_code_message(method));
            let view = MfaView {
                rd: &rd,
                method,
                error: &message,
                // A wrong code sent by mail or text: keep its field on the page.
                sent: if matches!(method, "email" | "sms") {
                    method
                } else {
                    ""
                },
                ..MfaView::default()
            };
            page_for(
                &app,
                &headers,
                StatusCode::UNAUTHORIZED,
                &v.claims.sub,
                view,
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            unavailable_page(&app, app.pages.locale(&headers))
        }
    }
}

/// The enrolment page. `replacing`: a signed-in user replacing an active authenticator (from
/// the account page), who is told what stops working and can cancel.
#[allow(clippy::too_many_arguments)] // one per thing the page shows
fn render_enroll(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    user: &str,
    e: &Enrolment,
    rd: &str,
    replacing: bool,
    error: &str,
    offer_passkey: bool,
) -> Response {
    let lang = app.pages.locale(headers);
    let uri = app.factors.uri(e, user);
    let qr_svg = qr::svg(&uri, &lang.t("enroll-qr-label")).unwrap_or_default();
    let secret = e.secret.grouped();
    let digits = e.params.digits;
    let cancel = or_root(rd);
    // Instead of an app: codes by e-mail or text message, where the operator offers them.
    let channels: Vec<minijinja::Value> = match (replacing, app.users().get(user)) {
        (false, Some(u)) => flow::offered_channels(app, u)
            .into_iter()
            .filter_map(|c| {
                let to = masked(c, destination(app, u, c)?);
                let label = lang.t(match c {
                    Channel::Email => "common-email-me-code",
                    Channel::Sms => "common-text-me-code",
                });
                Some(context! { name => c.name(), label, to })
            })
            .collect(),
        _ => Vec::new(),
    };
    let with_passkey = offer_passkey;
    let passkey_script = with_passkey.then(passkeys::script);
    let r = with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "enroll.html",
            lang,
            context! {
                csrf, rd, user, error, uri, qr_svg, secret, digits, replacing, cancel, channels,
                offer_passkey, passkey_script,
            },
        )
    });
    if with_passkey {
        passkeys::allow_script(r)
    } else {
        r
    }
}

/// Is a passkey offered on the enrolment page? Only to a user setting up a first factor (not
/// replacing an app). The page's script starts the registration when the button is pressed
/// (`P/api/webauthn/register`, a rate-limited POST): showing the page stores nothing.
fn passkey_offer(app: &App, replacing: bool) -> bool {
    !replacing && app.passkeys.is_some()
}

/// Starts or resumes an enrolment; None with a response when the page can't be shown.
async fn enrolment(
    app: &Arc<App>,
    v: &Verified,
    rd: &str,
    lang: Locale,
) -> Result<Enrolment, Response> {
    let started = flow::start_enrolment(app, &v.claims, now()).await;
    match started {
        Ok(Some(e)) => Ok(e),
        // Never let a half session replace an active authenticator: verify it instead.
        Ok(None) => Err(redirect(
            StatusCode::FOUND,
            &step_path(app, "mfa", Some(rd).filter(|r| !r.is_empty())),
        )),
        Err(e) => {
            tracing::error!(error = %e, "enrolment failed");
            Err(unavailable_page(app, lang))
        }
    }
}

/// GET P/enroll
pub async fn enroll_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<RdQuery>,
) -> Response {
    let rd = app.redirects.validate(&q.rd).unwrap_or_default();
    let v = match session_or_login(&app, &headers, &rd) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match enrolment(&app, &v, &rd, app.pages.locale(&headers)).await {
        Ok(e) => {
            let replacing = v.claims.has_second_factor();
            let user = &v.claims.sub;
            let offer = passkey_offer(&app, replacing);
            render_enroll(
                &app,
                &headers,
                StatusCode::OK,
                user,
                &e,
                &rd,
                replacing,
                "",
                offer,
            )
        }
        Err(r) => r,
    }
}

/// POST P/enroll
pub async fn enroll_submit(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, rd, v) = match read_form::<CodeForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let t = now();
    match flow::may_enrol(&app, &v.claims).await {
        Ok(true) => {}
        // A factor exists: prove it instead.
        Ok(false) => {
            return redirect(
                StatusCode::SEE_OTHER,
                &step_path(&app, "mfa", Some(rd.as_str()).filter(|r| !r.is_empty())),
            )
        }
        Err(_) => return unavailable_page(&app, app.pages.locale(&headers)),
    }
    if f.method == "webauthn" {
        return enrol_passkey(&app, ip, &headers, &f, &rd, &v).await;
    }
    let may_replace = v.claims.has_second_factor();
    let confirmed = flow::confirm_enrolment(&app, &v.claims, &f.code, t).await;
    match confirmed {
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
            let next = or_root(&rd);
            // A replaced authenticator took its backup codes with it.
            let lang = app.pages.locale(&headers);
            let mut r = html(
                StatusCode::OK,
                app.pages.render(
                    "backup_codes.html",
                    lang,
                    context! { codes, next, replaced },
                ),
            );
            set_cookie(&mut r, session_cookie(&app, &claims));
            r
        }
        Ok(None) => match enrolment(&app, &v, &rd, app.pages.locale(&headers)).await {
            Ok(e) => {
                let offer = passkey_offer(&app, may_replace);
                render_enroll(
                    &app,
                    &headers,
                    StatusCode::UNAUTHORIZED,
                    &v.claims.sub,
                    &e,
                    &rd,
                    may_replace,
                    &app.pages.locale(&headers).t(INVALID_ENROL_CODE),
                    offer,
                )
            }
            Err(r) => r,
        },
        Err(e) => {
            tracing::error!(error = %e, "enrolment confirmation failed");
            unavailable_page(&app, app.pages.locale(&headers))
        }
    }
}

/// POST P/enroll with `method=webauthn`: a passkey as the first factor. Its backup codes are
/// shown once, as after an authenticator app, and the session steps up (amr `hwk`).
async fn enrol_passkey(
    app: &Arc<App>,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    f: &CodeForm,
    rd: &str,
    v: &Verified,
) -> Response {
    use crate::auth::webauthn::PasskeyError;
    let lang = app.pages.locale(headers);
    match passkeys::finish_registration(app, &v.claims, &f.code, &f.name, ip, headers).await {
        Ok(reg) => {
            let claims = flow::step_up(app, &v.claims, Factor::Hwk, now()).await;
            let next = or_root(rd);
            let mut r = match reg.backup_codes {
                Some(codes) => html(
                    StatusCode::OK,
                    app.pages.render(
                        "backup_codes.html",
                        lang,
                        context! { codes, next, replaced => false },
                    ),
                ),
                None => redirect(StatusCode::SEE_OTHER, next),
            };
            set_cookie(&mut r, session_cookie(app, &claims));
            r
        }
        Err(PasskeyError::Store(e)) => {
            tracing::error!(error = %e, "could not store a passkey");
            unavailable_page(app, lang)
        }
        Err(_) => match enrolment(app, v, rd, lang).await {
            Ok(e) => {
                let offer = passkey_offer(app, false);
                let error = lang.t("enroll-passkey-failed");
                render_enroll(
                    app,
                    headers,
                    StatusCode::BAD_REQUEST,
                    &v.claims.sub,
                    &e,
                    rd,
                    false,
                    &error,
                    offer,
                )
            }
            Err(r) => r,
        },
    }
}
