//! `portcullis migrate --to postgres://…` (DESIGN §2): every record of a stopped gateway's redb
//! store, copied into PostgreSQL in one transaction.
//!
//! - Sealed secrets are copied as they are: the replicas must share the storage key.
//! - Used backup codes stay used: redb holds only the unused ones, and only those are copied.
//! - Idempotent: the copy records its source (a random name the redb file carries, so a copy
//!   or a move of the file is the same source) in `migrations_from`, in the same transaction. A second run finds it and copies nothing; an interrupted run left
//!   nothing behind and can simply be run again. A user whose factors PostgreSQL already holds
//!   keeps them (a copy never brings back a code used or a factor reset since).

use crate::audit::Event;
use crate::store::records::{
    DeviceRecordV1, LockoutRecordV1, PasskeyRecordV1, SentCodeV1, TotpRecordV1,
};

/// Everything a store holds, as records.
#[derive(Debug, Default)]
pub struct Dump {
    pub revoked: Vec<(String, u64)>,
    pub epochs: Vec<(String, u64)>,
    pub totp: Vec<(String, TotpRecordV1)>,
    pub pending: Vec<(String, TotpRecordV1)>,
    /// (user, keyed hash, created)
    pub backup_codes: Vec<(String, Vec<u8>, u64)>,
    pub first_logins: Vec<(String, u64)>,
    pub last_sign_ins: Vec<(String, u64)>,
    /// (user, channel, enrolled)
    pub channels: Vec<(String, String, u64)>,
    pub devices: Vec<(String, DeviceRecordV1)>,
    /// (credential id, record)
    pub passkeys: Vec<(String, PasskeyRecordV1)>,
    /// ("account" or "device", key, record)
    pub lockouts: Vec<(&'static str, String, LockoutRecordV1)>,
    /// (user, channel, record)
    pub sent_codes: Vec<(String, String, SentCodeV1)>,
    pub audit: Vec<Event>,
}

/// How many records a migration copied, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Copied {
    /// False when this source had been copied before: nothing was copied this time.
    pub first_time: bool,
    pub revocations: u64,
    pub epochs: u64,
    pub totp: u64,
    pub pending_totp: u64,
    pub backup_codes: u64,
    pub first_logins: u64,
    pub last_sign_ins: u64,
    pub channels: u64,
    pub devices: u64,
    pub passkeys: u64,
    pub lockouts: u64,
    pub sent_codes: u64,
    pub audit_events: u64,
    /// Users whose factors PostgreSQL already held: theirs were kept.
    pub users_kept: u64,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows = [
            ("revoked sessions", self.revocations),
            ("session epochs", self.epochs),
            ("TOTP enrolments", self.totp),
            ("pending TOTP enrolments", self.pending_totp),
            ("unused backup codes", self.backup_codes),
            ("first sign-ins", self.first_logins),
            ("last sign-ins", self.last_sign_ins),
            ("e-mail/SMS enrolments", self.channels),
            ("trusted devices", self.devices),
            ("passkeys", self.passkeys),
            ("lockout counts", self.lockouts),
            ("sent codes", self.sent_codes),
            ("audit events", self.audit_events),
        ];
        for (what, n) in rows {
            writeln!(f, "  {n:>8}  {what}")?;
        }
        if self.users_kept > 0 {
            writeln!(
                f,
                "  {:>8}  users whose factors PostgreSQL already held (kept as they were)",
                self.users_kept
            )?;
        }
        Ok(())
    }
}
