//! Second factors: TOTP enrolments (pending and active), backup code hashes, first logins,
//! enrolled code channels.
//!
//! "Step > last accepted step" and "consume this backup code" are atomic in both backends: one
//! redb write transaction, or one PostgreSQL statement, so they hold across sessions, requests
//! and replicas.

use super::records::TotpRecordV1;
use super::{dispatch, Store, StoreError};

impl Store {
    pub fn totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        dispatch!(self, b => b.totp(user))
    }

    pub fn pending_totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        dispatch!(self, b => b.pending_totp(user))
    }

    pub fn put_pending_totp(&self, user: &str, rec: &TotpRecordV1) -> Result<(), StoreError> {
        dispatch!(self, b => b.put_pending_totp(user, rec))
    }

    /// Activates the pending enrolment with `step` as its last accepted step and stores the
    /// backup codes, all in one transaction. False when no enrolment is pending, or one became
    /// active meanwhile (never replace an active factor from a half session).
    pub fn confirm_totp(
        &self,
        user: &str,
        step: u64,
        codes: &[[u8; 32]],
        now: u64,
        may_replace: bool,
    ) -> Result<bool, StoreError> {
        dispatch!(self, b => b.confirm_totp(user, step, codes, now, may_replace))
    }

    /// Records `step` as used if it is later than the last accepted step (RFC 6238 §5.2: a code
    /// is accepted at most once). True when the caller may accept the code.
    pub fn accept_totp_step(&self, user: &str, step: u64) -> Result<bool, StoreError> {
        dispatch!(self, b => b.accept_totp_step(user, step))
    }

    /// Replaces every backup code of `user` with `codes` (hashes).
    pub fn replace_backup_codes(
        &self,
        user: &str,
        codes: &[[u8; 32]],
        now: u64,
    ) -> Result<(), StoreError> {
        dispatch!(self, b => b.replace_backup_codes(user, codes, now))
    }

    /// Removes the code if present. True exactly once per code, however many callers race.
    pub fn consume_backup_code(&self, user: &str, hash: &[u8; 32]) -> Result<bool, StoreError> {
        dispatch!(self, b => b.consume_backup_code(user, hash))
    }

    pub fn backup_codes_left(&self, user: &str) -> Result<usize, StoreError> {
        dispatch!(self, b => b.backup_codes_left(user))
    }

    /// Forgets every second factor of `user` and ends all their sessions; returns the new epoch.
    pub fn reset_mfa(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        dispatch!(self, b => b.reset_mfa(user, now))
    }

    /// Turns two-step verification off for `user`, in one transaction: the authenticator
    /// (active and pending), backup codes, e-mail and SMS enrolments and codes, and every
    /// session and trusted device (a new epoch) go. Returns the epoch.
    pub fn turn_mfa_off(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        dispatch!(self, b => b.turn_mfa_off(user, now))
    }

    /// Records that `user` proved a code sent over `channel`; true when this enrolled it (the
    /// first time is kept).
    pub fn enrol_channel(&self, user: &str, channel: &str, now: u64) -> Result<bool, StoreError> {
        dispatch!(self, b => b.enrol_channel(user, channel, now))
    }

    /// When `user` enrolled `channel` ("email", "sms"), if they did.
    pub fn channel_enrolled(&self, user: &str, channel: &str) -> Result<Option<u64>, StoreError> {
        dispatch!(self, b => b.channel_enrolled(user, channel))
    }

    /// The time of the user's first successful password, recording `now` if there was none.
    pub fn first_login(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        dispatch!(self, b => b.first_login(user, now))
    }

    /// Records that `user` has just signed in completely (every factor their session needs).
    pub fn note_sign_in(&self, user: &str, now: u64) -> Result<(), StoreError> {
        dispatch!(self, b => b.note_sign_in(user, now))
    }

    /// When `user` last signed in completely, if ever (since this record was kept).
    pub fn last_sign_in(&self, user: &str) -> Result<Option<u64>, StoreError> {
        dispatch!(self, b => b.last_sign_in(user))
    }

    /// The users with a second factor in use (an active TOTP enrolment, or an e-mail or SMS
    /// channel proved), read at once: the overview of thousands of users is one read.
    pub fn enrolled_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        dispatch!(self, b => b.enrolled_users())
    }

    /// Every user's first successful password, read at once.
    pub fn first_login_times(&self) -> Result<std::collections::HashMap<String, u64>, StoreError> {
        dispatch!(self, b => b.first_login_times())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::seal::Sealed;

    fn rec() -> TotpRecordV1 {
        TotpRecordV1 {
            secret: Sealed {
                kid: "k".into(),
                nonce: "n".into(),
                ct: "c".into(),
            },
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            created: 1,
            last_step: 0,
            replaces: false,
            session: None,
        }
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("p.redb")).unwrap();
        (dir, s)
    }

    #[test]
    fn a_step_is_accepted_once_and_never_an_earlier_one_after_it() {
        let (_d, s) = store();
        s.put_pending_totp("alice", &rec()).unwrap();
        assert!(s.confirm_totp("alice", 100, &[], 0, false).unwrap());
        assert!(
            !s.accept_totp_step("alice", 100).unwrap(),
            "the confirming step is used"
        );
        assert!(s.accept_totp_step("alice", 101).unwrap());
        assert!(!s.accept_totp_step("alice", 101).unwrap());
        assert!(!s.accept_totp_step("alice", 100).unwrap());
        assert!(
            !s.accept_totp_step("bob", 500).unwrap(),
            "no enrolment, no acceptance"
        );
    }

    #[test]
    fn confirming_never_replaces_an_active_enrolment() {
        let (_d, s) = store();
        s.put_pending_totp("alice", &rec()).unwrap();
        assert!(s.confirm_totp("alice", 1, &[], 0, false).unwrap());
        s.put_pending_totp("alice", &rec()).unwrap();
        assert!(
            !s.confirm_totp("alice", 2, &[], 0, true).unwrap(),
            "a plain pending never replaces"
        );
        assert_eq!(s.totp("alice").unwrap().unwrap().last_step, 1);
        s.put_pending_totp(
            "alice",
            &TotpRecordV1 {
                replaces: true,
                ..rec()
            },
        )
        .unwrap();
        assert!(
            !s.confirm_totp("alice", 3, &[], 0, false).unwrap(),
            "not without a fresh factor"
        );
        assert!(s.confirm_totp("alice", 3, &[], 0, true).unwrap());
        assert_eq!(s.totp("alice").unwrap().unwrap().last_step, 3);
    }

    #[test]
    fn backup_codes_are_consumed_once_and_replaced_whole() {
        let (_d, s) = store();
        let a = [1u8; 32];
        let b = [2u8; 32];
        s.replace_backup_codes("alice", &[a, b], 0).unwrap();
        s.replace_backup_codes("alicia", &[a], 0).unwrap();
        assert_eq!(s.backup_codes_left("alice").unwrap(), 2);
        assert!(s.consume_backup_code("alice", &a).unwrap());
        assert!(!s.consume_backup_code("alice", &a).unwrap());
        s.replace_backup_codes("alice", &[[3u8; 32]], 0).unwrap();
        assert!(
            !s.consume_backup_code("alice", &b).unwrap(),
            "old set is dead"
        );
        assert_eq!(
            s.backup_codes_left("alicia").unwrap(),
            1,
            "a prefix-sharing user is untouched"
        );
    }

    #[test]
    fn reset_forgets_factors_and_bumps_the_epoch() {
        let (_d, s) = store();
        s.put_pending_totp("alice", &rec()).unwrap();
        s.confirm_totp("alice", 1, &[[1u8; 32]], 0, false).unwrap();
        assert_eq!(s.reset_mfa("alice", 77).unwrap(), 1);
        assert!(s.totp("alice").unwrap().is_none());
        assert_eq!(s.backup_codes_left("alice").unwrap(), 0);
        assert_eq!(s.user_epochs().unwrap(), vec![("alice".into(), 1)]);
    }

    #[test]
    fn first_login_is_recorded_once() {
        let (_d, s) = store();
        assert_eq!(s.first_login("alice", 10).unwrap(), 10);
        assert_eq!(s.first_login("alice", 20).unwrap(), 10);
    }
}
