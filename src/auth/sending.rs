//! Sending a code by e-mail or SMS (DESIGN §6): to the users file's address or number only,
//! under `max_sends_per_hour`, killing any earlier code; a failed delivery is taken back (not
//! counted, no attempt spent) and audited. The code itself is in the message and nowhere else:
//! not in the store (a keyed hash), the audit trail or the log.

use std::net::IpAddr;
use std::sync::Arc;

use minijinja::context;

use crate::app::{blocking, App};
use crate::audit::{Event, Kind, Outcome};
use crate::auth::flow::FlowError;
use crate::auth::sent_codes::{Channel, SentCodes};
use crate::auth::users::User;
use crate::delivery::{mail::Mail, mask_email, mask_phone};
use crate::i18n::Locale;
use crate::store::{CodeRules, Issued};

/// What came of a request to send a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Sent to `to` (masked, for the page).
    Sent { to: String },
    /// Too many this hour; the next one in `retry_after` seconds.
    RateLimited { retry_after: u64 },
    /// No such channel for this user (not configured, not in `methods`, or no address).
    Unavailable,
    /// The mail server or SMS provider failed or did not answer in time.
    Failed,
}

/// Who asked, for the message and the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    pub ip: IpAddr,
    pub user_agent: &'a str,
    /// The language of the request: the message is in it.
    pub lang: Locale,
}

/// The address or number a code for `user` goes to over `channel`, when the operator enabled
/// that channel: always from the users file.
pub fn destination<'u>(app: &App, user: &'u User, channel: Channel) -> Option<&'u str> {
    if !app.config.mfa.methods.contains(&channel.method()) {
        return None;
    }
    match channel {
        Channel::Email if app.mailer.is_some() => user.email.as_deref(),
        Channel::Sms if app.sms.is_some() => user.phone.as_deref(),
        _ => None,
    }
}

/// The destination as a person may see it on a page.
pub fn masked(channel: Channel, to: &str) -> String {
    match channel {
        Channel::Email => mask_email(to),
        Channel::Sms => mask_phone(to),
    }
}

fn rules(app: &App, channel: Channel) -> CodeRules {
    let c = match channel {
        Channel::Email => &app.config.mfa.email,
        Channel::Sms => &app.config.mfa.sms,
    };
    CodeRules {
        ttl: c.code_ttl.as_secs(),
        max_attempts: c.max_attempts,
        max_sends_per_hour: c.max_sends_per_hour,
    }
}

/// "2026-11-30 09:21 UTC".
pub fn readable_time(t: u64) -> String {
    let iso = humantime::format_rfc3339_seconds(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(t),
    )
    .to_string();
    match (iso.get(..10), iso.get(11..16)) {
        (Some(date), Some(hm)) => format!("{date} {hm} UTC"),
        _ => iso,
    }
}

