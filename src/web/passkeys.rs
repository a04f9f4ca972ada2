//! Passkeys on the pages and in the JSON API (DESIGN §4, §6): the script that runs a ceremony,
//! `P/api/webauthn/challenge`, `P/api/webauthn/register[/finish]`, and the account page's
//! "add a passkey" step (`P/account/passkeys`).
//!
//! A registration needs a fresh second factor when the user already has one: the account page
//! asks for a code before it starts one, and so does the API. A user with none (enrolment, a
//! half session) may register a passkey as their first factor; then, as after a first
//! authenticator app, backup codes are made and shown once.

use std::convert::Infallible;
use std::sync::{Arc, LazyLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use base64::Engine as _;
use http::{HeaderMap, HeaderValue, StatusCode};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;
use sha2::Digest as _;

use crate::app::{blocking, now, App};
use crate::audit::{Kind, Outcome};
use crate::auth::flow::{self, FactorOutcome};
use crate::auth::session::{Claims, Factor};
use crate::auth::webauthn::{PasskeyError, Started};
use crate::notices::{notify_user, Notice};
use crate::web::api::{guarded, locked};
use crate::web::login::session_cookie;
use crate::web::{current_session, error, json, record, set_cookie, ClientIp};

/// The pages' passkey script (see `webauthn.js`), inlined where a passkey can be used.
pub const SCRIPT: &str = include_str!("webauthn.js");

/// The content policy of a page with [`SCRIPT`]: the global one, plus that one script (by its
/// hash, so nothing injected could run) and `fetch` to our own origin (for a challenge).
static SCRIPT_CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT));
    HeaderValue::from_str(&format!(
        "default-src 'none'; script-src 'sha256-{hash}'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
});

/// The template value of the script: inserted as it is (it is ours, not user input).
pub fn script() -> minijinja::Value {
    minijinja::Value::from_safe_string(SCRIPT.to_owned())
}

/// Lets `r`'s page run [`SCRIPT`] (and nothing else).
pub fn allow_script(mut r: Response) -> Response {
    r.headers_mut()
        .insert(http::header::CONTENT_SECURITY_POLICY, SCRIPT_CSP.clone());
    r
}

/// Starts a registration for the session's user (after whatever proof the caller required),
/// to be finished by this session only; started without a factor, it dies if the user gets one
/// meanwhile (see [`Passkeys::start_registration`](crate::auth::webauthn::Passkeys)).
pub async fn start_registration(app: &Arc<App>, claims: &Claims) -> Result<Started, PasskeyError> {
    let Some(person) = app.users().get(&claims.sub).cloned() else {
        return Err(PasskeyError::Refused("unknown user".into()));
    };
    let first = !flow::enrolled(app, &person)
        .await
        .map_err(|e| PasskeyError::Store(crate::store::StoreError::Unavailable(e.to_string())))?;
    let (t, session) = (now(), claims.sid.clone());
    blocking(app, move |app| {
        Ok::<_, Infallible>(match &app.passkeys {
            Some(p) => p.start_registration(&app.store, &person, &session, first, t),
            None => Err(PasskeyError::Refused("passkeys are not enabled".into())),
        })
    })
    .await
    .map_err(unavailable)?
}

/// The blocking pool failed (the store call panicked or the pool is gone).
fn unavailable(e: crate::app::BlockingError) -> PasskeyError {
    PasskeyError::Store(crate::store::StoreError::Unavailable(e.to_string()))
}

/// What finishing a registration did.
pub struct Registered {
    pub id: String,
    pub name: String,
    /// The passkey is the user's first factor: their new backup codes, to show once.
    pub backup_codes: Option<Vec<String>>,
}

