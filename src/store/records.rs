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
}

impl TotpRecordV1 {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<TotpRecordV1> {
        serde_json::from_slice(bytes).ok()
    }
}
