//! Languages of the gateway's pages and e-mails: the message catalogs compiled into the binary
//! (`locales/<lang>/main.ftl`, Project Fluent), which one a request gets ([`negotiate`]:
//! `Accept-Language` against `[ui] locales`), and what templates call to read them ([`template`]:
//! `{{ t("login-title") }}`, `{{ t("admin-backup-codes", count=n) }}`).
//!
//! A [`Locale`] is one of the shipped catalogs, never a free-form tag: whatever reaches a page
//! was chosen from [`Locale::ALL`]. Rust code holds message keys, not English sentences, and
//! turns them into text with [`Locale::t`] / [`Locale::t_with`] where it builds a page or a
//! message. JSON error codes and logs are not translated.

mod catalog;
pub mod negotiate;
pub mod template;

use fluent_bundle::FluentValue;

pub use negotiate::choose;

/// One shipped catalog: (tag, FTL source). English first: it is the fallback of a key that a
/// catalog lacks (the catalog test keeps that from happening in the built-in ones).
const SHIPPED: [(&str, &str); 10] = [
    ("en", include_str!("../../locales/en/main.ftl")),
    ("de", include_str!("../../locales/de/main.ftl")),
    ("fr", include_str!("../../locales/fr/main.ftl")),
    ("es", include_str!("../../locales/es/main.ftl")),
    ("pt", include_str!("../../locales/pt/main.ftl")),
    ("it", include_str!("../../locales/it/main.ftl")),
    ("nl", include_str!("../../locales/nl/main.ftl")),
    ("pl", include_str!("../../locales/pl/main.ftl")),
    ("ja", include_str!("../../locales/ja/main.ftl")),
    ("zh", include_str!("../../locales/zh/main.ftl")),
];

/// Languages written right to left (ISO 639 codes): their pages get `dir="rtl"`.
const RIGHT_TO_LEFT: [&str; 10] = ["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// A shipped language. Cheap to copy; the catalogs themselves are parsed once, on first use.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locale(u8);

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl Locale {
    /// English: the default of `[ui] default_locale`.
    pub const EN: Locale = Locale(0);

    /// Every shipped language, in catalog order (the default of `[ui] locales`).
    pub fn all() -> impl Iterator<Item = Locale> {
        (0..SHIPPED.len() as u8).map(Locale)
    }

    /// Every shipped tag, for messages: "en, de, fr, …".
    pub fn shipped_list() -> String {
        SHIPPED.map(|(tag, _)| tag).join(", ")
    }

    /// The shipped catalog for a language tag, by its primary language subtag, ignoring case:
    /// `de`, `de-CH` and `DE` are German, `zh-Hant-TW` is the one Chinese catalog (simplified),
    /// `pt-BR` the one Portuguese. `None` for a language not shipped.
    pub fn for_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        SHIPPED
            .iter()
            .position(|(t, _)| t.eq_ignore_ascii_case(primary))
            .map(|i| Locale(i as u8))
    }

    /// The BCP 47 tag of the catalog: `<html lang>`'s value.
    pub fn tag(self) -> &'static str {
        SHIPPED
            .get(self.0 as usize)
            .map_or(SHIPPED[0].0, |(tag, _)| tag)
    }

    /// `"rtl"` for a language written right to left, else `"ltr"`: `<html dir>`'s value.
    pub fn dir(self) -> &'static str {
        direction(self.tag())
    }

    /// A rendered HTML page as this language writes it: Japanese and Chinese put no space
    /// between sentences or before an opening bracket, where templates join two messages
    /// with a space or a line break (「…ください。 これらの…」 → 「…ください。これらの…」).
    /// Other languages are returned as they are.
    pub fn tighten(self, html: String) -> String {
        // A constant pattern: it compiles (the unit test runs it).
        static GAP: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"([。、！？：）」])[ \t\r\n]+|[ \t\r\n]+([（「])").ok()
        });
        let Some(gap) = GAP.as_ref().filter(|_| matches!(self.tag(), "ja" | "zh")) else {
            return html;
        };
        match gap.replace_all(&html, "$1$2") {
            std::borrow::Cow::Borrowed(_) => html,
            std::borrow::Cow::Owned(tight) => tight,
        }
    }

    /// The message `key` in this language, without variables.
    pub fn t(self, key: &str) -> String {
        self.t_with(key, &[])
    }

    /// The message `key` with its variables: numbers select plural forms by the language's
    /// CLDR rules. A key no catalog has gives the key itself (and an error in the log).
    pub fn t_with(self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        match catalog::format(self, key, args) {
            Some(text) => text,
            None => {
                tracing::error!(key, locale = self.tag(), "no such message");
                key.to_owned()
            }
        }
    }

    /// Whether the catalogs (this language's, or English as the fallback) have `key`.
    pub fn has(self, key: &str) -> bool {
        catalog::has(self, key)
    }

    /// A duration as a person says it: "30 days", "12 hours", "1 minute" in English, "5 minut"
    /// in Polish (whole units, the largest that divides it; seconds are rounded up to minutes).
    pub fn duration(self, secs: u64) -> String {
        let (key, n) = match secs {
            s if s >= 86_400 && s % 86_400 == 0 => ("duration-days", s / 86_400),
            s if s >= 3_600 && s % 3_600 == 0 => ("duration-hours", s / 3_600),
            s => ("duration-minutes", s.div_ceil(60).max(1)),
        };
        self.t_with(key, &[("count", n.into())])
    }
}

/// `"rtl"` for a tag whose primary language is written right to left, else `"ltr"`.
fn direction(tag: &str) -> &'static str {
    let primary = tag.split('-').next().unwrap_or("");
    if RIGHT_TO_LEFT
        .iter()
        .any(|l| l.eq_ignore_ascii_case(primary))
    {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests;
