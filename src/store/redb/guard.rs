//! Trusted devices and lockout counts in redb.

use super::Redb;
use crate::store::records::{DeviceRecordV1, LockoutRecordV1};
use crate::store::{Attempter, LockoutPolicy, StoreError};
use redb::{ReadableTable, TableDefinition};

/// Device id → record.
pub(super) const DEVICES: TableDefinition<&str, &[u8]> = TableDefinition::new("devices_v1");
/// User name (as typed, for unknown names too) → failure record: failures from clients that
/// present no trusted device of the account.
pub(super) const LOCKOUTS: TableDefinition<&str, &[u8]> = TableDefinition::new("lockouts_v1");
/// Trusted device id → failure record: failures from the browser that holds that device cookie
/// (OWASP "device cookies"). A separate table, so no typed user name can name a device.
pub(super) const DEVICE_LOCKOUTS: TableDefinition<&str, &[u8]> =
    TableDefinition::new("device_lockouts_v1");

impl Redb {
    pub fn put_device(&self, id: &str, rec: &DeviceRecordV1) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(DEVICES)?
            .insert(id, rec.to_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
    }

    pub fn device(&self, id: &str) -> Result<Option<DeviceRecordV1>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DEVICES)?;
        let rec = table
            .get(id)?
            .and_then(|b| DeviceRecordV1::from_bytes(b.value()));
        Ok(rec)
    }

    /// The devices of `user` (all users with None), with their ids.
    pub fn devices(&self, user: Option<&str>) -> Result<Vec<(String, DeviceRecordV1)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DEVICES)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            if let Some(rec) = DeviceRecordV1::from_bytes(v.value()) {
                if user.is_none_or(|u| u == rec.user) {
                    out.push((k.value().to_owned(), rec));
                }
            }
        }
        out.sort_by_key(|(_, r)| std::cmp::Reverse(r.last_used));
        Ok(out)
    }

    /// Removes a device; with `user`, only when it belongs to that user. True when removed.
    pub fn revoke_device(&self, id: &str, user: Option<&str>) -> Result<bool, StoreError> {
        let tx = self.db.begin_write()?;
        let removed = {
            let mut table = tx.open_table(DEVICES)?;
            let owner = table
                .get(id)?
                .and_then(|b| DeviceRecordV1::from_bytes(b.value()))
                .map(|r| r.user);
            match owner {
                Some(o) if user.is_none_or(|u| u == o) => {
                    table.remove(id)?;
                    true
                }
                _ => false,
            }
        };
        tx.commit()?;
        Ok(removed)
    }

    pub fn touch_device(&self, id: &str, now: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(DEVICES)?;
            let rec = table
                .get(id)?
                .and_then(|b| DeviceRecordV1::from_bytes(b.value()));
            if let Some(mut rec) = rec {
                rec.last_used = now;
                table.insert(id, rec.to_bytes().as_slice())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Drops expired devices.
    pub fn purge_devices(&self, now: u64) -> Result<usize, StoreError> {
        let tx = self.db.begin_write()?;
        let n = {
            let mut table = tx.open_table(DEVICES)?;
            let n = table
                .extract_if(|_, v| DeviceRecordV1::from_bytes(v).is_none_or(|r| r.expires <= now))?
                .count();
            n
        };
        tx.commit()?;
        Ok(n)
    }

    /// When `who` is locked out at `now`, the time the lockout ends.
    pub fn locked_until(&self, who: Attempter<'_>, now: u64) -> Result<Option<u64>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(table(who))?;
        let rec = table
            .get(who.key())?
            .and_then(|b| LockoutRecordV1::from_bytes(b.value()));
        Ok(rec.map(|r| r.locked_until).filter(|t| *t > now))
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
        let tx = self.db.begin_write()?;
        let locked = {
            let mut table = tx.open_table(table(who))?;
            let mut rec = table
                .get(who.key())?
                .and_then(|b| LockoutRecordV1::from_bytes(b.value()))
                .unwrap_or_default();
            rec.failures = rec.failures.saturating_add(1);
            rec.last_failure = now;
            let locked = if rec.failures >= policy.max_failures.max(1) {
                rec.locked_until = now + policy.duration(rec.lockouts);
                rec.lockouts = rec.lockouts.saturating_add(1);
                rec.failures = 0;
                Some(rec.locked_until)
            } else {
                None
            };
            table.insert(who.key(), rec.to_bytes().as_slice())?;
            locked
        };
        tx.commit()?;
        Ok(locked)
    }

    /// A success: the count (and the doubling) of `who` starts over.
    pub fn clear_failures(&self, who: Attempter<'_>) -> Result<(), StoreError> {
        {
            let tx = self.db.begin_read()?;
            if tx.open_table(table(who))?.get(who.key())?.is_none() {
                return Ok(());
            }
        }
        let tx = self.db.begin_write()?;
        tx.open_table(table(who))?.remove(who.key())?;
        tx.commit()?;
        Ok(())
    }

    /// Ends every lockout of `user`: the account's and those of each of their trusted devices.
    pub fn clear_lockouts(&self, user: &str) -> Result<(), StoreError> {
        self.clear_failures(Attempter::Account(user))?;
        for (id, _) in self.devices(Some(user))? {
            self.clear_failures(Attempter::Device(&id))?;
        }
        Ok(())
    }

    /// What is locked at `now`, with the end of each lockout: accounts by user name, and
    /// trusted devices as "USER (trusted device ID)".
    pub fn lockouts(&self, now: u64) -> Result<Vec<(String, u64)>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut out = Vec::new();
        for row in tx.open_table(LOCKOUTS)?.iter()? {
            let (k, v) = row?;
            if let Some(r) = LockoutRecordV1::from_bytes(v.value()).filter(|r| r.locked_until > now)
            {
                out.push((k.value().to_owned(), r.locked_until));
            }
        }
        let devices = tx.open_table(DEVICES)?;
        for row in tx.open_table(DEVICE_LOCKOUTS)?.iter()? {
            let (k, v) = row?;
            if let Some(r) = LockoutRecordV1::from_bytes(v.value()).filter(|r| r.locked_until > now)
            {
                let id = k.value();
                let user = devices
                    .get(id)?
                    .and_then(|b| DeviceRecordV1::from_bytes(b.value()))
                    .map_or_else(|| "?".to_owned(), |d| d.user);
                out.push((format!("{user} (trusted device {id})"), r.locked_until));
            }
        }
        Ok(out)
    }

    /// Forgets failures older than a day whose lockout has ended.
    pub fn purge_lockouts(&self, now: u64) -> Result<usize, StoreError> {
        let tx = self.db.begin_write()?;
        let mut n = 0;
        for def in [LOCKOUTS, DEVICE_LOCKOUTS] {
            let mut table = tx.open_table(def)?;
            n += table
                .extract_if(|_, v| {
                    LockoutRecordV1::from_bytes(v)
                        .is_none_or(|r| r.locked_until <= now && r.last_failure + 86_400 <= now)
                })?
                .count();
        }
        tx.commit()?;
        Ok(n)
    }
}

/// The table holding the failure count of `who`.
fn table(who: Attempter<'_>) -> TableDefinition<'static, &'static str, &'static [u8]> {
    match who {
        Attempter::Account(_) => LOCKOUTS,
        Attempter::Device(_) => DEVICE_LOCKOUTS,
    }
}
