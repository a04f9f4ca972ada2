//! The store: the only owner of the embedded database (redb).
//!
//! Every table the gateway persists is declared here, and every read or write goes through
//! [`Store`]. Records are small versioned values kept apart from domain types, so that a
//! PostgreSQL backend can later sit behind the same methods.

mod keys;

pub use keys::{load_or_generate_key, KeyError};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableTable, TableDefinition};

/// Revoked session ids → the time (unix seconds) after which the token would have died anyway.
const REVOKED_SESSIONS: TableDefinition<&str, u64> = TableDefinition::new("revoked_sessions_v1");
/// User name → unix seconds; every session of that user issued before it is dead
/// (sign out everywhere, `user disable`, second-factor reset).
const USER_NOT_BEFORE: TableDefinition<&str, u64> = TableDefinition::new("user_not_before_v1");

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
    db: Arc<Database>,
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
        tx.open_table(USER_NOT_BEFORE)?;
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

    /// Kills every session of `user` issued before `at`.
    pub fn set_user_not_before(&self, user: &str, at: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        tx.open_table(USER_NOT_BEFORE)?.insert(user, at)?;
        tx.commit()?;
        Ok(())
    }

    pub fn users_not_before(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(USER_NOT_BEFORE)?;
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
            store.set_user_not_before("alice", 42).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.revoked_sessions().unwrap(), vec![("abc".into(), 100)]);
        assert_eq!(
            store.users_not_before().unwrap(),
            vec![("alice".into(), 42)]
        );
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
