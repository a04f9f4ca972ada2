//! Behaviour of config parsing: values, defaults, secrets and warnings, as sentences.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::Path;
use std::time::Duration;

use super::tests::{env, err, ok, MIN};
use super::*;

/// DESIGN §3 with every key set, including those of features not built yet.
const FULL: &str = r##"
[server]
listen = "0.0.0.0:8080"
public_url = "https://app.example.com"
prefix = "/.portcullis"
trusted_proxies = ["10.0.0.0/8", "192.168.1.1"]
admin_socket = "data/portcullis.sock"
tls_cert = "tls.crt"
tls_key = "tls.key"
tls_min_version = "1.3"
metrics_listen = "127.0.0.1:9100"

[upstream]
url = "http://127.0.0.1:3000"
connect_timeout = "5s"
timeout = "60s"
preserve_host = true
rewrite_redirects = false
tls_server_name = "app.internal"
insecure_skip_verify = false

[users]
file = "users.toml"

[storage]
path = "data/portcullis.redb"
url = "postgres://db/portcullis"
password = "db-secret"
revocation_staleness = "10s"
encryption_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

[session]
secret = "0123456789abcdef0123456789abcdef"
idle_timeout = "30m"
max_lifetime = "12h"
same_site = "strict"

[mfa]
required = true
required_groups = ["admins"]
grace_period = "0s"
challenge_timeout = "5m"
issuer = ""
methods = ["totp", "backup_code", "email", "sms"]

[mfa.totp]
algorithm = "sha256"
digits = 8
period = 30
skew = 1

[mfa.backup_codes]
count = 10

[mfa.webauthn]
rp_id = "Example.com"
user_verification = "required"
passwordless = true

[mfa.email]
code_ttl = "10m"
max_attempts = 5
max_sends_per_hour = 3

[mfa.sms]
code_ttl = "5m"
max_attempts = 4
max_sends_per_hour = 2

[mfa.self_service]
allow_disable = false
notify = false

[trusted_devices]
enabled = true
lifetime = "30d"

[limits]
max_failures = 5
lockout = "5m"
per_ip = "30/min"

[identity]
user_header = "Remote-User"
email_header = "Remote-Email"
name_header = "Remote-Name"
groups_header = "Remote-Groups"
jwt_header = "X-Portcullis-Jwt-Assertion"
jwt_key = "k"
jwt_audience = "app"

[smtp]
url = "smtp://127.0.0.1:25"
from = "Portcullis <no-reply@example.com>"
username = "mailer"
password = "smtp-secret"
timeout = "20s"

[sms]
account_sid = "AC1"
auth_token = "sms-auth-secret"
from = "+15550001111"
api_base = "https://api.twilio.com"

[ui]
title = "Sign in"
logo_file = "logo.svg"
accent_color = "#1f6feb"
templates_dir = "tpl"
locales = ["en", "de", "pt-BR"]
default_locale = "de"

[admin]
groups = ["ops"]
fresh_factor = "5m"

[[location]]
path = "/healthz"
policy = "bypass"

[[location]]
path_regex = "^/api/v[0-9]+/public/"
methods = ["get", "HEAD"]
policy = "bypass"

[[location]]
path = "/admin"
groups = ["admins"]
users = ["alice"]
networks = ["10.0.0.0/8"]
host = "Admin.Example.com"
policy = "two_factor"
upstream = "http://127.0.0.1:4000"
allow_encoded_slash = true
"##;

