//! Trusted devices (DESIGN §5): after a second factor with "remember this device", the device
//! cookie lets the same user skip the second factor — never the password — on that device.
//!
//! The cookie is a signed token naming the user and a device record; the record decides. It is
//! ignored when it belongs to another user, is tampered or expired, was revoked, or was issued
//! before an MFA reset / sign-out-everywhere (session epoch) or a password change (fingerprint).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::auth::session::new_session_id;
use crate::auth::users::User;
use crate::store::records::DeviceRecordV1;
use crate::store::{Store, StoreError};

#[derive(Debug, Serialize, Deserialize)]
struct DeviceClaims {
    sub: String,
    did: String,
    exp: u64,
}

pub struct DeviceTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: u64,
}

impl std::fmt::Debug for DeviceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceTokens")
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

/// Where a device was seen, as recorded and listed.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// A device as the account page, the API and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: String,
    pub user: String,
    pub created: u64,
    pub last_used: u64,
    pub expires: u64,
    pub user_agent: String,
    pub ip: String,
}

impl DeviceView {
    pub fn from_record(id: String, r: DeviceRecordV1) -> DeviceView {
        DeviceView {
            id,
            user: r.user,
            created: r.created,
            last_used: r.last_used,
            expires: r.expires,
            user_agent: r.user_agent,
            ip: r.ip,
        }
    }
}

impl DeviceTokens {
    /// `key`: a key of its own, derived from the session secret.
    pub fn new(key: &[u8], lifetime: u64) -> DeviceTokens {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        DeviceTokens {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            lifetime,
        }
    }

    pub fn lifetime(&self) -> u64 {
        self.lifetime
    }

    /// Records a new trusted device for `user`; returns the cookie value.
    pub fn trust(
        &self,
        store: &Store,
        user: &User,
        epoch: u64,
        pwf: String,
        seen: Seen<'_>,
        now: u64,
    ) -> Result<String, StoreError> {
        let id = new_session_id();
        let expires = now + self.lifetime;
        let rec = DeviceRecordV1 {
            user: user.name.clone(),
            created: now,
            last_used: now,
            expires,
            user_agent: seen
                .user_agent
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
            ip: seen.ip.to_owned(),
            epoch,
            pwf,
        };
        store.put_device(&id, &rec)?;
        let claims = DeviceClaims {
            sub: user.name.clone(),
            did: id,
            exp: expires,
        };
        Ok(
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
                .unwrap_or_default(),
        )
    }

    /// The device id a cookie names, if its signature is ours (for marking "this device").
    pub fn device_id(&self, token: &str) -> Option<String> {
        if token.len() > 2048 {
            return None;
        }
        jsonwebtoken::decode::<DeviceClaims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims.did)
    }

    /// The device id when `token` is a live trusted device of `user` (changes nothing: the caller
    /// records its use once the sign-in succeeds).
    pub fn recognise(
        &self,
        store: &Store,
        token: &str,
        user: &str,
        epoch: u64,
        pwf: &str,
        now: u64,
    ) -> Result<Option<String>, StoreError> {
        if token.len() > 2048 {
            return Ok(None);
        }
        let Ok(data) =
            jsonwebtoken::decode::<DeviceClaims>(token, &self.decoding, &self.validation)
        else {
            return Ok(None);
        };
        let c = data.claims;
        if c.sub != user || c.exp <= now {
            return Ok(None);
        }
        let Some(rec) = store.device(&c.did)? else {
            return Ok(None);
        };
        let live = rec.user == user && rec.expires > now && rec.epoch == epoch && rec.pwf == pwf;
        Ok(live.then_some(c.did))
    }
}

/// Derives the device-cookie key from the session secret.
pub fn derive_key(secret: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    #[allow(clippy::expect_used)] // HMAC accepts keys of any length (RFC 2104 §3).
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret).expect("HMAC key of any length");
    mac.update(b"portcullis device cookie");
    mac.finalize().into_bytes().to_vec()
}
