use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::negotiate::choose;
use super::{direction, Locale, SHIPPED};

fn locale(tag: &str) -> Locale {
    Locale::for_tag(tag).unwrap_or_else(|| panic!("{tag} is shipped"))
}

// ---- The catalogs ----------------------------------------------------------------------------

/// Each message of a catalog with the variables it uses (`$count`, `$user`), from its syntax tree.
fn messages(tag: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{tag}: syntax errors: {errors:?}"),
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                let value = m
                    .value
                    .unwrap_or_else(|| panic!("{tag}: {} has no value", m.id.name));
                variables(&value, &mut vars);
                let id = m.id.name.to_owned();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "{tag}: {id} is defined twice"
                );
            }
            ast::Entry::Term(t) => panic!("{tag}: terms (-{}) are not used", t.id.name),
            ast::Entry::Junk { content } => panic!("{tag}: cannot parse {content:?}"),
            _ => {}
        }
    }
    out
}

fn variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, vars);
        }
    }
}

fn expression_variables(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, vars);
            for v in variants {
                variables(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_variables(i, vars),
    }
}

fn inline_variables(e: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, vars),
        ast::InlineExpression::MessageReference { id, .. } => {
            panic!("message references ({}) are not used", id.name)
        }
        _ => {}
    }
}

/// Every piece of literal text in a catalog, with its message id.
fn texts(source: &str) -> Vec<(String, String)> {
    fn walk(id: &str, p: &ast::Pattern<&str>, out: &mut Vec<(String, String)>) {
        for element in &p.elements {
            match element {
                ast::PatternElement::TextElement { value } => {
                    out.push((id.to_owned(), (*value).to_owned()))
                }
                ast::PatternElement::Placeable {
                    expression: ast::Expression::Select { variants, .. },
                } => variants.iter().for_each(|v| walk(id, &v.value, out)),
                ast::PatternElement::Placeable { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(resource) = fluent_syntax::parser::parse(source) {
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                if let Some(value) = &m.value {
                    walk(m.id.name, value, &mut out);
                }
            }
        }
    }
    out
}

#[test]
fn every_catalog_has_exactly_the_keys_and_variables_of_english() {
    let english = messages("en", SHIPPED[0].1);
    assert!(english.len() > 100, "the English catalog is the full one");
    for (tag, source) in &SHIPPED[1..] {
        let theirs = messages(tag, source);
        let missing: Vec<_> = english
            .keys()
            .filter(|k| !theirs.contains_key(*k))
            .collect();
        let extra: Vec<_> = theirs
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{tag}: missing {missing:?}, not in English {extra:?}"
        );
        for (key, vars) in &english {
            assert_eq!(&theirs[key], vars, "{tag}: the variables of {key}");
        }
    }
}

#[test]
fn every_catalog_is_translated_rather_than_copied() {
    let english: BTreeMap<_, _> = texts(SHIPPED[0].1).into_iter().collect();
    for (tag, source) in &SHIPPED[1..] {
        let theirs: BTreeMap<_, _> = texts(source).into_iter().collect();
        let same = theirs
            .iter()
            .filter(|(k, v)| english.get(*k) == Some(*v) && v.trim().len() > 12)
            .count();
        // A few words are the same in many languages ("Backup codes: SMS"), sentences are not.
        assert!(
            same * 20 < theirs.len(),
            "{tag}: {same} of {} messages read as in English",
            theirs.len()
        );
    }
}

#[test]
fn catalogs_hold_text_not_markup() {
    // Pages mark a translation safe after escaping its variables: the text itself must need no
    // escaping, in an element or in a double-quoted attribute.
    for (tag, source) in SHIPPED {
        for (id, text) in texts(source) {
            assert!(
                !text.contains(['<', '>', '&', '"']),
                "{tag}: {id} holds a markup character: {text:?}"
            );
        }
    }
}

#[test]
fn every_shipped_catalog_formats_every_message_without_a_missing_variable() {
    for l in Locale::all() {
        for (key, vars) in messages(l.tag(), SHIPPED[l.0 as usize].1) {
            let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
                vars.iter().map(|v| (v.as_str(), 2.into())).collect();
            let text = l.t_with(&key, &args);
            assert!(
                !text.contains("{$") && !text.contains("{ $"),
                "{l}: {key}: {text}"
            );
            assert!(!text.is_empty(), "{l}: {key}");
        }
    }
}

/// The files that name message keys: the templates and the Rust sources.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("src"), &mut out);
    walk(&root.join("templates"), &mut out);
    out
}