/// [`FULL`], parsed beside the PEM files it names (their contents are checked where used).
fn full() -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tls.crt"), "-----BEGIN CERTIFICATE-----\n").unwrap();
    std::fs::write(dir.path().join("tls.key"), "-----BEGIN PRIVATE KEY-----\n").unwrap();
    std::fs::write(
        dir.path().join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("tpl")).unwrap();
    match parse(FULL, &dir.path().join("config.toml"), &env(&[])) {
        Ok(c) => (c, dir),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

#[test]
fn the_full_design_example_parses() {
    let (c, dir) = full();
    assert_eq!(c.server.public_url.as_str(), "https://app.example.com/");
    assert_eq!(c.server.trusted_proxies[1].to_string(), "192.168.1.1/32");
    assert_eq!(c.server.tls_cert, Some(dir.path().join("tls.crt")));
    assert_eq!(c.storage.encryption_key.as_ref().map(|k| k.len()), Some(32));
    assert_eq!(c.session.same_site, SameSite::Strict);
    assert_eq!(c.mfa.methods.len(), 4);
    assert_eq!(c.mfa.issuer, None);
    assert_eq!(c.server.tls_min_version, TlsVersion::V1_3);
    assert!(!c.upstream.rewrite_redirects && !c.upstream.insecure_skip_verify);
    assert_eq!(c.upstream.tls_server_name.as_deref(), Some("app.internal"));
    assert_eq!(c.storage.revocation_staleness, Duration::from_secs(10));
    assert!(c.storage.password.is_some());
    assert_eq!(c.mfa.webauthn.rp_id.as_deref(), Some("example.com"));
    assert_eq!(c.mfa.webauthn.user_verification, UserVerification::Required);
    assert!(c.mfa.webauthn.passwordless);
    assert_eq!(c.mfa.sms.code_ttl, Duration::from_secs(300));
    assert_eq!(
        (c.mfa.sms.max_attempts, c.mfa.sms.max_sends_per_hour),
        (4, 2)
    );
    assert!(!c.mfa.self_service.allow_disable && !c.mfa.self_service.notify);
    let smtp = c.smtp.as_ref().unwrap();
    assert_eq!(smtp.timeout, Duration::from_secs(20));
    // pt-BR names the one Portuguese catalog.
    let tags: Vec<&str> = c.ui.locales.iter().map(|l| l.tag()).collect();
    assert_eq!(tags, ["en", "de", "pt"]);
    assert_eq!(c.ui.default_locale.tag(), "de");
    assert_eq!(c.admin.groups, ["ops"]);
    assert_eq!(c.admin.fresh_factor, Duration::from_secs(300));
    assert!(c.locations[2].allow_encoded_slash);
    assert_eq!(c.totp_issuer(), "app.example.com");
    assert_eq!(c.mfa.totp.algorithm, TotpAlgorithm::Sha256);
    assert_eq!(c.mfa.totp.digits, 8);
    assert_eq!(
        c.identity.jwt_header.as_ref().map(|h| h.as_str()),
        Some("x-portcullis-jwt-assertion")
    );
    assert_eq!(c.sms.as_ref().map(|s| s.account_sid.as_str()), Some("AC1"));
    assert_eq!(c.locations.len(), 3);
    let api = &c.locations[1];
    assert_eq!((api.index, api.line), (2, 121));
    assert_eq!(api.methods, vec![http::Method::GET, http::Method::HEAD]);
    assert!(api
        .path_regex
        .as_ref()
        .is_some_and(|r| r.is_match("/api/v2/public/x")));
    let admin = &c.locations[2];
    assert_eq!(admin.host.as_deref(), Some("admin.example.com"));
    assert_eq!(admin.policy, Policy::TwoFactor);
    assert_eq!(
        admin.upstream.as_ref().map(|u| u.as_str()),
        Some("http://127.0.0.1:4000/")
    );
}

#[test]
fn a_minimal_file_gets_every_default() {
    let c = ok(MIN);
    assert_eq!(c.server.listen, vec!["0.0.0.0:8080".parse().unwrap()]);
    assert_eq!(c.server.public_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(c.server.prefix, "/.portcullis");
    assert!(c.server.trusted_proxies.is_empty());
    assert_eq!(c.server.admin_socket, Path::new("./data/portcullis.sock"));
    assert_eq!(
        (
            c.server.tls_cert.is_none(),
            c.server.metrics_listen.is_none()
        ),
        (true, true)
    );
    assert_eq!(c.upstream.connect_timeout, Duration::from_secs(5));
    assert_eq!(c.upstream.timeout, Duration::from_secs(60));
    assert!(c.upstream.preserve_host);
    assert_eq!(c.users.file, Path::new("./users.toml"));
    assert_eq!(c.storage.path, Path::new("./data/portcullis.redb"));
    assert_eq!(c.storage.data_dir(), Path::new("./data"));
    assert!(c.storage.url.is_none() && c.storage.encryption_key.is_none());
    assert!(c.session.secret.is_none());
    assert_eq!(c.session.idle_timeout, Duration::from_secs(1800));
    assert_eq!(c.session.max_lifetime, Duration::from_secs(43_200));
    assert_eq!(c.session.same_site, SameSite::Lax);
    assert!(c.mfa.required && c.mfa.required_groups.is_empty());
    assert_eq!(c.mfa.grace_period, Duration::ZERO);
    assert_eq!(c.mfa.challenge_timeout, Duration::from_secs(300));
    assert_eq!(c.mfa.methods, vec![MfaMethod::Totp, MfaMethod::BackupCode]);
    assert_eq!(c.mfa.method_names(), vec!["totp", "backup_code"]);
    assert_eq!(Location::default().policy, Policy::TwoFactor);
    assert_eq!(c.totp_issuer(), "127.0.0.1");
    let t = &c.mfa.totp;
    assert_eq!(
        (t.algorithm, t.digits, t.period, t.skew),
        (TotpAlgorithm::Sha1, 6, 30, 1)
    );
    assert_eq!(c.mfa.backup_codes.count, 10);
    assert_eq!(c.mfa.email.code_ttl, Duration::from_secs(600));
    assert_eq!(
        (c.mfa.email.max_attempts, c.mfa.email.max_sends_per_hour),
        (5, 3)
    );
    assert!(c.trusted_devices.enabled);
    assert_eq!(c.trusted_devices.lifetime, Duration::from_secs(30 * 86_400));
    assert_eq!(c.limits.max_failures, 5);
    assert_eq!(c.limits.lockout, Duration::from_secs(300));
    assert_eq!(
        c.limits.per_ip,
        Rate {
            count: 30,
            per: Duration::from_secs(60)
        }
    );
    assert_eq!(c.identity.user_header.as_str(), "remote-user");
    assert_eq!(c.identity.email_header.as_str(), "remote-email");
    assert_eq!(c.identity.name_header.as_str(), "remote-name");
    assert_eq!(c.identity.groups_header.as_str(), "remote-groups");
    assert!(c.identity.jwt_header.is_none() && c.identity.jwt_key.is_none());
    assert!(c.smtp.is_none() && c.sms.is_none());
    assert_eq!(c.ui.title, "Sign in");
    assert!(c.locations.is_empty());
    assert!(c.warnings.is_empty());
}

#[test]
fn the_environment_wins_over_the_file_for_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!("{MIN}[session]\nsecret_file = \"missing.key\"\n"),
    )
    .unwrap();
    let from_env = "e".repeat(40);
    let c = load(&cfg, &env(&[(ENV_SESSION_SECRET, &from_env)])).unwrap();
    assert_eq!(
        c.session.secret.as_ref().map(|s| s.expose()),
        Some(from_env.as_bytes())
    );
    assert_eq!(
        c.session.secret_source,
        Some(SecretSource::Env(ENV_SESSION_SECRET.into()))
    );
    let e = load(&cfg, &env(&[])).unwrap_err().to_string();
    assert!(
        e.contains(r#":4:15: cannot read secret file for "secret_file" in [session]: "#),
        "{e}"
    );
}

#[test]
fn secret_files_are_read_relative_to_the_config_directory_without_the_newline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("keys")).unwrap();
    std::fs::write(
        dir.path().join("keys/session"),
        format!("{}\n", "s".repeat(32)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("keys/storage"),
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
    )
    .unwrap();
    let cfg = dir.path().join("config.toml");
    let text = format!("{MIN}[session]\nsecret_file = \"keys/session\"\n[storage]\nencryption_key_file = \"keys/storage\"\n");
    std::fs::write(&cfg, text).unwrap();
    let c = load(&cfg, &env(&[])).unwrap();
    assert_eq!(
        c.session.secret.as_ref().map(|s| s.expose().to_vec()),
        Some(b"s".repeat(32))
    );
    assert_eq!(
        c.storage.encryption_key.as_ref().map(|k| k.expose()[31]),
        Some(31)
    );
    assert_eq!(c.storage.path, dir.path().join("data/portcullis.redb"));
}

