//! Listeners, connection handling and graceful shutdown.

pub mod admin;
pub mod demo;
mod framing;
mod metrics;
pub mod tls;

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Waker;
use std::time::{Duration, SystemTime};

use hyper::server::conn::{http1, http2};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::{now, App, BuildError};
use crate::auth::users::UserDb;
use crate::config::Config;
use crate::gateway::Gateway;

/// How long in-flight requests may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// Slow-loris bound: the whole request head must arrive within this.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Request line + headers larger than this get 431 (hyper answers it).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// How often the users file is checked for changes (DESIGN §2: picked up within 2 s).
const USERS_POLL: Duration = Duration::from_millis(700);
/// Streams one HTTP/2 connection may have open at once.
const H2_MAX_STREAMS: u32 = 128;
/// HTTP/2 PING interval, and how long a PING may go unanswered before the connection is closed.
const H2_KEEP_ALIVE: Duration = Duration::from_secs(30);
/// An HTTP/2 connection with no stream open and none started for this long is asked to close
/// (GOAWAY) — as HTTP/1.1's idle connections are closed after [`HEADER_READ_TIMEOUT`]. A client
/// answering PINGs is no reason to keep it: PINGs are free to answer.
const H2_IDLE: Duration = HEADER_READ_TIMEOUT;
/// How long an idle HTTP/2 connection asked to close may take to do so before it is dropped
/// (one that never sent its preface cannot even be sent a GOAWAY).
const H2_CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Connection timeouts that tests shorten; [`Timeouts::default`] is what `serve` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// See [`H2_IDLE`].
    pub h2_idle: Duration,
    /// See [`H2_CLOSE_GRACE`].
    pub h2_close_grace: Duration,
    /// See [`crate::web::deadline::BODY_DEADLINE`].
    pub own_body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            h2_idle: H2_IDLE,
            h2_close_grace: H2_CLOSE_GRACE,
            own_body: crate::web::deadline::BODY_DEADLINE,
        }
    }
}
/// While accepting fails (EMFILE…), at most one log line per this interval.
const ACCEPT_ERROR_LOG_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("[server] tls_cert / tls_key: {0}")]
    Tls(#[from] tls::TlsError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A running gateway.
pub struct Server {
    pub addrs: Vec<SocketAddr>,
    /// Where `/metrics` is served, when `metrics_listen` is set.
    pub metrics_addr: Option<SocketAddr>,
    live: Arc<Live>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    admin: JoinHandle<()>,
    housekeeping: Vec<JoinHandle<()>>,
    audit_writer: JoinHandle<()>,
}

/// The gateway that serves new requests. A reload builds a new one from the file and swaps it
/// in: requests already running finish with the one they started with, open connections stay.
pub struct Live {
    gateway: arc_swap::ArcSwap<Gateway>,
    /// Bumped after each swap: connections compare it to know their copy is stale.
    generation: AtomicU64,
    /// One reload at a time (SIGHUP and `portcullis reload` may come together).
    reloading: std::sync::Mutex<()>,
    tls: Option<Arc<tls::TlsState>>,
    timeouts: Timeouts,
}

/// What a successful reload changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Keys whose new value was not applied (e.g. `[server] listen`): they need a restart.
    pub restart_needed: Vec<&'static str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The file does not validate; the message names file, line and key.
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl Live {
    /// The app of the current gateway.
    pub fn app(&self) -> Arc<App> {
        self.gateway.load().app().clone()
    }

    /// Re-reads the TLS pair and `config.toml` (SIGHUP, `portcullis reload`). A file that does
    /// not validate, or an app that does not build from it, is refused and logged; the running
    /// configuration keeps serving. Blocking (reads files, compiles templates).
    pub fn reload(&self) -> Result<Reloaded, ReloadError> {
        let _one = self
            .reloading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(tls) = &self.tls {
            tls.reload_logged("reload requested");
        }
        let running = self.app();
        let path = running.config.file.clone();
        let result = crate::config::load(&path, &crate::config::ProcessEnv)
            .map_err(ReloadError::from)
            .and_then(|mut config| {
                let restart_needed = crate::config::keep_restart_keys(&running.config, &mut config);
                let warnings = config.warnings.clone();
                let app = running.reconfigure(config)?;
                Ok((app, restart_needed, warnings))
            });
        match result {
            Ok((app, restart_needed, warnings)) => {
                self.gateway
                    .store(Arc::new(Gateway::new(app, self.timeouts.own_body)));
                self.generation.fetch_add(1, Ordering::Release);
                for w in &warnings {
                    tracing::warn!("{w}");
                }
                if !restart_needed.is_empty() {
                    tracing::warn!(keys = %restart_needed.join(", "), "configuration reloaded; these keys keep their running values until a restart");
                }
                tracing::info!(file = %path.display(), "configuration reloaded");
                Ok(Reloaded { restart_needed })
            }
            Err(e) => {
                tracing::error!(error = %e, "configuration not reloaded; the running one keeps serving");
                Err(e)
            }
        }
    }
}

impl Server {
    /// Builds the app from `config`, binds every listen address and starts serving.
    pub async fn start(config: Config) -> Result<Server, StartError> {
        Server::start_with(config, Timeouts::default()).await
    }

    /// As [`Server::start`], with other connection timeouts.
    pub async fn start_with(config: Config, timeouts: Timeouts) -> Result<Server, StartError> {
        let listen = config.server.listen.clone();
        let tls = match (&config.server.tls_cert, &config.server.tls_key) {
            (Some(cert), Some(key)) => Some(Arc::new(tls::TlsState::load(
                cert,
                key,
                config.server.tls_min_version,
            )?)),
            _ => None,
        };
        let store = crate::store::Store::from_config(&config.storage).map_err(BuildError::from)?;
        // The writer ends once the last recorder (inside the app) is dropped; `wait` awaits it so
        // the database is closed when the server is gone.
        let (audit, writer) =
            crate::audit::Recorder::new(store.clone(), crate::audit::Retention::default());
        let audit_writer = tokio::spawn(writer);
        let metrics_listen = config.server.metrics_listen;
        let app = App::build(config, store, audit)?;
        let mut listeners = Vec::new();
        for addr in listen {
            let l = TcpListener::bind(addr)
                .await
                .map_err(|source| StartError::Bind { addr, source })?;
            listeners.push(Listener {
                tcp: l,
                tls: tls.clone(),
            });
        }
        let metrics_listener = match metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| StartError::Bind { addr, source })?,
            ),
            None => None,
        };
        let addrs = listeners
            .iter()
            .filter_map(|l| l.tcp.local_addr().ok())
            .collect();
        let live = Arc::new(Live {
            gateway: arc_swap::ArcSwap::from_pointee(Gateway::new(app.clone(), timeouts.own_body)),
            generation: AtomicU64::new(0),
            reloading: Default::default(),
            tls: tls.clone(),
            timeouts,
        });
        let (stop, stopped) = watch::channel(false);
        let mut housekeeping = vec![
            tokio::spawn(watch_users(app.clone(), stopped.clone())),
            tokio::spawn(purge_revocations(live.clone(), stopped.clone())),
        ];
        let metrics_addr = metrics_listener.as_ref().and_then(|l| l.local_addr().ok());
        if let Some(l) = metrics_listener {
            housekeeping.push(tokio::spawn(metrics::serve(
                l,
                live.clone(),
                stopped.clone(),
            )));
        }
        if let Some(tls) = &tls {
            housekeeping.push(tokio::spawn(watch_certificate(
                tls.clone(),
                stopped.clone(),
            )));
        }
        let socket = app.config.server.admin_socket.clone();
        let admin_live = live.clone();
        let admin_stop = stopped.clone();
        let admin = tokio::spawn(async move {
            if let Err(e) = admin::serve(admin_live, socket.clone(), admin_stop).await {
                tracing::error!(error = %e, socket = %socket.display(), "admin socket not available");
            }
        });
        let task = tokio::spawn(serve(live.clone(), listeners, stopped, timeouts));
        Ok(Server {
            addrs,
            metrics_addr,
            live,
            stop,
            task,
            admin,
            housekeeping,
            audit_writer,
        })
    }

    /// The app of the current configuration.
    pub fn app(&self) -> Arc<App> {
        self.live.app()
    }

    /// Re-reads the TLS pair and `config.toml` (SIGHUP): see [`Live::reload`].
    pub async fn reload(&self) -> Result<Reloaded, ReloadError> {
        let live = self.live.clone();
        tokio::task::spawn_blocking(move || live.reload())
            .await
            .map_err(|e| ReloadError::Build(BuildError::Users(e.to_string())))?
    }

    /// Reads the TLS certificate and key again, and nothing else.
    pub fn reload_certificate(&self) {
        if let Some(tls) = &self.live.tls {
            tls.reload_logged("reload requested");
        }
    }

    /// Stops accepting and lets in-flight requests finish (bounded by [`SHUTDOWN_GRACE`]).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Waits until the server has shut down.
    pub async fn wait(self) {
        let Server {
            live,
            task,
            admin,
            housekeeping,
            audit_writer,
            ..
        } = self;
        let _ = task.await;
        let _ = admin.await;
        for t in housekeeping {
            let _ = t.await;
        }
        drop(live);
        // Queued security events are written before the database closes.
        if tokio::time::timeout(SHUTDOWN_GRACE, audit_writer)
            .await
            .is_err()
        {
            tracing::warn!("audit writer did not finish; some events may be lost");
        }
    }
}

