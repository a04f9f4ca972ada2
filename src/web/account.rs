//! `P/account`: the user's own page — factors, trusted devices, new backup codes, a new
//! authenticator (each change after a fresh second factor), and sign-out everywhere.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use crate::app::{blocking, now, App};
use crate::audit::{Kind, Outcome};
use crate::auth::flow::{self, invalid_code_message, FactorOutcome};
use crate::auth::mfa::Factors;
use crate::auth::sending::{send_code, Requester, SendOutcome};
use crate::auth::sent_codes::Channel;
use crate::auth::session::Verified;
use crate::auth::users::User;
use crate::notices::{notify_user, Notice};
use crate::web::cookies::CookieJar;
use crate::web::login::session_cookie;
use crate::web::login::{
    forbidden_form, form_is_genuine, locked_message, step_path, with_csrf, Form,
};
use crate::web::passkeys;
use crate::web::{
    current_session, html, login_path, record, redirect, set_cookie, unavailable_page, ClientIp,
};

#[derive(Default, Deserialize)]
struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    action: String,
    /// The page's "use a backup code instead" field; when filled it is the factor checked.
    #[serde(default)]
    backup_code: String,
    /// A passkey's answer (`{"ceremony","credential"}`) proving the fresh factor, from the
    /// page's "confirm with a passkey" button; when filled it is the factor checked.
    #[serde(default)]
    passkey: String,
    /// The name of a passkey being added.
    #[serde(default)]
    name: String,
}

/// "2026-11-30 09:21 UTC": a time a person reads at a glance.
pub(crate) fn readable_time(t: u64) -> String {
    let iso = humantime::format_rfc3339_seconds(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(t),
    )
    .to_string();
    // RFC 3339 is "2026-11-30T09:21:39Z": date, then hours and minutes.
    match (iso.get(..10), iso.get(11..16)) {
        (Some(date), Some(hm)) => format!("{date} {hm} UTC"),
        _ => iso,
    }
}

fn account_path(app: &App) -> String {
    format!("{}/account", app.prefix())
}

/// A full session, or where to go instead (login, or the second factor for a half session).
fn full_session(app: &App, headers: &HeaderMap) -> Result<Verified, Response> {
    match current_session(app, headers, now()) {
        Some(v) if !v.claims.half => Ok(v),
        Some(_) => Err(redirect(
            StatusCode::FOUND,
            &step_path(app, "mfa", Some(&account_path(app))),
        )),
        None => Err(redirect(
            StatusCode::FOUND,
            &login_path(app.prefix(), &account_path(app)),
        )),
    }
}

async fn render(
    app: &Arc<App>,
    headers: &HeaderMap,
    v: &Verified,
    status: StatusCode,
    notice: &str,
    error: &str,
) -> Response {
    let user = v.claims.sub.clone();
    let loaded = blocking(app, move |app| {
        Ok::<_, crate::store::StoreError>((
            Factors::status(&app.store, &user)?,
            app.store.devices(Some(&user))?,
        ))
    })
    .await;
    let lang = app.pages.locale(headers);
    let Ok((status_info, devices)) = loaded else {
        return unavailable_page(app, lang);
    };
    let current = CookieJar::get(headers, &app.cookies.device)
        .ok()
        .flatten()
        .and_then(|t| app.devices.device_id(t));
    let devices: Vec<_> = devices
        .into_iter()
        .map(|(id, d)| {
            minijinja::context! {
                browser => crate::auth::sending::browser_label(lang, &d.user_agent),
                user_agent => d.user_agent,
                ip => d.ip,
                last_used => readable_time(d.last_used),
                current => current.as_deref() == Some(id.as_str()),
                id,
            }
        })
        .collect();
    let totp_active = status_info.totp == "active";
    let enrolled_at = status_info
        .enrolled_at
        .map(readable_time)
        .unwrap_or_default();
    let backup_left = status_info.backup_codes_left;
    let Some(person) = app.users().get(&v.claims.sub).cloned() else {
        return unavailable_page(app, lang);
    };
    let Ok(overview) = flow::overview(app, &person).await else {
        return unavailable_page(app, lang);
    };
    // The ways this user can prove a fresh code, for the "turn off" form.
    let proofs: Vec<minijinja::Value> = overview
        .methods
        .iter()
        .filter(|m| m.method != "webauthn")
        .map(|m| {
            let label = lang.t(match m.method {
                "totp" => "common-code-from-app",
                "email" => "account-proof-email",
                "sms" => "account-proof-sms",
                _ => "account-proof-backup",
            });
            context! { name => m.method, label }
        })
        .collect();
    let can_turn_off = !overview.required
        && app.config.mfa.self_service.allow_disable
        && !overview.methods.is_empty();
    let email = overview
        .email
        .clone()
        .filter(|_| overview.methods.iter().any(|m| m.method == "email"));
    let phone = overview
        .phone
        .clone()
        .filter(|_| overview.methods.iter().any(|m| m.method == "sms"));
    let required = overview.required;
    let user = v.claims.sub.clone();
    // The admin page is linked for admins only (it answers 403 to everyone else anyway).
    let admin = crate::web::admin::is_admin(app, &person) && v.claims.has_second_factor();
    let passkeys_on = app.passkeys.is_some();
    let Ok(passkeys) = passkeys::listed(app, &v.claims.sub).await else {
        return unavailable_page(app, lang);
    };
    // A usable passkey can prove the fresh factor.
    let passkey_proof = passkeys_on && status_info.passkeys > 0;
    let passkey_script = passkeys_on.then(passkeys::script);
    let r = with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "account.html",
            lang,
            context! {
                csrf, user, notice, error, totp_active, enrolled_at, backup_left, devices,
                email, phone, required, can_turn_off, proofs, admin, passkeys_on, passkeys,
                passkey_proof, passkey_script,
            },
        )
    });
    if passkeys_on {
        passkeys::allow_script(r)
    } else {
        r
    }
}