#[test]
fn per_ip_rates_parse_and_bad_ones_are_refused() {
    let c = ok(&format!("{MIN}[limits]\nper_ip = \"10/s\"\n"));
    assert_eq!(
        c.limits.per_ip,
        Rate {
            count: 10,
            per: Duration::from_secs(1)
        }
    );
    let c = ok(&format!("{MIN}[limits]\nper_ip = \"100/hour\"\n"));
    assert_eq!(c.limits.per_ip.per, Duration::from_secs(3600));
    let e = err(&format!("{MIN}[limits]\nper_ip = \"lots\"\n"));
    assert!(
        e.starts_with(
            r#"config.toml:4:10: invalid value for key "per_ip" in [limits]: "lots" is not a rate"#
        ),
        "{e}"
    );
}

#[test]
fn listen_accepts_one_address_or_a_list() {
    let c = ok(&format!("{MIN}[server]\nlisten = \"127.0.0.1:9000\"\n"));
    assert_eq!(c.server.listen, vec!["127.0.0.1:9000".parse().unwrap()]);
    let c = ok(&format!(
        "{MIN}[server]\nlisten = [\"127.0.0.1:9000\", \"[::1]:9000\"]\n"
    ));
    assert_eq!(c.server.listen.len(), 2);
    let e = err(&format!(
        "{MIN}[server]\nlisten = [\"127.0.0.1:9000\", \"localhost\"]\n"
    ));
    assert!(
        e.contains(r#"key "listen" in [server]: "localhost" is not an address with a port"#),
        "{e}"
    );
    let e = err(&format!("{MIN}[server]\nlisten = 8080\n"));
    assert!(e.contains("expected a string or a list of strings"), "{e}");
}

#[test]
fn every_feature_is_built_so_only_settings_that_cannot_work_are_warned_about() {
    let (c, _dir) = full();
    let w = c.warnings.join("\n");
    for built in [
        "[mfa.webauthn]",
        "\"locales\" in [ui]",
        "\"default_locale\" in [ui]",
    ] {
        assert!(!w.contains(built), "{built} is built: no warning in\n{w}");
    }
    // And the two TOTP settings that common apps ignore (below).
    for built in [
        "[mfa.email]",
        "[mfa.sms]",
        "[mfa.self_service]",
        "[smtp]",
        "[sms]",
        "[admin]",
    ] {
        assert!(
            !w.contains(&format!("{built} is accepted")),
            "{built} is built:\n{w}"
        );
    }
    for built in [
        "tls_cert",
        "tls_key",
        "tls_min_version",
        "tls_server_name",
        "metrics_listen",
        "url",
        "password",
        "revocation_staleness",
        "logo_file",
        "templates_dir",
        "locales",
        "default_locale",
    ] {
        assert!(
            !w.contains(&format!("\"{built}\"")),
            "{built} is built:\n{w}"
        );
    }
    // And passwordless passkeys without "webauthn" in methods: nobody could use them.
    assert!(
        w.contains("passkeys are offered only when [mfa] methods lists \"webauthn\""),
        "{w}"
    );
    assert_eq!(c.warnings.len(), 3, "{w}");
}

#[test]
fn a_language_not_shipped_is_refused_naming_file_line_and_key() {
    // MIN, then [ui] on its own line: locales is on the line after.
    let line = MIN.lines().count() + 2;
    let e = err(&format!("{MIN}[ui]\nlocales = [\"de\", \"tlh\"]\n"));
    assert!(
        e.starts_with(&format!("config.toml:{line}:")),
        "the file and line of the key: {e}"
    );
    assert!(e.contains("key \"locales\" in [ui]"), "{e}");
    assert!(e.contains("\"tlh\" is not a shipped language"), "{e}");
    let e = err(&format!(
        "{MIN}[ui]\nlocales = [\"de\", \"fr\"]\ndefault_locale = \"en\"\n"
    ));
    assert!(
        e.starts_with(&format!("config.toml:{}:", line + 1)),
        "the line of default_locale: {e}"
    );
    assert!(
        e.contains("key \"default_locale\" in [ui]: \"en\" is not among locales"),
        "{e}"
    );
}

#[test]
fn languages_default_to_every_shipped_one_and_english() {
    let c = ok(MIN);
    assert_eq!(c.ui.locales.len(), 10);
    assert_eq!(c.ui.default_locale.tag(), "en");
    // Without English among them, the first offered is the default.
    let c = ok(&format!(
        "{MIN}[ui]\nlocales = [\"ja\", \"DE-at\", \"de\"]\n"
    ));
    let tags: Vec<&str> = c.ui.locales.iter().map(|l| l.tag()).collect();
    assert_eq!(tags, ["ja", "de"], "a region names its language, once");
    assert_eq!(c.ui.default_locale.tag(), "ja");
}

#[test]
fn an_issuer_with_a_colon_is_refused_naming_file_line_and_key() {
    let e = err(&format!("{MIN}[mfa]\nissuer = \"Acme: Intranet\"\n"));
    assert!(
        e.starts_with("config.toml:4:10: invalid value for key \"issuer\" in [mfa]: \"Acme: Intranet\" contains ':'"),
        "{e}"
    );
    assert_eq!(
        ok(&format!("{MIN}[mfa]\nissuer = \" Acme Intranet \"\n")).totp_issuer(),
        "Acme Intranet"
    );
}

#[test]
fn the_default_issuer_is_a_readable_name_without_a_colon() {
    for (public_url, issuer) in [
        ("https://app.example.com", "app.example.com"),
        ("https://app.example.com:8443", "app.example.com"),
        ("http://192.0.2.7:8080", "192.0.2.7"),
        ("http://[::1]:8080", "Portcullis"),
        ("https://[2001:db8::1]", "Portcullis"),
    ] {
        let c = ok(&format!("{MIN}[server]\npublic_url = \"{public_url}\"\n"));
        assert_eq!(c.totp_issuer(), issuer, "{public_url}");
    }
}

#[test]
fn totp_settings_that_common_apps_ignore_are_warned_about() {
    let c = ok(&format!(
        "{MIN}[mfa.totp]\nalgorithm = \"SHA512\"\ndigits = 8\n"
    ));
    let w = c.warnings.join("\n");
    assert!(w.contains("config.toml:4:1: algorithm = \"SHA512\" is ignored by several common authenticator apps"), "{w}");
    assert!(
        w.contains("config.toml:5:1: digits = 8 is ignored by several common authenticator apps"),
        "{w}"
    );
    assert!(ok(&format!(
        "{MIN}[mfa.totp]\nalgorithm = \"SHA1\"\ndigits = 6\n"
    ))
    .warnings
    .is_empty());
}

#[test]
fn debug_output_of_a_config_never_shows_a_secret() {
    let dbg = format!("{:?}", full().0);
    assert!(dbg.contains("Secret(***)"));
    for secret in [
        "0123456789abcdef0123456789abcdef",
        "sms-auth-secret",
        "AAECAwQF",
        "[0, 1, 2, 3",
    ] {
        assert!(!dbg.contains(secret), "{secret} leaked");
    }
}

/// The TOML block of DESIGN §3, as an operator would copy it.
fn design_block() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/DESIGN.md");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let section = text
        .split("## 3. Configuration")
        .nth(1)
        .expect("DESIGN.md has section 3");
    section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("section 3 has a toml block")
        .to_owned()
}

