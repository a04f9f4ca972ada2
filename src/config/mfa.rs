//! Stage two for `[mfa]` (and its sub-tables), `[trusted_devices]`, `[limits]`,
//! `[smtp]` and `[sms]`.

use std::time::Duration;

use super::ctx::Ctx;
use super::duration::Rate;
use super::error::ConfigError;
use super::raw::*;
use super::types::*;
use super::{ENV_SMS_AUTH_TOKEN, ENV_SMTP_PASSWORD};

/// An integer key that must lie in `range`.
fn in_range(
    ctx: &Ctx<'_>,
    path: &[&str],
    raw: Option<u32>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let v = raw.unwrap_or(default);
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(ctx.invalid(
            path,
            format!("{v} is out of range {}..={}", range.start(), range.end()),
        ))
    }
}

pub(crate) fn mfa(
    ctx: &Ctx<'_>,
    r: RawMfa,
    has_smtp: bool,
    has_sms: bool,
) -> Result<Mfa, ConfigError> {
    let at = |k: &'static str| ["mfa", k];
    let methods = match r.methods {
        None => vec![MfaMethod::Totp, MfaMethod::BackupCode],
        Some(list) => {
            let mut out = Vec::new();
            for s in &list {
                let m = MfaMethod::ALL
                    .into_iter()
                    .find(|m| m.as_str() == s.as_str())
                    .ok_or_else(|| {
                        ctx.invalid(
                            &at("methods"),
                            format!(
                                "\"{s}\": expected one of totp, backup_code, webauthn, email, sms"
                            ),
                        )
                    })?;
                if !out.contains(&m) {
                    out.push(m);
                }
            }
            if out.is_empty() {
                return Err(ctx.invalid(
                    &at("methods"),
                    "name at least one method (totp, backup_code, webauthn, email, sms)",
                ));
            }
            out
        }
    };
    if methods.contains(&MfaMethod::Email) && !has_smtp {
        return Err(ctx.invalid(&at("methods"), "\"email\" needs an [smtp] table"));
    }
    if methods.contains(&MfaMethod::Sms) && !has_sms {
        return Err(ctx.invalid(&at("methods"), "\"sms\" needs an [sms] table"));
    }
    Ok(Mfa {
        required: r.required.unwrap_or(true),
        required_groups: r.required_groups.unwrap_or_default(),
        grace_period: ctx.duration(
            &at("grace_period"),
            r.grace_period.as_deref(),
            Duration::ZERO,
            true,
        )?,
        challenge_timeout: ctx.duration(
            &at("challenge_timeout"),
            r.challenge_timeout.as_deref(),
            Duration::from_secs(300),
            false,
        )?,
        issuer: issuer(ctx, r.issuer)?,
        methods,
        totp: totp(ctx, r.totp.unwrap_or_default())?,
        backup_codes: BackupCodes {
            count: in_range(
                ctx,
                &["mfa", "backup_codes", "count"],
                r.backup_codes.and_then(|b| b.count),
                10,
                1..=50,
            )?,
        },
        webauthn: webauthn(ctx, r.webauthn.unwrap_or_default())?,
        email: delivered(ctx, "email", r.email.unwrap_or_default())?,
        sms: delivered(ctx, "sms", r.sms.unwrap_or_default())?,
        self_service: SelfService {
            allow_disable: r
                .self_service
                .as_ref()
                .and_then(|s| s.allow_disable)
                .unwrap_or(true),
            notify: r
                .self_service
                .as_ref()
                .and_then(|s| s.notify)
                .unwrap_or(true),
        },
    })
}

fn webauthn(ctx: &Ctx<'_>, r: RawWebauthn) -> Result<Webauthn, ConfigError> {
    let at = |k: &'static str| ["mfa", "webauthn", k];
    let user_verification = match r.user_verification.as_deref() {
        None | Some("preferred") => UserVerification::Preferred,
        Some("required") => UserVerification::Required,
        Some("discouraged") => UserVerification::Discouraged,
        Some(_) => {
            return Err(ctx.invalid(
                &at("user_verification"),
                "expected one of required, preferred, discouraged",
            ))
        }
    };
    let rp_id = match r.rp_id.filter(|id| !id.is_empty()) {
        // A registrable domain or host name (WebAuthn §5.1.2): no scheme, port or path.
        Some(id) if url::Host::parse(&id).is_err() || id.contains([':', '/', '@']) => {
            return Err(ctx.invalid(
                &at("rp_id"),
                format!(
                    "\"{id}\" is not a host name (e.g. \"example.com\", without scheme or port)"
                ),
            ))
        }
        id => id.map(|id| id.to_ascii_lowercase()),
    };
    Ok(Webauthn {
        rp_id,
        user_verification,
        passwordless: r.passwordless.unwrap_or(false),
    })
}

pub(crate) fn admin(ctx: &Ctx<'_>, r: RawAdmin) -> Result<Admin, ConfigError> {
    Ok(Admin {
        groups: r.groups.unwrap_or_else(|| vec!["admins".to_owned()]),
        fresh_factor: ctx.duration(
            &["admin", "fresh_factor"],
            r.fresh_factor.as_deref(),
            Duration::from_secs(600),
            false,
        )?,
    })
}