#[test]
fn every_key_named_in_a_template_or_the_code_is_in_the_catalogs_and_every_key_is_named() {
    let english = messages("en", SHIPPED[0].1);
    let files = sources();
    const NOT_KEYS: [&str; 3] = [
        "mfa-reset",       // an admin action's path segment
        "sms-auth-secret", // a config test's value
        "login-sumbit",    // a config test's typo in an override, refused at load
    ];
    // Calls with a literal key: `t("login-title")` in templates, `.t("…")`/`.t_with("…"` in Rust.
    for (path, text) in &files {
        for call in ["t(\"", "t_with(\""] {
            for (at, _) in text.match_indices(call) {
                // Not the tail of another name (`get("`, `set("`).
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + call.len()..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                if key.is_empty() || NOT_KEYS.contains(&key) || path.ends_with("i18n/tests.rs") {
                    continue;
                }
                assert!(english.contains_key(key), "{path}: unknown key {key:?}");
            }
        }
    }
    // Keys the code picks in a `match` or a table are literals too: every literal shaped like
    // a key of ours is one, but for the few other names that look alike.
    let prefixes = [
        "login", "common", "error", "invalid", "mfa", "enroll", "codes", "account", "admin",
        "mail", "sms", "notice", "duration", "browser",
    ];
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        for literal in text.split('"').skip(1).step_by(2) {
            let shaped = literal.split_once('-').is_some_and(|(head, tail)| {
                prefixes.contains(&head)
                    && !tail.is_empty()
                    && tail
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
            if shaped && !NOT_KEYS.contains(&literal) && !path.ends_with("i18n/tests.rs") {
                assert!(
                    english.contains_key(literal),
                    "{path}: unknown key {literal:?}"
                );
            }
        }
    }
    // And no key is dead: each appears as a string literal somewhere.
    for key in english.keys() {
        let quoted = format!("\"{key}\"");
        assert!(
            files
                .iter()
                .any(|(p, text)| !p.ends_with("i18n/tests.rs") && text.contains(&quoted)),
            "{key} is in the catalogs but nothing uses it"
        );
    }
}

// ---- Plurals and formatting ------------------------------------------------------------------

#[test]
fn durations_read_in_the_largest_whole_unit() {
    let en = Locale::EN;
    assert_eq!(en.duration(30 * 86_400), "30 days");
    assert_eq!(en.duration(86_400), "1 day");
    assert_eq!(en.duration(36 * 3_600), "36 hours");
    assert_eq!(en.duration(90 * 60), "90 minutes");
    assert_eq!(en.duration(61), "2 minutes");
    assert_eq!(en.duration(1), "1 minute");
}

#[test]
fn numbers_take_each_languages_plural_forms() {
    let pl = locale("pl");
    assert_eq!(
        pl.duration(60),
        "1 minutę",
        "the accusative its sentences need"
    );
    assert_eq!(pl.duration(2 * 60), "2 minuty");
    assert_eq!(pl.duration(5 * 60), "5 minut");
    assert_eq!(pl.duration(22 * 60), "22 minuty");
    assert_eq!(pl.duration(12 * 60), "12 minut");
    let codes = |n: i64| pl.t_with("admin-backup-codes", &[("count", n.into())]);
    assert_eq!(codes(1), "1 kod zapasowy");
    assert_eq!(codes(2), "2 kody zapasowe");
    assert_eq!(codes(5), "5 kodów zapasowych");
    let de = locale("de");
    assert_eq!(de.duration(86_400), "1 Tag");
    assert_eq!(de.duration(30 * 86_400), "30 Tage");
    assert_eq!(locale("fr").duration(60), "1 minute");
    assert_eq!(locale("ja").duration(10 * 60), "10 分");
    assert_eq!(locale("zh").duration(10 * 60), "10 分钟");
}

#[test]
fn a_key_no_catalog_has_reads_as_itself() {
    assert_eq!(Locale::EN.t("no-such-key"), "no-such-key");
    assert!(!Locale::EN.has("no-such-key"));
}

#[test]
fn every_shipped_language_is_written_left_to_right_and_the_direction_is_computed() {
    for l in Locale::all() {
        assert_eq!(l.dir(), "ltr", "{l}");
    }
    assert_eq!(direction("ar"), "rtl");
    assert_eq!(direction("he-IL"), "rtl");
    assert_eq!(direction("FA"), "rtl");
    assert_eq!(direction("de"), "ltr");
}

// ---- Negotiation -----------------------------------------------------------------------------

fn pick(header: &str) -> &'static str {
    let all: Vec<Locale> = Locale::all().collect();
    choose(Some(header.as_bytes()), &all, Locale::EN).tag()
}