#[derive(Default, Deserialize)]
struct TurnOffForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
}

/// POST P/account/mfa-off: the page's "Turn off two-step verification" (see
/// [`flow::disable_mfa`]).
pub async fn turn_off(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, v, user) = match read_signed_in::<TurnOffForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let t = now();
    let lang = app.pages.locale(&headers);
    match flow::disable_mfa(&app, &user, &f.password, &f.method, &f.code, t).await {
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
            crate::notices::notify(&app, &user, Notice::MfaTurnedOff, ip, &headers);
            // This browser stays signed in, with a new session; every other one has ended.
            let claims = app.sessions.start(&user, false, t);
            let mut r = redirect(StatusCode::SEE_OTHER, &account_path(&app));
            set_cookie(&mut r, session_cookie(&app, &claims));
            set_cookie(&mut r, app.cookies.clear(&app.cookies.device));
            r
        }
        Ok(flow::DisableOutcome::RequiredByPolicy) => {
            let message = lang.t("account-required");
            render(&app, &headers, &v, StatusCode::FORBIDDEN, "", &message).await
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
            let message = lang.t("account-wrong-password-or-code");
            render(&app, &headers, &v, StatusCode::UNAUTHORIZED, "", &message).await
        }
        Ok(flow::DisableOutcome::Locked { retry_after }) => {
            let message = locked_message(lang, retry_after);
            render(
                &app,
                &headers,
                &v,
                StatusCode::TOO_MANY_REQUESTS,
                "",
                &message,
            )
            .await
        }
        Err(_) => unavailable_page(&app, lang),
    }
}

/// POST P/account/send-code: a code by e-mail or SMS for one of the page's fresh-code forms.
pub async fn send_code_page(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, v, user) = match read_signed_in::<TurnOffForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let channel = match f.method.as_str() {
        "sms" => Channel::Sms,
        _ => Channel::Email,
    };
    let lang = app.pages.locale(&headers);
    if let Ok(Some(retry_after)) = flow::account_locked(&app, &user.name, now()).await {
        let message = locked_message(lang, retry_after);
        return render(
            &app,
            &headers,
            &v,
            StatusCode::TOO_MANY_REQUESTS,
            "",
            &message,
        )
        .await;
    }
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let by = Requester {
        ip,
        user_agent: ua,
        lang,
    };
    match send_code(&app, &user, channel, by, now()).await {
        Ok(SendOutcome::Sent { to }) => {
            let notice = lang.t_with("account-code-sent", &[("to", to.into())]);
            render(&app, &headers, &v, StatusCode::OK, &notice, "").await
        }
        Ok(SendOutcome::RateLimited { .. }) => {
            let message = lang.t("account-too-many-codes");
            render(
                &app,
                &headers,
                &v,
                StatusCode::TOO_MANY_REQUESTS,
                "",
                &message,
            )
            .await
        }
        _ => {
            let message = lang.t("account-could-not-send");
            render(
                &app,
                &headers,
                &v,
                StatusCode::SERVICE_UNAVAILABLE,
                "",
                &message,
            )
            .await
        }
    }
}

