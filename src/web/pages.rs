//! Server-rendered pages (minijinja; templates compiled into the binary, autoescaped).

use minijinja::{Environment, Value};

use crate::config::Config;

const TEMPLATES: [(&str, &str); 18] = [
    ("admin.html", include_str!("../../templates/admin.html")),
    (
        "admin_confirm.html",
        include_str!("../../templates/admin_confirm.html"),
    ),
    (
        "admin_events.html",
        include_str!("../../templates/admin_events.html"),
    ),
    (
        "admin_nav.html",
        include_str!("../../templates/admin_nav.html"),
    ),
    (
        "admin_user.html",
        include_str!("../../templates/admin_user.html"),
    ),
    ("account.html", include_str!("../../templates/account.html")),
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("message.html", include_str!("../../templates/message.html")),
    ("mfa.html", include_str!("../../templates/mfa.html")),
    ("signout.html", include_str!("../../templates/signout.html")),
    // Messages: one template per kind, text and HTML parts of the same words.
    (
        "mail/code.txt",
        include_str!("../../templates/mail/code.txt"),
    ),
    (
        "mail/code.html",
        include_str!("../../templates/mail/code.html"),
    ),
    ("mail/sms.txt", include_str!("../../templates/mail/sms.txt")),
    (
        "mail/notice.txt",
        include_str!("../../templates/mail/notice.txt"),
    ),
    (
        "mail/notice.html",
        include_str!("../../templates/mail/notice.html"),
    ),
    ("enroll.html", include_str!("../../templates/enroll.html")),
    (
        "backup_codes.html",
        include_str!("../../templates/backup_codes.html"),
    ),
];

const DEFAULT_ACCENT: &str = "#1f6feb";

pub struct Pages {
    env: Environment<'static>,
    title: String,
    /// See [`Config::service_name`].
    service: String,
    prefix: String,
    accent: String,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pages")
    }
}

impl Pages {
    pub fn new(config: &Config) -> Result<Pages, minijinja::Error> {
        let mut env = Environment::new();
        // .html templates are autoescaped by minijinja's default callback.
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(Pages {
            env,
            title: config.ui.title.clone(),
            service: config.service_name(),
            // Validated as #rgb / #rrggbb by the config, so it is safe inside the style element.
            accent: config
                .ui
                .accent_color
                .clone()
                .unwrap_or_else(|| DEFAULT_ACCENT.to_owned()),
            prefix: config.server.prefix.clone(),
        })
    }

    /// Renders `name` with the common values (title, service, prefix, accent) plus `ctx`.
    pub fn render(&self, name: &str, ctx: Value) -> String {
        let common = minijinja::context! {
            title => self.title,
            service => self.service,
            prefix => self.prefix,
            accent => self.accent,
        };
        let merged = minijinja::context! { ..ctx, ..common };
        self.env
            .get_template(name)
            .and_then(|t| t.render(merged))
            .unwrap_or_else(|e| {
                tracing::error!(template = name, error = %e, "template failed");
                "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned()
            })
    }
}

/// A duration as a person says it: "30 days", "12 hours", "1 minute" (whole units, largest that
/// divides it; seconds are rounded up to minutes).
pub fn spoken_duration(secs: u64) -> String {
    let (n, unit) = match secs {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "hour"),
        s => (s.div_ceil(60).max(1), "minute"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::spoken_duration;

    #[test]
    fn durations_read_in_the_largest_whole_unit() {
        assert_eq!(spoken_duration(30 * 86_400), "30 days");
        assert_eq!(spoken_duration(86_400), "1 day");
        assert_eq!(spoken_duration(36 * 3_600), "36 hours");
        assert_eq!(spoken_duration(90 * 60), "90 minutes");
        assert_eq!(spoken_duration(61), "2 minutes");
        assert_eq!(spoken_duration(1), "1 minute");
    }
}
