//! Passkeys and security keys (WebAuthn credentials) and the ceremonies that register and use
//! them.
//!
//! Two rules are the store's, atomic in both backends (one redb write transaction, or one
//! PostgreSQL statement), so they hold across sessions and replicas:
//! - a ceremony's challenge is taken once ([`Store::take_ceremony`]): an assertion or
//!   attestation can be presented at most once (W3C WebAuthn §13.4.3);
//! - a signature counter only goes up ([`Store::use_passkey`]): an assertion whose counter is
//!   not above the stored one marks the credential as possibly cloned (§6.1.1), and it is
//!   refused from then on.

use super::records::{CeremonyV1, PasskeyRecordV1};
use super::{dispatch, Store, StoreError};

/// What [`Store::use_passkey`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyUse {
    /// The counter went up (or the authenticator keeps none): the use is recorded.
    Accepted,
    /// The counter did not go up: the credential is now marked as possibly cloned.
    CounterWentBack,
    /// No such credential of this user, or it was already marked as possibly cloned.
    Refused,
}

impl PasskeyUse {
    /// The decision for a stored credential and an assertion's counter (both backends apply
    /// it; PostgreSQL in SQL). An authenticator that keeps no counter reports 0 every time.
    pub fn decide(rec: &PasskeyRecordV1, counter: u32) -> PasskeyUse {
        if rec.clone_suspected.is_some() {
            PasskeyUse::Refused
        } else if counter > rec.counter || (counter == 0 && rec.counter == 0) {
            PasskeyUse::Accepted
        } else {
            PasskeyUse::CounterWentBack
        }
    }
}

impl Store {
    /// Stores a new credential under its id (base64url). False when the id is registered
    /// already, to this user or another (WebAuthn §7.1 step 22).
    pub fn add_passkey(&self, id: &str, rec: &PasskeyRecordV1) -> Result<bool, StoreError> {
        dispatch!(self, b => b.add_passkey(id, rec))
    }

    /// The user's credentials, oldest first, with their ids.
    pub fn passkeys(&self, user: &str) -> Result<Vec<(String, PasskeyRecordV1)>, StoreError> {
        dispatch!(self, b => b.passkeys(user))
    }

    /// The credential with this id, whoever registered it.
    pub fn passkey(&self, id: &str) -> Result<Option<PasskeyRecordV1>, StoreError> {
        dispatch!(self, b => b.passkey(id))
    }

    /// Removes one of the user's credentials; false when the user has none with this id.
    pub fn remove_passkey(&self, user: &str, id: &str) -> Result<bool, StoreError> {
        dispatch!(self, b => b.remove_passkey(user, id))
    }

    /// Records a use of the user's credential `id` whose assertion carried `counter`, when
    /// [`PasskeyUse::decide`] accepts it; marks it as possibly cloned when the counter went
    /// back. One atomic step.
    pub fn use_passkey(
        &self,
        user: &str,
        id: &str,
        counter: u32,
        now: u64,
    ) -> Result<PasskeyUse, StoreError> {
        dispatch!(self, b => b.use_passkey(user, id, counter, now))
    }

    /// Users with at least one credential.
    pub fn passkey_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        dispatch!(self, b => b.passkey_users())
    }

    /// Stores a ceremony under a fresh random id.
    pub fn put_ceremony(&self, id: &str, rec: &CeremonyV1) -> Result<(), StoreError> {
        dispatch!(self, b => b.put_ceremony(id, rec))
    }

    /// Removes and returns the ceremony: exactly one caller gets it, however many race. An
    /// expired one is removed and not returned.
    pub fn take_ceremony(&self, id: &str, now: u64) -> Result<Option<CeremonyV1>, StoreError> {
        let rec = dispatch!(self, b => b.take_ceremony(id))?;
        Ok(rec.filter(|r| r.expires > now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(counter: u32, suspected: bool) -> PasskeyRecordV1 {
        PasskeyRecordV1 {
            user: "alice".into(),
            name: "key".into(),
            user_handle: String::new(),
            credential: serde_json::Value::Null,
            counter,
            created: 1,
            last_used: None,
            clone_suspected: suspected.then_some(2),
        }
    }

    #[test]
    fn a_counter_must_go_up_unless_the_authenticator_keeps_none() {
        assert_eq!(PasskeyUse::decide(&rec(5, false), 6), PasskeyUse::Accepted);
        assert_eq!(PasskeyUse::decide(&rec(0, false), 0), PasskeyUse::Accepted);
        assert_eq!(PasskeyUse::decide(&rec(0, false), 1), PasskeyUse::Accepted);
        assert_eq!(
            PasskeyUse::decide(&rec(5, false), 5),
            PasskeyUse::CounterWentBack
        );
        assert_eq!(
            PasskeyUse::decide(&rec(5, false), 0),
            PasskeyUse::CounterWentBack
        );
        assert_eq!(PasskeyUse::decide(&rec(5, true), 9), PasskeyUse::Refused);
    }
}