#[test]
fn the_highest_quality_language_offered_wins() {
    assert_eq!(pick("de"), "de");
    assert_eq!(pick("fr;q=0.5, de;q=0.8"), "de");
    assert_eq!(pick("xx, ja;q=0.3, de;q=0.2"), "ja");
    assert_eq!(pick("de, fr"), "de", "equal quality: the earlier");
    assert_eq!(pick("nl;q=1.0, pl;q=0.999"), "nl");
    assert_eq!(pick("nl;q=0.001"), "nl");
}

#[test]
fn a_region_or_script_falls_back_to_its_language() {
    assert_eq!(pick("de-CH"), "de");
    assert_eq!(pick("pt-BR,pt;q=0.9,en;q=0.8"), "pt");
    for zh in ["zh-CN", "zh-Hans", "zh-TW", "zh-Hant-HK", "zh"] {
        assert_eq!(pick(zh), "zh", "{zh}");
    }
    assert_eq!(pick("en-GB,en;q=0.9"), "en");
}

#[test]
fn matching_ignores_case_and_spaces() {
    assert_eq!(pick("DE-de"), "de");
    assert_eq!(pick("  fr-CA ;  Q=0.7 , es ; q=0.6"), "fr");
    assert_eq!(pick("JA"), "ja");
}

#[test]
fn a_star_means_the_default_and_a_named_language_beats_it() {
    assert_eq!(pick("*"), "en");
    assert_eq!(pick("xx, *;q=0.5"), "en");
    assert_eq!(pick("*, it"), "it", "equal quality: the named one");
    assert_eq!(pick("*;q=0.1, it;q=0.2"), "it");
    // The default refused: `*` means another offered language.
    assert_eq!(pick("en;q=0, *"), "de");
}

#[test]
fn nothing_acceptable_or_no_header_gives_the_default() {
    let all: Vec<Locale> = Locale::all().collect();
    let ja = locale("ja");
    assert_eq!(choose(None, &all, ja), ja);
    assert_eq!(choose(Some(b"xx, tlh;q=0.5"), &all, ja), ja);
    assert_eq!(choose(Some(b""), &all, ja), ja);
    assert_eq!(choose(Some(b"de;q=0"), &all, ja), ja, "q=0: not acceptable");
    // Not text at all.
    assert_eq!(choose(Some(b"\xff\xfe de"), &all, ja), ja);
}

#[test]
fn malformed_ranges_are_skipped_not_trusted() {
    assert_eq!(
        pick("de;q=2, fr"),
        "fr",
        "a quality above 1 is not a quality"
    );
    assert_eq!(pick("de;q=0.1234, fr;q=0.1"), "fr", "four decimals");
    assert_eq!(pick("de;q=, fr;q=0.1"), "fr");
    assert_eq!(pick("d%e, <script>, it;q=0.1"), "it");
    assert_eq!(pick("toolongsubtag-de, nl;q=0.1"), "nl");
    assert_eq!(pick(",,,;;;, es"), "es");
}

