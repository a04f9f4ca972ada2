//! Trusted devices and account lockouts.

use super::records::DeviceRecordV1;
use super::{dispatch, Store, StoreError};

/// Whose failures a sign-in attempt counts against, and which lockout it must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempter<'a> {
    /// Any client without a trusted device of the account: the account's shared count, across
    /// sessions and IPs, keyed by the user name as typed.
    Account(&'a str),
    /// The browser holding trusted device `id` of the account: its own count only, so that
    /// failures from other clients cannot lock it out.
    Device(&'a str),
}

impl Attempter<'_> {
    pub(crate) fn key(&self) -> &str {
        match self {
            Attempter::Account(k) | Attempter::Device(k) => k,
        }
    }

    /// "account" or "trusted device", for audit events.
    pub fn kind(&self) -> &'static str {
        match self {
            Attempter::Account(_) => "account",
            Attempter::Device(_) => "trusted device",
        }
    }
}

/// How lockouts grow: `base` for the first, doubling for each further one, capped.
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub base: u64,
    pub cap: u64,
}

impl LockoutPolicy {
    pub(crate) fn duration(&self, lockouts_before: u32) -> u64 {
        let factor = 1u64
            .checked_shl(lockouts_before.min(32))
            .unwrap_or(u64::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }
}

impl Store {
    pub fn put_device(&self, id: &str, rec: &DeviceRecordV1) -> Result<(), StoreError> {
        dispatch!(self, b => b.put_device(id, rec))
    }

    pub fn device(&self, id: &str) -> Result<Option<DeviceRecordV1>, StoreError> {
        dispatch!(self, b => b.device(id))
    }

    /// The devices of `user` (all users with None), with their ids.
    pub fn devices(&self, user: Option<&str>) -> Result<Vec<(String, DeviceRecordV1)>, StoreError> {
        dispatch!(self, b => b.devices(user))
    }

    /// Removes a device; with `user`, only when it belongs to that user. True when removed.
    pub fn revoke_device(&self, id: &str, user: Option<&str>) -> Result<bool, StoreError> {
        dispatch!(self, b => b.revoke_device(id, user))
    }

    pub fn touch_device(&self, id: &str, now: u64) -> Result<(), StoreError> {
        dispatch!(self, b => b.touch_device(id, now))
    }

    /// Drops expired devices.
    pub fn purge_devices(&self, now: u64) -> Result<usize, StoreError> {
        dispatch!(self, b => b.purge_devices(now))
    }

    /// When `who` is locked out at `now`, the time the lockout ends.
    pub fn locked_until(&self, who: Attempter<'_>, now: u64) -> Result<Option<u64>, StoreError> {
        dispatch!(self, b => b.locked_until(who, now))
    }

    /// Counts one failure of `who`; locks it when the count reaches `max_failures`, in one write
    /// transaction (no read-then-write race). Returns the end of the lockout this failure
    /// started, if it started one.
    pub fn record_failure(
        &self,
        who: Attempter<'_>,
        now: u64,
        policy: LockoutPolicy,
    ) -> Result<Option<u64>, StoreError> {
        dispatch!(self, b => b.record_failure(who, now, policy))
    }

    /// A success: the count (and the doubling) of `who` starts over.
    pub fn clear_failures(&self, who: Attempter<'_>) -> Result<(), StoreError> {
        dispatch!(self, b => b.clear_failures(who))
    }

    /// Ends every lockout of `user`: the account's and those of each of their trusted devices.
    pub fn clear_lockouts(&self, user: &str) -> Result<(), StoreError> {
        dispatch!(self, b => b.clear_lockouts(user))
    }

    /// What is locked at `now`, with the end of each lockout: accounts by user name, and
    /// trusted devices as "USER (trusted device ID)".
    pub fn lockouts(&self, now: u64) -> Result<Vec<(String, u64)>, StoreError> {
        dispatch!(self, b => b.lockouts(now))
    }

