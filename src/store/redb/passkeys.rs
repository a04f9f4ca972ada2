//! Passkey tables in redb (see [`crate::store::passkeys`]): each rule is one write
//! transaction, and redb admits one writer at a time.

use redb::{ReadableTable, TableDefinition};

use super::Redb;
use crate::store::passkeys::PasskeyUse;
use crate::store::records::{CeremonyV1, PasskeyRecordV1};
use crate::store::StoreError;

/// Credential id (base64url) → record.
pub(super) const PASSKEYS: TableDefinition<&str, &[u8]> = TableDefinition::new("passkeys_v1");
/// Ceremony id → record; taken once.
pub(super) const CEREMONIES: TableDefinition<&str, &[u8]> =
    TableDefinition::new("webauthn_ceremonies_v1");

fn unreadable(id: &str) -> StoreError {
    StoreError::Db(format!("unreadable passkey record {id:?}"))
}

/// Inside a reset or a turn-off: every credential of `user`.
pub(super) fn forget_passkeys(tx: &redb::WriteTransaction, user: &str) -> Result<(), StoreError> {
    tx.open_table(PASSKEYS)?
        .extract_if(|_, v| PasskeyRecordV1::from_bytes(v).is_some_and(|r| r.user == user))?
        .for_each(drop);
    Ok(())
}

impl Redb {
    pub fn add_passkey(&self, id: &str, rec: &PasskeyRecordV1) -> Result<bool, StoreError> {
        let tx = self.db.begin_write()?;
        let added = {
            let mut t = tx.open_table(PASSKEYS)?;
            let taken = t.get(id)?.is_some();
            if !taken {
                t.insert(id, rec.to_bytes().as_slice())?;
            }
            !taken
        };
        tx.commit()?;
        Ok(added)
    }

    pub fn passkeys(&self, user: &str) -> Result<Vec<(String, PasskeyRecordV1)>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut out = Vec::new();
        for row in tx.open_table(PASSKEYS)?.iter()? {
            let (k, v) = row?;
            let rec =
                PasskeyRecordV1::from_bytes(v.value()).ok_or_else(|| unreadable(k.value()))?;
            if rec.user == user {
                out.push((k.value().to_owned(), rec));
            }
        }
        out.sort_by(|a, b| (a.1.created, &a.0).cmp(&(b.1.created, &b.0)));
        Ok(out)
    }

    pub fn passkey(&self, id: &str) -> Result<Option<PasskeyRecordV1>, StoreError> {
        let tx = self.db.begin_read()?;
        let rec = match tx.open_table(PASSKEYS)?.get(id)? {
            None => None,
            Some(v) => Some(PasskeyRecordV1::from_bytes(v.value()).ok_or_else(|| unreadable(id))?),
        };
        Ok(rec)
    }

    pub fn remove_passkey(&self, user: &str, id: &str) -> Result<bool, StoreError> {
        let tx = self.db.begin_write()?;
        let removed = {
            let mut t = tx.open_table(PASSKEYS)?;
            let theirs = t
                .get(id)?
                .and_then(|v| PasskeyRecordV1::from_bytes(v.value()))
                .is_some_and(|r| r.user == user);
            if theirs {
                t.remove(id)?;
            }
            theirs
        };
        tx.commit()?;
        Ok(removed)
    }

    pub fn use_passkey(
        &self,
        user: &str,
        id: &str,
        counter: u32,
        now: u64,
    ) -> Result<PasskeyUse, StoreError> {
        let tx = self.db.begin_write()?;
        let verdict = {
            let mut t = tx.open_table(PASSKEYS)?;
            let rec = t
                .get(id)?
                .and_then(|v| PasskeyRecordV1::from_bytes(v.value()))
                .filter(|r| r.user == user);
            match rec {
                None => PasskeyUse::Refused,
                Some(mut rec) => {
                    let verdict = PasskeyUse::decide(&rec, counter);
                    match verdict {
                        PasskeyUse::Accepted => {
                            rec.counter = counter;
                            rec.last_used = Some(now);
                        }
                        PasskeyUse::CounterWentBack => rec.clone_suspected = Some(now),
                        PasskeyUse::Refused => {}
                    }
                    if verdict != PasskeyUse::Refused {
                        t.insert(id, rec.to_bytes().as_slice())?;
                    }
                    verdict
                }
            }
        };
        tx.commit()?;
        Ok(verdict)
    }

    pub fn passkey_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let tx = self.db.begin_read()?;
        let mut users = std::collections::BTreeSet::new();
        for row in tx.open_table(PASSKEYS)?.iter()? {
            let (k, v) = row?;
            let rec =
                PasskeyRecordV1::from_bytes(v.value()).ok_or_else(|| unreadable(k.value()))?;
            users.insert(rec.user);
        }
        Ok(users)
    }

    pub fn put_ceremony(&self, id: &str, rec: &CeremonyV1) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(CEREMONIES)?
            .insert(id, rec.to_bytes().as_slice())?;
        tx.commit()?;
        Ok(())
    }

    pub fn take_ceremony(&self, id: &str) -> Result<Option<CeremonyV1>, StoreError> {
        let tx = self.db.begin_write()?;
        let rec = tx
            .open_table(CEREMONIES)?
            .remove(id)?
            .and_then(|v| CeremonyV1::from_bytes(v.value()));
        if rec.is_some() {
            tx.commit()?;
        }
        Ok(rec)
    }

    /// Drops ceremonies that expired unfinished.
    pub(super) fn purge_ceremonies(
        tx: &redb::WriteTransaction,
        now: u64,
    ) -> Result<usize, StoreError> {
        Ok(tx
            .open_table(CEREMONIES)?
            .extract_if(|_, v| CeremonyV1::from_bytes(v).is_none_or(|r| r.expires <= now))?
            .count())
    }
}
