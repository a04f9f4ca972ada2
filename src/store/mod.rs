//! The store: the only owner of persisted state, behind one interface with two backends.
//!
//! - [`redb`]: one embedded file, for one replica (DESIGN §10);
//! - [`postgres`]: a shared PostgreSQL for several replicas; every single-use rule is one
//!   statement, and revocations reach every replica by `LISTEN/NOTIFY` (see that module).
//!
//! Every read or write goes through [`Store`], whose methods are the interface: each names an
//! operation of the domain ("accept TOTP step", "consume backup code"), never a read-modify-write
//! sequence for the caller to get right. Records are small versioned values kept apart from
//! domain types. Methods block (redb does file I/O, PostgreSQL a round trip): callers run them
//! on the blocking pool ([`crate::app::blocking`]).

mod audit;
mod codes;
mod factors;
mod guard;
mod keys;
pub mod migrate;
mod passkeys;
pub mod postgres;
pub mod records;
pub mod redb;
pub mod seal;

pub(crate) use codes::admit_send;
pub use codes::{CodeRules, Consumed, Issued};
pub use guard::{Attempter, LockoutPolicy};
pub use keys::{load_or_generate_key, KeyError};
pub use passkeys::PasskeyUse;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: ::redb::DatabaseError,
    },
    #[error("database error: {0}")]
    Db(String),
    /// The shared store cannot be reached (down, restarting, timed out): a 503, retried later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

macro_rules! db_err {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self { StoreError::Db(e.to_string()) }
        }
    )*};
}
db_err!(
    ::redb::TransactionError,
    ::redb::TableError,
    ::redb::StorageError,
    ::redb::CommitError
);

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    backend: Arc<Backend>,
    /// How current this replica's copy of the revocations is (PostgreSQL); always current
    /// with redb.
    freshness: Arc<Freshness>,
}

/// How current a replica's copy of the revocations is: when it last heard from the shared
/// store (see [`postgres::follow`]), and the bound past which it may not act on it.
#[derive(Debug)]
pub struct Freshness {
    started: std::time::Instant,
    /// Milliseconds since `started` up to which every revocation is applied, or [`NEVER`].
    heard: AtomicU64,
    /// `revocation_staleness` in milliseconds, or [`NEVER`] when nothing is followed (redb).
    bound: AtomicU64,
}

/// "Never heard" / "not following".
const NEVER: u64 = u64::MAX;

impl Default for Freshness {
    fn default() -> Self {
        Freshness {
            started: std::time::Instant::now(),
            heard: AtomicU64::new(NEVER),
            bound: AtomicU64::new(NEVER),
        }
    }
}

impl Freshness {
    /// Milliseconds on this replica's clock.
    pub fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// Every revocation committed before `at` (a time of [`Freshness::now`]) is applied.
    pub fn heard_at(&self, at: u64) {
        let _ = self
            .heard
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |h| {
                (h == NEVER || h < at).then_some(at)
            });
    }

    /// From now on, stale when nothing is heard for `bound` (and until something is).
    fn follow(&self, bound: std::time::Duration) {
        let ms = u64::try_from(bound.as_millis()).unwrap_or(NEVER - 1);
        self.bound.store(ms, Ordering::Relaxed);
    }

    /// Milliseconds since the store was last heard from ([`NEVER`] if it never was), when
    /// following.
    pub fn silent_for(&self) -> Option<u64> {
        if self.bound.load(Ordering::Relaxed) == NEVER {
            return None;
        }
        match self.heard.load(Ordering::Relaxed) {
            NEVER => Some(NEVER),
            h => Some(self.now().saturating_sub(h)),
        }
    }

    /// True when the copy may miss a revocation: computed on each call from the clock (no
    /// timer has to run first — a replica that was paused is stale the moment it wakes).
    pub fn is_stale(&self) -> bool {
        let bound = self.bound.load(Ordering::Relaxed);
        if bound == NEVER {
            return false;
        }
        let heard = self.heard.load(Ordering::Relaxed);
        heard == NEVER || self.now().saturating_sub(heard) > bound
    }
}

// Allocated once per process behind the store's `Arc`: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Redb(redb::Redb),
    Postgres(postgres::Pg),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

/// Calls the same method on whichever backend this store is.
macro_rules! dispatch {
    ($self:ident, $b:ident => $call:expr) => {
        match &*$self.backend {
            $crate::store::Backend::Redb($b) => $call,
            $crate::store::Backend::Postgres($b) => $call,
        }
    };
}
use dispatch;