/// `[mfa] issuer`: empty means the default (public_url's host). A colon is refused: the Key Uri
/// Format reads it, encoded or not, as the separator of issuer and account, and apps disagree
/// about an entry whose issuer holds one.
fn issuer(ctx: &Ctx<'_>, raw: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(i) = raw.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()) else {
        return Ok(None);
    };
    if i.contains(':') {
        return Err(ctx.invalid(
            &["mfa", "issuer"],
            format!(
                "\"{i}\" contains ':', which authenticator apps read as the end of the issuer; \
                 use another character (e.g. \"{}\")",
                i.replace(':', " -")
            ),
        ));
    }
    if i.chars().any(char::is_control) {
        return Err(ctx.invalid(&["mfa", "issuer"], "contains a control character"));
    }
    Ok(Some(i))
}

fn totp(ctx: &Ctx<'_>, r: RawTotp) -> Result<Totp, ConfigError> {
    let at = |k: &'static str| ["mfa", "totp", k];
    let algorithm = match r
        .algorithm
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("SHA1") => TotpAlgorithm::Sha1,
        Some("SHA256") => TotpAlgorithm::Sha256,
        Some("SHA512") => TotpAlgorithm::Sha512,
        Some(_) => {
            return Err(ctx.invalid(&at("algorithm"), "expected one of SHA1, SHA256, SHA512"))
        }
    };
    let digits = r.digits.unwrap_or(6);
    if digits != 6 && digits != 8 {
        return Err(ctx.invalid(&at("digits"), format!("{digits}: expected 6 or 8")));
    }
    // Valid by RFC 6238, but Google Authenticator, Microsoft Authenticator and others still read
    // such a QR code as SHA1 / 6 digits and show codes that never work.
    if algorithm != TotpAlgorithm::Sha1 {
        ctx.warn(
            &at("algorithm"),
            format!(
                "algorithm = \"{}\" is ignored by several common authenticator apps (they compute SHA1 codes that will be refused); SHA1 works everywhere",
                algorithm.as_str()
            ),
        );
    }
    if digits != 6 {
        ctx.warn(
            &at("digits"),
            "digits = 8 is ignored by several common authenticator apps (they show 6-digit codes that will be refused); 6 works everywhere",
        );
    }
    Ok(Totp {
        algorithm,
        digits,
        period: in_range(ctx, &at("period"), r.period, 30, 15..=120)?,
        skew: in_range(ctx, &at("skew"), r.skew, 1, 0..=2)?,
    })
}

/// `[mfa.email]` or `[mfa.sms]` (`table`): the same rules for codes however they travel.
fn delivered(
    ctx: &Ctx<'_>,
    table: &'static str,
    r: RawMfaCodes,
) -> Result<DeliveredCodes, ConfigError> {
    let at = |k: &'static str| ["mfa", table, k];
    let code_ttl = ctx.duration(
        &at("code_ttl"),
        r.code_ttl.as_deref(),
        Duration::from_secs(600),
        false,
    )?;
    // A code that works for days is a password sent in clear.
    if code_ttl > Duration::from_secs(86_400) {
        return Err(ctx.invalid(&at("code_ttl"), "longer than a day"));
    }
    Ok(DeliveredCodes {
        code_ttl,
        max_attempts: in_range(ctx, &at("max_attempts"), r.max_attempts, 5, 1..=100)?,
        max_sends_per_hour: in_range(
            ctx,
            &at("max_sends_per_hour"),
            r.max_sends_per_hour,
            3,
            1..=100,
        )?,
    })
}

pub(crate) fn trusted_devices(
    ctx: &Ctx<'_>,
    r: RawTrustedDevices,
) -> Result<TrustedDevices, ConfigError> {
    Ok(TrustedDevices {
        enabled: r.enabled.unwrap_or(true),
        lifetime: ctx.duration(
            &["trusted_devices", "lifetime"],
            r.lifetime.as_deref(),
            Duration::from_secs(30 * 86_400),
            false,
        )?,
    })
}

pub(crate) fn limits(ctx: &Ctx<'_>, r: RawLimits) -> Result<Limits, ConfigError> {
    let per_ip = match r.per_ip.as_deref() {
        None => Rate {
            count: 30,
            per: Duration::from_secs(60),
        },
        Some(s) => Rate::parse(s).ok_or_else(|| {
            ctx.invalid(
                &["limits", "per_ip"],
                format!("\"{s}\" is not a rate (use e.g. \"30/min\", \"5/s\", \"100/hour\")"),
            )
        })?,
    };
    Ok(Limits {
        max_failures: in_range(
            ctx,
            &["limits", "max_failures"],
            r.max_failures,
            5,
            1..=1000,
        )?,
        lockout: ctx.duration(
            &["limits", "lockout"],
            r.lockout.as_deref(),
            Duration::from_secs(300),
            false,
        )?,
        per_ip,
    })
}