/// Finishes a registration of `claims.sub`: stores the credential; audits and notifies; makes
/// backup codes when it is the first factor.
pub async fn finish_registration(
    app: &Arc<App>,
    claims: &Claims,
    answer: &str,
    name: &str,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
) -> Result<Registered, PasskeyError> {
    let person = app
        .users()
        .get(&claims.sub)
        .cloned()
        .ok_or_else(|| PasskeyError::Refused("unknown user".into()))?;
    let first = !flow::enrolled(app, &person)
        .await
        .map_err(|e| PasskeyError::Store(crate::store::StoreError::Unavailable(e.to_string())))?;
    let answer = crate::auth::webauthn::Answer::parse(answer)?;
    let session = claims.sid.clone();
    let (user, name, t) = (
        claims.sub.clone(),
        crate::auth::webauthn::clean_name(name),
        now(),
    );
    let stored = blocking(app, move |app| {
        Ok::<_, Infallible>((|| {
            let Some(p) = &app.passkeys else {
                return Err(PasskeyError::Refused("passkeys are not enabled".into()));
            };
            let id = p.finish_registration(
                &app.store,
                &user,
                &session,
                !first,
                &answer.ceremony,
                &name,
                &answer.credential,
                t,
            )?;
            let codes = if first {
                Some(
                    app.factors
                        .regenerate_backup_codes(&app.store, &user, t)
                        .map_err(|e| PasskeyError::Refused(e.to_string()))?,
                )
            } else {
                None
            };
            Ok((id, name, codes))
        })())
    })
    .await
    .map_err(unavailable)?;
    let (id, name, backup_codes) = match stored {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(user = claims.sub, error = %e, "passkey registration refused");
            return Err(e);
        }
    };
    record(
        app,
        Kind::PasskeyAdded,
        Outcome::Success,
        Some(&claims.sub),
        ip,
        headers,
        Some(&name),
    );
    notify_user(app, &claims.sub, Notice::PasskeyAdded, ip, headers);
    Ok(Registered {
        id,
        name,
        backup_codes,
    })
}

/// What removing a passkey did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Removed; its name.
    Removed(String),
    /// Not one of the user's passkeys (or removed already).
    NotFound,
    /// Kept: it is the user's only factor besides backup codes. Without it the password alone
    /// would enrol a new one; turning two-step verification off is its own step.
    LastFactor,
}

