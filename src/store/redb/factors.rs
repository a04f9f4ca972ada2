//! Second-factor tables in redb: TOTP enrolments (pending and active), backup code hashes,
//! first logins, enrolled code channels.
//!
//! Every check-and-update happens inside one redb write transaction. redb admits one writer at
//! a time, so "step > last accepted step" and "consume this backup code" are atomic across all
//! sessions and requests of the one process that holds the file.

use super::Redb;
use crate::store::records::TotpRecordV1;
use crate::store::StoreError;
use redb::{ReadableTable, TableDefinition};

/// Active TOTP enrolments, by user.
pub(super) const TOTP: TableDefinition<&str, &[u8]> = TableDefinition::new("totp_v1");
/// Enrolments waiting for their first correct code, by user.
pub(super) const TOTP_PENDING: TableDefinition<&str, &[u8]> =
    TableDefinition::new("totp_pending_v1");
/// "user\0hex(keyed hash)" → creation time. Only keyed hashes of backup codes are stored.
pub(super) const BACKUP_CODES: TableDefinition<&str, u64> = TableDefinition::new("backup_codes_v1");
/// User → time of the first successful password (starts the enrolment grace period).
pub(super) const FIRST_LOGIN: TableDefinition<&str, u64> = TableDefinition::new("first_login_v1");
/// "user\0channel" → when the user first proved a code sent over that channel (e-mail, SMS):
/// from then on it is one of their second factors.
/// user → when they last signed in completely.
pub(super) const LAST_SIGN_IN: TableDefinition<&str, u64> = TableDefinition::new("last_sign_in_v1");
pub(super) const CHANNELS: TableDefinition<&str, u64> = TableDefinition::new("code_channels_v1");

/// Inside a reset or a turn-off: codes already sent (they must not outlive it, e.g. after a
/// SIM swap), e-mail and SMS enrolments, and the user's trusted devices.
fn forget_codes_channels_and_devices(
    tx: &redb::WriteTransaction,
    user: &str,
) -> Result<(), StoreError> {
    let mut sent = tx.open_table(super::codes::SENT_CODES)?;
    let mut channels = tx.open_table(CHANNELS)?;
    for channel in ["email", "sms"] {
        let k = format!("{user}\0{channel}");
        sent.remove(k.as_str())?;
        channels.remove(k.as_str())?;
    }
    let mut devices = tx.open_table(super::guard::DEVICES)?;
    devices
        .extract_if(|_, v| {
            crate::store::records::DeviceRecordV1::from_bytes(v).is_some_and(|r| r.user == user)
        })?
        .for_each(drop);
    Ok(())
}

fn code_key(user: &str, hash: &[u8; 32]) -> String {
    let mut k = String::with_capacity(user.len() + 65);
    k.push_str(user);
    k.push('\0');
    for b in hash {
        k.push_str(&format!("{b:02x}"));
    }
    k
}

/// The key range holding every backup code of `user`.
fn user_range(user: &str) -> (String, String) {
    (format!("{user}\0"), format!("{user}\u{1}"))
}

fn record(bytes: Option<redb::AccessGuard<'_, &[u8]>>) -> Result<Option<TotpRecordV1>, StoreError> {
    match bytes {
        None => Ok(None),
        Some(b) => TotpRecordV1::from_bytes(b.value())
            .map(Some)
            .ok_or_else(|| StoreError::Db("unreadable TOTP record".into())),
    }
}

fn replace_codes(
    table: &mut redb::Table<'_, &str, u64>,
    user: &str,
    codes: &[[u8; 32]],
    now: u64,
) -> Result<(), StoreError> {
    let (from, to) = user_range(user);
    let old: Vec<String> = table
        .range(from.as_str()..to.as_str())?
        .filter_map(|r| r.ok().map(|(k, _)| k.value().to_owned()))
        .collect();
    for k in old {
        table.remove(k.as_str())?;
    }
    for h in codes {
        table.insert(code_key(user, h).as_str(), now)?;
    }
    Ok(())
}