/// What a follower calls with the revocations it hears of (see [`Store::follow_revocations`]).
pub type Mirror = Arc<dyn Fn(&[Revocation]) + Send + Sync>;

/// A change to the revocations that another replica (or the CLI) made, as a follower hears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// Session `sid` is revoked until the given time.
    Session(String, u64),
    /// The user's session epoch is now the given one.
    Epoch(String, u64),
}

impl Store {
    /// Opens (or creates) the redb file, creating its directory with mode 0700.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::with(Backend::Redb(redb::Redb::open(path)?)))
    }

    /// Connects to PostgreSQL at `url` (see [`postgres::Pg::connect`]).
    pub fn connect(url: &str, password: Option<&[u8]>) -> Result<Store, StoreError> {
        Ok(Store::with(Backend::Postgres(postgres::Pg::connect(
            url, password,
        )?)))
    }

    /// The store `[storage]` names: PostgreSQL when `url` is set (connected, migrated), else
    /// the redb file at `path`.
    pub fn from_config(storage: &crate::config::Storage) -> Result<Store, StoreError> {
        match &storage.url {
            Some(url) => {
                let store = Store::connect(url, storage.password.as_ref().map(|p| p.expose()))?;
                if let Backend::Postgres(pg) = &*store.backend {
                    pg.set_staleness(storage.revocation_staleness);
                }
                Ok(store)
            }
            None => Store::open(&storage.path),
        }
    }

    fn with(backend: Backend) -> Store {
        Store {
            backend: Arc::new(backend),
            freshness: Default::default(),
        }
    }

    /// Copies every record of this redb store into the PostgreSQL store `to`, once per store
    /// (see [`migrate`]).
    ///
    /// Errors: this store is not redb or `to` not PostgreSQL; an unreadable record; the
    /// copy failing (then nothing was copied).
    pub fn copy_into(&self, to: &Store) -> Result<migrate::Copied, StoreError> {
        match (&*self.backend, &*to.backend) {
            (Backend::Redb(from), Backend::Postgres(pg)) => {
                pg.import(from.export()?, &format!("redb:{}", from.store_id()?))
            }
            _ => Err(StoreError::Db(
                "migrate copies a redb store into PostgreSQL".into(),
            )),
        }
    }

    /// "redb" or "postgres", for logs and `readyz`.
    pub fn kind(&self) -> &'static str {
        match &*self.backend {
            Backend::Redb(_) => "redb",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// True while revocations may be missing here: signed-in requests must fail closed. One
    /// relaxed load with redb; with PostgreSQL two and a monotonic clock read, on the request
    /// path.
    pub fn revocations_stale(&self) -> bool {
        self.freshness.is_stale()
    }

    /// Keeps this replica's copy of the revocations current: `apply` is called with every
    /// revocation and epoch another replica makes (and with all of them at once after a
    /// reconnection, and every minute). With redb, this process makes every change itself: nothing to follow.
    /// With PostgreSQL, a replica that has not heard from the store for `staleness` is stale
    /// ([`Store::revocations_stale`]) until it has.
    pub fn follow_revocations(
        &self,
        apply: impl Fn(&[Revocation]) + Send + Sync + 'static,
        staleness: std::time::Duration,
    ) {
        if let Backend::Postgres(pg) = &*self.backend {
            self.freshness.follow(staleness);
            pg.follow(Arc::new(apply), staleness, self.freshness.clone());
        }
    }

    /// Records that session `sid` is revoked until `until` (its natural expiry), and tells
    /// every replica.
    pub fn revoke_session(&self, sid: &str, until: u64) -> Result<(), StoreError> {
        dispatch!(self, b => b.revoke_session(sid, until))
    }

    pub fn revoked_sessions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        dispatch!(self, b => b.revoked_sessions())
    }

    /// Ends every session of `user` (on every replica): returns the new epoch.
    pub fn bump_user_epoch(&self, user: &str) -> Result<u64, StoreError> {
        dispatch!(self, b => b.bump_user_epoch(user))
    }

    pub fn user_epochs(&self) -> Result<Vec<(String, u64)>, StoreError> {
        dispatch!(self, b => b.user_epochs())
    }

    /// Drops revocation records whose tokens have expired on their own.
    pub fn purge_expired(&self, now: u64) -> Result<usize, StoreError> {
        dispatch!(self, b => b.purge_expired(now))
    }

    /// True when the store answers a read.
    pub fn is_ready(&self) -> bool {
        dispatch!(self, b => b.is_ready())
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
