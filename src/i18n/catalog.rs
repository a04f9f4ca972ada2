//! The shipped catalogs as Fluent bundles, parsed once on first use, and formatting a message.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::{Locale, SHIPPED};

type Bundle = FluentBundle<FluentResource>;

/// One bundle per shipped catalog, in [`SHIPPED`] order. A built-in catalog with a syntax error
/// keeps the messages that parsed (the catalog test fails on any error).
static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    SHIPPED
        .iter()
        .map(|(tag, source)| {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(
                |(partial, errors)| {
                    tracing::error!(locale = tag, ?errors, "catalog has syntax errors");
                    partial
                },
            );
            let id = tag.parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around variables: they would travel with a code copied
            // out of an e-mail. Pages set `dir` on <html> instead.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(locale = tag, ?errors, "catalog has duplicate messages");
            }
            bundle
        })
        .collect()
});

fn bundle(locale: Locale) -> Option<&'static Bundle> {
    BUNDLES.get(locale.0 as usize)
}

/// The bundle that has `key`: `locale`'s, else English's.
fn holding(locale: Locale, key: &str) -> Option<&'static Bundle> {
    [locale, Locale::EN]
        .into_iter()
        .filter_map(bundle)
        .find(|b| b.has_message(key))
}

pub(super) fn has(locale: Locale, key: &str) -> bool {
    holding(locale, key).is_some()
}

/// Formats `key` in `locale` (English when the catalog lacks it); `None` when no catalog has it.
pub(super) fn format(
    locale: Locale,
    key: &str,
    args: &[(&str, FluentValue<'_>)],
) -> Option<String> {
    let bundle = holding(locale, key)?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        // A variable the message needs was not given: the text shows `{$name}`; say which.
        tracing::warn!(
            key,
            locale = locale.tag(),
            ?errors,
            "message formatted with errors"
        );
    }
    Some(text.into_owned())
}