impl Redb {
    pub fn totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(TOTP)?;
        record(table.get(user)?)
    }

    pub fn pending_totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(TOTP_PENDING)?;
        record(table.get(user)?)
    }

    pub fn put_pending_totp(&self, user: &str, rec: &TotpRecordV1) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(TOTP_PENDING)?
            .insert(user, rec.to_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
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
        let tx = self.db.begin_write()?;
        {
            let mut active = tx.open_table(TOTP)?;
            let has_active = active.get(user)?.is_some();
            let mut pending = tx.open_table(TOTP_PENDING)?;
            let Some(mut rec) = record(pending.get(user)?)? else {
                return Ok(false);
            };
            if has_active && !(may_replace && rec.replaces) {
                return Ok(false);
            }
            pending.remove(user)?;
            rec.last_step = step;
            rec.replaces = false;
            active.insert(user, rec.to_bytes().as_slice())?;
            replace_codes(&mut tx.open_table(BACKUP_CODES)?, user, codes, now)?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Records `step` as used if it is later than the last accepted step (RFC 6238 §5.2: a code
    /// is accepted at most once). True when the caller may accept the code.
    pub fn accept_totp_step(&self, user: &str, step: u64) -> Result<bool, StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(TOTP)?;
            let Some(mut rec) = record(table.get(user)?)? else {
                return Ok(false);
            };
            if step <= rec.last_step {
                return Ok(false);
            }
            rec.last_step = step;
            table.insert(user, rec.to_bytes().as_slice())?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Replaces every backup code of `user` with `codes` (hashes).
    pub fn replace_backup_codes(
        &self,
        user: &str,
        codes: &[[u8; 32]],
        now: u64,
    ) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        replace_codes(&mut tx.open_table(BACKUP_CODES)?, user, codes, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the code if present. True exactly once per code, however many callers race.
    pub fn consume_backup_code(&self, user: &str, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let tx = self.db.begin_write()?;
        let found = tx
            .open_table(BACKUP_CODES)?
            .remove(code_key(user, hash).as_str())?
            .is_some();
        if found {
            tx.commit()?;
        }
        Ok(found)
    }

    pub fn backup_codes_left(&self, user: &str) -> Result<usize, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(BACKUP_CODES)?;
        let (from, to) = user_range(user);
        Ok(table.range(from.as_str()..to.as_str())?.count())
    }

    /// Forgets every second factor of `user` and ends all their sessions; returns the new epoch.
    pub fn reset_mfa(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        let tx = self.db.begin_write()?;
        let epoch = {
            tx.open_table(TOTP)?.remove(user)?;
            tx.open_table(TOTP_PENDING)?.remove(user)?;
            replace_codes(&mut tx.open_table(BACKUP_CODES)?, user, &[], now)?;
            forget_codes_channels_and_devices(&tx, user)?;
            super::passkeys::forget_passkeys(&tx, user)?;
            super::bump_epoch(&mut tx.open_table(super::USER_EPOCH)?, user)?
        };
        tx.commit()?;
        Ok(epoch)
    }

    /// Turns two-step verification off for `user`, in one transaction: the authenticator
    /// (active and pending), backup codes, e-mail and SMS enrolments and codes, and every
    /// session and trusted device (a new epoch) go. Returns the epoch.
    pub fn turn_mfa_off(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        let tx = self.db.begin_write()?;
        let epoch = {
            tx.open_table(TOTP)?.remove(user)?;
            tx.open_table(TOTP_PENDING)?.remove(user)?;
            replace_codes(&mut tx.open_table(BACKUP_CODES)?, user, &[], now)?;
            forget_codes_channels_and_devices(&tx, user)?;
            super::passkeys::forget_passkeys(&tx, user)?;
            super::bump_epoch(&mut tx.open_table(super::USER_EPOCH)?, user)?
        };
        tx.commit()?;
        Ok(epoch)
    }

    /// Records that `user` proved a code sent over `channel`; true when this enrolled it (the
    /// first time is kept).
    pub fn enrol_channel(&self, user: &str, channel: &str, now: u64) -> Result<bool, StoreError> {
        let k = format!("{user}\0{channel}");
        {
            let tx = self.db.begin_read()?;
            if tx.open_table(CHANNELS)?.get(k.as_str())?.is_some() {
                return Ok(false);
            }
        }
        let tx = self.db.begin_write()?;
        let new = {
            let mut t = tx.open_table(CHANNELS)?;
            let new = t.get(k.as_str())?.is_none();
            if new {
                t.insert(k.as_str(), now)?;
            }
            new
        };
        tx.commit()?;
        Ok(new)
    }

    /// When `user` enrolled `channel` ("email", "sms"), if they did.
    pub fn channel_enrolled(&self, user: &str, channel: &str) -> Result<Option<u64>, StoreError> {
        let tx = self.db.begin_read()?;
        let t = tx
            .open_table(CHANNELS)?
            .get(format!("{user}\0{channel}").as_str())?
            .map(|v| v.value());
        Ok(t)
    }

    /// The time of the user's first successful password, recording `now` if there was none.
    pub fn first_login(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        {
            let tx = self.db.begin_read()?;
            if let Some(t) = tx.open_table(FIRST_LOGIN)?.get(user)? {
                return Ok(t.value());
            }
        }
        let tx = self.db.begin_write()?;
        let first = {
            let mut table = tx.open_table(FIRST_LOGIN)?;
            let existing = table.get(user)?.map(|t| t.value());
            match existing {
                Some(t) => t,
                None => {
                    table.insert(user, now)?;
                    now
                }
            }
        };
        tx.commit()?;
        Ok(first)
    }

    pub fn note_sign_in(&self, user: &str, now: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(LAST_SIGN_IN)?;
            let before = table.get(user)?.map(|t| t.value());
            // Two sign-ins at once may commit in either order; the later time wins.
            if before.is_none_or(|t| t < now) {
                table.insert(user, now)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn last_sign_in(&self, user: &str) -> Result<Option<u64>, StoreError> {
        let tx = self.db.begin_read()?;
        let at = tx.open_table(LAST_SIGN_IN)?.get(user)?.map(|t| t.value());
        Ok(at)
    }

    pub fn enrolled_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut users = std::collections::BTreeSet::new();
        for row in tx.open_table(TOTP)?.iter()? {
            users.insert(row?.0.value().to_owned());
        }
        for row in tx.open_table(CHANNELS)?.iter()? {
            let (key, _) = row?;
            // "user\0channel"
            if let Some((user, channel)) = key.value().split_once('\0') {
                if matches!(channel, "email" | "sms") {
                    users.insert(user.to_owned());
                }
            }
        }
        drop(tx);
        users.extend(self.passkey_users()?);
        Ok(users)
    }

    pub fn first_login_times(&self) -> Result<std::collections::HashMap<String, u64>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut times = std::collections::HashMap::new();
        for row in tx.open_table(FIRST_LOGIN)?.iter()? {
            let (k, v) = row?;
            times.insert(k.value().to_owned(), v.value());
        }
        Ok(times)
    }
}