#[test]
fn the_design_documents_config_block_is_accepted_as_written() {
    let c = ok(&design_block());
    assert!(c.upstream.rewrite_redirects);
    assert_eq!(c.admin.groups, ["admins"]);
    assert_eq!(c.admin.fresh_factor, Duration::from_secs(600));
    assert_eq!(
        c.mfa.webauthn.user_verification,
        UserVerification::Preferred
    );
    assert_eq!(c.mfa.sms.max_sends_per_hour, 3);
    assert!(c.mfa.self_service.allow_disable);
    let w = c.warnings.join("\n");
    assert!(!w.contains("[mfa.webauthn]"), "{w}");
    assert!(!w.contains("[admin] is accepted"), "{w}");
}

#[test]
fn keys_of_features_being_built_are_validated_now() {
    for (text, needle) in [
        (
            "[server]\ntls_min_version = \"1.1\"\n",
            "key \"tls_min_version\" in [server]: \"1.1\": expected \"1.2\" or \"1.3\"",
        ),
        (
            "[upstream]\nurl = \"http://127.0.0.1:3000\"\ntls_server_name = \"a b\"\n",
            "key \"tls_server_name\" in [upstream]",
        ),
        (
            "[upstream]\nurl = \"http://127.0.0.1:3000\"\nca_file = \"missing-ca.pem\"\n",
            "key \"ca_file\" in [upstream]: cannot read ./missing-ca.pem",
        ),
        (
            "[storage]\nrevocation_staleness = \"soon\"\n",
            "key \"revocation_staleness\" in [storage]",
        ),
        (
            "[mfa.webauthn]\nuser_verification = \"always\"\n",
            "expected one of required, preferred, discouraged",
        ),
        (
            "[mfa.webauthn]\nrp_id = \"https://example.com\"\n",
            "key \"rp_id\" in [mfa.webauthn]",
        ),
        (
            "[mfa.sms]\nmax_attempts = 0\n",
            "key \"max_attempts\" in [mfa.sms]: 0 is out of range",
        ),
        (
            "[mfa.self_service]\nallow_disable = \"yes\"\n",
            "allow_disable",
        ),
        (
            "[smtp]\nurl = \"log\"\nfrom = \"a@b\"\ntimeout = \"x\"\n",
            "key \"timeout\" in [smtp]",
        ),
        (
            "[ui]\nlocales = [\"english\"]\n",
            "\"english\" is not a language tag",
        ),
        (
            "[ui]\nlocales = [\"en\", \"de\"]\ndefault_locale = \"fr\"\n",
            "key \"default_locale\" in [ui]: \"fr\" is not among locales",
        ),
        (
            "[ui]\nlocales = [\"en\", \"xx\"]\n",
            "key \"locales\" in [ui]: \"xx\" is not a shipped language (shipped: en, de,",
        ),
        (
            "[ui]\ndefault_locale = \"ar\"\n",
            "key \"default_locale\" in [ui]: \"ar\" is not a shipped language",
        ),
        (
            "[ui]\nlocales = []\n",
            "key \"locales\" in [ui]: an empty list offers no language",
        ),
        (
            "[admin]\nfresh_factor = \"whenever\"\n",
            "key \"fresh_factor\" in [admin]",
        ),
        (
            "[trusted_devices]\nlifetime = \"18446744073709551615s\"\n",
            "for key \"lifetime\" in [trusted_devices]: longer than 100 years",
        ),
        (
            "[admin]\ngroupz = []\n",
            "unknown key \"groupz\" in [admin]; did you mean \"groups\"?",
        ),
    ] {
        let text = if text.contains("[upstream]") {
            text.to_owned()
        } else {
            format!("{MIN}{text}")
        };
        let e = err(&text);
        assert!(e.contains(needle), "{text}\n→ {e}");
    }
    // A CA file that exists but holds no certificate is refused too, never a silent fallback.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), "not a certificate").unwrap();
    std::fs::write(
        dir.path().join("good.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let file = dir.path().join("config.toml");
    let parse_with = |ca: &str| {
        parse(
            &format!("[upstream]\nurl = \"http://127.0.0.1:3000\"\nca_file = \"{ca}\"\n"),
            &file,
            &env(&[]),
        )
    };
    let e = parse_with("ca.pem").unwrap_err().to_string();
    assert!(e.contains("holds no PEM certificate"), "{e}");
    assert_eq!(
        parse_with("good.pem").unwrap().upstream.ca_file,
        Some(dir.path().join("good.pem"))
    );
}

#[test]
fn webauthn_in_methods_is_offered_where_browsers_allow_passkeys() {
    let on = |url: &str, webauthn: &str| {
        format!(
            "[server]\npublic_url = \"{url}\"\n{MIN}[mfa]\nmethods = [\"webauthn\", \"totp\", \"backup_code\"]\n[mfa.webauthn]\n{webauthn}"
        )
    };
    let c = ok(&on("https://app.example.com", ""));
    assert_eq!(c.mfa.method_names(), ["webauthn", "totp", "backup_code"]);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    // A parent domain is a valid relying party (WebAuthn §5.1.3); another domain is not.
    ok(&on("https://app.example.com", "rp_id = \"example.com\"\n"));
    let e = err(&on("https://app.example.com", "rp_id = \"example.org\"\n"));
    assert!(
        e.contains("key \"rp_id\" in [mfa.webauthn]") && e.contains("parent domain"),
        "{e}"
    );
    // Browsers offer passkeys on https and localhost only; never on an IP address.
    let c = ok(&on("http://localhost:8080", ""));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let c = ok(&on("http://app.example.com", ""));
    assert!(
        c.warnings.join("\n").contains("needs public_url on https"),
        "{:?}",
        c.warnings
    );
    let e = err(&on("http://127.0.0.1:8080", ""));
    assert!(
        e.contains("browsers refuse passkeys on an IP address"),
        "{e}"
    );
}

#[test]
fn insecure_skip_verify_is_never_quiet() {
    let c = ok("[upstream]\nurl = \"http://127.0.0.1:3000\"\ninsecure_skip_verify = true\n");
    assert!(c.upstream.insecure_skip_verify);
    let w = c.warnings.join("\n");
    assert!(
        w.contains("config.toml:3:1: insecure_skip_verify = true: the upstream's certificate is not checked"),
        "{w}"
    );
}

#[test]
fn mails_name_the_service_by_the_title_when_set_else_by_public_urls_host() {
    let c = ok(&format!(
        "{MIN}[server]\npublic_url = \"https://app.example.com\"\n"
    ));
    assert_eq!(c.service_name(), "app.example.com");
    let c = ok(&format!(
        "{MIN}[server]\npublic_url = \"https://app.example.com\"\n[ui]\ntitle = \"Acme Portal\"\n"
    ));
    assert_eq!(c.service_name(), "Acme Portal");
}

#[test]
fn metrics_listen_may_not_share_a_public_listen_address() {
    for (listen, metrics) in [
        ("0.0.0.0:8080", "127.0.0.1:8080"),
        ("127.0.0.1:8080", "127.0.0.1:8080"),
        ("127.0.0.1:8080", "0.0.0.0:8080"),
    ] {
        let e = err(&format!(
            "{MIN}[server]\nlisten = \"{listen}\"\nmetrics_listen = \"{metrics}\"\n"
        ));
        assert!(
            e.contains("\"metrics_listen\" in [server]") && e.contains("also a listen address"),
            "{listen} / {metrics}: {e}"
        );
    }
    let c = ok(&format!(
        "{MIN}[server]\nlisten = \"0.0.0.0:8080\"\nmetrics_listen = \"127.0.0.1:9100\"\n"
    ));
    assert_eq!(
        c.server.metrics_listen,
        Some("127.0.0.1:9100".parse().unwrap())
    );
}

#[test]
fn an_http_public_url_with_an_https_listener_is_refused() {
    let (full, dir) = full();
    drop(full);
    let text = format!(
        "{MIN}[server]\npublic_url = \"http://app.example.com\"\ntls_cert = \"{0}/tls.crt\"\ntls_key = \"{0}/tls.key\"\n",
        dir.path().display()
    );
    let e = err(&text);
    assert!(
        e.contains("\"public_url\" in [server]") && e.contains("write https://"),
        "{e}"
    );
}

/// A config in a directory of its own, with `files` (name, bytes) written into it first.
fn with_files(text: &str, files: &[(&str, &[u8])]) -> (Result<Config, String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let parsed = parse(text, &dir.path().join("config.toml"), &env(&[])).map_err(|e| e.to_string());
    (parsed, dir)
}

#[test]
fn a_logo_is_read_at_load_and_must_be_a_png_or_an_svg() {
    let text = format!("{MIN}[ui]\nlogo_file = \"logo.svg\"\n");
    let svg: &[u8] = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let (c, _d) = with_files(&text, &[("logo.svg", svg)]);
    let logo = c.unwrap().ui.logo.unwrap();
    assert_eq!(
        (logo.content_type, logo.extension()),
        ("image/svg+xml", "svg")
    );
    assert_eq!(logo.version.len(), 16);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n rest";
    let (c, _d) = with_files(
        &format!("{MIN}[ui]\nlogo_file = \"a.png\"\n"),
        &[("a.png", png)],
    );
    assert_eq!(c.unwrap().ui.logo.unwrap().content_type, "image/png");

    let (e, _d) = with_files(&text, &[]);
    let e = e.unwrap_err();
    assert!(
        e.contains("config.toml:4") && e.contains("\"logo_file\"") && e.contains("cannot read"),
        "{e}"
    );
    let (e, _d) = with_files(&text, &[("logo.svg", b"GIF89a")]);
    assert!(e.unwrap_err().contains("neither a PNG nor an SVG"));
    let big = vec![b' '; 600 * 1024];
    let (e, _d) = with_files(&text, &[("logo.svg", &big)]);
    assert!(e.unwrap_err().contains("at most 512 KiB"));
}

#[test]
fn template_overrides_are_compiled_at_load_and_a_broken_one_names_its_file_and_line() {
    let text = format!("{MIN}[ui]\ntemplates_dir = \"tpl\"\n");
    let login: &[u8] =
        b"{% extends \"base.html\" %}\n{% block content %}<h1>Welcome to ACME</h1>{% endblock %}\n";
    let (c, _d) = with_files(
        &text,
        &[
            ("tpl/login.html", login),
            ("tpl/mail/code.txt", b"Code: {{ code }}\n"),
            ("tpl/notes.md", b"hi"),
        ],
    );
    let c = c.unwrap();
    let names: Vec<&str> = c.ui.templates.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["login.html", "mail/code.txt"]);
    assert!(
        c.warnings
            .join("\n")
            .contains("notes.md not a template name"),
        "{:?}",
        c.warnings
    );

    let broken: &[u8] =
        b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ title </h1>\n{% endblock %}\n";
    let (e, _d) = with_files(&text, &[("tpl/login.html", broken)]);
    let e = e.unwrap_err();
    assert!(e.contains("tpl/login.html:3"), "{e}");
    assert!(e.contains("\"templates_dir\""), "{e}");
    let (e, _d) = with_files(&text, &[("tpl/login.html", b"{% extends \"nope.html\" %}")]);
    assert!(e.unwrap_err().contains("login.html"));
    let (e, _d) = with_files(&format!("{MIN}[ui]\ntemplates_dir = \"missing\"\n"), &[]);
    assert!(e.unwrap_err().contains("cannot read"));
    // An override may call t() as the built-ins do; a key no catalog has is found at load.
    let ok =
        b"{% extends \"base.html\" %}{% block content %}{{ t(\"login-submit\") }}{% endblock %}";
    let (c, _d) = with_files(&text, &[("tpl/login.html", ok)]);
    assert!(c.is_ok(), "{:?}", c.err());
    let typo =
        b"{% extends \"base.html\" %}{% block content %}\n{{ t(\"login-sumbit\") }}{% endblock %}";
    let (e, _d) = with_files(&text, &[("tpl/login.html", typo)]);
    let e = e.unwrap_err();
    assert!(
        e.contains("tpl/login.html:2") && e.contains("login-sumbit"),
        "{e}"
    );
}

#[test]
fn every_built_in_template_renders_without_values() {
    // What the templates_dir check does to an override must not fail a built-in one.
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    crate::i18n::template::install(&mut env);
    for (name, source) in crate::templates::BUILT_IN {
        env.add_template(name, source).unwrap();
    }
    for (name, _) in crate::templates::BUILT_IN {
        env.get_template(name)
            .unwrap()
            .render(())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
