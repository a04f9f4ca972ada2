//! Stage two for `[server]`, `[upstream]`, `[users]`, `[storage]` and `[session]`.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;

use super::ctx::Ctx;
use super::error::{ConfigError, ErrorKind};
use super::raw::*;
use super::secret::{Secret, SecretSource};
use super::types::*;
use super::{ENV_DATABASE_PASSWORD, ENV_SESSION_SECRET, ENV_STORAGE_KEY};

const DEFAULT_LISTEN: &str = "0.0.0.0:8080";
const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";
const DEFAULT_PUBLIC_URL_HTTPS: &str = "https://127.0.0.1:8080";

pub(crate) fn socket_addr(
    ctx: &Ctx<'_>,
    path: &[&str],
    s: &str,
) -> Result<SocketAddr, ConfigError> {
    s.parse().map_err(|_| {
        ctx.invalid(
            path,
            format!(
                "\"{s}\" is not an address with a port (e.g. \"0.0.0.0:8080\" or \"[::]:8080\")"
            ),
        )
    })
}

/// CIDRs; a bare address means just that host (/32 or /128).
pub(crate) fn networks(
    ctx: &Ctx<'_>,
    path: &[&str],
    list: Vec<String>,
) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    list.iter()
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|n| n.trunc())
                .map_err(|_| {
                    ctx.invalid(
                        path,
                        format!("\"{s}\" is not an IP network (e.g. \"10.0.0.0/8\" or \"::1\")"),
                    )
                })
        })
        .collect()
}

/// An `http(s)://host[:port][/path]` upstream.
pub(crate) fn upstream_url(ctx: &Ctx<'_>, path: &[&str], s: &str) -> Result<url::Url, ConfigError> {
    let url =
        url::Url::parse(s).map_err(|e| ctx.invalid(path, format!("\"{s}\" is not a URL: {e}")))?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(ctx.invalid(
                path,
                format!("\"{s}\": scheme \"{other}\" is not supported (use http:// or https://)"),
            ))
        }
    }
    if url.host_str().unwrap_or("").is_empty() {
        return Err(ctx.invalid(path, format!("\"{s}\" has no host")));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(ctx.invalid(
            path,
            format!("\"{s}\" must not have credentials, a query or a fragment"),
        ));
    }
    Ok(url)
}

pub(crate) fn server(ctx: &Ctx<'_>, r: RawServer) -> Result<Server, ConfigError> {
    let at = |k: &'static str| ["server", k];
    let listen = match r.listen {
        None => vec![socket_addr(ctx, &at("listen"), DEFAULT_LISTEN)?],
        Some(list) if list.is_empty() => {
            return Err(ctx.invalid(&at("listen"), "name at least one address"))
        }
        Some(list) => list
            .iter()
            .map(|s| socket_addr(ctx, &at("listen"), s))
            .collect::<Result<_, _>>()?,
    };
    // Without public_url, the default follows the listeners' scheme.
    let raw_url = match (&r.public_url, &r.tls_cert) {
        (Some(u), _) => u.as_str(),
        (None, Some(_)) => DEFAULT_PUBLIC_URL_HTTPS,
        (None, None) => DEFAULT_PUBLIC_URL,
    };
    let public_url = public_url(ctx, &at("public_url"), raw_url)?;
    let prefix = r.prefix.unwrap_or_else(|| "/.portcullis".to_owned());
    check_prefix(&prefix)
        .map_err(|why| ctx.invalid(&at("prefix"), format!("\"{prefix}\" {why}")))?;
    let trusted_proxies = networks(
        ctx,
        &at("trusted_proxies"),
        r.trusted_proxies.unwrap_or_default(),
    )?;
    match (&r.tls_cert, &r.tls_key) {
        (Some(_), None) => return Err(ctx.missing(&["server"], "tls_key")),
        (None, Some(_)) => return Err(ctx.missing(&["server"], "tls_cert")),
        _ => {}
    }
    let tls_min_version = match r.tls_min_version.as_deref() {
        None | Some("1.2") => TlsVersion::V1_2,
        Some("1.3") => TlsVersion::V1_3,
        Some(v) => {
            return Err(ctx.invalid(
                &at("tls_min_version"),
                format!("\"{v}\": expected \"1.2\" or \"1.3\" (older versions are not offered)"),
            ))
        }
    };
    let metrics_listen = match &r.metrics_listen {
        Some(s) => Some(socket_addr(ctx, &at("metrics_listen"), s)?),
        None => None,
    };
    // /metrics is never served on a public listener, so it cannot share an address with one.
    if let Some(m) = metrics_listen.filter(|m| m.port() != 0) {
        let clash = listen.iter().any(|l| {
            l.port() == m.port()
                && (l.ip() == m.ip() || l.ip().is_unspecified() || m.ip().is_unspecified())
        });
        if clash {
            return Err(ctx.invalid(
                &at("metrics_listen"),
                format!("\"{m}\" is also a listen address: metrics need an address of their own"),
            ));
        }
    }
    let tls_cert = ctx.pem_file(
        &at("tls_cert"),
        r.tls_cert.as_deref(),
        "-----BEGIN CERTIFICATE-----",
        "PEM certificate",
    )?;
    let tls_key = ctx.pem_file(
        &at("tls_key"),
        r.tls_key.as_deref(),
        "PRIVATE KEY-----",
        "PEM private key",
    )?;
    if r.public_url.is_some() && tls_cert.is_some() && public_url.scheme() == "http" {
        return Err(ctx.invalid(
            &at("public_url"),
            format!(
                "\"{public_url}\" is http:// but tls_cert makes every listen address HTTPS: browsers \
                 would send an https:// Origin that matches nothing (every form refused) and the \
                 cookies would lose Secure; write https://"
            ),
        ));
    }
    let loopback = match public_url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if public_url.scheme() == "http" && !loopback && r.public_url.is_some() {
        ctx.warn(
            &at("public_url"),
            format!(
                "\"{public_url}\" is plain http: cookies cannot be Secure, and browsers send no Fetch \
                 Metadata there, which keeps the protected app's scripts away from the admin page \
                 (src/web/admin/mod.rs); serve it over https"
            ),
        );
    }
    Ok(Server {
        listen,
        public_url,
        prefix,
        trusted_proxies,
        admin_socket: ctx.path(r.admin_socket.as_deref(), "data/portcullis.sock"),
        tls_cert,
        tls_key,
        tls_min_version,
        metrics_listen,
    })
}

