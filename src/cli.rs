//! The parts of the command line that are more than argument parsing: `check`, `explain`,
//! `user list`. They return text so that tests can read it.

use std::fmt::Write as _;
use std::net::IpAddr;

use http::Method;
use rand::distributions::{Alphanumeric, DistString};

use crate::auth::password;
use crate::auth::session::{Claims, Factor};
use crate::auth::users::UserDb;
use crate::config::Config;
use crate::policy::{path, Decision, Engine, RequestFacts, Subject};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Users(String),
    #[error("invalid URL {url:?}: {why}")]
    Url { url: String, why: String },
    #[error("invalid method {0:?}")]
    Method(String),
    #[error("no user {0:?} in the users file")]
    NoUser(String),
    #[error("{0}")]
    Tls(String),
}

/// `portcullis check`: config + users file; warnings; a summary.
pub fn check(config: &Config) -> Result<String, CliError> {
    let users = UserDb::load(&config.users.file).map_err(|e| CliError::Users(e.to_string()))?;
    let mut out = String::new();
    let _ = writeln!(out, "config      {}: ok", config.file.display());
    let listen: Vec<String> = config.server.listen.iter().map(|a| a.to_string()).collect();
    let tls = match (&config.server.tls_cert, &config.server.tls_key) {
        (Some(cert), Some(key)) => {
            crate::server::tls::TlsState::load(cert, key, config.server.tls_min_version)
                .map_err(|e| CliError::Tls(format!("[server] tls_cert / tls_key: {e}")))?;
            "HTTPS (h2, http/1.1)"
        }
        _ => "HTTP/1.1",
    };
    crate::proxy::tls::client_config(
        config.upstream.ca_file.as_deref(),
        config.upstream.insecure_skip_verify,
    )
    .map_err(|e| CliError::Tls(format!("[upstream] ca_file: {e}")))?;
    let _ = writeln!(out, "listen      {} ({tls})", listen.join(", "));
    if let Some(addr) = config.server.metrics_listen {
        let _ = writeln!(
            out,
            "metrics     http://{addr}/metrics (on no other listener)"
        );
    }
    let _ = writeln!(out, "public_url  {}", config.server.public_url);
    let _ = writeln!(
        out,
        "upstream    {} (Host: {}; redirects to it {})",
        config.upstream.url,
        if config.upstream.preserve_host {
            "the client's"
        } else {
            "the upstream's"
        },
        if config.upstream.rewrite_redirects {
            "rewritten to public_url"
        } else {
            "passed through"
        }
    );
    let _ = match &config.storage.url {
        Some(url) => writeln!(
            out,
            "storage     {} (shared by replicas; {}; revocations within {})",
            crate::store::postgres::redacted(url),
            match crate::store::postgres::check_url(url) {
                Ok(crate::store::postgres::TlsMode::Verify) => "TLS, certificate verified",
                Ok(crate::store::postgres::TlsMode::Prefer) => "TLS if offered, else plaintext",
                _ => "no TLS",
            },
            humantime::format_duration(config.storage.revocation_staleness)
        ),
        None => writeln!(
            out,
            "storage     {} (redb, one replica)",
            config.storage.path.display()
        ),
    };
    let disabled = users.iter().filter(|u| u.disabled).count();
    let _ = writeln!(
        out,
        "users       {} in {} ({} disabled)",
        users.len(),
        config.users.file.display(),
        disabled
    );
    let admins: Vec<&str> = users
        .iter()
        .filter(|u| !u.disabled && config.admin.includes(&u.groups))
        .map(|u| u.name.as_str())
        .collect();
    let _ = writeln!(
        out,
        "admin page  {}/admin for groups {} ({} user{}{}{})",
        config.server.prefix,
        config.admin.groups.join(", "),
        admins.len(),
        if admins.len() == 1 { "" } else { "s" },
        if admins.is_empty() { "" } else { ": " },
        admins
            .iter()
            .take(5)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
            + if admins.len() > 5 { ", …" } else { "" }
    );
    let _ = writeln!(
        out,
        "locations   {} (unmatched requests: two_factor)",
        config.locations.len()
    );
    for l in &config.locations {
        let _ = writeln!(
            out,
            "  #{} {} → {}",
            l.index,
            describe(l),
            l.policy.as_str()
        );
    }
    for w in &config.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for w in unreachable_factors(config, &users) {
        let _ = writeln!(out, "warning: {w}");
    }
    let engine = Engine::new(config.locations.clone());
    for w in engine.encoded_slash_warnings() {
        let _ = writeln!(out, "warning: {w}");
    }
    for (shadowed, by) in engine.shadowed() {
        let _ = writeln!(
            out,
            "warning: location #{shadowed} can never match: location #{by} above it covers every request it would"
        );
    }
    for u in users.iter().filter(|u| password::is_weak(&u.password_hash)) {
        let _ = writeln!(
            out,
            "warning: user {:?} has a password hash weaker than argon2id m=19456,t=2; set a new password",
            u.name
        );
    }
    Ok(out)
}

fn describe(l: &crate::config::Location) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &l.host {
        parts.push(format!("host={h}"));
    }
    if let Some(p) = &l.path {
        parts.push(format!("path={p}"));
    }
    if let Some(r) = &l.path_regex {
        parts.push(format!("path_regex={}", r.as_str()));
    }
    if !l.methods.is_empty() {
        let m: Vec<&str> = l.methods.iter().map(|m| m.as_str()).collect();
        parts.push(format!("methods={}", m.join(",")));
    }
    if !l.networks.is_empty() {
        let n: Vec<String> = l.networks.iter().map(|n| n.to_string()).collect();
        parts.push(format!("networks={}", n.join(",")));
    }
    if !l.users.is_empty() {
        parts.push(format!("users={}", l.users.join(",")));
    }
    if !l.groups.is_empty() {
        parts.push(format!("groups={}", l.groups.join(",")));
    }
    if parts.is_empty() {
        "(every request)".into()
    } else {
        parts.join(" ")
    }
}

