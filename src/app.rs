//! The gateway's shared state, built once from a validated [`Config`].

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::auth::devices::DeviceTokens;
use crate::auth::hasher::Hasher;
use crate::auth::mfa::Factors;
use crate::auth::session::{Lifetimes, Sessions};
use crate::auth::users::UserDb;
use crate::config::Config;
use crate::policy::Engine;
use crate::proxy::headers::IdentityHeaders;
use crate::proxy::Upstream;
use crate::store::{load_or_generate_key, KeyError, Store, StoreError};
use crate::web::cookies::CookieJar;
use crate::web::pages::Pages;
use crate::web::redirect::RedirectPolicy;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{0}")]
    Users(String),
    #[error("templates: {0}")]
    Templates(String),
    #[error("assertion key: {0}")]
    Assertion(String),
    #[error("{0}")]
    Delivery(String),
    #[error("{0}")]
    Upstream(String),
    #[error("[mfa.webauthn]: {0}")]
    Passkeys(String),
}

/// Everything a request handler needs. Shared behind an `Arc`.
pub struct App {
    pub config: Config,
    /// Read on every request, replaced when the users file changes: no lock to read. Shared
    /// with the apps a reload makes.
    users: Arc<arc_swap::ArcSwap<UserDb>>,
    pub store: Store,
    pub sessions: Sessions,
    pub engine: Engine,
    pub redirects: RedirectPolicy,
    pub identity: IdentityHeaders,
    pub cookies: CookieJar,
    pub hasher: Hasher,
    pub factors: Factors,
    /// The relying party, when `[mfa] methods` lists "webauthn".
    pub passkeys: Option<crate::auth::webauthn::Passkeys>,
    pub devices: DeviceTokens,
    pub per_ip: Arc<crate::auth::limits::PerIp>,
    /// One sign-in attempt at a time per account or trusted device (exact lockout counts).
    pub attempts: Arc<crate::auth::limits::AttemptGate>,
    pub audit: crate::audit::Recorder,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Signs identity assertions when `[identity] jwt_header` is set.
    pub assertion: Option<crate::auth::assertion::Signer>,
    /// `iss` of assertions, and the origin our pages' forms come from: public_url's origin
    /// (`https://app.example.com`).
    pub issuer: String,
    pub upstream: Upstream,
    pub pages: Pages,
    /// Key for CSRF tokens, derived from the session secret.
    pub csrf_key: Vec<u8>,
    /// Makes and hashes e-mail and SMS codes.
    pub sent_codes: crate::auth::sent_codes::SentCodes,
    /// `[smtp]`, when configured: codes and notices by e-mail.
    pub mailer: Option<crate::delivery::mail::Mailer>,
    /// `[sms]`, when configured: codes by SMS.
    pub sms: Option<crate::delivery::sms::SmsSender>,
    upstream_seen: AtomicBool,
    keys: Arc<Keys>,
}

/// The session secret and the storage key, as loaded at start; a reload keeps them.
struct Keys {
    secret: Vec<u8>,
    storage_key: [u8; 32],
}

/// What an app hands on to the app a reload makes.
struct Kept {
    keys: Arc<Keys>,
    users: Arc<arc_swap::ArcSwap<UserDb>>,
    store: Store,
    sessions: Sessions,
    hasher: Hasher,
    per_ip: Arc<crate::auth::limits::PerIp>,
    attempts: Arc<crate::auth::limits::AttemptGate>,
    audit: crate::audit::Recorder,
    metrics: Arc<crate::metrics::Metrics>,
    upstream_seen: bool,
}

