//! What an admin can do to a user, shared by the page and the API. Each action is audited with
//! the target as the event's user and "by admin NAME" as its detail.

use std::net::IpAddr;
use std::sync::Arc;

use http::HeaderMap;

use crate::app::{blocking, now, App};
use crate::audit::{Kind, Outcome};
use crate::i18n::Locale;
use crate::notices::{notify_without_browser, Notice};
use crate::web::record;

/// An admin action on one user (DESIGN §4 `P/api/admin/users/NAME/…`, `P/api/admin/devices/ID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Forget every second factor, sent code, channel and trusted device; end every session.
    /// The user enrols again at the next sign-in.
    MfaReset,
    /// Let a locked-out user try again at once.
    LockoutClear,
    /// End every session and trusted device of the user (a new session epoch).
    RevokeSessions,
    /// `disabled = true` in the users file, edited in place (comments kept, under the file's
    /// edit lock), then every session ended.
    Disable,
    /// Forget one trusted device (its id) of the user.
    DeviceRevoke(String),
}

impl Action {
    /// The path segment of `P/api/admin/users/NAME/…`; device revocation has its own path.
    pub fn parse(segment: &str) -> Option<Action> {
        Some(match segment {
            "mfa-reset" => Action::MfaReset,
            "lockout-clear" => Action::LockoutClear,
            "revoke-sessions" => Action::RevokeSessions,
            "disable" => Action::Disable,
            _ => return None,
        })
    }

    pub fn segment(&self) -> &'static str {
        match self {
            Action::MfaReset => "mfa-reset",
            Action::LockoutClear => "lockout-clear",
            Action::RevokeSessions => "revoke-sessions",
            Action::Disable => "disable",
            Action::DeviceRevoke(_) => "device-revoke",
        }
    }

    /// Does it end every session of its target (so an admin acting on themselves is signed out)?
    pub fn ends_sessions(&self) -> bool {
        matches!(
            self,
            Action::MfaReset | Action::RevokeSessions | Action::Disable
        )
    }

    /// The audit event kind it is recorded as.
    pub fn kind(&self) -> Kind {
        match self {
            Action::MfaReset => Kind::MfaReset,
            Action::LockoutClear => Kind::LockoutCleared,
            Action::RevokeSessions => Kind::SignedOutEverywhere,
            Action::Disable => Kind::UserDisabled,
            Action::DeviceRevoke(_) => Kind::DeviceRevoked,
        }
    }

    /// What the confirmation step asks, naming the user: "Reset two-step verification of bob?"
    pub fn question(&self, lang: Locale, user: &str) -> String {
        let key = match self {
            Action::MfaReset => "admin-question-mfa-reset",
            Action::LockoutClear => "admin-question-lockout-clear",
            Action::RevokeSessions => "admin-question-revoke-sessions",
            Action::Disable => "admin-question-disable",
            Action::DeviceRevoke(_) => "admin-question-device-revoke",
        };
        lang.t_with(key, &[("user", user.into())])
    }

    /// The key of what happens, in a sentence the confirmation page shows under the question.
    pub fn consequence(&self) -> &'static str {
        match self {
            Action::MfaReset => "admin-consequence-mfa-reset",
            Action::LockoutClear => "admin-consequence-lockout-clear",
            Action::RevokeSessions => "admin-consequence-revoke-sessions",
            Action::Disable => "admin-consequence-disable",
            Action::DeviceRevoke(_) => "admin-consequence-device-revoke",
        }
    }

    /// The notice after it is done.
    pub fn done(&self, lang: Locale, user: &str) -> String {
        let key = match self {
            Action::MfaReset => "admin-done-mfa-reset",
            Action::LockoutClear => "admin-done-lockout-clear",
            Action::RevokeSessions => "admin-done-revoke-sessions",
            Action::Disable => "admin-done-disable",
            Action::DeviceRevoke(_) => "admin-done-device-revoke",
        };
        lang.t_with(key, &[("user", user.into())])
    }
}

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no such user")]
    NoSuchUser,
    #[error("no such device")]
    NoSuchDevice,
    #[error("the store is unavailable: {0}")]
    Store(String),
    #[error("the users file could not be edited: {0}")]
    UsersFile(String),
}

/// The request an action came with, for its audit event.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub admin: &'a str,
    pub ip: IpAddr,
    pub headers: &'a HeaderMap,
}

/// Records an admin action (or its refusal) with the target as the event's user (none when the
/// target is unknown, e.g. a device id that names no device).
pub fn audit(app: &App, action: &Action, target: &str, by: By<'_>, outcome: Outcome, why: &str) {
    let mut detail = format!("by admin {}", by.admin);
    if let Action::DeviceRevoke(id) = action {
        detail.push_str(&format!(": device {id}"));
    }
    if !why.is_empty() {
        detail.push_str(&format!(": {why}"));
    }
    tracing::info!(
        event = action.kind().as_str(),
        admin = by.admin,
        user = target,
        outcome = outcome.as_str(),
        why,
        "admin action"
    );
    record(
        app,
        action.kind(),
        outcome,
        Some(target).filter(|t| !t.is_empty()),
        by.ip,
        by.headers,
        Some(&detail),
    );
}