/// GET P/account
pub async fn page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match full_session(&app, &headers) {
        Ok(v) => render(&app, &headers, &v, StatusCode::OK, "", "").await,
        Err(r) => r,
    }
}

impl Form for AccountForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Form for TurnOffForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A POSTed form of this page; an unreadable one is empty, so it fails the CSRF check (403).
fn read<F: Form + Default>(app: &App, headers: &HeaderMap, body: &[u8]) -> Result<F, Response> {
    let f = serde_urlencoded::from_bytes::<F>(body).unwrap_or_default();
    if !form_is_genuine(app, headers, f.csrf()) {
        return Err(forbidden_form(app, app.pages.locale(headers)));
    }
    Ok(f)
}

/// A genuine form from a full session whose user still exists.
fn read_signed_in<F: Form + Default>(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(F, Verified, Arc<User>), Response> {
    let f = read(app, headers, body)?;
    let v = full_session(app, headers)?;
    let Some(user) = app.users().get(&v.claims.sub).cloned() else {
        return Err(unavailable_page(app, app.pages.locale(headers)));
    };
    Ok((f, v, user))
}

/// POST P/account/devices/revoke
pub async fn revoke_device(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = match read::<AccountForm>(&app, &headers, &body) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let v = match full_session(&app, &headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (user, id) = (v.claims.sub.clone(), f.id.clone());
    let removed = blocking(&app, move |app| app.store.revoke_device(&id, Some(&user)))
        .await
        .unwrap_or(false);
    if removed {
        record(
            &app,
            Kind::DeviceRevoked,
            Outcome::Success,
            Some(&v.claims.sub),
            ip,
            &headers,
            Some(&f.id),
        );
    }
    redirect(StatusCode::SEE_OTHER, &account_path(&app))
}

/// POST P/account/factors: a fresh second factor, then new backup codes or a new authenticator.
pub async fn factors(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = match read::<AccountForm>(&app, &headers, &body) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let v = match full_session(&app, &headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = now();
    let lang = app.pages.locale(&headers);
    if f.code.trim().is_empty() && f.backup_code.trim().is_empty() && f.passkey.is_empty() {
        // Nothing typed: a slip, not a guess; it does not count towards the lockout.
        let message = lang.t("account-no-code");
        return render(&app, &headers, &v, StatusCode::BAD_REQUEST, "", &message).await;
    }
    let (method, code) = match (f.backup_code.trim(), f.method.as_str()) {
        _ if !f.passkey.is_empty() => ("webauthn", f.passkey.as_str()),
        ("", "") => ("totp", f.code.as_str()),
        ("", m) => (m, f.code.as_str()),
        (backup, _) => ("backup_code", backup),
    };
    match flow::check_second_factor(&app, &v.claims.sub, method, code, t).await {
        Ok(FactorOutcome::Accepted(_)) => {}
        Ok(FactorOutcome::Invalid) => {
            return render(
                &app,
                &headers,
                &v,
                StatusCode::UNAUTHORIZED,
                "",
                &lang.t(invalid_code_message(method)),
            )
            .await
        }
        Ok(FactorOutcome::Locked { retry_after }) => {
            return render(
                &app,
                &headers,
                &v,
                StatusCode::TOO_MANY_REQUESTS,
                "",
                &locked_message(lang, retry_after),
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            return unavailable_page(&app, lang);
        }
    }
    let user = v.claims.sub.clone();
    if f.action == "add_passkey" && app.passkeys.is_some() {
        return match passkeys::start_registration(&app, &v.claims).await {
            Ok(started) => {
                let options = serde_json::to_string(&started).unwrap_or_default();
                let name = crate::auth::webauthn::clean_name(&f.name);
                let r = with_csrf(&app, &headers, StatusCode::OK, |csrf| {
                    app.pages.render(
                        "passkey_add.html",
                        lang,
                        context! { csrf, name, options, passkey_script => passkeys::script() },
                    )
                });
                passkeys::allow_script(r)
            }
            Err(e) => {
                tracing::error!(error = %e, "could not start a passkey registration");
                unavailable_page(&app, lang)
            }
        };
    }
    if let Some(id) = f.action.strip_prefix("remove_passkey:") {
        return match passkeys::remove(&app, &user, id, ip, &headers).await {
            Ok(passkeys::Removal::LastFactor) => {
                let error = lang.t("account-passkey-last");
                render(&app, &headers, &v, StatusCode::CONFLICT, "", &error).await
            }
            Ok(passkeys::Removal::Removed(name)) => {
                // Sessions the passkey opened (a lost phone's) end with it, on every replica;
                // this browser stays signed in, under the new epoch.
                let who = user.clone();
                let epoch = match blocking(&app, move |app| app.end_sessions(&who)).await {
                    Ok(epoch) => epoch,
                    Err(e) => {
                        tracing::error!(error = %e, "could not end the sessions of a removed passkey");
                        return unavailable_page(&app, lang);
                    }
                };
                let mut claims = (*v.claims).clone();
                claims.ep = epoch;
                let v = Verified {
                    claims: Arc::new(claims.clone()),
                    ..v
                };
                let notice = lang.t_with("account-passkey-was-removed", &[("name", name.into())]);
                let mut r = render(&app, &headers, &v, StatusCode::OK, &notice, "").await;
                set_cookie(&mut r, session_cookie(&app, &claims));
                r
            }
            Ok(passkeys::Removal::NotFound) => {
                let error = lang.t("account-passkey-not-yours");
                render(&app, &headers, &v, StatusCode::NOT_FOUND, "", &error).await
            }
            Err(e) => {
                tracing::error!(error = %e, "could not remove a passkey");
                unavailable_page(&app, lang)
            }
        };
    }
    if f.action == "reenroll" {
        let sid = v.claims.sid.clone();
        let started = blocking(&app, move |app| {
            app.factors.start_replacement(&app.store, &user, t, &sid)
        })
        .await;
        if let Err(e) = started {
            tracing::error!(error = %e, "could not start a replacement enrolment");
            return unavailable_page(&app, lang);
        }
        return redirect(
            StatusCode::SEE_OTHER,
            &step_path(&app, "enroll", Some(&account_path(&app))),
        );
    }
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
            let next = account_path(&app);
            let replaced = true;
            html(
                StatusCode::OK,
                app.pages.render(
                    "backup_codes.html",
                    lang,
                    context! { codes, next, replaced },
                ),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "backup code regeneration failed");
            unavailable_page(&app, lang)
        }
    }
}

/// POST P/account/passkeys: the browser's answer to a registration started by
/// [`factors`] (after a fresh second factor): the passkey is stored under its name.
pub async fn add_passkey(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, v, _) = match read_signed_in::<AccountForm>(&app, &headers, &body) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let lang = app.pages.locale(&headers);
    match passkeys::finish_registration(&app, &v.claims, &f.code, &f.name, ip, &headers).await {
        Ok(reg) => {
            let notice = lang.t_with("account-passkey-was-added", &[("name", reg.name.into())]);
            render(&app, &headers, &v, StatusCode::OK, &notice, "").await
        }
        Err(crate::auth::webauthn::PasskeyError::Store(e)) => {
            tracing::error!(error = %e, "could not store a passkey");
            unavailable_page(&app, lang)
        }
        Err(crate::auth::webauthn::PasskeyError::Duplicate) => {
            let error = lang.t("account-passkey-registered-already");
            render(&app, &headers, &v, StatusCode::CONFLICT, "", &error).await
        }
        Err(_) => {
            let error = lang.t("account-passkey-not-added");
            render(&app, &headers, &v, StatusCode::BAD_REQUEST, "", &error).await
        }
    }
}

/// POST P/account/signout-all: a new session epoch ends every session and trusted device.
pub async fn sign_out_everywhere(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = read::<AccountForm>(&app, &headers, &body) {
        return r;
    }
    let v = match full_session(&app, &headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let user = v.claims.sub.clone();
    match blocking(&app, move |app| app.end_sessions(&user)).await {
        Ok(_) => {
            record(
                &app,
                Kind::SignedOutEverywhere,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                None,
            );
            let mut r = redirect(StatusCode::SEE_OTHER, &format!("{}/login", app.prefix()));
            set_cookie(&mut r, app.cookies.clear(&app.cookies.session));
            set_cookie(&mut r, app.cookies.clear(&app.cookies.device));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "could not end sessions");
            unavailable_page(&app, app.pages.locale(&headers))
        }
    }
}
