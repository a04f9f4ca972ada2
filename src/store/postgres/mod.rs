//! The shared backend: PostgreSQL, for several replicas behind one load balancer (DESIGN §10).
//!
//! - **Single-use rules are single statements**, so they hold across replicas without a
//!   read-then-write race: `UPDATE totp … WHERE last_step < $step` (RFC 6238 §5.2), `DELETE`
//!   of a backup code, one `INSERT … ON CONFLICT DO UPDATE` per lockout count, and an `UPDATE`
//!   of the sent code whose row lock orders concurrent attempts ([`codes`]).
//! - **Multi-row changes are one transaction** (an enrolment with its backup codes, an MFA
//!   reset): all there or not at all, whichever replica or connection dies.
//! - **Revocations reach every replica**: a revocation or epoch bump sends `NOTIFY` in its
//!   own transaction, and each replica `LISTEN`s ([`follow`]).
//! - **Schema**: versioned migrations, applied at start under an advisory lock ([`schema`]).
//!
//! The driver is async (tokio-postgres, pooled by deadpool-postgres) while the store's
//! interface blocks (callers are on the blocking pool, the CLI, or start-up code). Each
//! backend owns a small runtime of its own; a call spawns its future there and waits on a
//! channel. So a call works from any thread, even a runtime worker, without nesting
//! runtimes, and the connections' tasks live as long as the store. Every call has a deadline
//! ([`OP_TIMEOUT`]): a database that does not answer is a [`StoreError::Unavailable`] (503),
//! not a hang.

mod audit;
mod codes;
mod factors;
pub(crate) mod follow;
mod guard;
mod import;
mod passkeys;
pub(crate) mod schema;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::StoreError;

/// Longest wait for one store operation, connection included.
pub const OP_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per replica: the blocking pool runs many store calls at once, PostgreSQL's
/// default allows 100 connections in all.
const POOL_SIZE: usize = 16;
/// The channel revocations are announced on.
pub(crate) const CHANNEL: &str = "portcullis_revocations";

/// A parameter moved into the store's runtime.
pub(crate) type Param = Box<dyn ToSql + Send + Sync>;

/// A transaction body: runs on the store's runtime with the open transaction.
pub(crate) type TxBody<T> = Box<
    dyn for<'a> FnOnce(
            &'a tokio_postgres::Transaction<'a>,
        ) -> Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>
        + Send,
>;

/// The connected pool, with the runtime its connections live on.
pub struct Pg {
    pool: Pool,
    connect: Connect,
    rt: Runtime,
    /// `revocation_staleness` in milliseconds: who counts as a live replica when a revocation
    /// waits for acknowledgements.
    staleness_ms: std::sync::atomic::AtomicU64,
    /// This replica's row in `replicas`, once it follows revocations.
    id: String,
    following: std::sync::atomic::AtomicBool,
}

impl Drop for Pg {
    /// A replica that stops leaves `replicas`, so that revocations made after it do not wait
    /// for it (a replica that dies is waited for until it is surely stale).
    fn drop(&mut self) {
        if !self.following.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let id = self.id.clone();
        let gone = self.run_for(Duration::from_secs(1), |pool| async move {
            let client = pool.get().await.map_err(unavailable)?;
            client
                .execute("DELETE FROM replicas WHERE id = $1", &[&id])
                .await?;
            Ok(())
        });
        if let Err(e) = gone {
            tracing::debug!(error = %e, "could not leave the replicas table");
        }
    }
}

/// The default of `[storage] revocation_staleness`.
const DEFAULT_STALENESS: Duration = Duration::from_secs(5);

/// What every connection (pooled or listening) is made from.
#[derive(Clone)]
pub(crate) struct Connect {
    pub config: tokio_postgres::Config,
    pub tls: Tls,
    pub mode: TlsMode,
}