/// The origin users type: http(s), a host, nothing after it (DESIGN §8 compares origins).
fn public_url(ctx: &Ctx<'_>, path: &[&str], s: &str) -> Result<url::Url, ConfigError> {
    let url =
        url::Url::parse(s).map_err(|e| ctx.invalid(path, format!("\"{s}\" is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ctx.invalid(path, format!("\"{s}\" must be http:// or https://")));
    }
    if url.host_str().unwrap_or("").is_empty() {
        return Err(ctx.invalid(path, format!("\"{s}\" has no host")));
    }
    if url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(ctx.invalid(
            path,
            format!("\"{s}\" must be an origin only, without a path, query or credentials"),
        ));
    }
    Ok(url)
}

fn check_prefix(p: &str) -> Result<(), &'static str> {
    if !p.starts_with('/') || p.len() < 2 {
        return Err("must start with '/' and name a path, e.g. \"/.portcullis\"");
    }
    if p.ends_with('/') {
        return Err("must not end with '/'");
    }
    if !p
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._~/-".contains(c))
    {
        return Err("may only contain letters, digits and . _ ~ / -");
    }
    if p.split('/')
        .skip(1)
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err("must not contain empty, \".\" or \"..\" segments");
    }
    Ok(())
}

pub(crate) fn upstream(ctx: &Ctx<'_>, r: Option<RawUpstream>) -> Result<Upstream, ConfigError> {
    let r = r.unwrap_or_default();
    let at = |k: &'static str| ["upstream", k];
    let Some(raw_url) = r.url.as_deref() else {
        return Err(ctx.missing(&["upstream"], "url"));
    };
    Ok(Upstream {
        url: upstream_url(ctx, &at("url"), raw_url)?,
        connect_timeout: ctx.duration(
            &at("connect_timeout"),
            r.connect_timeout.as_deref(),
            Duration::from_secs(5),
            false,
        )?,
        timeout: ctx.duration(
            &at("timeout"),
            r.timeout.as_deref(),
            Duration::from_secs(60),
            false,
        )?,
        preserve_host: r.preserve_host.unwrap_or(true),
        rewrite_redirects: r.rewrite_redirects.unwrap_or(true),
        ca_file: ctx.ca_file(&at("ca_file"), r.ca_file.as_deref())?,
        tls_server_name: match r.tls_server_name {
            Some(n) if url::Host::parse(&n).is_err() || n.contains([':', '/', '@']) => {
                return Err(ctx.invalid(
                    &at("tls_server_name"),
                    format!("\"{n}\" is not a host name"),
                ))
            }
            n => n,
        },
        insecure_skip_verify: insecure_skip_verify(ctx, r.insecure_skip_verify),
    })
}

/// `insecure_skip_verify = true` is accepted, never quietly: a warning on every start.
fn insecure_skip_verify(ctx: &Ctx<'_>, raw: Option<bool>) -> bool {
    let on = raw.unwrap_or(false);
    if on {
        ctx.warn(
            &["upstream", "insecure_skip_verify"],
            "insecure_skip_verify = true: the upstream's certificate is not checked; anyone on the path to it can read and change the traffic",
        );
    }
    on
}

pub(crate) fn users(ctx: &Ctx<'_>, r: RawUsers) -> Users {
    Users {
        file: ctx.path(r.file.as_deref(), "users.toml"),
    }
}

