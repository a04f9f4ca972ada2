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
metrics_listen = "127.0.0.1:9100"

[upstream]
url = "http://127.0.0.1:3000"
connect_timeout = "5s"
timeout = "60s"
preserve_host = true

[users]
file = "users.toml"

[storage]
path = "data/portcullis.redb"
url = "postgres://db/portcullis"
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

[mfa.email]
code_ttl = "10m"
max_attempts = 5
max_sends_per_hour = 3

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
"##;

#[test]
fn the_full_design_example_parses() {
    let c = ok(FULL);
    assert_eq!(c.server.public_url.as_str(), "https://app.example.com/");
    assert_eq!(c.server.trusted_proxies[1].to_string(), "192.168.1.1/32");
    assert_eq!(
        c.server.tls_cert,
        Some(Path::new("./tls.crt").to_path_buf())
    );
    assert_eq!(c.storage.encryption_key.as_ref().map(|k| k.len()), Some(32));
    assert_eq!(c.session.same_site, SameSite::Strict);
    assert_eq!(c.mfa.methods.len(), 4);
    assert_eq!(c.mfa.issuer, None);
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
    assert_eq!((api.index, api.line), (2, 92));
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
fn features_not_built_yet_are_accepted_with_one_warning_each() {
    let c = ok(FULL);
    let w = c.warnings.join("\n");
    for needle in [
        "config.toml:8:1: \"tls_cert\" in [server] is accepted but not implemented yet",
        "\"tls_key\" in [server]",
        "\"metrics_listen\" in [server]",
        "\"url\" in [storage]",
        "[mfa.email] is accepted",
        "config.toml:72:1: [smtp] is accepted but not implemented yet",
        "[sms] is accepted",
        "\"logo_file\" in [ui]",
        "\"templates_dir\" in [ui]",
    ] {
        assert!(w.contains(needle), "missing {needle:?} in\n{w}");
    }
    // And the two TOTP settings that common apps ignore (below).
    assert_eq!(c.warnings.len(), 11, "{w}");
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
    let dbg = format!("{:?}", ok(FULL));
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