/// The connector [`TlsMode`] chose.
#[derive(Clone)]
pub(crate) enum Tls {
    Off,
    On(tokio_postgres_rustls::MakeRustlsConnect),
}

/// The store's own runtime; shut down without waiting when the store goes (a drop may
/// happen inside another runtime, where blocking is not allowed).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Runtime {
    fn handle(&self) -> &tokio::runtime::Handle {
        // Some until dropped.
        #[allow(clippy::unwrap_used)]
        self.0.as_ref().unwrap().handle()
    }
}

/// A failure of the connection or the pool: the store is unavailable (503, retried later).
/// The message carries the whole chain of causes ("error connecting to server: Connection
/// refused"), for the log.
fn unavailable(e: impl std::error::Error) -> StoreError {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.ends_with(&next) {
            text = format!("{text}: {next}");
        }
        source = s.source();
    }
    StoreError::Unavailable(text)
}

/// A message as an unavailable store.
fn unavailable_because(why: &str) -> StoreError {
    StoreError::Unavailable(why.to_owned())
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        // A statement the server refused is a database error; anything about the connection
        // (closed, I/O, timeout) means the store is unavailable.
        if let Some(db) = e.as_db_error() {
            return StoreError::Db(format!("{}: {}", db.code().code(), db.message()));
        }
        let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        if e.is_closed() || io {
            unavailable(e)
        } else {
            StoreError::Db(e.to_string())
        }
    }
}

