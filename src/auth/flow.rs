//! The login flow as an explicit state machine:
//!
//! ```text
//! (no session) --password ok--> Authenticated            (no second factor needed, or grace period)
//!                           \-> MfaRequired   (half)     (user has an authenticator)
//!                           \-> EnrollmentRequired (half) (user must enrol first)
//! (half) --second factor ok--> Authenticated (new session id)
//! ```
//!
//! Every failure has one answer, whatever the cause (unknown user, wrong password, disabled
//! account), so the answer tells an attacker nothing.

use std::sync::Arc;

use crate::app::{blocking, App};
use crate::auth::hasher::Busy;
use crate::auth::mfa::Factors;
use crate::auth::session::Claims;
use crate::auth::users::User;

/// The one message for every failed sign-in.
pub const INVALID_CREDENTIALS: &str = "Wrong user name or password.";
/// The one message for every failed second factor.
pub const INVALID_CODE: &str =
    "That code is not valid. Check the time on your device, or use a backup code.";

#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Full session; nothing more to prove.
    Authenticated(Claims),
    /// Half session; a second factor must follow.
    MfaRequired(Claims),
    /// Half session; the user must enrol a second factor first.
    EnrollmentRequired(Claims),
    Invalid,
}

impl LoginOutcome {
    pub fn claims(&self) -> Option<&Claims> {
        match self {
            LoginOutcome::Authenticated(c)
            | LoginOutcome::MfaRequired(c)
            | LoginOutcome::EnrollmentRequired(c) => Some(c),
            LoginOutcome::Invalid => None,
        }
    }
}

/// Why the flow could not give an answer at all (never shown in detail to the client).
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("store: {0}")]
    Store(String),
}

/// Does policy oblige this user to use a second factor?
pub fn mfa_required_for(app: &App, user: &User) -> bool {
    let mfa = &app.config.mfa;
    mfa.required || user.groups.iter().any(|g| mfa.required_groups.contains(g))
}

/// Checks a user name and password. Unknown users cost one argon2 verification too.
pub async fn password_step(
    app: &Arc<App>,
    username: &str,
    password: &str,
    now: u64,
) -> Result<LoginOutcome, FlowError> {
    let user = app.users().get(username).cloned();
    // Bound the work an attacker can ask for; real passwords are far shorter.
    if password.is_empty() || password.len() > 1024 || username.len() > 256 {
        let _ = app.hasher.verify(None, String::new()).await?;
        return Ok(LoginOutcome::Invalid);
    }
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = app.hasher.verify(hash, password.to_owned()).await?;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => return Ok(LoginOutcome::Invalid),
    };
    let name = user.name.clone();
    let (enrolled, first_login) = blocking(app, move |app| {
        Ok::<_, crate::store::StoreError>((
            Factors::is_enrolled(&app.store, &name)?,
            app.store.first_login(&name, now)?,
        ))
    })
    .await
    .map_err(|e| FlowError::Store(e.to_string()))?;
    let sessions = &app.sessions;
    if enrolled {
        return Ok(LoginOutcome::MfaRequired(sessions.start(&user, true, now)));
    }
    if !mfa_required_for(app, &user) {
        return Ok(LoginOutcome::Authenticated(
            sessions.start(&user, false, now),
        ));
    }
    let grace_until = first_login + app.config.mfa.grace_period.as_secs();
    if now < grace_until {
        return Ok(LoginOutcome::Authenticated(sessions.start_with(
            &user,
            false,
            Some(grace_until),
            now,
        )));
    }
    Ok(LoginOutcome::EnrollmentRequired(
        sessions.start(&user, true, now),
    ))
}

/// Which second factor a request names, if this gateway offers it.
pub fn method(app: &App, name: &str) -> Option<crate::config::MfaMethod> {
    use crate::config::MfaMethod;
    let m = match name {
        "totp" => MfaMethod::Totp,
        "backup_code" => MfaMethod::BackupCode,
        _ => return None,
    };
    app.config.mfa.methods.contains(&m).then_some(m)
}

/// Checks a second factor for the session's user. `Ok(Some(factor))` when it is right; the
/// TOTP step or backup code is used up either way only on success.
pub async fn check_second_factor(
    app: &Arc<App>,
    user: &str,
    method_name: &str,
    code: &str,
    now: u64,
) -> Result<Option<crate::auth::session::Factor>, FlowError> {
    use crate::auth::session::Factor;
    use crate::config::MfaMethod;
    // Bound the work: a real code is a few characters.
    if code.len() > 64 {
        return Ok(None);
    }
    let Some(m) = method(app, method_name) else {
        return Ok(None);
    };
    let (user, code) = (user.to_owned(), code.to_owned());
    let ok = blocking(app, move |app| match m {
        MfaMethod::Totp => app.factors.verify_totp(&app.store, &user, &code, now),
        _ => app.factors.use_backup_code(&app.store, &user, &code),
    })
    .await
    .map_err(|e| FlowError::Store(e.to_string()))?;
    Ok(ok.then_some(match m {
        MfaMethod::Totp => Factor::Otp,
        _ => Factor::Backup,
    }))
}

/// Steps a session up after a second factor: a new session id, and the old one revoked.
pub async fn step_up(
    app: &Arc<App>,
    claims: &Claims,
    factor: crate::auth::session::Factor,
    now: u64,
) -> Claims {
    let fresh = app.sessions.step_up(claims, factor, now);
    if let Err(e) = app.revoke_session(&claims.sid, claims.exp).await {
        tracing::error!(error = %e, "could not store the revocation of a stepped-up session");
    }
    fresh
}