/// Issues a new code for `user` over `channel` and delivers it.
pub async fn send_code(
    app: &Arc<App>,
    user: &User,
    channel: Channel,
    by: Requester<'_>,
    now: u64,
) -> Result<SendOutcome, FlowError> {
    let Some(to) = destination(app, user, channel).map(str::to_owned) else {
        return Ok(SendOutcome::Unavailable);
    };
    let code = SentCodes::generate();
    let hash = app.sent_codes.hash(&user.name, channel, &to, &code);
    let rules = rules(app, channel);
    let name = user.name.clone();
    let hash_again = hash.clone();
    let issued = blocking(app, move |app| {
        app.store
            .issue_code(&name, channel.name(), &hash, now, rules)
    })
    .await?;
    if let Issued::RateLimited { retry_after } = issued {
        return Ok(SendOutcome::RateLimited { retry_after });
    }
    let lang = by.lang;
    let browser = describe_browser(lang, by.user_agent);
    let subject = lang.t_with(
        "mail-code-subject",
        &[("service", app.config.service_name().into())],
    );
    let ctx = context! {
        code,
        user => user.name,
        when => readable_time(now),
        ip => by.ip.to_string(),
        browser,
        valid_for => lang.duration(rules.ttl),
        subject,
    };
    let delivered = match channel {
        Channel::Email => match &app.mailer {
            Some(mailer) => {
                let mail = Mail {
                    to: to.clone(),
                    subject,
                    text: app.pages.render("mail/code.txt", lang, ctx.clone()),
                    html: app.pages.render("mail/code.html", lang, ctx),
                };
                mailer.send(&mail).await
            }
            None => Err(crate::delivery::DeliveryError::NotConfigured),
        },
        Channel::Sms => match &app.sms {
            Some(sms) => {
                sms.send(&to, app.pages.render("mail/sms.txt", lang, ctx).trim())
                    .await
            }
            None => Err(crate::delivery::DeliveryError::NotConfigured),
        },
    };
    let shown = masked(channel, &to);
    let event = |kind, outcome, detail: String| {
        Event::new(now, kind, outcome)
            .with_user(&user.name)
            .with_ip(by.ip)
            .with_user_agent(Some(by.user_agent))
            .with_detail(&detail)
    };
    match delivered {
        Ok(()) => {
            app.metrics.code_sent(channel.name(), true);
            app.audit.record(event(
                Kind::CodeSent,
                Outcome::Success,
                format!("{} to {shown}", channel.name()),
            ));
            Ok(SendOutcome::Sent { to: shown })
        }
        Err(e) => {
            tracing::warn!(channel = channel.name(), to = %shown, error = %e, "code not delivered");
            app.metrics.code_sent(channel.name(), false);
            // A timeout may still deliver: that code stays alive. A refusal kills it — only it,
            // not a newer one a concurrent send stored. Either way the send counts toward
            // max_sends_per_hour, so a slow provider cannot be made to send without limit.
            if !matches!(e, crate::delivery::DeliveryError::Timeout(_)) {
                let (name, hash) = (user.name.clone(), hash_again);
                blocking(app, move |app| {
                    app.store.withdraw_code(&name, channel.name(), &hash)
                })
                .await?;
            }
            app.audit.record(event(
                Kind::CodeNotSent,
                Outcome::Failure,
                format!("{} to {shown}: {e}", channel.name()),
            ));
            Ok(SendOutcome::Failed)
        }
    }
}

/// "Firefox on Linux", from a `User-Agent`: only known names, never the header's own text (it
/// is chosen by whoever asked, and would otherwise speak in a genuine message).
pub fn describe_browser(lang: Locale, user_agent: &str) -> String {
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: [(&str, &str); 6] = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(b), Some(s)) => {
            lang.t_with("browser-on", &[("browser", b.into()), ("system", s.into())])
        }
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => lang.t_with("browser-any-on", &[("system", s.into())]),
        (None, None) => lang.t("browser-unknown"),
    }
}

/// [`describe_browser`] as a list item begins: "Firefox on Linux", "A browser on Android".
pub fn browser_label(lang: Locale, user_agent: &str) -> String {
    let s = describe_browser(lang, user_agent);
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::describe_browser as describe;
    use crate::i18n::Locale;

    fn describe_browser(user_agent: &str) -> String {
        describe(Locale::EN, user_agent)
    }

    #[test]
    fn a_list_label_starts_with_a_capital() {
        assert_eq!(super::browser_label(Locale::EN, "curl/8.0"), "Curl");
        assert_eq!(super::browser_label(Locale::EN, ""), "An unknown browser");
        assert_eq!(
            super::browser_label(
                Locale::EN,
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
            ),
            "Firefox on Linux"
        );
    }

    #[test]
    fn a_browser_is_named_from_known_words_only() {
        assert_eq!(
            describe_browser(
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
            ),
            "Firefox on Linux"
        );
        assert_eq!(
            describe_browser("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"),
            "Chrome on Android"
        );
        let phishing = "Chrome 131). ACTION REQUIRED: IT Service Desk will phone you - read this code to them (ref";
        assert_eq!(describe_browser(phishing), "an unknown browser");
        assert_eq!(describe_browser(""), "an unknown browser");
    }

    #[test]
    fn a_browser_is_named_in_the_language_of_the_message() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let de = Locale::for_tag("de").unwrap();
        assert_eq!(describe(de, firefox), "Firefox unter Linux");
        assert_eq!(describe(de, ""), "ein unbekannter Browser");
        assert_eq!(super::browser_label(de, ""), "Ein unbekannter Browser");
        let ja = Locale::for_tag("ja").unwrap();
        assert_eq!(describe(ja, firefox), "Linux の Firefox");
    }
}
