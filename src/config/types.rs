//! The validated configuration (stage two). Every field has its default applied.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use http::HeaderName;

use super::duration::Rate;
use super::secret::{Secret, SecretSource};

#[derive(Debug)]
pub struct Config {
    /// The config file as given by the caller.
    pub file: PathBuf,
    /// Relative paths in the file were resolved against this directory.
    pub base_dir: PathBuf,
    pub server: Server,
    pub upstream: Upstream,
    pub users: Users,
    pub storage: Storage,
    pub session: Session,
    pub mfa: Mfa,
    pub trusted_devices: TrustedDevices,
    pub limits: Limits,
    pub identity: Identity,
    pub smtp: Option<Smtp>,
    pub sms: Option<Sms>,
    pub ui: Ui,
    pub admin: Admin,
    /// `[[location]]` in file order; first match wins.
    pub locations: Vec<Location>,
    /// One line per key of a feature that is not built yet, for a startup warning.
    pub warnings: Vec<String>,
}

impl Config {
    /// The TOTP issuer: `[mfa] issuer` (never holds ':'), else public_url's host when it is a
    /// name or an IPv4 address, else "Portcullis" (an IPv6 host is all colons, and apps read a
    /// colon as the end of the issuer).
    pub fn totp_issuer(&self) -> String {
        if let Some(i) = &self.mfa.issuer {
            return i.clone();
        }
        match self.server.public_url.host() {
            Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(_)) | None => "Portcullis".to_owned(),
        }
    }

    /// How e-mails and SMS name the service: `[ui] title` when the operator set one, else
    /// public_url's host ("Your app.example.com sign-in code", never "Your Sign in sign-in code").
    pub fn service_name(&self) -> String {
        if self.ui.title_set {
            return self.ui.title.clone();
        }
        match self.server.public_url.host() {
            Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_owned(),
            Some(host) => host.to_string(),
            None => "Portcullis".to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Server {
    pub listen: Vec<SocketAddr>,
    pub public_url: url::Url,
    pub prefix: String,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub admin_socket: PathBuf,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_min_version: TlsVersion,
    pub metrics_listen: Option<SocketAddr>,
}

/// The oldest TLS version a listener accepts (`[server] tls_min_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsVersion {
    #[default]
    V1_2,
    V1_3,
}

#[derive(Debug, Clone)]
pub struct Upstream {
    pub url: url::Url,
    pub connect_timeout: Duration,
    /// Time to response headers.
    pub timeout: Duration,
    pub preserve_host: bool,
    /// `Location`, `Content-Location` and `Refresh` pointing at an upstream's own origin are
    /// rewritten to public_url's origin (nginx's default `proxy_redirect`).
    pub rewrite_redirects: bool,
    /// PEM roots for an https upstream with a private CA (checked readable at load).
    pub ca_file: Option<PathBuf>,
    /// SNI and certificate name, when it differs from the URL's host.
    pub tls_server_name: Option<String>,
    pub insecure_skip_verify: bool,
}

#[derive(Debug, Clone)]
pub struct Users {
    pub file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Storage {
    pub path: PathBuf,
    /// `postgres://…` for several replicas (not built yet).
    pub url: Option<String>,
    /// PostgreSQL password (`password_file` or env `PORTCULLIS_DATABASE_PASSWORD`).
    pub password: Option<Secret>,
    /// With PostgreSQL: how long a replica may act on revocations it has not re-read.
    pub revocation_staleness: Duration,
    /// 32 bytes, decoded from base64. Absent: generated into the data dir on first start.
    pub encryption_key: Option<Secret>,
    pub encryption_key_source: Option<SecretSource>,
}

impl Storage {
    /// The directory that holds the database and generated keys.
    pub fn data_dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Lax,
    Strict,
}

impl SameSite {
    /// As written in a `Set-Cookie` header.
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    /// At least 32 bytes. Absent: generated like the storage key.
    pub secret: Option<Secret>,
    pub secret_source: Option<SecretSource>,
    pub idle_timeout: Duration,
    pub max_lifetime: Duration,
    pub same_site: SameSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaMethod {
    Totp,
    BackupCode,
    /// Passkeys and security keys (`[mfa.webauthn]`).
    Webauthn,
    Email,
    Sms,
}

impl MfaMethod {
    pub const ALL: [MfaMethod; 5] = [
        MfaMethod::Totp,
        MfaMethod::BackupCode,
        MfaMethod::Webauthn,
        MfaMethod::Email,
        MfaMethod::Sms,
    ];

    /// The name used in the config, forms and the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            MfaMethod::Totp => "totp",
            MfaMethod::BackupCode => "backup_code",
            MfaMethod::Webauthn => "webauthn",
            MfaMethod::Email => "email",
            MfaMethod::Sms => "sms",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl TotpAlgorithm {
    /// As written in an `otpauth://` URI.
    pub fn as_str(self) -> &'static str {
        match self {
            TotpAlgorithm::Sha1 => "SHA1",
            TotpAlgorithm::Sha256 => "SHA256",
            TotpAlgorithm::Sha512 => "SHA512",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mfa {
    pub required: bool,
    pub required_groups: Vec<String>,
    pub grace_period: Duration,
    pub challenge_timeout: Duration,
    /// `None` (or `""` in the file): the host of `public_url`; see [`Config::totp_issuer`].
    pub issuer: Option<String>,
    pub methods: Vec<MfaMethod>,
    pub totp: Totp,
    pub backup_codes: BackupCodes,
    pub webauthn: Webauthn,
    pub email: DeliveredCodes,
    pub sms: DeliveredCodes,
    pub self_service: SelfService,
}

impl Mfa {
    /// Does policy oblige a member of `groups` to use a second factor (`required`, or one of
    /// `required_groups`)?
    pub fn required_for(&self, groups: &[String]) -> bool {
        self.required || groups.iter().any(|g| self.required_groups.contains(g))
    }
}

impl Mfa {
    /// The enabled methods by their API names, e.g. `["totp", "backup_code"]`.
    pub fn method_names(&self) -> Vec<&'static str> {
        self.methods.iter().map(|m| m.as_str()).collect()
    }
}

#[derive(Debug, Clone)]
pub struct Totp {
    pub algorithm: TotpAlgorithm,
    pub digits: u32,
    pub period: u32,
    /// Steps accepted either side of now.
    pub skew: u32,
}

#[derive(Debug, Clone)]
pub struct BackupCodes {
    pub count: u32,
}

/// Codes sent by e-mail or SMS (`[mfa.email]`, `[mfa.sms]`).
#[derive(Debug, Clone)]
pub struct DeliveredCodes {
    pub code_ttl: Duration,
    pub max_attempts: u32,
    pub max_sends_per_hour: u32,
}

/// `[mfa.webauthn]`: passkeys and security keys (WebAuthn Level 2).
#[derive(Debug, Clone)]
pub struct Webauthn {
    /// Relying party id; None: public_url's host.
    pub rp_id: Option<String>,
    pub user_verification: UserVerification,
    pub passwordless: bool,
}

/// WebAuthn `userVerification` (W3C WebAuthn Level 2 §5.8.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserVerification {
    Required,
    Preferred,
    Discouraged,
}

/// `[mfa.self_service]`.
#[derive(Debug, Clone)]
pub struct SelfService {
    pub allow_disable: bool,
    pub notify: bool,
}

/// `[admin]`.
#[derive(Debug, Clone)]
pub struct Admin {
    pub groups: Vec<String>,
    pub fresh_factor: Duration,
}

impl Admin {
    /// May a member of `groups` open the admin page (one of `[admin] groups`)?
    pub fn includes(&self, groups: &[String]) -> bool {
        groups.iter().any(|g| self.groups.contains(g))
    }
}

#[derive(Debug, Clone)]
pub struct TrustedDevices {
    pub enabled: bool,
    pub lifetime: Duration,
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_failures: u32,
    pub lockout: Duration,
    pub per_ip: Rate,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub user_header: HeaderName,
    pub email_header: HeaderName,
    pub name_header: HeaderName,
    pub groups_header: HeaderName,
    pub jwt_header: Option<HeaderName>,
    pub jwt_key: Option<Secret>,
    pub jwt_key_source: Option<SecretSource>,
    pub jwt_audience: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Smtp {
    pub relay: SmtpRelay,
    /// A valid mailbox (`Name <addr@host>` or `addr@host`).
    pub from: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// PEM roots for the relay's certificate (checked readable at load).
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

/// Where mail goes (`[smtp] url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpRelay {
    Server {
        host: String,
        port: u16,
        tls: SmtpTls,
    },
    /// Development: one `.eml` file per message in this directory.
    File(PathBuf),
    /// Development: each message in the log.
    Log,
}

/// How an SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// STARTTLS when the server offers it, plain otherwise (a relay on the same host).
    Opportunistic,
    /// STARTTLS, or no delivery.
    Required,
    /// TLS from the first byte (RFC 8314 submissions).
    Implicit,
}

#[derive(Debug, Clone)]
pub struct Sms {
    pub account_sid: String,
    pub auth_token: Option<Secret>,
    pub from: String,
    pub api_base: url::Url,
}

/// `[ui] logo_file`, read and checked at load: a PNG or SVG of at most [`Logo::MAX_BYTES`].
#[derive(Clone)]
pub struct Logo {
    pub path: PathBuf,
    /// `image/png` or `image/svg+xml`.
    pub content_type: &'static str,
    pub bytes: bytes::Bytes,
    /// The first 16 hex digits of the SHA-256 of `bytes`: part of its URL, so a changed logo
    /// has a new URL and the old one can be cached for a year.
    pub version: String,
}

impl Logo {
    pub const MAX_BYTES: usize = 512 * 1024;

    /// "png" or "svg".
    pub fn extension(&self) -> &'static str {
        if self.content_type == "image/png" {
            "png"
        } else {
            "svg"
        }
    }
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo")
            .field("path", &self.path)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct Ui {
    pub title: String,
    /// `title` was set in the file (not the default "Sign in").
    pub title_set: bool,
    pub logo: Option<Logo>,
    /// `#rgb` or `#rrggbb`.
    pub accent_color: Option<String>,
    pub templates_dir: Option<PathBuf>,
    /// The templates of `templates_dir` that replace built-in ones: (name, source), each
    /// checked to compile at load.
    pub templates: Vec<(String, String)>,
    /// The languages offered, by `Accept-Language` (`[ui] locales`; default: every shipped
    /// catalog). Never empty, and holds `default_locale`.
    pub locales: Vec<crate::i18n::Locale>,
    /// The language of a request that accepts none of `locales`, and of messages sent without
    /// a request (an operator's reset, a lockout).
    pub default_locale: crate::i18n::Locale,
}

/// What a location demands. The default, also for requests no location matches, is two factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    Bypass,
    OneFactor,
    #[default]
    TwoFactor,
    Deny,
}

impl Policy {
    pub const ALL: [Policy; 4] = [
        Policy::Bypass,
        Policy::OneFactor,
        Policy::TwoFactor,
        Policy::Deny,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Bypass => "bypass",
            Policy::OneFactor => "one_factor",
            Policy::TwoFactor => "two_factor",
            Policy::Deny => "deny",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Location {
    /// 1-based position among the `[[location]]` tables, for messages.
    pub index: usize,
    /// Line of its `[[location]]` header (0 when unknown).
    pub line: usize,
    /// Prefix match on whole segments.
    pub path: Option<String>,
    pub path_regex: Option<regex::Regex>,
    /// Upper-case; empty = any method.
    pub methods: Vec<http::Method>,
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub networks: Vec<ipnet::IpNet>,
    /// Lower-case.
    pub host: Option<String>,
    pub policy: Policy,
    pub upstream: Option<url::Url>,
    /// `%2F` is kept inside its segment (never a separator) for requests this location matches,
    /// instead of refused; see [`crate::policy::path::normalize_keeping_encoded_slash`].
    pub allow_encoded_slash: bool,
}
