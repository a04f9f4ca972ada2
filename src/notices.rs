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
use crate::i18n::Locale;

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
    pub const ALL: [Notice; 9] = [
        Notice::AuthenticatorEnrolled,
        Notice::AuthenticatorReplaced,
        Notice::EmailCodesEnrolled,
        Notice::SmsCodesEnrolled,
        Notice::MfaTurnedOff,
        Notice::BackupCodesRegenerated,
        Notice::DeviceTrusted,
        Notice::MfaReset,
        Notice::LockedOut,
    ];

    /// The message key of the subject line and headline.
    fn headline(self) -> &'static str {
        match self {
            Notice::AuthenticatorEnrolled => "notice-authenticator-enrolled",
            Notice::AuthenticatorReplaced => "notice-authenticator-replaced",
            Notice::EmailCodesEnrolled => "notice-email-codes-enrolled",
            Notice::SmsCodesEnrolled => "notice-sms-codes-enrolled",
            Notice::MfaTurnedOff => "notice-mfa-turned-off",
            Notice::BackupCodesRegenerated => "notice-backup-codes-regenerated",
            Notice::DeviceTrusted => "notice-device-trusted",
            Notice::MfaReset => "notice-mfa-reset",
            Notice::LockedOut => "notice-locked-out",
            Notice::PasskeyAdded => "notice-passkey-added",
            Notice::PasskeyRemoved => "notice-passkey-removed",
        }
    }

    /// The message key of what to do about it.
    fn advice(self) -> &'static str {
        match self {
            Notice::LockedOut => "notice-advice-locked-out",
            Notice::MfaReset => "notice-advice-mfa-reset",
            _ => "notice-advice",
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
/// user has an address. `ip` and the `User-Agent` in `headers` say where it came from, and it
/// is in the language of that request (the user's own browser did it).
pub fn notify(app: &Arc<App>, user: &User, notice: Notice, ip: IpAddr, headers: &HeaderMap) {
    let ua = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let lang = app.pages.locale(headers);
    send(app, user, notice, lang, Some((ip, ua)));
}

/// As [`notify`], for the user named `name` (nothing when there is no such user).
pub fn notify_user(app: &Arc<App>, name: &str, notice: Notice, ip: IpAddr, headers: &HeaderMap) {
    if let Some(user) = app.users().get(name).cloned() {
        notify(app, &user, notice, ip, headers);
    }
}

/// As [`notify`], for something no browser of the user's did (an operator's reset, a lockout):
/// in `[ui] default_locale`.
pub fn notify_without_browser(app: &Arc<App>, name: &str, notice: Notice) {
    if let Some(user) = app.users().get(name).cloned() {
        send(app, &user, notice, app.pages.default_locale(), None);
    }
}

fn send(app: &Arc<App>, user: &User, notice: Notice, lang: Locale, from: Option<(IpAddr, &str)>) {
    if !app.config.mfa.self_service.notify || app.mailer.is_none() {
        return;
    }
    let Some(to) = user.email.clone() else {
        return;
    };
    let now = crate::app::now();
    let (ip, browser) = match from {
        Some((ip, ua)) => (
            ip.to_string(),
            crate::auth::sending::describe_browser(lang, ua),
        ),
        None => (String::new(), String::new()),
    };
    let headline = lang.t(notice.headline());
    let ctx = context! {
        headline,
        advice => lang.t(notice.advice()),
        user => user.name,
        when => crate::auth::sending::readable_time(now),
        ip,
        browser,
    };
    let mail = Mail {
        to: to.clone(),
        subject: format!("{}: {headline}", app.config.service_name()),
        text: app.pages.render("mail/notice.txt", lang, ctx.clone()),
        html: app.pages.render("mail/notice.html", lang, ctx),
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

#[cfg(test)]
mod tests {
    use super::Notice;
    use crate::i18n::Locale;

    #[test]
    fn every_notice_has_its_words_in_the_catalogs() {
        for n in Notice::ALL {
            assert!(Locale::EN.has(n.headline()), "{}", n.headline());
            assert!(Locale::EN.has(n.advice()), "{}", n.advice());
        }
    }
}
