//! Versioned records as they are stored, kept apart from domain types. A new layout gets a new
//! type (and a new table name) so that old files keep loading.

use serde::{Deserialize, Serialize};

use crate::store::seal::Sealed;

/// A TOTP enrolment: the secret sealed under the storage key (AAD: "totp" and the user name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpRecordV1 {
    pub secret: Sealed,
    /// "SHA1" | "SHA256" | "SHA512": fixed at enrolment, so a config change doesn't break it.
    pub algorithm: String,
    pub digits: u32,
    pub period: u64,
    pub created: u64,
    /// The last time step accepted; a code is accepted only for a later step.
    pub last_step: u64,
    /// A pending enrolment that may replace an active one: created only after a fresh second
    /// factor (the account page), never by a half session.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaces: bool,
    /// A pending enrolment: the session that started it, the only one that may resume or
    /// confirm it (so the password alone cannot choose the secret another session activates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl TotpRecordV1 {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<TotpRecordV1> {
        serde_json::from_slice(bytes).ok()
    }
}

/// A remembered device (DESIGN §5). Valid only while the user's session epoch and password
/// fingerprint are what they were when it was trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecordV1 {
    pub user: String,
    pub created: u64,
    pub last_used: u64,
    pub expires: u64,
    pub user_agent: String,
    pub ip: String,
    pub epoch: u64,
    pub pwf: String,
}

/// Consecutive failures of one account, across sessions and client IPs (DESIGN §6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutRecordV1 {
    pub failures: u32,
    pub locked_until: u64,
    /// Lockouts since the last success: each one lasts twice as long as the one before.
    pub lockouts: u32,
    pub last_failure: u64,
}

/// The one live code sent to a user over one channel (DESIGN §6), and when codes were sent.
/// Only a keyed hash of the code is kept, never the code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCodeV1 {
    /// HMAC-SHA256 of the code (hex); empty once used, expired by a resend, or out of attempts.
    pub hash: String,
    pub expires: u64,
    pub attempts_left: u32,
    /// Send times within the last hour, for `max_sends_per_hour`.
    pub sends: Vec<u64>,
}

macro_rules! json_record {
    ($($t:ty),*) => {$(
        impl $t {
            pub fn to_bytes(&self) -> Vec<u8> {
                serde_json::to_vec(self).unwrap_or_default()
            }
            pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
                serde_json::from_slice(bytes).ok()
            }
        }
    )*};
}
/// A registered passkey or security key (WebAuthn). Nothing in it is secret: the credential
/// holds the public key; the signature counter is kept beside it so that the store can check
/// "counter went up" in one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyRecordV1 {
    pub user: String,
    /// The name the user gave it ("YubiKey", "laptop").
    pub name: String,
    /// The WebAuthn user handle it was registered with (a random UUID per user), which a
    /// discoverable credential returns at a passwordless sign-in.
    pub user_handle: String,
    /// `webauthn_rs` `Credential` in its JSON form (public key, algorithm, flags).
    pub credential: serde_json::Value,
    /// The highest signature counter seen (W3C WebAuthn §6.1.1).
    pub counter: u32,
    pub created: u64,
    #[serde(default)]
    pub last_used: Option<u64>,
    /// When an assertion's counter went back (a cloned authenticator is suspected): from then
    /// on the credential is refused until the user removes it.
    #[serde(default)]
    pub clone_suspected: Option<u64>,
}

/// A WebAuthn ceremony under way (a registration or an assertion): its challenge state, taken
/// once ([`crate::store::Store::take_ceremony`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeremonyV1 {
    /// "register", "second_factor", "passwordless".
    pub purpose: String,
    /// The user it is for; `None` for a passwordless sign-in (the credential names the user).
    pub user: Option<String>,
    /// `webauthn_rs` registration or authentication state, in its JSON form.
    pub state: serde_json::Value,
    /// A registration's WebAuthn user handle, stored with the credential it makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
    /// A registration: the session id that started it, the only one that may finish it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// A registration started without a proved factor, because the user had none: void once
    /// the user has one (the password alone must not add a factor beside it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first: bool,
    pub expires: u64,
}

json_record!(
    DeviceRecordV1,
    LockoutRecordV1,
    SentCodeV1,
    PasskeyRecordV1,
    CeremonyV1
);
