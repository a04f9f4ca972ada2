//! Second factors of a user: TOTP enrolment and verification, backup codes, status and reset.
//!
//! Converts between stored records (sealed, versioned) and domain values; every atomic
//! check-and-update is the store's. Functions here block on the database: call them from
//! `spawn_blocking` (see [`crate::app::blocking`]).

use serde::Serialize;

use crate::auth::backup;
use crate::auth::totp::{self, Params, Secret};
use crate::config::{Config, TotpAlgorithm};
use crate::store::records::TotpRecordV1;
use crate::store::seal::Sealer;
use crate::store::{Store, StoreError};

/// A pending enrolment older than this is replaced by a fresh secret.
const PENDING_REUSE: u64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum FactorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the user already has an active authenticator")]
    AlreadyEnrolled,
    #[error("a stored secret could not be opened: {0}")]
    Sealed(String),
}

/// What an enrolment page shows.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: Secret,
    pub params: Params,
}

/// Who is enrolling an authenticator app.
#[derive(Debug, Clone, Copy)]
pub struct Enroller<'a> {
    /// Their session id: a pending enrolment is resumed and confirmed by the session that
    /// started it only.
    pub session: &'a str,
    /// A full session with a second factor: may finish a replacement started after a fresh
    /// code.
    pub may_replace: bool,
    /// The user has a factor already (see [`crate::auth::flow::enrolled`]).
    pub enrolled: bool,
    /// The session proved a second factor (not a trusted device) within the challenge
    /// timeout: it may add an app beside the user's other factors.
    pub fresh: bool,
}

/// `portcullis mfa status` and the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MfaStatus {
    pub user: String,
    /// "active" | "pending" | "none"
    pub totp: String,
    pub enrolled_at: Option<u64>,
    pub backup_codes_left: usize,
    /// Passkeys and security keys that may be used.
    #[serde(default)]
    pub passkeys: usize,
    /// Passkeys blocked because their signature counter went back.
    #[serde(default)]
    pub passkeys_blocked: usize,
}

pub struct Factors {
    sealer: Sealer,
    backup_key: [u8; 32],
    params: Params,
    backup_count: usize,
    issuer: String,
}

impl std::fmt::Debug for Factors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factors")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

fn aad(user: &str) -> Vec<u8> {
    let mut a = b"totp\0".to_vec();
    a.extend_from_slice(user.as_bytes());
    a
}

fn algorithm(name: &str) -> Option<TotpAlgorithm> {
    match name {
        "SHA1" => Some(TotpAlgorithm::Sha1),
        "SHA256" => Some(TotpAlgorithm::Sha256),
        "SHA512" => Some(TotpAlgorithm::Sha512),
        _ => None,
    }
}