    /// Forgets failures older than a day whose lockout has ended.
    pub fn purge_lockouts(&self, now: u64) -> Result<usize, StoreError> {
        dispatch!(self, b => b.purge_lockouts(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: LockoutPolicy = LockoutPolicy {
        max_failures: 3,
        base: 300,
        cap: 3600,
    };

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("p.redb")).unwrap();
        (dir, s)
    }

    const ALICE: Attempter<'static> = Attempter::Account("alice");

    #[test]
    fn the_nth_failure_locks_and_each_further_lockout_doubles_up_to_an_hour() {
        let (_d, s) = store();
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), None);
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), None);
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), Some(300));
        assert_eq!(s.locked_until(ALICE, 10).unwrap(), Some(300));
        assert_eq!(s.locked_until(ALICE, 300).unwrap(), None);
        let mut ends = Vec::new();
        for round in 0..5u64 {
            let t = 1000 * (round + 1);
            s.record_failure(ALICE, t, POLICY).unwrap();
            s.record_failure(ALICE, t, POLICY).unwrap();
            ends.push(s.record_failure(ALICE, t, POLICY).unwrap().unwrap() - t);
        }
        assert_eq!(ends, vec![600, 1200, 2400, 3600, 3600]);
        assert_eq!(
            s.lockouts(5001).unwrap(),
            vec![("alice".into(), 5000 + 3600)]
        );
    }

    #[test]
    fn a_success_resets_the_count_and_the_doubling() {
        let (_d, s) = store();
        s.record_failure(ALICE, 0, POLICY).unwrap();
        s.record_failure(ALICE, 0, POLICY).unwrap();
        s.clear_failures(ALICE).unwrap();
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), None);
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), None);
        assert_eq!(s.record_failure(ALICE, 0, POLICY).unwrap(), Some(300));
    }

    #[test]
    fn a_trusted_device_counts_its_own_failures_apart_from_the_account() {
        let (_d, s) = store();
        let rec = DeviceRecordV1 {
            user: "alice".into(),
            created: 1,
            last_used: 1,
            expires: 100_000,
            user_agent: "ua".into(),
            ip: "127.0.0.1".into(),
            epoch: 0,
            pwf: "f".into(),
        };
        s.put_device("d1", &rec).unwrap();
        let device = Attempter::Device("d1");
        for _ in 0..3 {
            s.record_failure(ALICE, 0, POLICY).unwrap();
        }
        assert_eq!(s.locked_until(ALICE, 1).unwrap(), Some(300));
        assert_eq!(s.locked_until(device, 1).unwrap(), None, "not the device");
        // A user name typed as a device id is still an account key.
        assert_eq!(s.locked_until(Attempter::Account("d1"), 1).unwrap(), None);
        for _ in 0..3 {
            s.record_failure(device, 0, POLICY).unwrap();
        }
        assert_eq!(s.locked_until(device, 1).unwrap(), Some(300));
        assert_eq!(
            s.lockouts(1).unwrap(),
            vec![
                ("alice".into(), 300),
                ("alice (trusted device d1)".into(), 300)
            ]
        );
        s.clear_lockouts("alice").unwrap();
        assert_eq!(s.lockouts(1).unwrap(), vec![]);
    }

    #[test]
    fn devices_are_listed_per_user_and_revoked_only_by_their_owner() {
        let (_d, s) = store();
        let rec = |user: &str| DeviceRecordV1 {
            user: user.into(),
            created: 1,
            last_used: 1,
            expires: 100,
            user_agent: "ua".into(),
            ip: "127.0.0.1".into(),
            epoch: 0,
            pwf: "f".into(),
        };
        s.put_device("d1", &rec("alice")).unwrap();
        s.put_device("d2", &rec("bob")).unwrap();
        assert_eq!(s.devices(Some("alice")).unwrap().len(), 1);
        assert_eq!(s.devices(None).unwrap().len(), 2);
        assert!(!s.revoke_device("d2", Some("alice")).unwrap());
        assert!(s.revoke_device("d2", None).unwrap());
        assert_eq!(s.purge_devices(100).unwrap(), 1);
        assert!(s.device("d1").unwrap().is_none());
    }
}
