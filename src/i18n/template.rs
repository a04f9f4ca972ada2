//! `t(key, name=value, …)` for the templates, built-in and `[ui] templates_dir` alike:
//! `{{ t("login-title") }}`, `{{ t("mfa-remember", duration=remember_for) }}`.
//!
//! The language is the render's `lang` value (set by [`crate::web::pages::Pages::render`]);
//! without one (the load-time check of an override), English. In an HTML template the
//! variables are escaped unless the template marked them safe (`{% set who %}<strong>{{ user
//! }}</strong>{% endset %}`, then `user=who`); the catalogs' own text is written as it is
//! (the catalog test keeps markup characters out of it), so the result is marked safe.

use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, HtmlEscape, State};

use super::{catalog, Locale};

/// Adds `t` to a template environment.
pub fn install(env: &mut Environment<'_>) {
    env.add_function("t", t);
}

fn t(state: &State, key: &str, kwargs: Kwargs) -> Result<Value, Error> {
    let locale = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Locale::for_tag))
        .unwrap_or(Locale::EN);
    let html = matches!(state.auto_escape(), AutoEscape::Html);
    let names: Vec<String> = kwargs.args().map(str::to_owned).collect();
    let mut args: Vec<(&str, FluentValue<'_>)> = Vec::with_capacity(names.len());
    for name in &names {
        let v: Value = kwargs.get(name)?;
        let value = match v.kind() {
            ValueKind::Number => match v.as_i64() {
                Some(n) => FluentValue::from(n),
                None => FluentValue::from(f64::try_from(v.clone()).unwrap_or_default()),
            },
            ValueKind::Undefined | ValueKind::None => FluentValue::from(""),
            _ if html && !v.is_safe() => FluentValue::from(HtmlEscape(&v.to_string()).to_string()),
            _ => FluentValue::from(v.to_string()),
        };
        args.push((name.as_str(), value));
    }
    kwargs.assert_all_used()?;
    let text = catalog::format(locale, key, &args).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("t(): no message \"{key}\" in the catalogs"),
        )
    })?;
    Ok(if html {
        Value::from_safe_string(text)
    } else {
        Value::from(text)
    })
}
