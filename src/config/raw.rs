//! Stage one: the file exactly as written. Every field is optional and every struct
//! denies unknown fields; defaults and checks live in the validation stage.

use serde::{Deserialize, Deserializer};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub server: Option<RawServer>,
    pub upstream: Option<RawUpstream>,
    pub users: Option<RawUsers>,
    pub storage: Option<RawStorage>,
    pub session: Option<RawSession>,
    pub mfa: Option<RawMfa>,
    pub trusted_devices: Option<RawTrustedDevices>,
    pub limits: Option<RawLimits>,
    pub identity: Option<RawIdentity>,
    pub smtp: Option<RawSmtp>,
    pub sms: Option<RawSms>,
    pub ui: Option<RawUi>,
    pub admin: Option<RawAdmin>,
    pub location: Option<Vec<RawLocation>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawServer {
    #[serde(default, deserialize_with = "string_or_list")]
    pub listen: Option<Vec<String>>,
    pub public_url: Option<String>,
    pub prefix: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub admin_socket: Option<String>,
    pub tls_cert: Option<String>,
    pub tls_key: Option<String>,
    pub tls_min_version: Option<String>,
    pub metrics_listen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUpstream {
    pub url: Option<String>,
    pub connect_timeout: Option<String>,
    pub timeout: Option<String>,
    pub preserve_host: Option<bool>,
    pub rewrite_redirects: Option<bool>,
    pub ca_file: Option<String>,
    pub tls_server_name: Option<String>,
    pub insecure_skip_verify: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUsers {
    pub file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStorage {
    pub path: Option<String>,
    pub url: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<String>,
    pub revocation_staleness: Option<String>,
    pub encryption_key: Option<String>,
    pub encryption_key_file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSession {
    pub secret: Option<String>,
    pub secret_file: Option<String>,
    pub idle_timeout: Option<String>,
    pub max_lifetime: Option<String>,
    pub same_site: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMfa {
    pub required: Option<bool>,
    pub required_groups: Option<Vec<String>>,
    pub grace_period: Option<String>,
    pub challenge_timeout: Option<String>,
    pub issuer: Option<String>,
    pub methods: Option<Vec<String>>,
    pub totp: Option<RawTotp>,
    pub backup_codes: Option<RawBackupCodes>,
    pub webauthn: Option<RawWebauthn>,
    pub email: Option<RawMfaCodes>,
    pub sms: Option<RawMfaCodes>,
    pub self_service: Option<RawSelfService>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTotp {
    pub algorithm: Option<String>,
    pub digits: Option<u32>,
    pub period: Option<u32>,
    pub skew: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBackupCodes {
    pub count: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMfaCodes {
    pub code_ttl: Option<String>,
    pub max_attempts: Option<u32>,
    pub max_sends_per_hour: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWebauthn {
    pub rp_id: Option<String>,
    pub user_verification: Option<String>,
    pub passwordless: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSelfService {
    pub allow_disable: Option<bool>,
    pub notify: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAdmin {
    pub groups: Option<Vec<String>>,
    pub fresh_factor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrustedDevices {
    pub enabled: Option<bool>,
    pub lifetime: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLimits {
    pub max_failures: Option<u32>,
    pub lockout: Option<String>,
    pub per_ip: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIdentity {
    pub user_header: Option<String>,
    pub email_header: Option<String>,
    pub name_header: Option<String>,
    pub groups_header: Option<String>,
    pub jwt_header: Option<String>,
    pub jwt_key: Option<String>,
    pub jwt_key_file: Option<String>,
    pub jwt_audience: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSmtp {
    pub url: Option<String>,
    pub from: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<String>,
    pub ca_file: Option<String>,
    pub timeout: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSms {
    pub account_sid: Option<String>,
    pub auth_token: Option<String>,
    pub auth_token_file: Option<String>,
    pub from: Option<String>,
    pub api_base: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUi {
    pub title: Option<String>,
    pub logo_file: Option<String>,
    pub accent_color: Option<String>,
    pub templates_dir: Option<String>,
    pub locales: Option<Vec<String>>,
    pub default_locale: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLocation {
    pub path: Option<String>,
    pub path_regex: Option<String>,
    pub methods: Option<Vec<String>>,
    pub users: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
    pub networks: Option<Vec<String>>,
    pub host: Option<String>,
    pub policy: Option<String>,
    pub upstream: Option<String>,
    pub allow_encoded_slash: Option<bool>,
}

/// `listen = "0.0.0.0:8080"` or `listen = ["0.0.0.0:8080", "[::]:8080"]`.
fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V).map(Some)
}