pub(crate) fn smtp(ctx: &Ctx<'_>, r: Option<RawSmtp>) -> Result<Option<Smtp>, ConfigError> {
    let Some(r) = r else { return Ok(None) };
    let Some(url) = r.url else {
        return Err(ctx.missing(&["smtp"], "url"));
    };
    let relay = smtp_relay(ctx, &url)?;
    match &relay {
        SmtpRelay::File(dir) => ctx.warn(
            &["smtp", "url"],
            format!("mail, codes included, is written to files in {} instead of being sent: for development only", dir.display()),
        ),
        SmtpRelay::Log => ctx.warn(
            &["smtp", "url"],
            "mail, codes included, is written to the log instead of being sent: for development only",
        ),
        SmtpRelay::Server { .. } => {}
    }
    let Some(from) = r.from else {
        return Err(ctx.missing(&["smtp"], "from"));
    };
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(ctx.invalid(
            &["smtp", "from"],
            format!(
                "\"{from}\" is not a mail address (e.g. \"Portcullis <no-reply@example.com>\")"
            ),
        ));
    }
    let password = ctx.secret(
        &["smtp"],
        "password",
        r.password.as_deref(),
        r.password_file.as_deref(),
        ENV_SMTP_PASSWORD,
    )?;
    if password.is_some() && r.username.is_none() {
        return Err(ctx.missing(&["smtp"], "username"));
    }
    Ok(Some(Smtp {
        relay,
        from,
        username: r.username,
        password: password.map(|(s, _)| s),
        ca_file: ctx.ca_file(&["smtp", "ca_file"], r.ca_file.as_deref())?,
        timeout: ctx.duration(
            &["smtp", "timeout"],
            r.timeout.as_deref(),
            Duration::from_secs(10),
            false,
        )?,
    }))
}

/// `[smtp] url` (DESIGN §3): `smtp://host[:port]` (STARTTLS when the server offers it, port
/// 25), `smtp://host[:port]?tls=required` (STARTTLS required, port 587), `smtps://host[:port]`
/// (implicit TLS, RFC 8314, port 465), `file:DIR`, or `log`.
fn smtp_relay(ctx: &Ctx<'_>, url: &str) -> Result<SmtpRelay, ConfigError> {
    let at = ["smtp", "url"];
    if url == "log" {
        return Ok(SmtpRelay::Log);
    }
    if let Some(dir) = url.strip_prefix("file:") {
        if dir.is_empty() {
            return Err(ctx.invalid(&at, "\"file:\" needs a directory (e.g. \"file:mail\")"));
        }
        return Ok(SmtpRelay::File(ctx.path(Some(dir), dir)));
    }
    let bad = |why: &str| {
        ctx.invalid(
            &at,
            format!("\"{url}\" {why}: expected smtp://host[:port], smtp://host:587?tls=required, smtps://host[:465], \"file:DIR\" or \"log\""),
        )
    };
    let parsed = url::Url::parse(url).map_err(|_| bad("is not a URL"))?;
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("has no host"))?
        .to_owned();
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "must not carry credentials (use username and password_file)",
        ));
    }
    let tls = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    let (tls, default_port) = match (parsed.scheme(), tls.as_deref()) {
        ("smtp", None | Some("opportunistic")) => (SmtpTls::Opportunistic, 25),
        ("smtp", Some("required")) => (SmtpTls::Required, 587),
        ("smtps", None) => (SmtpTls::Implicit, 465),
        ("smtp" | "smtps", Some(_)) => return Err(bad("has an unknown tls value")),
        _ => return Err(bad("has an unknown scheme")),
    };
    Ok(SmtpRelay::Server {
        host,
        port: parsed.port().unwrap_or(default_port),
        tls,
    })
}
pub(crate) fn sms(ctx: &Ctx<'_>, r: Option<RawSms>) -> Result<Option<Sms>, ConfigError> {
    let Some(r) = r else { return Ok(None) };
    // A table header with every key commented out, as in DESIGN §3: not configured.
    let empty = r.account_sid.is_none()
        && r.auth_token.is_none()
        && r.auth_token_file.is_none()
        && r.from.is_none()
        && r.api_base.is_none();
    if empty {
        return Ok(None);
    }
    let Some(account_sid) = r.account_sid else {
        return Err(ctx.missing(&["sms"], "account_sid"));
    };
    let Some(from) = r.from else {
        return Err(ctx.missing(&["sms"], "from"));
    };
    let raw_base = r.api_base.as_deref().unwrap_or("https://api.twilio.com");
    let api_base = url::Url::parse(raw_base)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| {
            ctx.invalid(
                &["sms", "api_base"],
                format!("\"{raw_base}\" is not an http(s) URL"),
            )
        })?;
    let auth_token = ctx.secret(
        &["sms"],
        "auth_token",
        r.auth_token.as_deref(),
        r.auth_token_file.as_deref(),
        ENV_SMS_AUTH_TOKEN,
    )?;
    Ok(Some(Sms {
        account_sid,
        auth_token: auth_token.map(|(s, _)| s),
        from,
        api_base,
    }))
}