/// `portcullis explain`: the location and decision for a URL, anonymously and (with `user`)
/// for that user with a password-only and with a two-factor session.
pub fn explain(
    config: &Config,
    url: &str,
    user: Option<&str>,
    method: &str,
) -> Result<String, CliError> {
    let bad = |why: &str| CliError::Url {
        url: url.to_owned(),
        why: why.to_owned(),
    };
    let (host, raw_path) = if url.starts_with('/') {
        (None, url.split(['?', '#']).next().unwrap_or(url).to_owned())
    } else {
        let u = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        (
            u.host_str().map(str::to_ascii_lowercase),
            u.path().to_owned(),
        )
    };
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| CliError::Method(method.to_owned()))?;
    let mut out = String::new();
    let normalized = match path::normalize(&raw_path) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(out, "path     {raw_path}\ndecision 400 bad request ({e})");
            return Ok(out);
        }
    };
    let engine = Engine::new(config.locations.clone());
    let facts = RequestFacts {
        path: &normalized,
        method: &method,
        host: host.as_deref(),
        client: IpAddr::from([127, 0, 0, 1]),
    };
    let _ = writeln!(out, "path     {normalized}");
    let prefix = &config.server.prefix;
    if path::has_prefix(&normalized, prefix) {
        let _ = writeln!(out, "served by the gateway itself (under {prefix})");
        return Ok(out);
    }
    let verdict = engine.decide(&facts, None);
    match verdict.location {
        Some(l) => {
            let _ = writeln!(
                out,
                "location #{} ({}:{}) {} → {}",
                l.index,
                config.file.display(),
                l.line,
                describe(l),
                l.policy.as_str()
            );
        }
        None => {
            let _ = writeln!(out, "location none matched → two_factor (the default)");
        }
    }
    let _ = writeln!(
        out,
        "anonymous                      {}",
        word(verdict.decision)
    );
    if let Some(name) = user {
        let users = UserDb::load(&config.users.file).map_err(|e| CliError::Users(e.to_string()))?;
        let u = users
            .get(name)
            .ok_or_else(|| CliError::NoUser(name.to_owned()))?;
        for (label, amr) in [
            ("password only", vec![Factor::Pwd]),
            ("password + second factor", vec![Factor::Pwd, Factor::Otp]),
        ] {
            let claims = Claims {
                sub: u.name.clone(),
                sid: String::new(),
                amr,
                iat: 0,
                lat: 0,
                exp: 0,
                half: false,
                grace: false,
                pwf: String::new(),
                ep: 0,
                fat: None,
            };
            let d = engine
                .decide(
                    &facts,
                    Some(Subject {
                        claims: &claims,
                        groups: &u.groups,
                    }),
                )
                .decision;
            let _ = writeln!(out, "{:<30} {}", format!("{name} ({label})"), word(d));
        }
    }
    Ok(out)
}

fn word(d: Decision) -> &'static str {
    match d {
        Decision::Bypass => "bypass: forwarded without identity",
        Decision::Allow => "allow: forwarded with identity headers",
        Decision::Login => "login: redirect to the login page (401 for non-browsers)",
        Decision::SecondFactor => "second factor required",
        Decision::Forbidden => "deny: 403",
        Decision::Unavailable => "unavailable: 503 (revocations stale)",
    }
}

/// `portcullis user list`.
pub fn list_users(db: &UserDb) -> String {
    let mut users: Vec<_> = db.iter().collect();
    users.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = String::new();
    for u in users {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            u.name,
            u.email.as_deref().unwrap_or("-"),
            if u.groups.is_empty() {
                "-".to_owned()
            } else {
                u.groups.join(",")
            },
            if u.disabled { "disabled" } else { "active" }
        );
    }
    out
}

/// 20 alphanumeric characters (~119 bits).
pub fn random_password() -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 20)
}

/// Users who could never prove a second factor: `[mfa] methods` offers no authenticator app,
/// and the users file gives them no address or number for the e-mail or SMS codes it offers.
fn unreachable_factors(config: &Config, users: &UserDb) -> Vec<String> {
    use crate::config::MfaMethod;
    let m = &config.mfa.methods;
    if m.contains(&MfaMethod::Totp) {
        return Vec::new();
    }
    let file = config.users.file.display();
    users
        .iter()
        .filter(|u| !u.disabled)
        .filter(|u| {
            let email = m.contains(&MfaMethod::Email) && config.smtp.is_some() && u.email.is_some();
            let sms = m.contains(&MfaMethod::Sms) && config.sms.is_some() && u.phone.is_some();
            !email && !sms
        })
        .map(|u| {
            format!(
                "{file}: user \"{}\" has no second factor they can use: [mfa] methods has no authenticator app, and this user has no {} for the codes it offers",
                u.name,
                match (m.contains(&MfaMethod::Email), m.contains(&MfaMethod::Sms)) {
                    (true, true) => "email or phone",
                    (false, true) => "phone",
                    _ => "email",
                }
            )
        })
        .collect()
}

/// The gateway as seen from this host: the first listen address, an unspecified one
/// (`0.0.0.0`, `[::]`) read as loopback; https when a certificate is configured.
pub fn local_base_url(config: &Config) -> String {
    let scheme = if config.server.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let addr = config
        .server
        .listen
        .first()
        .copied()
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    let host = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_owned(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    format!("{scheme}://{host}:{}", addr.port())
}