/// Removes one of `user`'s passkeys (after a fresh second factor), unless it is their last
/// factor.
pub async fn remove(
    app: &Arc<App>,
    user: &str,
    id: &str,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
) -> Result<Removal, crate::store::StoreError> {
    let (who, cred) = (user.to_owned(), id.to_owned());
    let removed = blocking(app, move |app| {
        let keys = app.store.passkeys(&who)?;
        let Some(name) = keys
            .iter()
            .find(|(i, _)| *i == cred)
            .map(|(_, p)| p.name.clone())
        else {
            return Ok(Removal::NotFound);
        };
        let others = keys.len() > 1
            || app.store.totp(&who)?.is_some()
            || app.store.channel_enrolled(&who, "email")?.is_some()
            || app.store.channel_enrolled(&who, "sms")?.is_some();
        if !others {
            return Ok(Removal::LastFactor);
        }
        Ok::<_, crate::store::StoreError>(if app.store.remove_passkey(&who, &cred)? {
            Removal::Removed(name)
        } else {
            Removal::NotFound
        })
    })
    .await
    .map_err(|e| crate::store::StoreError::Unavailable(e.to_string()))?;
    if let Removal::Removed(name) = &removed {
        record(
            app,
            Kind::PasskeyRemoved,
            Outcome::Success,
            Some(user),
            ip,
            headers,
            Some(name),
        );
        notify_user(app, user, Notice::PasskeyRemoved, ip, headers);
    }
    Ok(removed)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeBody {
    purpose: String,
}

/// POST P/api/webauthn/challenge `{"purpose": "second_factor" | "passwordless"}` →
/// `{"ceremony", "options": {"publicKey": …}}`. A second factor needs a session (half or
/// full); passwordless needs `[mfa.webauthn] passwordless = true`.
pub async fn challenge(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let b: ChallengeBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(passkeys) = &app.passkeys else {
        return error(StatusCode::NOT_FOUND, "passkeys_not_enabled");
    };
    let user = match b.purpose.as_str() {
        "second_factor" => match current_session(&app, &headers, now()) {
            Some(v) => Some(v.claims.sub.clone()),
            None => return error(StatusCode::UNAUTHORIZED, "authentication_required"),
        },
        "passwordless" if passkeys.passwordless() => None,
        "passwordless" => return error(StatusCode::NOT_FOUND, "passwordless_not_enabled"),
        _ => return error(StatusCode::BAD_REQUEST, "invalid_purpose"),
    };
    let t = now();
    let started = blocking(&app, move |app| {
        Ok::<_, Infallible>(match &app.passkeys {
            Some(p) => p.start_assertion(&app.store, user.as_deref(), t),
            None => Err(PasskeyError::NoCredentials),
        })
    })
    .await;
    match started {
        Ok(Ok(s)) => json(StatusCode::OK, &s),
        Ok(Err(PasskeyError::NoCredentials)) => error(StatusCode::NOT_FOUND, "no_passkey"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "could not start a passkey assertion");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
}

/// POST P/api/webauthn/register `{"method","code"}` → `{"ceremony","options"}`. The code is
/// a fresh second factor, needed when the user has one already (then a full session is needed
/// too); a user without one (enrolment) sends `{}`.
pub async fn register(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let b: RegisterBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if app.passkeys.is_none() {
        return error(StatusCode::NOT_FOUND, "passkeys_not_enabled");
    }
    let Some(v) = current_session(&app, &headers, now()) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let Some(person) = app.users().get(&v.claims.sub).cloned() else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let Ok(enrolled) = flow::enrolled(&app, &person).await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    };
    if enrolled {
        if v.claims.half {
            return error(StatusCode::FORBIDDEN, "second_factor_required");
        }
        match flow::check_second_factor(&app, &v.claims.sub, &b.method, &b.code, now()).await {
            Ok(FactorOutcome::Accepted(_)) => {}
            Ok(FactorOutcome::Invalid) => return error(StatusCode::UNAUTHORIZED, "invalid_code"),
            Ok(FactorOutcome::Locked { retry_after }) => return locked(retry_after),
            Err(_) => return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }
    match start_registration(&app, &v.claims).await {
        Ok(s) => json(StatusCode::OK, &s),
        Err(e) => {
            tracing::error!(error = %e, "could not start a passkey registration");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FinishBody {
    ceremony: String,
    credential: serde_json::Value,
    #[serde(default)]
    name: String,
}

/// POST P/api/webauthn/register/finish `{"ceremony","credential","name"}` → 201
/// `{"id","name"}`; for a first factor also `"status":"authenticated"` and `"backup_codes"`,
/// with the session stepped up. 400 `{"error":"invalid_passkey"}` when it does not verify.
pub async fn register_finish(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b: FinishBody = match guarded(&app, &headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(v) = current_session(&app, &headers, now()) else {
        return error(StatusCode::UNAUTHORIZED, "authentication_required");
    };
    let answer = json!({"ceremony": b.ceremony, "credential": b.credential}).to_string();
    match finish_registration(&app, &v.claims, &answer, &b.name, ip, &headers).await {
        Ok(reg) => match reg.backup_codes {
            Some(codes) => {
                let claims = flow::step_up(&app, &v.claims, Factor::Hwk, now()).await;
                let mut r = json(
                    StatusCode::CREATED,
                    &json!({"status": "authenticated", "id": reg.id, "name": reg.name, "backup_codes": codes}),
                );
                set_cookie(&mut r, session_cookie(&app, &claims));
                r
            }
            None => json(
                StatusCode::CREATED,
                &json!({"id": reg.id, "name": reg.name}),
            ),
        },
        Err(PasskeyError::Duplicate) => error(StatusCode::CONFLICT, "passkey_registered_already"),
        Err(PasskeyError::Store(_)) => error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        Err(_) => error(StatusCode::BAD_REQUEST, "invalid_passkey"),
    }
}

/// The passkeys of a user as the account page lists them.
pub async fn listed(app: &Arc<App>, user: &str) -> Result<Vec<minijinja::Value>, ()> {
    if app.passkeys.is_none() {
        return Ok(Vec::new());
    }
    let who = user.to_owned();
    let keys = blocking(app, move |app| app.store.passkeys(&who))
        .await
        .map_err(|_| ())?;
    Ok(keys
        .into_iter()
        .map(|(id, p)| {
            context! {
                id,
                name => p.name,
                added => crate::web::account::readable_time(p.created),
                last_used => p.last_used.map(crate::web::account::readable_time),
                blocked => p.clone_suspected.is_some(),
            }
        })
        .collect())
}
