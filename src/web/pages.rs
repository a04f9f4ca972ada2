//! Server-rendered pages (minijinja; templates compiled into the binary, autoescaped).

use minijinja::{Environment, Value};

use crate::config::Config;

const DEFAULT_ACCENT: &str = "#1f6feb";

pub struct Pages {
    env: Environment<'static>,
    title: String,
    /// See [`Config::service_name`].
    service: String,
    prefix: String,
    accent: String,
    /// The URL of `[ui] logo_file`, versioned by its content.
    logo: Option<String>,
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
        for (name, source) in crate::templates::BUILT_IN {
            env.add_template(name, source)?;
        }
        // `[ui] templates_dir`: checked to compile when the config was loaded.
        for (name, source) in &config.ui.templates {
            env.add_template_owned(name.clone(), source.clone())?;
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
            logo: config.ui.logo.as_ref().map(|l| {
                format!(
                    "{}/logo/{}.{}",
                    config.server.prefix,
                    l.version,
                    l.extension()
                )
            }),
        })
    }

    /// Renders `name` with the common values (title, service, prefix, accent) plus `ctx`.
    pub fn render(&self, name: &str, ctx: Value) -> String {
        let common = minijinja::context! {
            title => self.title,
            service => self.service,
            prefix => self.prefix,
            accent => self.accent,
            logo => self.logo,
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

/// GET P/logo/VERSION.EXT: `[ui] logo_file`. The current version is cached for a year (its URL
/// changes with its content); any other is the current logo, not cached. An SVG opened on its
/// own runs no script (a CSP sandbox).
pub async fn logo(
    axum::extract::State(app): axum::extract::State<std::sync::Arc<crate::app::App>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(logo) = app.config.ui.logo.as_ref() else {
        return crate::web::error(http::StatusCode::NOT_FOUND, "not_found");
    };
    let current = file == format!("{}.{}", logo.version, logo.extension());
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (http::header::CONTENT_TYPE, logo.content_type),
            (http::header::CACHE_CONTROL, cache),
            (http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                http::header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            ),
            (
                http::header::HeaderName::from_static("cross-origin-resource-policy"),
                "same-origin",
            ),
        ],
        logo.bytes.clone(),
    )
        .into_response()
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
