//! Behaviour of config parsing: errors, as sentences.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::collections::HashMap;
use std::path::Path;

use super::*;

pub(super) const MIN: &str = "[upstream]\nurl = \"http://127.0.0.1:3000\"\n";

pub(super) fn env(pairs: &[(&str, &str)]) -> MapEnv {
    MapEnv(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    )
}

pub(super) fn ok(text: &str) -> Config {
    match parse(text, Path::new("config.toml"), &env(&[])) {
        Ok(c) => c,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

pub(super) fn err(text: &str) -> String {
    match parse(text, Path::new("config.toml"), &env(&[])) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => {
            assert_eq!(e.exit_code(), 2);
            let s = e.to_string();
            assert!(!s.contains('\n'), "error is not one line: {s}");
            s
        }
    }
}

#[test]
fn a_misspelt_key_names_line_column_key_table_and_suggestion() {
    let text = format!("{MIN}\n[server]\nlistn = \"0.0.0.0:8080\"\n");
    assert_eq!(
        err(&text),
        r#"config.toml:5:1: unknown key "listn" in [server]; did you mean "listen"?"#
    );
}

#[test]
fn unknown_keys_inside_sub_tables_and_locations_are_errors() {
    let e = err(&format!("{MIN}[mfa.totp]\n  digts = 6\n"));
    assert_eq!(
        e,
        r#"config.toml:4:3: unknown key "digts" in [mfa.totp]; did you mean "digits"?"#
    );
    let e = err(&format!("{MIN}[[location]]\npath = \"/\"\npolicy = \"deny\"\n[[location]]\npolicy = \"deny\"\npth = \"/x\"\n"));
    assert_eq!(
        e,
        r#"config.toml:8:1: unknown key "pth" in [[location]] #2; did you mean "path"?"#
    );
    let e = err(&format!("{MIN}[server]\nfrobnicate = 1\n"));
    assert_eq!(
        e,
        r#"config.toml:4:1: unknown key "frobnicate" in [server]"#
    );
}

#[test]
fn an_unknown_table_is_named_with_a_suggestion() {
    let e = err(&format!("{MIN}\n[srever]\nlisten = \"0.0.0.0:1\"\n"));
    assert_eq!(
        e,
        "config.toml:4:1: unknown table [srever]; did you mean [server]?"
    );
    let e = err(&format!("foo = 1\n{MIN}"));
    assert!(
        e.starts_with(r#"config.toml:1:1: unknown key "foo" at the top level"#),
        "{e}"
    );
    let e = err(&format!("{MIN}[mfa.totpp]\n"));
    assert_eq!(
        e,
        "config.toml:3:1: unknown table [mfa.totpp]; did you mean [mfa.totp]?"
    );
}

#[test]
fn a_bad_duration_names_the_value_key_and_examples() {
    let text = "[upstream]\nurl = \"http://127.0.0.1:3000\"\ntimeout = \"5 parsecs\"\n";
    assert_eq!(
        err(text),
        r#"config.toml:3:11: invalid duration "5 parsecs" for key "timeout" in [upstream] (use e.g. "30s", "15m", "12h", "30d")"#
    );
    let e = err(&format!("{MIN}[session]\nidle_timeout = \"0s\"\n"));
    assert!(e.contains("must be more than zero"), "{e}");
}

#[test]
fn a_missing_upstream_url_is_reported_with_or_without_the_table() {
    assert_eq!(err(""), r#"config.toml: missing key "url" in [upstream]"#);
    assert_eq!(
        err("[server]\n\n[upstream]\ntimeout = \"5s\"\n"),
        r#"config.toml:3:1: missing key "url" in [upstream]"#
    );
}

#[test]
fn a_bad_policy_lists_the_allowed_ones() {
    let text = format!(
        "{MIN}[[location]]\npath = \"/a\"\npolicy = \"deny\"\n[[location]]\npolicy = \"allow\"\n"
    );
    assert_eq!(
        err(&text),
        r#"config.toml:7:10: invalid value for key "policy" in [[location]] #2: expected one of bypass, one_factor, two_factor, deny"#
    );
    let e = err(&format!("{MIN}[[location]]\npath = \"/a\"\n"));
    assert_eq!(
        e,
        r#"config.toml:3:1: missing key "policy" in [[location]] #1"#
    );
}

#[test]
fn a_bad_regex_points_at_it() {
    let e = err(&format!(
        "{MIN}[[location]]\npath_regex = \"^/api/(\"\npolicy = \"bypass\"\n"
    ));
    assert!(e.starts_with(r#"config.toml:4:14: invalid value for key "path_regex" in [[location]] #1: "^/api/(" is not a valid regex"#), "{e}");
}

#[test]
fn a_bad_header_name_names_the_key() {
    let e = err(&format!("{MIN}[identity]\nuser_header = \"Remote User\"\n"));
    assert_eq!(
        e,
        r#"config.toml:4:15: invalid value for key "user_header" in [identity]: "Remote User" is not a valid HTTP header name"#
    );
    let e = err(&format!(
        "{MIN}[identity]\nemail_header = \"remote-user\"\n"
    ));
    assert!(e.contains("already used by \"user_header\""), "{e}");
}

#[test]
fn a_wrong_type_names_the_key() {
    let e = err(&format!("{MIN}[mfa.totp]\ndigits = \"six\"\n"));
    assert_eq!(
        e,
        r#"config.toml:4:10: invalid value for key "digits" in [mfa.totp]: invalid type: string "six", expected an integer"#
    );
    let e = err(&format!("{MIN}[location]\npath = \"/\"\n"));
    assert!(e.contains("[[location]], with double brackets"), "{e}");
}

#[test]
fn syntax_errors_and_unreadable_files_are_one_line() {
    let e = err("[upstream]\nurl = \"http://x\" junk\n");
    assert!(e.starts_with("config.toml:2:"), "{e}");
    assert!(e.contains("TOML syntax error"), "{e}");
    let e = load(Path::new("/nonexistent/config.toml"), &env(&[]))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read /nonexistent/config.toml: No such file or directory"
    );
    assert_eq!(e.kind, ErrorKind::Read);
}

#[test]
fn a_storage_key_of_the_wrong_length_names_its_source() {
    let short = env(&[(ENV_STORAGE_KEY, "AAEC")]);
    let e = parse(MIN, Path::new("config.toml"), &short)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("config.toml: invalid value in environment variable PORTCULLIS_STORAGE_KEY: expected 32"), "{e}");
    let e = err(&format!(
        "{MIN}[storage]\nencryption_key = \"not base64!\"\n"
    ));
    assert!(
        e.starts_with(r#"config.toml:4:18: invalid value for key "encryption_key" in [storage]"#),
        "{e}"
    );
    let e = err(&format!("{MIN}[session]\nsecret = \"short\"\n"));
    assert!(e.contains("at least 32 bytes, got 5"), "{e}");
}

#[test]
fn server_urls_prefixes_and_upstreams_are_checked() {
    let e = err(&format!(
        "{MIN}[server]\npublic_url = \"https://app.example.com/app\"\n"
    ));
    assert!(e.contains("must be an origin only"), "{e}");
    let e = err(&format!("{MIN}[server]\nprefix = \"/.portcullis/\"\n"));
    assert!(e.contains("must not end with '/'"), "{e}");
    let e = err("[upstream]\nurl = \"ftp://127.0.0.1\"\n");
    assert!(e.contains("use http:// or https://"), "{e}");
    let e = err(&format!(
        "{MIN}[server]\ntls_cert = \"missing.pem\"\ntls_key = \"missing.key\"\n"
    ));
    assert!(
        e.starts_with("config.toml:4:12: invalid value for key \"tls_cert\"")
            && e.contains("cannot read"),
        "{e}"
    );
    let e = err(&format!("{MIN}[server]\ntls_cert = \"a.pem\"\n"));
    assert_eq!(e, r#"config.toml:3:1: missing key "tls_key" in [server]"#);
}

#[test]
fn email_and_sms_methods_need_their_tables() {
    let e = err(&format!("{MIN}[mfa]\nmethods = [\"totp\", \"email\"]\n"));
    assert!(e.contains(r#""email" needs an [smtp] table"#), "{e}");
    let e = err(&format!("{MIN}[mfa]\nmethods = [\"sms\"]\n"));
    assert!(e.contains(r#""sms" needs an [sms] table"#), "{e}");
    let e = err(&format!("{MIN}[mfa]\nmethods = [\"carrier_pigeon\"]\n"));
    assert!(
        e.contains("expected one of totp, backup_code, webauthn, email, sms"),
        "{e}"
    );
}

#[test]
fn idle_timeout_may_not_exceed_max_lifetime() {
    let e = err(&format!("{MIN}[session]\nidle_timeout = \"13h\"\n"));
    assert!(
        e.contains(r#"key "idle_timeout" in [session]"#) && e.contains("longer than max_lifetime"),
        "{e}"
    );
}

#[test]
fn a_storage_url_is_read_as_the_store_will_read_it() {
    let c = parse(
        &format!("{MIN}[storage]\nurl = \"postgres://portcullis@db:5432/portcullis?sslmode=verify-full\"\n"),
        Path::new("config.toml"),
        &env(&[(ENV_DATABASE_PASSWORD, "from-env")]),
    )
    .unwrap();
    assert_eq!(
        c.storage.password.as_ref().map(|p| p.expose()),
        Some(&b"from-env"[..])
    );
    for (url, why) in [
        ("mysql://db/x", "expected a postgres:// URL"),
        ("postgres://db/x?sslmode=sometimes", "sslmode"),
        (
            "postgres://db/x?sslrootcert=/nonexistent/ca.pem",
            "sslrootcert",
        ),
        ("postgres://db/x?nonsense=1", "invalid connection string"),
    ] {
        let e = err(&format!("{MIN}[storage]\nurl = \"{url}\"\n"));
        assert!(
            e.starts_with(r#"config.toml:4:7: invalid value for key "url" in [storage]"#),
            "{e}"
        );
        assert!(e.contains(why), "{why} in {e}");
    }
}

#[test]
fn revocation_staleness_is_at_most_a_minute_and_prefer_is_warned_about() {
    let e = err(&format!("{MIN}[storage]\nrevocation_staleness = \"2m\"\n"));
    assert!(
        e.starts_with(r#"config.toml:4:24: invalid value for key "revocation_staleness" in [storage]: at most 60s"#),
        "{e}"
    );
    let c = parse(
        &format!("{MIN}[storage]\nurl = \"postgres://db.internal/p?sslmode=prefer\"\n"),
        Path::new("config.toml"),
        &env(&[]),
    )
    .unwrap();
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("sslmode=prefer falls back to plaintext")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn a_shared_store_without_shared_keys_is_warned_about() {
    let c = ok(&format!(
        "{MIN}[storage]\nurl = \"postgres://127.0.0.1/p\"\n"
    ));
    let w = c.warnings.join("\n");
    assert!(
        w.contains("the storage key") && w.contains("the session secret"),
        "{w}"
    );
    let c = ok(&format!(
        "{MIN}[storage]\nurl = \"postgres://127.0.0.1/p\"\nencryption_key = \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"\n[session]\nsecret = \"0123456789abcdef0123456789abcdef\"\n"
    ));
    assert!(
        !c.warnings.join("\n").contains("several replicas"),
        "{:?}",
        c.warnings
    );
}

#[test]
fn a_plain_http_public_url_away_from_this_machine_is_warned_about() {
    let warned = |url: &str| {
        ok(&format!("{MIN}[server]\npublic_url = \"{url}\"\n"))
            .warnings
            .iter()
            .any(|w| w.contains("is plain http"))
    };
    assert!(warned("http://app.example.com"));
    assert!(warned("http://10.0.0.5:8080"));
    for quiet in [
        "https://app.example.com",
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
    ] {
        assert!(!warned(quiet), "{quiet}");
    }
}
