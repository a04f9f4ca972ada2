//! Every record of the redb file, for `migrate` (see [`crate::store::migrate`]).

use redb::{ReadableTable, TableDefinition};

use super::audit::AUDIT;
use super::codes::SENT_CODES;
use super::factors::{BACKUP_CODES, CHANNELS, FIRST_LOGIN, LAST_SIGN_IN, TOTP, TOTP_PENDING};
use super::guard::{DEVICES, DEVICE_LOCKOUTS, LOCKOUTS};
use super::passkeys::PASSKEYS;
use super::{Redb, REVOKED_SESSIONS, USER_EPOCH};
use crate::store::audit::decode;
use crate::store::migrate::Dump;
use crate::store::records::{
    DeviceRecordV1, LockoutRecordV1, PasskeyRecordV1, SentCodeV1, TotpRecordV1,
};
use crate::store::StoreError;

fn unreadable(what: &str, key: &str) -> StoreError {
    StoreError::Db(format!("unreadable {what} record {key:?}"))
}

/// "user\0rest" keys: (user, rest).
fn split(key: &str, what: &str) -> Result<(String, String), StoreError> {
    key.split_once('\0')
        .map(|(u, r)| (u.to_owned(), r.to_owned()))
        .ok_or_else(|| unreadable(what, key))
}

fn hex(s: &str) -> Option<Vec<u8>> {
    s.len()
        .is_multiple_of(2)
        .then(|| {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

fn numbers(
    tx: &redb::ReadTransaction,
    def: TableDefinition<&str, u64>,
) -> Result<Vec<(String, u64)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open_table(def)?.iter()? {
        let (k, v) = row?;
        out.push((k.value().to_owned(), v.value()));
    }
    Ok(out)
}

fn records<T>(
    tx: &redb::ReadTransaction,
    def: TableDefinition<&str, &[u8]>,
    what: &str,
    read: impl Fn(&[u8]) -> Option<T>,
) -> Result<Vec<(String, T)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open_table(def)?.iter()? {
        let (k, v) = row?;
        let key = k.value().to_owned();
        let rec = read(v.value()).ok_or_else(|| unreadable(what, &key))?;
        out.push((key, rec));
    }
    Ok(out)
}

impl Redb {
    /// Everything, read in one transaction (a consistent snapshot).
    ///
    /// Errors: a record this version cannot read (nothing is skipped silently).
    pub fn export(&self) -> Result<Dump, StoreError> {
        let tx = self.db.begin_read()?;
        let mut dump = Dump {
            revoked: numbers(&tx, REVOKED_SESSIONS)?,
            epochs: numbers(&tx, USER_EPOCH)?,
            totp: records(&tx, TOTP, "TOTP", TotpRecordV1::from_bytes)?,
            pending: records(&tx, TOTP_PENDING, "pending TOTP", TotpRecordV1::from_bytes)?,
            first_logins: numbers(&tx, FIRST_LOGIN)?,
            last_sign_ins: numbers(&tx, LAST_SIGN_IN)?,
            devices: records(&tx, DEVICES, "device", DeviceRecordV1::from_bytes)?,
            passkeys: records(&tx, PASSKEYS, "passkey", PasskeyRecordV1::from_bytes)?,
            ..Dump::default()
        };
        for (key, created) in numbers(&tx, BACKUP_CODES)? {
            let (user, h) = split(&key, "backup code")?;
            let hash = hex(&h).ok_or_else(|| unreadable("backup code", &key))?;
            dump.backup_codes.push((user, hash, created));
        }
        for (key, at) in numbers(&tx, CHANNELS)? {
            let (user, channel) = split(&key, "channel")?;
            dump.channels.push((user, channel, at));
        }
        for (kind, def) in [("account", LOCKOUTS), ("device", DEVICE_LOCKOUTS)] {
            for (key, rec) in records(&tx, def, "lockout", LockoutRecordV1::from_bytes)? {
                dump.lockouts.push((kind, key, rec));
            }
        }
        for (key, rec) in records(&tx, SENT_CODES, "sent code", SentCodeV1::from_bytes)? {
            let (user, channel) = split(&key, "sent code")?;
            dump.sent_codes.push((user, channel, rec));
        }
        for row in tx.open_table(AUDIT)?.iter()? {
            let (_, v) = row?;
            dump.audit.push(decode(v.value())?);
        }
        Ok(dump)
    }
}

#[cfg(test)]
mod tests {
    use super::hex;

    #[test]
    fn hex_keys_decode_and_odd_or_foreign_ones_do_not() {
        assert_eq!(hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex("0"), None);
        assert_eq!(hex("zz"), None);
        assert_eq!(hex("é0"), None);
    }
}