/// An error about a secret's value, naming the env var when it came from there.
pub(crate) fn bad_secret(
    ctx: &Ctx<'_>,
    table: &str,
    key: &str,
    src: &SecretSource,
    why: &str,
) -> ConfigError {
    match src {
        SecretSource::Env(var) => ConfigError::new(
            ErrorKind::InvalidValue,
            &ctx.file,
            None,
            format!("invalid value in environment variable {var}: {why}"),
        ),
        SecretSource::File(_) => ctx.invalid(&[table, &format!("{key}_file")], why),
        SecretSource::Inline => ctx.invalid(&[table, key], why),
    }
}

pub(crate) fn storage(ctx: &Ctx<'_>, r: RawStorage) -> Result<Storage, ConfigError> {
    let postgres = |u: &String| u.starts_with("postgres://") || u.starts_with("postgresql://");
    if r.url.as_ref().is_some_and(|u| !postgres(u)) {
        return Err(ctx.invalid(&["storage", "url"], "expected a postgres:// URL"));
    }
    if let Some(url) = &r.url {
        let mode = crate::store::postgres::check_url(url)
            .map_err(|why| ctx.invalid(&["storage", "url"], &why))?;
        if mode == crate::store::postgres::TlsMode::Prefer {
            ctx.warn(
                &["storage", "url"],
                "sslmode=prefer falls back to plaintext whenever the server, or anyone in the path, declines TLS: use sslmode=verify-full",
            );
        }
    }
    let found = ctx.secret(
        &["storage"],
        "encryption_key",
        r.encryption_key.as_deref(),
        r.encryption_key_file.as_deref(),
        ENV_STORAGE_KEY,
    )?;
    let (encryption_key, encryption_key_source) = match found {
        None => (None, None),
        Some((raw, src)) => {
            let text = String::from_utf8_lossy(raw.expose()).trim().to_owned();
            let why = "expected 32 random bytes in base64 (e.g. from `openssl rand -base64 32`)";
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|_| bad_secret(ctx, "storage", "encryption_key", &src, why))?;
            if bytes.len() != 32 {
                let why = format!("{why}; got {} bytes", bytes.len());
                return Err(bad_secret(ctx, "storage", "encryption_key", &src, &why));
            }
            (Some(Secret::new(bytes)), Some(src))
        }
    };
    let password = ctx.secret(
        &["storage"],
        "password",
        r.password.as_deref(),
        r.password_file.as_deref(),
        ENV_DATABASE_PASSWORD,
    )?;
    let revocation_staleness = ctx.duration(
        &["storage", "revocation_staleness"],
        r.revocation_staleness.as_deref(),
        Duration::from_secs(5),
        false,
    )?;
    // A sign-out waits up to this long for a silent replica, and a revoked session may live
    // this long on one that cannot hear the store.
    if revocation_staleness > Duration::from_secs(60) {
        return Err(ctx.invalid(
            &["storage", "revocation_staleness"],
            "at most 60s (a sign-out waits this long for a replica that is silent)",
        ));
    }
    Ok(Storage {
        path: ctx.path(r.path.as_deref(), "data/portcullis.redb"),
        url: r.url,
        password: password.map(|(s, _)| s),
        revocation_staleness,
        encryption_key,
        encryption_key_source,
    })
}

pub(crate) fn session(ctx: &Ctx<'_>, r: RawSession) -> Result<Session, ConfigError> {
    let at = |k: &'static str| ["session", k];
    let found = ctx.secret(
        &["session"],
        "secret",
        r.secret.as_deref(),
        r.secret_file.as_deref(),
        ENV_SESSION_SECRET,
    )?;
    if let Some((s, src)) = found.as_ref().filter(|(s, _)| s.len() < 32) {
        return Err(bad_secret(
            ctx,
            "session",
            "secret",
            src,
            &format!("must be at least 32 bytes, got {}", s.len()),
        ));
    }
    let idle_timeout = ctx.duration(
        &at("idle_timeout"),
        r.idle_timeout.as_deref(),
        Duration::from_secs(30 * 60),
        false,
    )?;
    let max_lifetime = ctx.duration(
        &at("max_lifetime"),
        r.max_lifetime.as_deref(),
        Duration::from_secs(12 * 3600),
        false,
    )?;
    if idle_timeout > max_lifetime {
        return Err(ctx.invalid(
            &at("idle_timeout"),
            format!(
                "{}s is longer than max_lifetime ({}s)",
                idle_timeout.as_secs(),
                max_lifetime.as_secs()
            ),
        ));
    }
    let same_site = match r
        .same_site
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("lax") => SameSite::Lax,
        Some("strict") => SameSite::Strict,
        Some(_) => return Err(ctx.invalid(&at("same_site"), "expected one of lax, strict")),
    };
    let (secret, secret_source) = found.map_or((None, None), |(s, src)| (Some(s), Some(src)));
    Ok(Session {
        secret,
        secret_source,
        idle_timeout,
        max_lifetime,
        same_site,
    })
}
