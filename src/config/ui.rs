//! Stage two for `[ui]`: title, colour, languages, and the operator's logo and templates, read
//! and checked at load.

use super::ctx::Ctx;
use super::error::ConfigError;
use super::raw::RawUi;
use super::types::{Logo, Ui};

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
    let locales = r.locales.unwrap_or_default();
    if let Some(bad) = locales.iter().find(|l| !is_language_tag(l)) {
        return Err(ctx.invalid(
            &["ui", "locales"],
            format!("\"{bad}\" is not a language tag (e.g. \"de\", \"pt-BR\")"),
        ));
    }
    let default_locale = r.default_locale.unwrap_or_else(|| "en".to_owned());
    if !is_language_tag(&default_locale) {
        return Err(ctx.invalid(
            &["ui", "default_locale"],
            format!("\"{default_locale}\" is not a language tag (e.g. \"en\")"),
        ));
    }
    if !locales.is_empty() && !locales.contains(&default_locale) {
        return Err(ctx.invalid(
            &["ui", "default_locale"],
            format!("\"{default_locale}\" is not among locales"),
        ));
    }
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