fn lifetimes(config: &Config) -> Lifetimes {
    Lifetimes {
        idle: config.session.idle_timeout.as_secs(),
        max: config.session.max_lifetime.as_secs(),
        challenge: config.mfa.challenge_timeout.as_secs(),
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

impl App {
    /// Where the browser says a state-changing request came from, checked against public_url
    /// (see [`crate::web::csrf`]); a refusal is logged with its reason, for operators whose
    /// public_url does not match the address people use.
    pub fn check_provenance(&self, headers: &http::HeaderMap) -> bool {
        match crate::web::csrf::provenance(headers, &self.issuer) {
            Ok(()) => true,
            Err(why) => {
                let origin = headers
                    .get(http::header::ORIGIN)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                tracing::info!(%why, ?origin, public_origin = %self.issuer, "state-changing request refused");
                false
            }
        }
    }

    /// Loads or generates keys and loads the users file; `store` is the opened database.
    /// Builds the app; `audit` records security events (see [`crate::audit::Recorder`]).
    pub fn build(
        config: Config,
        store: Store,
        audit: crate::audit::Recorder,
    ) -> Result<Arc<App>, BuildError> {
        let data_dir = config.storage.data_dir();
        let secret = match &config.session.secret {
            Some(s) => s.expose().to_vec(),
            None => generated_key(&data_dir, "session.key")?,
        };
        let storage_key: [u8; 32] = match &config.storage.encryption_key {
            Some(k) => k.expose().try_into().map_err(|_| {
                BuildError::Key(KeyError::Invalid {
                    path: "PORTCULLIS_STORAGE_KEY".into(),
                    len: 32,
                })
            })?,
            None => generated_key(&data_dir, "storage.key")?
                .try_into()
                .map_err(|_| {
                    BuildError::Key(KeyError::Invalid {
                        path: data_dir.join("storage.key"),
                        len: 32,
                    })
                })?,
        };
        let users =
            UserDb::load(&config.users.file).map_err(|e| BuildError::Users(e.to_string()))?;
        let sessions = Sessions::new(&secret, lifetimes(&config));
        let mut known: Vec<crate::store::Revocation> = store
            .revoked_sessions()?
            .into_iter()
            .map(|(sid, until)| crate::store::Revocation::Session(sid, until))
            .collect();
        known.extend(
            store
                .user_epochs()?
                .into_iter()
                .map(|(user, epoch)| crate::store::Revocation::Epoch(user, epoch)),
        );
        sessions.mirror(&known);
        // Several replicas: what the others revoke from now on (and a staleness bound).
        let mirror = sessions.reconfigured(lifetimes(&config));
        store.follow_revocations(
            move |changes| mirror.mirror(changes),
            config.storage.revocation_staleness,
        );
        let kept = Kept {
            keys: Arc::new(Keys {
                secret,
                storage_key,
            }),
            users: Arc::new(arc_swap::ArcSwap::from_pointee(users)),
            per_ip: Arc::new(crate::auth::limits::PerIp::new(&config.limits.per_ip)),
            store,
            sessions,
            hasher: Hasher::for_this_machine(),
            attempts: Default::default(),
            audit,
            metrics: Default::default(),
            upstream_seen: false,
        };
        Ok(Arc::new(App::assemble(config, kept)?))
    }

    /// The app for a new configuration (a reload): everything read from the configuration is
    /// built again; the store, keys, users, revocations, lockout gates, audit trail and metrics
    /// are this app's. The per-IP limiter starts afresh only when its rate changed.
    /// The caller has already kept the values of keys that need a restart (see
    /// [`crate::config::keep_restart_keys`]).
    pub fn reconfigure(&self, config: Config) -> Result<Arc<App>, BuildError> {
        let per_ip = if config.limits.per_ip == self.config.limits.per_ip {
            self.per_ip.clone()
        } else {
            Arc::new(crate::auth::limits::PerIp::new(&config.limits.per_ip))
        };
        let kept = Kept {
            keys: self.keys.clone(),
            users: self.users.clone(),
            store: self.store.clone(),
            sessions: self.sessions.reconfigured(lifetimes(&config)),
            hasher: self.hasher.clone(),
            per_ip,
            attempts: self.attempts.clone(),
            audit: self.audit.clone(),
            metrics: self.metrics.clone(),
            upstream_seen: self.upstream_seen(),
        };
        Ok(Arc::new(App::assemble(config, kept)?))
    }

    /// Everything derived from `config`, around what `kept` carries over.
    fn assemble(config: Config, kept: Kept) -> Result<App, BuildError> {
        let Kept {
            keys,
            users,
            store,
            sessions,
            hasher,
            per_ip,
            attempts,
            audit,
            metrics,
            upstream_seen,
        } = kept;
        let data_dir = config.storage.data_dir();
        let id = &config.identity;
        let identity = IdentityHeaders::new(
            id.user_header.clone(),
            id.email_header.clone(),
            id.name_header.clone(),
            id.groups_header.clone(),
            id.jwt_header.clone(),
        );
        let https = config.server.public_url.scheme() == "https";
        let assertion = match &config.identity.jwt_header {
            None => None,
            Some(_) => Some(
                crate::auth::assertion::Signer::load(
                    config.identity.jwt_key.as_ref().map(|k| k.expose()),
                    &data_dir,
                    std::time::SystemTime::now(),
                )
                .map_err(|e| BuildError::Assertion(e.to_string()))?,
            ),
        };
        let secret = &keys.secret;
        Ok(App {
            engine: Engine::new(config.locations.clone()),
            redirects: RedirectPolicy::new(&config.server.public_url),
            cookies: CookieJar::new(https, config.session.same_site),
            hasher,
            factors: Factors::new(&config, &keys.storage_key),
            passkeys: crate::auth::webauthn::Passkeys::from_config(&config)
                .map_err(BuildError::Passkeys)?,
            per_ip,
            attempts,
            audit,
            metrics,
            assertion,
            issuer: config.server.public_url.origin().ascii_serialization(),
            devices: DeviceTokens::new(
                &crate::auth::devices::derive_key(secret),
                config.trusted_devices.lifetime.as_secs(),
            ),
            upstream: Upstream::new(&config.upstream)
                .map_err(|e| BuildError::Upstream(format!("[upstream]: {e}")))?,
            pages: Pages::new(&config).map_err(|e| BuildError::Templates(e.to_string()))?,
            csrf_key: crate::web::csrf::derive_key(secret),
            sent_codes: crate::auth::sent_codes::SentCodes::new(secret),
            mailer: config
                .smtp
                .as_ref()
                .map(crate::delivery::mail::Mailer::new)
                .transpose()
                .map_err(|e| BuildError::Delivery(format!("[smtp]: {e}")))?,
            sms: config
                .sms
                .as_ref()
                .map(crate::delivery::sms::SmsSender::new)
                .transpose()
                .map_err(|e| BuildError::Delivery(format!("[sms]: {e}")))?,
            users,
            store,
            sessions,
            identity,
            upstream_seen: AtomicBool::new(upstream_seen),
            keys,
            config,
        })
    }

    /// The current users database (replaced whole on reload).
    pub fn users(&self) -> Arc<UserDb> {
        self.users.load_full()
    }

    pub fn replace_users(&self, db: UserDb) {
        self.users.store(Arc::new(db));
    }

    pub fn prefix(&self) -> &str {
        &self.config.server.prefix
    }

    /// True once the upstream has answered (or accepted a connection) at least once.
    pub fn upstream_seen(&self) -> bool {
        self.upstream_seen.load(Ordering::Relaxed)
    }

    pub fn mark_upstream_seen(&self) {
        self.upstream_seen.store(true, Ordering::Relaxed);
    }

    /// Ends every session and trusted device of `user` on every replica: a new session
    /// epoch, in the store and in this replica's mirror. Returns the epoch. Blocks on the
    /// store: call it from the blocking pool ([`blocking`]).
    pub fn end_sessions(&self, user: &str) -> Result<u64, StoreError> {
        let epoch = self.store.bump_user_epoch(user)?;
        self.sessions.set_epoch(user, epoch);
        self.metrics.sessions_revoked(true);
        Ok(epoch)
    }

    /// Revokes one session everywhere; durable before it returns. When the store refuses,
    /// this replica forgets its own mark too, so that the person's retry finds the session
    /// and revokes it for every replica (a mark kept here alone would make the retry a no-op
    /// while the others still accept the token).
    pub async fn revoke_session(&self, sid: &str, until: u64) -> Result<(), StoreError> {
        self.sessions.mark_revoked(sid, until);
        let store = self.store.clone();
        let owned = sid.to_owned();
        let stored = tokio::task::spawn_blocking(move || store.revoke_session(&owned, until))
            .await
            .map_err(|e| StoreError::Db(e.to_string()))
            .and_then(|r| r);
        if stored.is_err() {
            self.sessions.unmark_revoked(sid);
        }
        stored
    }
}

fn generated_key(dir: &Path, name: &str) -> Result<Vec<u8>, KeyError> {
    let (key, fresh) = load_or_generate_key(dir, name, 32)?;
    if fresh {
        tracing::info!(file = %dir.join(name).display(), "generated a new key");
    }
    Ok(key)
}

/// A database call failed, or its blocking task did.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BlockingError(pub String);

/// Runs `f` (which talks to the database) on the blocking pool.
pub async fn blocking<T, E, F>(app: &Arc<App>, f: F) -> Result<T, BlockingError>
where
    F: FnOnce(&App) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let app = app.clone();
    let timed = move || {
        let started = std::time::Instant::now();
        let r = f(&app);
        app.metrics.store_operation(started.elapsed());
        r
    };
    match tokio::task::spawn_blocking(timed).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(BlockingError(e.to_string())),
        Err(e) => Err(BlockingError(e.to_string())),
    }
}

/// Seconds since the Unix epoch, from the system clock.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}
