//! The login flow as an explicit state machine:
//!
//! ```text
//! (no session) --password ok--> Authenticated            (no second factor needed)
//!                           \-> MfaRequired   (half)     (user has a factor enrolled)
//!                           \-> EnrollmentRequired (half) (user must enrol first)
//! (half) --second factor ok--> Authenticated (new session id)
//! ```
//!
//! Every failure has one answer, whatever the cause (unknown user, wrong password, disabled
//! account), so the answer tells an attacker nothing.

use crate::app::App;
use crate::auth::hasher::Busy;
use crate::auth::session::Claims;

/// The one message for every failed sign-in.
pub const INVALID_CREDENTIALS: &str = "Wrong user name or password.";

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

/// Checks a user name and password. Unknown users cost one argon2 verification too.
pub async fn password_step(
    app: &App,
    username: &str,
    password: &str,
    now: u64,
) -> Result<LoginOutcome, Busy> {
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
    let mfa = &app.config.mfa;
    let needs_mfa = mfa.required || user.groups.iter().any(|g| mfa.required_groups.contains(g));
    Ok(if needs_mfa {
        // No factor can be enrolled yet in this version: every such user must enrol.
        LoginOutcome::EnrollmentRequired(app.sessions.start(&user, true, now))
    } else {
        LoginOutcome::Authenticated(app.sessions.start(&user, false, now))
    })
}
