//! E-mail notices of changes to a user's sign-in (DESIGN §9, `[mfa.self_service] notify`): an
//! authenticator enrolled or replaced, two-step verification turned off, backup codes
//! regenerated, a device trusted, an operator's reset, a lockout. Sent off the request path;
//! a failure is logged and audited and never fails what the user did. Never a code or secret.

use std::net::IpAddr;
use std::sync::Arc;

use http::HeaderMap;
use minijinja::context;

use crate::app::App;
use crate::audit::{Event, Kind, Outcome};
use crate::auth::users::User;
use crate::delivery::mail::Mail;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    AuthenticatorEnrolled,
    AuthenticatorReplaced,
    EmailCodesEnrolled,
    SmsCodesEnrolled,
    MfaTurnedOff,
    BackupCodesRegenerated,
    DeviceTrusted,
    MfaReset,
    LockedOut,
    PasskeyAdded,
    PasskeyRemoved,
}

impl Notice {
    /// The subject line and headline.
    fn headline(self) -> &'static str {
        match self {
            Notice::AuthenticatorEnrolled => "An authenticator app was set up for your account",
            Notice::AuthenticatorReplaced => "Your authenticator app was replaced",
            Notice::EmailCodesEnrolled => "Codes by e-mail were set up as your second step",
            Notice::SmsCodesEnrolled => "Codes by text message were set up as your second step",
            Notice::MfaTurnedOff => "Two-step verification was turned off",
            Notice::BackupCodesRegenerated => {
                "New backup codes were made; the old ones no longer work"
            }
            Notice::DeviceTrusted => "A device was set to skip the second step",
            Notice::MfaReset => "An administrator reset your two-step verification",
            Notice::LockedOut => "Your account was locked after failed sign-ins",
            Notice::PasskeyAdded => "A passkey or security key was added to your account",
            Notice::PasskeyRemoved => "A passkey or security key was removed from your account",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Notice::LockedOut => "If this was not you, someone may be trying to guess your password: change it, and tell your administrator.",
            Notice::MfaReset => "You will set up a second factor again at your next sign-in. If you did not ask for this, tell your administrator.",
            _ => "If this was you, there is nothing to do. If it was not, change your password at once and tell your administrator.",
        }
    }

    /// The name in audit events.
    pub fn name(self) -> &'static str {
        match self {
            Notice::AuthenticatorEnrolled => "authenticator_enrolled",
            Notice::AuthenticatorReplaced => "authenticator_replaced",
            Notice::EmailCodesEnrolled => "email_codes_enrolled",
            Notice::SmsCodesEnrolled => "sms_codes_enrolled",
            Notice::MfaTurnedOff => "mfa_turned_off",
            Notice::BackupCodesRegenerated => "backup_codes_regenerated",
            Notice::DeviceTrusted => "device_trusted",
            Notice::MfaReset => "mfa_reset",
            Notice::LockedOut => "locked_out",
            Notice::PasskeyAdded => "passkey_added",
            Notice::PasskeyRemoved => "passkey_removed",
        }
    }
}

/// Sends `notice` to `user` in the background when notices are on, mail is configured and the
/// user has an address. `ip` and the `User-Agent` in `headers` say where it came from (None for
/// an operator's action).
pub fn notify(app: &Arc<App>, user: &User, notice: Notice, ip: IpAddr, headers: &HeaderMap) {
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    send(app, user, notice, Some((ip, ua)));
}

/// As [`notify`], for the user named `name` (nothing when there is no such user).
pub fn notify_user(app: &Arc<App>, name: &str, notice: Notice, ip: IpAddr, headers: &HeaderMap) {
    if let Some(user) = app.users().get(name).cloned() {
        notify(app, &user, notice, ip, headers);
    }
}

/// As [`notify`], for something no browser did (an operator's reset, a lockout).
pub fn notify_without_browser(app: &Arc<App>, name: &str, notice: Notice) {
    if let Some(user) = app.users().get(name).cloned() {
        send(app, &user, notice, None);
    }
}

fn send(app: &Arc<App>, user: &User, notice: Notice, from: Option<(IpAddr, &str)>) {
    if !app.config.mfa.self_service.notify || app.mailer.is_none() {
        return;
    }
    let Some(to) = user.email.clone() else {
        return;
    };
    let now = crate::app::now();
    let (ip, browser) = match from {
        Some((ip, ua)) => (ip.to_string(), crate::auth::sending::describe_browser(ua)),
        None => (String::new(), String::new()),
    };
    let ctx = context! {
        headline => notice.headline(),
        advice => notice.advice(),
        user => user.name,
        when => crate::auth::sending::readable_time(now),
        ip,
        browser,
    };
    let mail = Mail {
        to: to.clone(),
        subject: format!("{}: {}", app.config.service_name(), notice.headline()),
        text: app.pages.render("mail/notice.txt", ctx.clone()),
        html: app.pages.render("mail/notice.html", ctx),
    };
    let (app, name) = (app.clone(), user.name.clone());
    tokio::spawn(async move {
        let Some(mailer) = &app.mailer else { return };
        let shown = crate::delivery::mask_email(&to);
        let (kind, outcome, detail) = match mailer.send(&mail).await {
            Ok(()) => (
                Kind::NoticeSent,
                Outcome::Success,
                format!("{} to {shown}", notice.name()),
            ),
            Err(e) => {
                tracing::warn!(notice = notice.name(), to = %shown, error = %e, "notice not delivered");
                (
                    Kind::NoticeNotSent,
                    Outcome::Failure,
                    format!("{} to {shown}: {e}", notice.name()),
                )
            }
        };
        app.audit.record(
            Event::new(now, kind, outcome)
                .with_user(&name)
                .with_detail(&detail),
        );
    });
}
