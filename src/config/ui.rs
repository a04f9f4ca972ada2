//! Stage two for `[ui]`: title, colour, languages, and the operator's logo and templates, read
//! and checked at load.

use super::ctx::Ctx;
use super::error::ConfigError;
use super::raw::RawUi;
use super::types::{Logo, Ui};
use crate::i18n::Locale;

pub(crate) fn ui(ctx: &Ctx<'_>, r: RawUi) -> Result<Ui, ConfigError> {
    if let Some(c) = &r.accent_color {
        let hex = c.strip_prefix('#').unwrap_or("");
        if !matches!(hex.len(), 3 | 6) || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
            return Err(ctx.invalid(
                &["ui", "accent_color"],
                format!("\"{c}\" is not a colour like \"#1f6feb\" or \"#fff\""),
            ));
        }
    }
    let (locales, default_locale) = languages(ctx, r.locales, r.default_locale)?;
    let logo = match ctx.opt_path(r.logo_file.as_deref()) {
        Some(path) => Some(logo(ctx, path)?),
        None => None,
    };
    let templates_dir = ctx.opt_path(r.templates_dir.as_deref());
    let templates = match &templates_dir {
        Some(dir) => templates(ctx, dir)?,
        None => Vec::new(),
    };
    Ok(Ui {
        title_set: r.title.is_some(),
        title: r.title.unwrap_or_else(|| "Sign in".to_owned()),
        logo,
        accent_color: r.accent_color,
        templates_dir,
        templates,
        locales,
        default_locale,
    })
}

/// `[ui] locales` and `default_locale`: shipped languages, the default among those offered.
/// A region names its language's catalog (`pt-BR` is Portuguese; we ship one of each), as a
/// config written before languages were built may say.
fn languages(
    ctx: &Ctx<'_>,
    locales: Option<Vec<String>>,
    default_locale: Option<String>,
) -> Result<(Vec<Locale>, Locale), ConfigError> {
    let shipped = |key: &str, tag: &str| {
        if !is_language_tag(tag) {
            let e = format!("\"{tag}\" is not a language tag (e.g. \"de\", \"pt-BR\")");
            return Err(ctx.invalid(&["ui", key], e));
        }
        Locale::for_tag(tag).ok_or_else(|| {
            ctx.invalid(
                &["ui", key],
                format!(
                    "\"{tag}\" is not a shipped language (shipped: {})",
                    Locale::shipped_list()
                ),
            )
        })
    };
    let offered = match locales {
        None => Locale::all().collect(),
        Some(tags) if tags.is_empty() => {
            return Err(ctx.invalid(
                &["ui", "locales"],
                "an empty list offers no language (leave it out to offer every shipped one)",
            ))
        }
        Some(tags) => {
            let mut offered: Vec<Locale> = Vec::new();
            for tag in &tags {
                let l = shipped("locales", tag)?;
                if !offered.contains(&l) {
                    offered.push(l);
                }
            }
            offered
        }
    };
    // Unset: English when offered, else the first language offered.
    let default = match default_locale {
        None if offered.contains(&Locale::EN) => Locale::EN,
        None => offered.first().copied().unwrap_or(Locale::EN),
        Some(tag) => shipped("default_locale", &tag)?,
    };
    if !offered.contains(&default) {
        return Err(ctx.invalid(
            &["ui", "default_locale"],
            format!("\"{default}\" is not among locales"),
        ));
    }
    Ok((offered, default))
}

/// A BCP 47 language tag as far as choosing a catalog needs: a 2–3 letter language, then
/// subtags of 1–8 letters or digits (`en`, `pt-BR`, `zh-Hant`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()));
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Reads and checks `[ui] logo_file`: a PNG (by its signature) or an SVG (`.svg` holding an
/// `<svg` element) of at most 512 KiB.
fn logo(ctx: &Ctx<'_>, path: std::path::PathBuf) -> Result<Logo, ConfigError> {
    use sha2::Digest as _;
    let at = ["ui", "logo_file"];
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(&path).map_err(|e| ctx.invalid(&at, format!("cannot read {shown}: {e}")))?;
    if bytes.len() > Logo::MAX_BYTES {
        return Err(ctx.invalid(
            &at,
            format!("{shown} is {} KiB; at most 512 KiB", bytes.len() / 1024),
        ));
    }
    let svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let content_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if svg && memchr::memmem::find(&bytes, b"<svg").is_some() {
        "image/svg+xml"
    } else {
        return Err(ctx.invalid(&at, format!("{shown} is neither a PNG nor an SVG image")));
    };
    let digest = sha2::Sha256::digest(&bytes);
    let version = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Logo {
        path,
        content_type,
        bytes: bytes.into(),
        version,
    })
}

/// Reads `[ui] templates_dir`: every file whose name (relative, `mail/code.txt`) is a built-in
/// template's replaces it. Each must compile, with the built-ins it extends or includes: a
/// syntax error names the file and line. Other files are named in a warning.
fn templates(ctx: &Ctx<'_>, dir: &std::path::Path) -> Result<Vec<(String, String)>, ConfigError> {
    let at = ["ui", "templates_dir"];
    let shown = dir.display();
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| ctx.invalid(&at, format!("cannot read {}: {e}", folder.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| ctx.invalid(&at, format!("{shown}: {e}")))?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let path = entry.path();
            if path.is_dir() {
                // One level is all the built-ins have (mail/).
                if prefix.is_empty() {
                    stack.push((path, format!("{name}/")));
                }
                continue;
            }
            if !crate::templates::is_built_in(&name) {
                unknown.push(name);
                continue;
            }
            let source = std::fs::read_to_string(&path)
                .map_err(|e| ctx.invalid(&at, format!("cannot read {}: {e}", path.display())))?;
            found.push((name, source));
        }
    }
    found.sort();
    unknown.sort();
    if !unknown.is_empty() {
        ctx.warn(
            &at,
            format!(
                "{shown}: {} not a template name and left unused (names: login.html, mfa.html, base.html, mail/code.txt, …)",
                unknown.join(", ")
            ),
        );
    }
    // Compile everything together, as the pages will: a broken override is found now.
    let mut env = minijinja::Environment::new();
    // The render below has no values: `user.name` of a missing `user` is empty, not an error.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    // Overrides may call `t` as the built-ins do (in English here: the render has no `lang`).
    crate::i18n::template::install(&mut env);
    for (name, source) in crate::templates::BUILT_IN {
        let _ = env.add_template(name, source);
    }
    for (name, source) in &found {
        if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
            let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
            let what = e.detail().unwrap_or("cannot be compiled");
            return Err(ctx.invalid(&at, format!("{shown}/{name}{line}: {} ({what})", e.kind())));
        }
    }
    // Rendered once with no values: what only shows when rendering (a missing template it
    // extends, a bad call) is found now too. Missing values are empty, not errors.
    for (name, _) in &found {
        if let Err(e) = env.get_template(name).and_then(|t| t.render(())) {
            let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
            let file = e.name().unwrap_or(name);
            return Err(ctx.invalid(&at, format!("{shown}/{file}{line}: {e}")));
        }
    }
    Ok(found)
}
