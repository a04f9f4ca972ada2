//! Configuration: `config.toml` → validated [`Config`] (DESIGN §3).
//!
//! Two stages (STYLE practice 2): [`raw`] deserialises the file as written
//! (`deny_unknown_fields`, all `Option`s); the builders in [`sections`], [`identity`], [`mfa`]
//! and [`location`] apply defaults and validate, naming file, line, column and key in
//! every error. Positions come from a `toml_edit` span index ([`position`]).
//! The environment is read through [`Env`] so tests never touch the process env.

mod ctx;
mod duration;
mod error;
mod identity;
mod location;
mod mfa;
mod position;
mod raw;
mod secret;
mod sections;
mod types;
mod ui;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_example;
#[cfg(test)]
mod tests_values;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use duration::{parse_duration, Rate};
pub use error::{ConfigError, ErrorKind};
pub use secret::{Secret, SecretSource};
pub use types::*;

use ctx::Ctx;
use error::ErrorKind as Kind;

/// Where environment overrides come from.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// A fixed environment, for tests.
#[derive(Debug, Clone, Default)]
pub struct MapEnv(pub HashMap<String, String>);

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

/// Environment variables that override secrets in the file.
pub const ENV_STORAGE_KEY: &str = "PORTCULLIS_STORAGE_KEY";
pub const ENV_SESSION_SECRET: &str = "PORTCULLIS_SESSION_SECRET";
pub const ENV_JWT_KEY: &str = "PORTCULLIS_JWT_KEY";
pub const ENV_SMTP_PASSWORD: &str = "PORTCULLIS_SMTP_PASSWORD";
pub const ENV_SMS_AUTH_TOKEN: &str = "PORTCULLIS_SMS_AUTH_TOKEN";
pub const ENV_DATABASE_PASSWORD: &str = "PORTCULLIS_DATABASE_PASSWORD";

/// Read and validate the config file; relative paths are resolved against its directory.
pub fn load(path: &Path, env: &dyn Env) -> Result<Config, ConfigError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::read(&file, &e))?;
    parse(&text, path, env)
}

/// Validate config text; `file` names it in messages and its directory is the base for relative paths.
pub fn parse(text: &str, file: &Path, env: &dyn Env) -> Result<Config, ConfigError> {
    let name = file.display().to_string();
    let doc = toml_edit::ImDocument::parse(text.to_owned()).map_err(|e| {
        let at = e.span().map(|s| position::line_col(text, s.start));
        ConfigError::new(
            Kind::Syntax,
            &name,
            at,
            format!("TOML syntax error: {}", e.message()),
        )
    })?;
    let base_dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let ctx = Ctx {
        file: name,
        text,
        index: position::Index::build(doc.as_table()),
        base_dir,
        env,
        warnings: Default::default(),
    };
    let raw: raw::RawConfig = toml::from_str(text).map_err(|e| ctx.toml_error(&e))?;
    build(raw, &ctx, file)
}

