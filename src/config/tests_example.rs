//! The shipped example `config.toml` stays valid and warning-free.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::Path;

use super::*;

const EXAMPLE: &str = include_str!("../../config.toml");

#[test]
fn the_shipped_example_config_parses_without_warnings() {
    let c = parse(EXAMPLE, Path::new("config.toml"), &MapEnv::default()).unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(c.upstream.url.as_str(), "http://127.0.0.1:3000/");
    assert_eq!(c.users.file, Path::new("./users.toml"));
    assert_eq!(c.storage.path, Path::new("./data/portcullis.redb"));
    assert_eq!(c.locations.len(), 3);
}

#[test]
fn every_commented_out_key_of_the_example_is_known_and_valid() {
    // Uncomment the `# key = value` lines (and `# [table]` headers): the result must still parse,
    // so the example never documents a key the parser would reject.
    let uncommented: String = EXAMPLE
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    // With tls_cert uncommented, public_url must be https:// (an http:// one is refused).
    let text = uncommented
        .replace("# url = \"postgres", "url = \"postgres")
        .replace("public_url = \"http://", "public_url = \"https://");
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    for (name, body) in [
        (
            "storage.key",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        ),
        ("session.key", "0123456789abcdef0123456789abcdef"),
        ("jwt.key", "k"),
        ("smtp.pass", "p"),
        ("sms.token", "t"),
        ("db.password", "d"),
        ("tls.crt", "-----BEGIN CERTIFICATE-----\n"),
        ("tls.key", "-----BEGIN PRIVATE KEY-----\n"),
        ("upstream-ca.pem", "-----BEGIN CERTIFICATE-----\n"),
        (
            "relay-ca.pem",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ),
    ] {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    std::fs::write(dir.path().join("logo.svg"), "<svg/>").unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let methods_ok = load(&path, &MapEnv::default());
    let c = match methods_ok {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    // The uncommented keys took effect, and any warning is about a feature not built yet.
    assert!(c.ui.logo.is_some() && c.ui.templates_dir.is_some());
    for w in &c.warnings {
        assert!(w.contains("not implemented yet"), "{w}");
    }
}
