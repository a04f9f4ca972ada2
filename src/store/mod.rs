//! The store: the only owner of the embedded database (redb).
//!
//! Every table the gateway persists is declared here, and every read or write goes through
//! [`Store`]. Records are small versioned values kept apart from domain types, so that a
//! PostgreSQL backend can later sit behind the same methods.

mod audit;
mod codes;
mod factors;
mod guard;
mod keys;
pub mod records;
pub mod seal;

pub use codes::{CodeRules, Consumed, Issued};
pub use guard::{Attempter, LockoutPolicy};
pub use keys::{load_or_generate_key, KeyError};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableTable, TableDefinition};

/// Revoked session ids → the time (unix seconds) after which the token would have died anyway.
const REVOKED_SESSIONS: TableDefinition<&str, u64> = TableDefinition::new("revoked_sessions_v1");
/// User name → session epoch. Bumping it kills every session of that user at once (sign out
/// everywhere, second-factor reset); tokens carry the epoch they were issued in.
const USER_EPOCH: TableDefinition<&str, u64> = TableDefinition::new("user_epoch_v1");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: redb::DatabaseError,
    },
    #[error("database error: {0}")]
    Db(String),
}

macro_rules! db_err {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self { StoreError::Db(e.to_string()) }
        }
    )*};
}
db_err!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Arc<Database>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Opens (or creates) the database file, creating its directory with mode 0700.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)
                .map_err(|e| StoreError::Db(format!("{}: {e}", dir.display())))?;
        }
        let db = Database::create(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Store { db: Arc::new(db) };
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
        tx.open_table(factors::CHANNELS)?;
        tx.open_table(audit::AUDIT)?;
        tx.open_table(guard::DEVICES)?;
        tx.open_table(guard::LOCKOUTS)?;
        tx.open_table(guard::DEVICE_LOCKOUTS)?;
        tx.open_table(codes::SENT_CODES)?;
        tx.commit()?;
        Ok(())
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
            n
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

fn bump_epoch(table: &mut redb::Table<'_, &str, u64>, user: &str) -> Result<u64, StoreError> {
    let next = table.get(user)?.map_or(0, |e| e.value()) + 1;
    table.insert(user, next)?;
    Ok(next)
}

/// Creates `dir` (and parents) readable by the owner only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocations_survive_reopening_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db/p.redb");
        {
            let store = Store::open(&path).unwrap();
            store.revoke_session("abc", 100).unwrap();
            store.bump_user_epoch("alice").unwrap();
            store.bump_user_epoch("alice").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.revoked_sessions().unwrap(), vec![("abc".into(), 100)]);
        assert_eq!(store.user_epochs().unwrap(), vec![("alice".into(), 2)]);
    }

    #[test]
    fn purge_drops_only_expired_revocations() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.redb")).unwrap();
        store.revoke_session("old", 10).unwrap();
        store.revoke_session("new", 1000).unwrap();
        assert_eq!(store.purge_expired(500).unwrap(), 1);
        assert_eq!(
            store.revoked_sessions().unwrap(),
            vec![("new".into(), 1000)]
        );
    }
}