/// Stage two: raw → validated, in file order of the sections.
fn build(raw: raw::RawConfig, ctx: &Ctx<'_>, file: &Path) -> Result<Config, ConfigError> {
    let server = sections::server(ctx, raw.server.unwrap_or_default())?;
    let upstream = sections::upstream(ctx, raw.upstream)?;
    let smtp = mfa::smtp(ctx, raw.smtp)?;
    let sms = mfa::sms(ctx, raw.sms)?;
    let webauthn_table = raw.mfa.as_ref().is_some_and(|m| m.webauthn.is_some());
    let config = Config {
        file: file.to_path_buf(),
        base_dir: ctx.base_dir.clone(),
        server,
        upstream,
        users: sections::users(ctx, raw.users.unwrap_or_default()),
        storage: sections::storage(ctx, raw.storage.unwrap_or_default())?,
        session: sections::session(ctx, raw.session.unwrap_or_default())?,
        mfa: mfa::mfa(
            ctx,
            raw.mfa.unwrap_or_default(),
            smtp.is_some(),
            sms.is_some(),
        )?,
        trusted_devices: mfa::trusted_devices(ctx, raw.trusted_devices.unwrap_or_default())?,
        limits: mfa::limits(ctx, raw.limits.unwrap_or_default())?,
        identity: identity::identity(ctx, raw.identity.unwrap_or_default())?,
        smtp,
        sms,
        ui: ui::ui(ctx, raw.ui.unwrap_or_default())?,
        admin: mfa::admin(ctx, raw.admin.unwrap_or_default())?,
        locations: location::locations(ctx, raw.location.unwrap_or_default())?,
        warnings: Vec::new(),
    };
    if config.storage.url.is_some() {
        // DESIGN §10: replicas share keys. A key left to be generated is this replica's own.
        let mut own = Vec::new();
        if config.storage.encryption_key.is_none() {
            own.push("the storage key ([storage] encryption_key_file or PORTCULLIS_STORAGE_KEY)");
        }
        if config.session.secret.is_none() {
            own.push("the session secret ([session] secret_file or PORTCULLIS_SESSION_SECRET)");
        }
        if config.identity.jwt_header.is_some() && config.identity.jwt_key.is_none() {
            own.push("the assertion key ([identity] jwt_key_file)");
        }
        if !own.is_empty() {
            ctx.warn(
                &["storage", "url"],
                format!(
                    "several replicas share this store, but {} is not given: this replica generates its own and cannot read the others' sessions or TOTP secrets; give every replica the same",
                    own.join(" and ")
                ),
            );
        }
    }
    passkeys(ctx, &config, webauthn_table)?;
    let mut config = config;
    config.warnings = ctx.not_built_warnings();
    config.warnings.extend(ctx.warnings.take());
    Ok(config)
}

/// Passkeys: the relying party must fit `public_url` (WebAuthn §5.1.3), and browsers offer
/// WebAuthn only on https or localhost.
fn passkeys(ctx: &Ctx<'_>, config: &Config, table: bool) -> Result<(), ConfigError> {
    let listed = config.mfa.methods.contains(&MfaMethod::Webauthn);
    if !listed {
        if table && config.mfa.webauthn.passwordless {
            ctx.warn(
                &["mfa", "webauthn", "passwordless"],
                "passkeys are offered only when [mfa] methods lists \"webauthn\": no one signs in with one",
            );
        }
        return Ok(());
    }
    let url = &config.server.public_url;
    if matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)))
        && config.mfa.webauthn.rp_id.is_none()
    {
        return Err(ctx.invalid(
            &["mfa", "methods"],
            format!("\"webauthn\" needs a host name (browsers refuse passkeys on an IP address), and public_url {url} names an IP address: use a name, e.g. localhost"),
        ));
    }
    crate::auth::webauthn::Passkeys::from_config(config)
        .map_err(|e| ctx.invalid(&["mfa", "webauthn", "rp_id"], e))?;
    let local = matches!(url.host_str(), Some("localhost"))
        || url.host_str().is_some_and(|h| h.ends_with(".localhost"));
    if url.scheme() != "https" && !local {
        ctx.warn(
            &["mfa", "methods"],
            format!("\"webauthn\" needs public_url on https (or localhost): browsers offer passkeys only there, and {url} is neither"),
        );
    }
    Ok(())
}

/// For a reload: keys the running server read once at start (listeners, storage, keys, the users
/// file) keep their running values in `new`; returns the names of those whose value in the file
/// differs, for a warning that they need a restart. Everything else takes effect.
pub fn keep_restart_keys(running: &Config, new: &mut Config) -> Vec<&'static str> {
    let mut changed = Vec::new();
    macro_rules! keep {
        ($name:literal, $($field:ident).+) => {
            if new.$($field).+ != running.$($field).+ {
                changed.push($name);
                new.$($field).+ = running.$($field).+.clone();
            }
        };
    }
    keep!("[server] listen", server.listen);
    keep!("[server] tls_cert", server.tls_cert);
    keep!("[server] tls_key", server.tls_key);
    keep!("[server] tls_min_version", server.tls_min_version);
    keep!("[server] metrics_listen", server.metrics_listen);
    keep!("[server] admin_socket", server.admin_socket);
    keep!("[storage] path", storage.path);
    keep!("[storage] url", storage.url);
    keep!("[storage] password", storage.password);
    keep!("[storage] encryption_key", storage.encryption_key);
    keep!("[users] file", users.file);
    keep!("[session] secret", session.secret);
    changed
}
