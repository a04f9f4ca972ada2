//! The embedded backend: one redb file, one process (DESIGN §10, one replica).

mod audit;
mod codes;
mod export;
mod factors;
mod guard;
mod passkeys;

use std::path::Path;

use redb::{Database, ReadableTable, TableDefinition};

use super::{create_private_dir, StoreError};

/// Revoked session ids → the time (unix seconds) after which the token would have died anyway.
const REVOKED_SESSIONS: TableDefinition<&str, u64> = TableDefinition::new("revoked_sessions_v1");
/// Facts about the store itself ("store_id").
const META: TableDefinition<&str, &str> = TableDefinition::new("meta_v1");
/// User name → session epoch. Bumping it kills every session of that user at once (sign out
/// everywhere, second-factor reset); tokens carry the epoch they were issued in.
const USER_EPOCH: TableDefinition<&str, u64> = TableDefinition::new("user_epoch_v1");

/// The open database file.
pub struct Redb {
    db: Database,
}

impl Redb {
    /// Opens (or creates) the database file, creating its directory with mode 0700.
    pub fn open(path: &Path) -> Result<Redb, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)
                .map_err(|e| StoreError::Db(format!("{}: {e}", dir.display())))?;
        }
        let db = Database::create(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Redb { db };
        store.create_tables()?;
        Ok(store)
    }

    fn create_tables(&self) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(REVOKED_SESSIONS)?;
        tx.open_table(USER_EPOCH)?;
        tx.open_table(factors::TOTP)?;
        tx.open_table(factors::TOTP_PENDING)?;
        tx.open_table(factors::BACKUP_CODES)?;
        tx.open_table(factors::FIRST_LOGIN)?;
        tx.open_table(factors::LAST_SIGN_IN)?;
        tx.open_table(factors::CHANNELS)?;
        tx.open_table(audit::AUDIT)?;
        tx.open_table(guard::DEVICES)?;
        tx.open_table(guard::LOCKOUTS)?;
        tx.open_table(guard::DEVICE_LOCKOUTS)?;
        tx.open_table(codes::SENT_CODES)?;
        tx.open_table(passkeys::PASSKEYS)?;
        tx.open_table(passkeys::CEREMONIES)?;
        {
            // A name for this store that travels with the file (not its path): `migrate`
            // copies each store once.
            let mut meta = tx.open_table(META)?;
            if meta.get("store_id")?.is_none() {
                use rand::Rng;
                let bytes: [u8; 16] = rand::thread_rng().gen();
                let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                meta.insert("store_id", id.as_str())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// This store's random name, made when the file was first opened by this version.
    pub fn store_id(&self) -> Result<String, StoreError> {
        let tx = self.db.begin_read()?;
        let id = tx
            .open_table(META)?
            .get("store_id")?
            .map(|v| v.value().to_owned())
            .unwrap_or_default();
        Ok(id)
    }

    /// Records that session `sid` is revoked until `until` (its natural expiry).
    pub fn revoke_session(&self, sid: &str, until: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(REVOKED_SESSIONS)?.insert(sid, until)?;
        tx.commit()?;
        Ok(())
    }

    pub fn revoked_sessions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(REVOKED_SESSIONS)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            out.push((k.value().to_owned(), v.value()));
        }
        Ok(out)
    }

    /// Ends every session of `user`: returns the new epoch.
    pub fn bump_user_epoch(&self, user: &str) -> Result<u64, StoreError> {
        let tx = self.db.begin_write()?;
        let epoch = bump_epoch(&mut tx.open_table(USER_EPOCH)?, user)?;
        tx.commit()?;
        Ok(epoch)
    }

    pub fn user_epochs(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(USER_EPOCH)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            out.push((k.value().to_owned(), v.value()));
        }
        Ok(out)
    }

    /// Drops revocation records whose tokens have expired on their own.
    pub fn purge_expired(&self, now: u64) -> Result<usize, StoreError> {
        let tx = self.db.begin_write()?;
        let removed = {
            let mut table = tx.open_table(REVOKED_SESSIONS)?;
            let n = table.extract_if(|_, until| until <= now)?.count();
            n + Redb::purge_ceremonies(&tx, now)?
        };
        tx.commit()?;
        Ok(removed)
    }

    /// True when the database answers a read.
    pub fn is_ready(&self) -> bool {
        self.db
            .begin_read()
            .map(|tx| tx.open_table(REVOKED_SESSIONS).is_ok())
            .unwrap_or(false)
    }
}

pub(super) fn bump_epoch(
    table: &mut redb::Table<'_, &str, u64>,
    user: &str,
) -> Result<u64, StoreError> {
    let next = table.get(user)?.map_or(0, |e| e.value()) + 1;
    table.insert(user, next)?;
    Ok(next)
}