impl Pg {
    /// Connects to `url` (a `postgres://` URL; `password` overrides the URL's), checks that
    /// the server answers, and migrates the schema.
    ///
    /// Errors: a malformed URL or `sslrootcert`, an unreachable server or refused login
    /// (after [`OP_TIMEOUT`]), a failed migration.
    pub fn connect(url: &str, password: Option<&[u8]>) -> Result<Pg, StoreError> {
        let connect = Connect::parse(url, password)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("portcullis-store")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Db(format!("cannot start the store's runtime: {e}")))?;
        let manager = match &connect.tls {
            Tls::Off => Manager::from_config(
                connect.config.clone(),
                tokio_postgres::NoTls,
                manager_config(),
            ),
            Tls::On(tls) => {
                Manager::from_config(connect.config.clone(), tls.clone(), manager_config())
            }
        };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(OP_TIMEOUT))
            .create_timeout(Some(OP_TIMEOUT))
            .recycle_timeout(Some(OP_TIMEOUT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Db(e.to_string()))?;
        let pg = Pg {
            pool,
            connect,
            rt: Runtime(Some(rt)),
            staleness_ms: std::sync::atomic::AtomicU64::new(DEFAULT_STALENESS.as_millis() as u64),
            id: follow::replica_id(),
            following: Default::default(),
        };
        let shown = redacted(url);
        pg.run(|pool| async move {
            let mut client = pool.get().await.map_err(unavailable)?;
            schema::migrate(&mut client).await
        })
        .map_err(|e| match e {
            StoreError::Unavailable(why) => {
                StoreError::Unavailable(format!("cannot reach PostgreSQL at {shown}: {why}"))
            }
            e => e,
        })?;
        Ok(pg)
    }

    /// Runs `f` on the store's runtime and waits for it, at most [`OP_TIMEOUT`].
    pub(crate) fn run<T, F, Fut>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
        T: Send + 'static,
    {
        self.run_for(OP_TIMEOUT, f)
    }

    /// [`Pg::run`] with another deadline.
    pub(crate) fn run_for<T, F, Fut>(&self, limit: Duration, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
        T: Send + 'static,
    {
        let fut = f(self.pool.clone());
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.rt.handle().spawn(async move {
            let r = tokio::time::timeout(limit, fut)
                .await
                .unwrap_or_else(|_| Err(unavailable_because("no answer in time")));
            let _ = tx.send(r);
        });
        rx.recv()
            .map_err(|_| unavailable_because("the store's runtime has stopped"))?
    }

    /// Runs one statement and returns its rows.
    pub(crate) fn query(
        &self,
        sql: &'static str,
        params: Vec<Param>,
    ) -> Result<Vec<Row>, StoreError> {
        self.run(move |pool| async move {
            let client = pool.get().await.map_err(unavailable)?;
            let stmt = client.prepare_cached(sql).await?;
            Ok(client.query(&stmt, &refs(&params)).await?)
        })
    }

    /// Runs one statement and returns the number of rows it changed.
    pub(crate) fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        self.run(move |pool| async move {
            let client = pool.get().await.map_err(unavailable)?;
            let stmt = client.prepare_cached(sql).await?;
            Ok(client.execute(&stmt, &refs(&params)).await?)
        })
    }

    /// Runs `body` in one transaction, committed when it returns `Ok`.
    pub(crate) fn transaction<T: Send + 'static>(&self, body: TxBody<T>) -> Result<T, StoreError> {
        self.transaction_for(OP_TIMEOUT, body)
    }

    /// [`Pg::transaction`] with another deadline.
    pub(crate) fn transaction_for<T: Send + 'static>(
        &self,
        limit: Duration,
        body: TxBody<T>,
    ) -> Result<T, StoreError> {
        self.run_for(limit, move |pool| async move {
            let mut client = pool.get().await.map_err(unavailable)?;
            let tx = client.transaction().await?;
            let out = body(&tx).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    /// Sets `revocation_staleness` (see [`follow`]).
    pub fn set_staleness(&self, staleness: Duration) {
        let ms = u64::try_from(staleness.as_millis()).unwrap_or(u64::MAX);
        self.staleness_ms
            .store(ms, std::sync::atomic::Ordering::Relaxed);
    }

    fn staleness(&self) -> Duration {
        Duration::from_millis(self.staleness_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// After a committed revocation: waits until every replica that must have it has applied
    /// it (see [`follow::await_acks`]): milliseconds, or `staleness` and a little more while a
    /// replica is silent.
    pub(crate) fn acknowledged(&self, seq: i64) -> Result<(), StoreError> {
        let staleness = self.staleness();
        let limit = staleness + follow::grace(staleness) + OP_TIMEOUT;
        self.run_for(limit, move |pool| async move {
            let committed_ms: i64 = {
                let client = pool.get().await.map_err(unavailable)?;
                client
                    .query_one(&format!("SELECT {}", follow::NOW_MS), &[])
                    .await?
                    .get(0)
            };
            follow::await_acks(&pool, seq, committed_ms, staleness).await
        })
    }

    pub fn revoke_session(&self, sid: &str, until: u64) -> Result<(), StoreError> {
        let (sid, until) = (sid.to_owned(), until as i64);
        let seq = self.transaction(Box::new(move |tx| {
            Box::pin(async move {
                tx.execute(
                    "INSERT INTO revoked_sessions (sid, until) VALUES ($1, $2) \
                     ON CONFLICT (sid) DO UPDATE SET until = greatest(revoked_sessions.until, $2)",
                    &[&sid, &until],
                )
                .await?;
                follow::announce(tx, &super::Revocation::Session(sid, until as u64)).await
            })
        }))?;
        self.acknowledged(seq)
    }

    pub fn revoked_sessions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = self.query("SELECT sid, until FROM revoked_sessions", vec![])?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    pub fn bump_user_epoch(&self, user: &str) -> Result<u64, StoreError> {
        let user = user.to_owned();
        let (epoch, seq) = self.transaction(Box::new(move |tx| {
            Box::pin(async move { bump_epoch(tx, &user).await })
        }))?;
        self.acknowledged(seq)?;
        Ok(epoch)
    }

    pub fn user_epochs(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = self.query("SELECT username, epoch FROM user_epochs", vec![])?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    pub fn purge_expired(&self, now: u64) -> Result<usize, StoreError> {
        let n = self.execute(
            "DELETE FROM revoked_sessions WHERE until <= $1",
            vec![Box::new(now as i64)],
        )?;
        let n = n + self.execute(
            "DELETE FROM webauthn_ceremonies WHERE expires <= $1",
            vec![Box::new(now as i64)],
        )?;
        // Acknowledgements are waited for for seconds; replicas gone for a day are gone.
        let ms = (now as i64).saturating_mul(1000);
        self.execute(
            "DELETE FROM revocation_acks WHERE at < $1::bigint - 3600000",
            vec![Box::new(ms)],
        )?;
        self.execute(
            "DELETE FROM replicas WHERE seen < $1::bigint - 86400000",
            vec![Box::new(ms)],
        )?;
        Ok(n as usize)
    }

    pub fn is_ready(&self) -> bool {
        self.query("SELECT 1", vec![]).is_ok()
    }

    /// Starts following revocations (see [`follow`]).
    pub(crate) fn follow(
        &self,
        apply: super::Mirror,
        staleness: Duration,
        freshness: Arc<super::Freshness>,
    ) {
        self.set_staleness(staleness);
        // Stale until the follower has listened, re-read and registered (nothing is heard
        // before): a revocation made between the caller's first read and then is in that
        // re-read.
        self.following
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let (ready, registered) = std::sync::mpsc::sync_channel(1);
        self.rt.handle().spawn(follow::run(
            self.connect.clone(),
            self.id.clone(),
            apply,
            staleness,
            freshness,
            ready,
        ));
        // Start ready when the store answers; otherwise stale (503 for signed-in requests)
        // until it does.
        if registered.recv_timeout(OP_TIMEOUT).is_err() {
            tracing::error!("the shared store's revocations could not be read at start: signed-in requests answer 503 until they are");
        }
    }
}

/// Ends every session of `user` in `tx` and announces the new epoch; returns it, with the
/// announcement's number (to wait for with [`Pg::acknowledged`] after the commit).
pub(crate) async fn bump_epoch(
    tx: &tokio_postgres::Transaction<'_>,
    user: &str,
) -> Result<(u64, i64), StoreError> {
    let row = tx
        .query_one(
            "INSERT INTO user_epochs (username, epoch) VALUES ($1, 1) \
             ON CONFLICT (username) DO UPDATE SET epoch = user_epochs.epoch + 1 RETURNING epoch",
            &[&user],
        )
        .await?;
    let epoch = row.get::<_, i64>(0) as u64;
    let seq = follow::announce(tx, &super::Revocation::Epoch(user.to_owned(), epoch)).await?;
    Ok((epoch, seq))
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

fn manager_config() -> ManagerConfig {
    // A closed connection (the server restarted) is dropped at checkout; no extra round trip.
    ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    }
}

impl Connect {
    /// Reads a `postgres://` URL. `sslmode` and `sslrootcert` are read here (see [`TlsMode`]),
    /// the rest by tokio-postgres.
    pub(crate) fn parse(url: &str, password: Option<&[u8]>) -> Result<Connect, StoreError> {
        let bad = |why: String| StoreError::Db(format!("[storage] url: {why}"));
        let mut parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        let mut mode: Option<String> = None;
        let mut root: Option<String> = None;
        let kept: Vec<(String, String)> = parsed
            .query_pairs()
            .filter_map(|(k, v)| match &*k {
                "sslmode" => {
                    mode = Some(v.into_owned());
                    None
                }
                "sslrootcert" => {
                    root = Some(v.into_owned());
                    None
                }
                _ => Some((k.into_owned(), v.into_owned())),
            })
            .collect();
        parsed.set_query(None);
        if !kept.is_empty() {
            parsed.query_pairs_mut().extend_pairs(kept);
        }
        let mut config: tokio_postgres::Config = parsed
            .as_str()
            .parse()
            .map_err(|e: tokio_postgres::Error| bad(e.to_string()))?;
        if let Some(p) = password {
            config.password(p);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(OP_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("portcullis");
        }
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        let mode =
            TlsMode::choose(mode.as_deref(), root.is_some(), config.get_hosts()).map_err(bad)?;
        let tls = match mode {
            TlsMode::Disable => {
                config.ssl_mode(tokio_postgres::config::SslMode::Disable);
                Tls::Off
            }
            TlsMode::Prefer | TlsMode::Verify => {
                config.ssl_mode(if mode == TlsMode::Prefer {
                    tokio_postgres::config::SslMode::Prefer
                } else {
                    tokio_postgres::config::SslMode::Require
                });
                let client = client_config(root.as_deref().map(std::path::Path::new))
                    .map_err(|e| bad(format!("sslrootcert: {e}")))?;
                Tls::On(tokio_postgres_rustls::MakeRustlsConnect::new(client))
            }
        };
        Ok(Connect { config, tls, mode })
    }
}

/// How the connection to PostgreSQL is protected. Secure by default: TLS with the server's
/// certificate and name verified, unless the database is on this host (loopback or a Unix
/// socket), where there is no network to protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `sslmode=disable`, and the default for a loopback host or a socket.
    Disable,
    /// `sslmode=prefer`, only when written: TLS when the server offers it, else plaintext (an
    /// active attacker can force plaintext; a startup warning says so).
    Prefer,
    /// `require`, `verify-ca`, `verify-full`, and the default otherwise: TLS, the certificate
    /// verified against `sslrootcert` (only those roots) or the webpki roots, the name too.
    Verify,
}

impl TlsMode {
    fn choose(
        written: Option<&str>,
        has_root: bool,
        hosts: &[tokio_postgres::config::Host],
    ) -> Result<TlsMode, String> {
        let local = !hosts.is_empty()
            && hosts.iter().all(|h| match h {
                tokio_postgres::config::Host::Tcp(name) => {
                    name == "localhost"
                        || name
                            .trim_matches(|c| c == '[' || c == ']')
                            .parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| ip.is_loopback())
                }
                tokio_postgres::config::Host::Unix(_) => true,
            });
        match written {
            None if has_root || !local => Ok(TlsMode::Verify),
            None => Ok(TlsMode::Disable),
            Some("disable") => Ok(TlsMode::Disable),
            Some("prefer") => Ok(TlsMode::Prefer),
            Some("require" | "verify-ca" | "verify-full") => Ok(TlsMode::Verify),
            Some(other) => Err(format!(
                "sslmode {other:?}: expected disable, prefer, require, verify-ca or verify-full"
            )),
        }
    }
}

/// The TLS client of PostgreSQL connections: the roots of `sslrootcert` alone when given (as
/// libpq: trust that CA, not every public one, for the database), else the webpki roots.
fn client_config(root: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    match root {
        Some(path) => {
            for cert in crate::proxy::tls::read_certs(path)? {
                roots
                    .add(cert)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let mut config = rustls::ClientConfig::builder_with_provider(crate::proxy::tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // PostgreSQL 17 checks the ALPN name of direct TLS; older servers ignore it.
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(config)
}

/// Checks a `[storage] url` as [`Pg::connect`] will read it, without connecting: how the
/// connection will be protected, or the reason the URL cannot be used.
pub fn check_url(url: &str) -> Result<TlsMode, String> {
    Connect::parse(url, None)
        .map(|c| c.mode)
        .map_err(|e| match e {
            StoreError::Db(m) => m.trim_start_matches("[storage] url: ").to_owned(),
            e => e.to_string(),
        })
}

/// The URL without its password (userinfo or a `password=` parameter), for logs and errors.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            if u.query_pairs().any(|(k, _)| k == "password") {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k == "password" {
                            "***".into()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.set_query(None);
                u.query_pairs_mut().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => "(unreadable URL)".into(),
    }
}
