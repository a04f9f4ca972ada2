//! Server-rendered pages (minijinja; templates compiled into the binary, autoescaped), each in
//! the language of the request it answers.
//!
//! The language is a parameter of [`Pages::render`], not a value carried along with the request:
//! every call site says which one it renders in (a page: [`Pages::locale`] of its request; a
//! message sent without one: `[ui] default_locale`), and the compiler finds any that does not.

use minijinja::{Environment, Value};

use crate::config::Config;
use crate::i18n::Locale;

const DEFAULT_ACCENT: &str = "#1f6feb";
/// `[ui] title`'s default, in English: the catalogs have it in every language (`login-title`).
const DEFAULT_TITLE: &str = "Sign in";

pub struct Pages {
    env: Environment<'static>,
    /// `[ui] title` when the operator set one other than the default (in every language), else
    /// none: the catalog's, in the page's language.
    title: Option<String>,
    /// `[ui] locales` and `default_locale`.
    offered: Vec<Locale>,
    default_locale: Locale,
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
        crate::i18n::template::install(&mut env);
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
            // "Sign in", the default that DESIGN's example spells out, is said in each language.
            title: Some(config.ui.title.clone())
                .filter(|t| config.ui.title_set && t != DEFAULT_TITLE),
            offered: config.ui.locales.clone(),
            default_locale: config.ui.default_locale,
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

    /// The language of a page for a request with these headers: the best of `[ui] locales`
    /// for its `Accept-Language`, else `[ui] default_locale`. A response in it says
    /// `Vary: Accept-Language` ([`crate::web::html`]).
    pub fn locale(&self, headers: &http::HeaderMap) -> Locale {
        let accept = headers
            .get(http::header::ACCEPT_LANGUAGE)
            .map(|v| v.as_bytes());
        crate::i18n::choose(accept, &self.offered, self.default_locale)
    }

    /// `[ui] default_locale`: for what no request asked for (a notice of an operator's action).
    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }

    /// Renders `name` in `lang` with the common values (title, service, prefix, accent, logo,
    /// `lang` and `dir` for `<html>`, which `t()` also reads) plus `ctx`.
    pub fn render(&self, name: &str, lang: Locale, ctx: Value) -> String {
        let title = self.title.clone().unwrap_or_else(|| lang.t("login-title"));
        let common = minijinja::context! {
            title,
            lang => lang.tag(),
            dir => lang.dir(),
            service => self.service,
            prefix => self.prefix,
            accent => self.accent,
            logo => self.logo,
        };
        let merged = minijinja::context! { ..ctx, ..common };
        self.env
            .get_template(name)
            .and_then(|t| t.render(merged))
            .map(|html| {
                if name.ends_with(".html") {
                    lang.tighten(html)
                } else {
                    html
                }
            })
            .unwrap_or_else(|e| {
                tracing::error!(template = name, error = %e, "template failed");
                let text = lang.t("error-page-failed");
                format!("<!doctype html><title>{text}</title><p>{text}</p>")
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