#[test]
fn only_the_languages_offered_are_chosen() {
    let offered = [locale("de"), locale("fr")];
    let de = locale("de");
    let c = |h: &str| choose(Some(h.as_bytes()), &offered, de).tag();
    assert_eq!(c("ja, fr;q=0.5"), "fr");
    assert_eq!(c("en"), "de", "English not offered: the default");
    assert_eq!(c("ja"), "de");
    assert_eq!(c("*"), "de");
}

#[test]
fn a_huge_header_costs_a_bounded_amount_of_work() {
    // Thousands of ranges: only the first 32 are weighed, and only the first KiB is read.
    let mut h = "xx;q=0.9, ".repeat(5_000);
    h.push_str("de");
    assert_eq!(pick(&h), "en", "a range past the bound is not seen");
    let mut early = String::from("ja;q=0.1, ");
    early.push_str(&"x".repeat(100_000));
    assert_eq!(pick(&early), "ja");
    // Cut inside a multi-byte character: what came before it still counts.
    let mut cut = "ja;q=0.1,".to_owned();
    cut.push_str(&"é".repeat(1_000));
    assert_eq!(pick(&cut), "ja");
    let started = std::time::Instant::now();
    for _ in 0..1_000 {
        pick(&h);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

// ---- The template function -------------------------------------------------------------------

fn render(template: &str, ctx: minijinja::Value) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    super::template::install(&mut env);
    env.add_template("page.html", template)?;
    env.add_template("mail.txt", template)?;
    let html = env.get_template("page.html")?.render(ctx.clone())?;
    let text = env.get_template("mail.txt")?.render(ctx)?;
    Ok(format!("{html}|{text}"))
}

#[test]
fn templates_read_the_catalog_of_the_renders_language() {
    let ctx = minijinja::context! { lang => "de" };
    assert_eq!(
        render("{{ t(\"login-submit\") }}", ctx).unwrap(),
        "Anmelden|Anmelden"
    );
    let none = minijinja::context! {};
    assert_eq!(
        render("{{ t(\"login-submit\") }}", none).unwrap(),
        "Sign in|Sign in",
        "no language: English"
    );
    let ctx = minijinja::context! { lang => "pl", n => 5 };
    assert_eq!(
        render("{{ t(\"admin-backup-codes\", count=n) }}", ctx).unwrap(),
        "5 kodów zapasowych|5 kodów zapasowych"
    );
}

#[test]
fn variables_are_escaped_in_html_unless_marked_safe() {
    let ctx = minijinja::context! { user => "<b>eve</b>" };
    let out = render("{{ t(\"common-signed-in-as\", user=user) }}", ctx.clone()).unwrap();
    assert_eq!(
        out,
        "Signed in as &lt;b&gt;eve&lt;&#x2f;b&gt;.|Signed in as <b>eve</b>."
    );
    let marked = "{% set who %}<strong>{{ user }}</strong>{% endset %}{{ t(\"common-signed-in-as\", user=who) }}";
    let out = render(marked, ctx).unwrap();
    assert!(
        out.starts_with("Signed in as <strong>&lt;b&gt;eve&lt;&#x2f;b&gt;</strong>.|"),
        "{out}"
    );
}

#[test]
fn an_unknown_or_missing_key_is_an_error_of_the_template() {
    let e = render("{{ t(\"no-such-key\") }}", minijinja::context! {}).unwrap_err();
    assert!(e.to_string().contains("no-such-key"), "{e}");
    assert!(render("{{ t() }}", minijinja::context! {}).is_err());
}

#[test]
fn japanese_and_chinese_pages_put_no_space_between_joined_sentences() {
    let joined = "<p>サインインしています。 このアカウント\n  では。</p> 有効 （あなた） <b>x</b>"
        .to_owned();
    assert_eq!(
        locale("ja").tighten(joined.clone()),
        "<p>サインインしています。このアカウント\n  では。</p> 有効（あなた）<b>x</b>"
    );
    assert_eq!(
        locale("zh").tighten("已登录。 此账户".to_owned()),
        "已登录。此账户"
    );
    // Other languages keep their spaces, even around these characters.
    assert_eq!(locale("de").tighten(joined.clone()), joined);
}