/// Does `action` on `target`, after the caller checked the admin and the fresh factor.
pub async fn perform(
    app: &Arc<App>,
    action: &Action,
    target: &str,
    by: By<'_>,
) -> Result<(), ActionError> {
    if app.users().get(target).is_none() {
        return Err(ActionError::NoSuchUser);
    }
    let result = run(app, action, target).await;
    match &result {
        Ok(()) => audit(app, action, target, by, Outcome::Success, ""),
        Err(e) => audit(app, action, target, by, Outcome::Failure, &e.to_string()),
    }
    result
}

async fn run(app: &Arc<App>, action: &Action, target: &str) -> Result<(), ActionError> {
    let store_error = |e: crate::app::BlockingError| ActionError::Store(e.to_string());
    let user = target.to_owned();
    match action {
        Action::MfaReset => {
            let epoch = blocking(app, move |app| app.store.reset_mfa(&user, now()))
                .await
                .map_err(store_error)?;
            app.sessions.set_epoch(target, epoch);
            app.metrics.sessions_revoked(true);
            notify_without_browser(app, target, Notice::MfaReset);
        }
        Action::LockoutClear => {
            blocking(app, move |app| app.store.clear_lockouts(&user))
                .await
                .map_err(store_error)?;
        }
        Action::RevokeSessions => end_sessions(app, target).await?,
        Action::Disable => {
            // Sessions first: if the file cannot be written, the person is at least signed out
            // everywhere (and the action is reported as failed). The epoch also reaches replicas
            // whose copy of the file has not changed yet.
            end_sessions(app, target).await?;
            let file = app.config.users.file.clone();
            let name = user.clone();
            let edited = tokio::task::spawn_blocking(move || {
                crate::auth::users::set_disabled(&file, &name, true)?;
                crate::auth::users::UserDb::load(&file)
            })
            .await
            .map_err(|e| ActionError::UsersFile(e.to_string()))?
            .map_err(|e| ActionError::UsersFile(format!("{e} (their sessions were ended)")))?;
            // At once here, rather than at the file watcher's next look.
            app.replace_users(edited);
        }
        Action::DeviceRevoke(id) => {
            let id = id.clone();
            let removed = blocking(app, move |app| app.store.revoke_device(&id, Some(&user)))
                .await
                .map_err(store_error)?;
            if !removed {
                return Err(ActionError::NoSuchDevice);
            }
        }
    }
    Ok(())
}

async fn end_sessions(app: &Arc<App>, target: &str) -> Result<(), ActionError> {
    let user = target.to_owned();
    blocking(app, move |app| app.end_sessions(&user))
        .await
        .map_err(|e| ActionError::Store(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_name_the_actions_both_ways() {
        for a in [
            Action::MfaReset,
            Action::LockoutClear,
            Action::RevokeSessions,
            Action::Disable,
        ] {
            assert_eq!(Action::parse(a.segment()), Some(a));
        }
        assert_eq!(
            Action::parse("device-revoke"),
            None,
            "devices have their own path"
        );
        assert_eq!(Action::parse("MFA-RESET"), None);
    }

    #[test]
    fn only_a_reset_an_end_of_sessions_or_a_disable_signs_the_target_out() {
        assert!(Action::MfaReset.ends_sessions());
        assert!(Action::RevokeSessions.ends_sessions());
        assert!(Action::Disable.ends_sessions());
        assert!(!Action::LockoutClear.ends_sessions());
        assert!(!Action::DeviceRevoke("d".into()).ends_sessions());
    }

    #[test]
    fn the_confirmation_names_the_user() {
        assert_eq!(
            Action::MfaReset.question(Locale::EN, "bob"),
            "Reset two-step verification of bob?"
        );
        assert!(Action::Disable
            .question(Locale::EN, "carol")
            .contains("carol"));
        let de = Locale::for_tag("de").unwrap();
        assert!(Action::Disable.question(de, "carol").contains("carol"));
        assert_ne!(
            Action::Disable.question(de, "carol"),
            Action::Disable.question(Locale::EN, "carol")
        );
    }

    #[test]
    fn every_action_has_its_words_in_the_catalogs() {
        for a in [
            Action::MfaReset,
            Action::LockoutClear,
            Action::RevokeSessions,
            Action::Disable,
            Action::DeviceRevoke("d".into()),
        ] {
            assert!(Locale::EN.has(a.consequence()), "{a:?}");
            assert!(
                !a.question(Locale::EN, "bob").starts_with("admin-"),
                "{a:?}"
            );
            assert!(!a.done(Locale::EN, "bob").starts_with("admin-"), "{a:?}");
        }
    }
}