impl Factors {
    pub fn new(config: &Config, storage_key: &[u8; 32]) -> Factors {
        let sealer = Sealer::new(storage_key);
        let backup_key = sealer.derive(b"portcullis backup codes");
        Factors {
            sealer,
            backup_key,
            params: Params::from_config(&config.mfa.totp),
            backup_count: config.mfa.backup_codes.count as usize,
            issuer: config.totp_issuer(),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The `otpauth://` URI for an enrolment of `user`.
    pub fn uri(&self, e: &Enrolment, user: &str) -> String {
        totp::otpauth_uri(&e.secret, &e.params, &self.issuer, user)
    }

    fn open(&self, user: &str, rec: &TotpRecordV1) -> Result<Enrolment, FactorError> {
        let plain = self
            .sealer
            .open(&rec.secret, &aad(user))
            .map_err(|e| FactorError::Sealed(e.to_string()))?;
        let algorithm = algorithm(&rec.algorithm)
            .ok_or_else(|| FactorError::Sealed("unknown algorithm".into()))?;
        Ok(Enrolment {
            secret: Secret::from_bytes(plain),
            params: Params {
                algorithm,
                digits: rec.digits,
                period: rec.period,
                // Skew is policy, not part of the enrolment: always today's config.
                skew: self.params.skew,
            },
        })
    }

    /// Starts an enrolment, or resumes a recent pending one of the same session so a reloaded
    /// page shows the same code. A user who has a factor (an app, a passkey, e-mail or SMS
    /// codes) only resumes a replacement started by [`Factors::start_replacement`] after a
    /// fresh second factor, and only in a session that `may_replace` — or, having no app yet,
    /// starts one in a session whose factor is `fresh`.
    pub fn start_enrolment(
        &self,
        store: &Store,
        user: &str,
        now: u64,
        who: Enroller<'_>,
    ) -> Result<Enrolment, FactorError> {
        let active = store.totp(user)?.is_some();
        let pending = store.pending_totp(user)?.filter(|r| {
            r.created + PENDING_REUSE > now && r.session.as_deref() == Some(who.session)
        });
        if active || who.enrolled {
            return match pending.filter(|r| r.replaces && who.may_replace) {
                Some(rec) => self.open(user, &rec),
                // No app yet, and a factor proved just now: an app beside the others.
                None if !active && who.may_replace && who.fresh => {
                    self.new_pending(store, user, now, true, who.session)
                }
                None => Err(FactorError::AlreadyEnrolled),
            };
        }
        if let Some(rec) = pending.filter(|r| !r.replaces) {
            if let Ok(e) = self.open(user, &rec) {
                return Ok(e);
            }
        }
        self.new_pending(store, user, now, false, who.session)
    }

    /// Starts replacing (or, for a user with another factor, adding) an authenticator, for
    /// `session` to finish. Call only after a fresh second factor.
    pub fn start_replacement(
        &self,
        store: &Store,
        user: &str,
        now: u64,
        session: &str,
    ) -> Result<Enrolment, FactorError> {
        self.new_pending(store, user, now, true, session)
    }

    fn new_pending(
        &self,
        store: &Store,
        user: &str,
        now: u64,
        replaces: bool,
        session: &str,
    ) -> Result<Enrolment, FactorError> {
        let secret = Secret::generate();
        let rec = TotpRecordV1 {
            secret: self
                .sealer
                .seal(secret.as_bytes(), &aad(user))
                .map_err(|e| FactorError::Sealed(e.to_string()))?,
            algorithm: self.params.algorithm.as_str().to_owned(),
            digits: self.params.digits,
            period: self.params.period,
            created: now,
            last_step: 0,
            replaces,
            session: Some(session.to_owned()),
        };
        store.put_pending_totp(user, &rec)?;
        Ok(Enrolment {
            secret,
            params: self.params,
        })
    }

    /// Activates a pending enrolment of this session with its first correct code. Returns the
    /// new backup codes (to be shown once), or None when the code is wrong or nothing is
    /// pending for this session — or, for a user who has a factor, nothing started after a
    /// fresh one (see [`Factors::start_enrolment`]).
    pub fn confirm_enrolment(
        &self,
        store: &Store,
        user: &str,
        code: &str,
        now: u64,
        who: Enroller<'_>,
    ) -> Result<Option<Vec<String>>, FactorError> {
        let Some(rec) = store
            .pending_totp(user)?
            .filter(|r| r.session.as_deref() == Some(who.session))
            .filter(|r| r.replaces || !who.enrolled)
        else {
            return Ok(None);
        };
        let may_replace = who.may_replace;
        let e = self.open(user, &rec)?;
        let Some(step) = totp::verify(&e.secret, &e.params, code, now) else {
            return Ok(None);
        };
        let codes = backup::generate(self.backup_count);
        let hashes = self.hashes(user, &codes);
        Ok(store
            .confirm_totp(user, step, &hashes, now, may_replace)?
            .then_some(codes))
    }

    /// Checks a TOTP code and burns its time step. False for a wrong, reused or earlier code.
    pub fn verify_totp(
        &self,
        store: &Store,
        user: &str,
        code: &str,
        now: u64,
    ) -> Result<bool, FactorError> {
        let Some(rec) = store.totp(user)? else {
            return Ok(false);
        };
        let e = self.open(user, &rec)?;
        let Some(step) = totp::normalize_code(code, e.params.digits)
            .and_then(|c| totp::verify(&e.secret, &e.params, &c, now))
        else {
            return Ok(false);
        };
        Ok(store.accept_totp_step(user, step)?)
    }

    /// Consumes a backup code. True exactly once per code.
    pub fn use_backup_code(
        &self,
        store: &Store,
        user: &str,
        code: &str,
    ) -> Result<bool, FactorError> {
        let Some(code) = backup::normalize(code) else {
            return Ok(false);
        };
        let hash = backup::keyed_hash(&self.backup_key, user, &code);
        Ok(store.consume_backup_code(user, &hash)?)
    }

    /// A new set of backup codes; the old set dies.
    pub fn regenerate_backup_codes(
        &self,
        store: &Store,
        user: &str,
        now: u64,
    ) -> Result<Vec<String>, FactorError> {
        let codes = backup::generate(self.backup_count);
        store.replace_backup_codes(user, &self.hashes(user, &codes), now)?;
        Ok(codes)
    }

    fn hashes(&self, user: &str, codes: &[String]) -> Vec<[u8; 32]> {
        codes
            .iter()
            .filter_map(|c| backup::normalize(c))
            .map(|c| backup::keyed_hash(&self.backup_key, user, &c))
            .collect()
    }

    /// Has `user` an authenticator app or a passkey? A passkey blocked as possibly cloned
    /// still counts: losing it must not turn the account back into one that enrols a new
    /// factor with the password alone.
    pub fn is_enrolled(store: &Store, user: &str) -> Result<bool, StoreError> {
        Ok(store.totp(user)?.is_some() || !store.passkeys(user)?.is_empty())
    }

    /// Needs no keys: `portcullis mfa status` can run without them.
    pub fn status(store: &Store, user: &str) -> Result<MfaStatus, StoreError> {
        let active = store.totp(user)?;
        let totp = match (&active, store.pending_totp(user)?) {
            (Some(_), _) => "active",
            (None, Some(_)) => "pending",
            (None, None) => "none",
        };
        let passkeys = store.passkeys(user)?;
        let blocked = passkeys
            .iter()
            .filter(|(_, p)| p.clone_suspected.is_some())
            .count();
        Ok(MfaStatus {
            user: user.to_owned(),
            totp: totp.to_owned(),
            enrolled_at: active.map(|r| r.created),
            backup_codes_left: store.backup_codes_left(user)?,
            passkeys: passkeys.len() - blocked,
            passkeys_blocked: blocked,
        })
    }
}