/// A public listener: plain HTTP/1.1, or HTTPS with the current certificate.
struct Listener {
    tcp: TcpListener,
    tls: Option<Arc<tls::TlsState>>,
}

async fn serve(
    live: Arc<Live>,
    listeners: Vec<Listener>,
    mut stopped: watch::Receiver<bool>,
    timeouts: Timeouts,
) {
    type Accepted = (TcpStream, SocketAddr, Option<Arc<tls::TlsState>>);
    let (tx, mut accepted) = mpsc::channel::<Accepted>(64);
    let mut acceptors = Vec::new();
    for Listener { tcp, tls } in listeners {
        let tx = tx.clone();
        acceptors.push(tokio::spawn(async move {
            let mut logged: Option<std::time::Instant> = None;
            let mut unlogged = 0u64;
            loop {
                match tcp.accept().await {
                    Ok((stream, peer)) => {
                        if tx.send((stream, peer, tls.clone())).await.is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning, and say so once in
                        // a while rather than twenty times a second.
                        if logged.is_none_or(|t| t.elapsed() >= ACCEPT_ERROR_LOG_EVERY) {
                            tracing::warn!(error = %e, failures_since_last_line = unlogged, "accept failed");
                            logged = Some(std::time::Instant::now());
                            unlogged = 0;
                        } else {
                            unlogged += 1;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        }));
    }
    drop(tx);
    // Every connection task holds a clone; when all are gone, in-flight work is done.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    let stop = Arc::new(Stop::default());
    loop {
        tokio::select! {
            conn = accepted.recv() => {
                let Some((stream, peer, tls)) = conn else { break };
                let _ = stream.set_nodelay(true);
                let live = live.clone();
                let alive = alive.clone();
                let stop = stop.clone();
                tokio::spawn(async move {
                    let _alive = alive;
                    let result = match tls {
                        None => serve_http1(stream, peer, live, &stop).await,
                        Some(tls) => serve_tls(stream, peer, live, &stop, &tls, timeouts).await,
                    };
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            _ = stopped.changed() => break,
        }
    }
    for a in acceptors {
        a.abort();
    }
    stop.signal();
    tracing::info!("shutting down: no new connections; waiting for in-flight requests");
    drop(alive);
    if tokio::time::timeout(SHUTDOWN_GRACE, all_done.recv())
        .await
        .is_err()
    {
        tracing::warn!("in-flight requests did not finish within {SHUTDOWN_GRACE:?}; closing them");
    }
}

/// HTTP/1.1 on a plain or TLS stream, watched by the framing observer.
async fn serve_http1<T>(
    stream: T,
    peer: SocketAddr,
    live: Arc<Live>,
    stop: &Stop,
) -> hyper::Result<()>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    // Spots Content-Length + Transfer-Encoding, which hyper resolves before we could see it.
    let (io, ambiguous) = framing::Observed::new(stream);
    // Each request is served by the gateway current when it arrives (a reload swaps it).
    let current = Current::new(live);
    let service = service_fn(move |req| {
        let gw = current.get();
        let ambiguous = ambiguous.load(Ordering::Relaxed);
        async move { Ok::<_, Infallible>(gw.handle(req, peer, ambiguous).await) }
    });
    // hyper closes idle HTTP/1.1 connections itself (header_read_timeout covers the wait for
    // the next request), so no watch on streams here.
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES)
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    stop.graceful(conn).await
}

/// The TLS handshake, then HTTP/2 when the client chose `h2` by ALPN, else HTTP/1.1.
async fn serve_tls(
    stream: TcpStream,
    peer: SocketAddr,
    live: Arc<Live>,
    stop: &Stop,
    tls: &tls::TlsState,
    timeouts: Timeouts,
) -> hyper::Result<()> {
    let mut stream = stream;
    match tokio::time::timeout(HEADER_READ_TIMEOUT, plain_http_on_tls(&mut stream)).await {
        Ok(false) => {}
        Ok(true) | Err(_) => return Ok(()),
    }
    let stream =
        match tokio::time::timeout(HEADER_READ_TIMEOUT, tls.acceptor().accept(stream)).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                tracing::debug!(%peer, error = %e, "TLS handshake failed");
                return Ok(());
            }
            Err(_) => {
                tracing::debug!(%peer, "TLS handshake timed out");
                return Ok(());
            }
        };
    if stream.get_ref().1.alpn_protocol() != Some(b"h2") {
        return serve_http1(stream, peer, live, stop).await;
    }
    // HTTP/2 frames its own messages (DATA frames, END_STREAM; the h2 codec refuses
    // Transfer-Encoding and a Content-Length its DATA frames contradict): nothing for the
    // HTTP/1.1 framing observer to watch.
    let streams = Arc::new(Streams::default());
    let counted = streams.clone();
    let current = Current::new(live);
    let service = service_fn(move |req| {
        let gw = current.get();
        let open = Streams::opened(&counted);
        async move {
            let reply = gw.handle(req, peer, false).await;
            Ok::<_, Infallible>(reply.map(|body| Counted { body, _open: open }))
        }
    });
    let conn = http2::Builder::new(TokioExecutor::new())
        .timer(TokioTimer::new())
        .max_header_list_size(MAX_HEAD_BYTES as u32)
        .max_concurrent_streams(H2_MAX_STREAMS)
        .keep_alive_interval(Some(H2_KEEP_ALIVE))
        .keep_alive_timeout(H2_KEEP_ALIVE)
        .serve_connection(TokioIo::new(stream), service);
    stop.graceful_watching(conn, Some((&streams, timeouts)))
        .await
}

/// A connection's copy of the current gateway, taken again only after a reload: one atomic load
/// per request, where loading the `ArcSwap` each time cost about 200 instructions.
struct Current {
    live: Arc<Live>,
    copy: std::cell::RefCell<(u64, Arc<Gateway>)>,
}

impl Current {
    fn new(live: Arc<Live>) -> Current {
        let generation = live.generation.load(Ordering::Acquire);
        let gateway = live.gateway.load_full();
        Current {
            live,
            copy: std::cell::RefCell::new((generation, gateway)),
        }
    }

    fn get(&self) -> Arc<Gateway> {
        let mut copy = self.copy.borrow_mut();
        let generation = self.live.generation.load(Ordering::Acquire);
        if copy.0 != generation {
            *copy = (generation, self.live.gateway.load_full());
        }
        copy.1.clone()
    }
}

/// A TLS connection starts with a handshake record (0x16); an HTTP method's letter means a
/// plain-HTTP client on an HTTPS port (an `http://` address typed for an `https://` gateway).
/// It gets a 400 saying so, as nginx's 497 does, rather than a silent close. True when answered.
async fn plain_http_on_tls(stream: &mut TcpStream) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut first = [0u8; 1];
    match stream.peek(&mut first).await {
        Ok(1) if first[0].is_ascii_uppercase() => {}
        Ok(_) => return false,
        Err(_) => return true,
    }
    // Read what the client sent, so that closing does not reset the connection under the answer.
    let mut request = [0u8; 8192];
    let _ = stream.read(&mut request).await;
    const BODY: &str = "This port speaks HTTPS: use https:// in the address.\n";
    let answer = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
    true
}

/// The streams of one HTTP/2 connection: how many are open, and how many have started.
#[derive(Default)]
struct Streams {
    open: AtomicU64,
    started: AtomicU64,
}

impl Streams {
    /// Counts a stream from its request until its response body is done or dropped (a reset).
    fn opened(this: &Arc<Streams>) -> OpenStream {
        this.open.fetch_add(1, Ordering::Relaxed);
        this.started.fetch_add(1, Ordering::Relaxed);
        OpenStream(this.clone())
    }
}

struct OpenStream(Arc<Streams>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that keeps its stream counted as open while hyper sends it.
struct Counted<B> {
    body: B,
    _open: OpenStream,
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Counted<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// A connection hyper can be asked to wind down: no new requests, in-flight ones finish.
trait Graceful: Future<Output = hyper::Result<()>> {
    fn graceful_shutdown(self: std::pin::Pin<&mut Self>);
}

impl<I, S> Graceful for http1::UpgradeableConnection<I, S>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::ResBody: hyper::body::Body + 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn graceful_shutdown(self: std::pin::Pin<&mut Self>) {
        http1::UpgradeableConnection::graceful_shutdown(self)
    }
}

impl<I, S, E> Graceful for http2::Connection<I, S, E>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::ResBody: hyper::body::Body + 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    E: hyper::rt::bounds::Http2ServerConnExec<S::Future, S::ResBody>,
{
    fn graceful_shutdown(self: std::pin::Pin<&mut Self>) {
        http2::Connection::graceful_shutdown(self)
    }
}

/// The stop signal for connections. Each connection reads a flag when it is polled and hands
/// its task's waker over only when that changes (a task's waker normally never does): a poll
/// costs no lock, where a watch or notify future polled beside the connection would take one
/// at every wake — several times per request.
#[derive(Default)]
struct Stop {
    stopping: AtomicBool,
    /// The task of each open connection, by number; woken once, by [`Stop::signal`].
    tasks: std::sync::Mutex<HashMap<u64, Waker>>,
    next: AtomicU64,
}

impl Stop {
    /// Wakes every connection: each finishes its request in flight, then closes.
    fn signal(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let tasks = match self.tasks.lock() {
            Ok(mut t) => std::mem::take(&mut *t),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        for waker in tasks.into_values() {
            waker.wake();
        }
    }

    /// Serves `conn` until it ends; after the signal, no more keep-alive (HTTP/1.1) or a
    /// GOAWAY (HTTP/2).
    async fn graceful<C: Graceful>(&self, conn: C) -> hyper::Result<()> {
        self.graceful_watching(conn, None).await
    }

    /// As [`Stop::graceful`]; with `streams`, a connection idle for [`H2_IDLE`] is asked to
    /// close, and dropped when it has not [`H2_CLOSE_GRACE`] later.
    async fn graceful_watching<C: Graceful>(
        &self,
        conn: C,
        streams: Option<(&Streams, Timeouts)>,
    ) -> hyper::Result<()> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut conn = std::pin::pin!(conn);
        let mut handed: Option<Waker> = None;
        let mut asked = false;
        let mut idle = streams.map(|(s, timeouts)| IdleWatch {
            streams: s,
            timer: Box::pin(tokio::time::sleep(timeouts.h2_idle)),
            timeouts,
            started: 0,
            closing: false,
        });
        let result = std::future::poll_fn(|cx| {
            if !asked && !handed.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                handed = Some(cx.waker().clone());
                if let Ok(mut tasks) = self.tasks.lock() {
                    tasks.insert(id, cx.waker().clone());
                }
            }
            // Read after handing the waker over: a signal sent meanwhile is seen here.
            if !asked && self.stopping.load(Ordering::SeqCst) {
                asked = true;
                conn.as_mut().graceful_shutdown();
            }
            if let Some(watch) = idle.as_mut() {
                match watch.poll(cx) {
                    Idleness::Busy => {}
                    Idleness::AskToClose => {
                        if !asked {
                            asked = true;
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                    Idleness::Drop => return std::task::Poll::Ready(Ok(())),
                }
            }
            conn.as_mut().poll(cx)
        })
        .await;
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.remove(&id);
        }
        result
    }
}

/// Watches one HTTP/2 connection for idleness (see [`H2_IDLE`]).
struct IdleWatch<'s> {
    streams: &'s Streams,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    timeouts: Timeouts,
    /// Streams started when the timer was last set.
    started: u64,
    /// A GOAWAY has been asked for because of idleness.
    closing: bool,
}

enum Idleness {
    Busy,
    AskToClose,
    Drop,
}

impl IdleWatch<'_> {
    /// Checks when the timer fires: a stream open or started since it was set is activity.
    fn poll(&mut self, cx: &mut std::task::Context<'_>) -> Idleness {
        let mut verdict = Idleness::Busy;
        while self.timer.as_mut().poll(cx).is_ready() {
            let started = self.streams.started.load(Ordering::Relaxed);
            let busy = self.streams.open.load(Ordering::Relaxed) > 0 || started != self.started;
            self.started = started;
            let wait = if busy {
                self.timeouts.h2_idle
            } else if !self.closing {
                self.closing = true;
                verdict = Idleness::AskToClose;
                self.timeouts.h2_close_grace
            } else {
                return Idleness::Drop;
            };
            self.timer
                .as_mut()
                .reset(tokio::time::Instant::now() + wait);
        }
        verdict
    }
}

/// Reloads the users file when it changes; a broken file keeps the previous users.
async fn watch_users(app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    let path = app.config.users.file.clone();
    let stamp = |p: &std::path::Path| -> Option<(SystemTime, u64)> {
        let m = std::fs::metadata(p).ok()?;
        Some((m.modified().ok()?, m.len()))
    };
    let mut last = stamp(&path);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(USERS_POLL) => {}
            _ = stopped.changed() => return,
        }
        let current = stamp(&path);
        if current == last {
            continue;
        }
        last = current;
        match UserDb::load(&path) {
            Ok(db) => {
                tracing::info!(users = db.len(), file = %path.display(), "users file reloaded");
                app.replace_users(db);
            }
            Err(e) => {
                tracing::error!(error = %e, "users file not reloaded; keeping the previous users")
            }
        }
    }
}

/// Reloads the certificate and key when either file changes.
async fn watch_certificate(tls: Arc<tls::TlsState>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(tls::POLL) => tls.reload_if_changed(),
            _ = stopped.changed() => return,
        }
    }
}

/// Forgets revocations of tokens that have expired on their own.
async fn purge_revocations(live: Arc<Live>, mut stopped: watch::Receiver<bool>) {
    let mut minutes = 0u64;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stopped.changed() => return,
        }
        let app = live.app();
        app.per_ip.retain_recent();
        minutes += 1;
        if !minutes.is_multiple_of(10) {
            continue;
        }
        let t = now();
        app.sessions.forget_expired(t);
        let store = app.store.clone();
        match tokio::task::spawn_blocking(move || store.purge_expired(t)).await {
            Ok(Ok(n)) if n > 0 => tracing::debug!(removed = n, "expired revocations purged"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not purge revocations"),
            _ => {}
        }
    }
}

/// Waits for SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = term => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
