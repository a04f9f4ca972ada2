//! Upstream connections: HTTP/1.1, over TCP or TLS, kept alive and reused (hyper's
//! connection-level client).
//!
//! A connection goes back into the pool as soon as its response head has arrived; it becomes
//! usable again once hyper reports it ready, i.e. when the previous response body has been read
//! to the end. Checkout skips busy connections and drops closed or long-idle ones.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Connections kept (busy or idle).
const MAX_POOLED: usize = 256;
/// A connection unused for this long is closed rather than reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolError {
    /// Could not connect, or the connection broke before a response.
    Unreachable,
}

struct Pooled {
    sender: SendRequest<Incoming>,
    used: Instant,
}

/// The connections to one upstream origin.
pub struct Pool {
    /// "host:port" to connect to.
    authority: String,
    /// For an `https://` upstream: the client configuration and the name its certificate must
    /// carry.
    tls: Option<(
        tokio_rustls::TlsConnector,
        rustls_pki_types::ServerName<'static>,
    )>,
    idle: Mutex<VecDeque<Pooled>>,
    connect_timeout: Duration,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

impl Pool {
    pub fn new(
        authority: String,
        tls: Option<(
            tokio_rustls::TlsConnector,
            rustls_pki_types::ServerName<'static>,
        )>,
        connect_timeout: Duration,
    ) -> Pool {
        Pool {
            authority,
            tls,
            idle: Mutex::default(),
            connect_timeout,
        }
    }

    /// Sends `req` (origin-form URI, Host set).
    pub async fn send(&self, mut req: Request<Incoming>) -> Result<Response<Incoming>, PoolError> {
        if let Some(mut sender) = self.checkout() {
            match sender.try_send_request(req).await {
                Ok(response) => {
                    self.checkin(sender);
                    return Ok(response);
                }
                // Not written to the connection (the upstream closed it meanwhile): a fresh
                // connection may take it. Once written, a failure is final.
                Err(mut e) => match e.take_message() {
                    Some(r) => req = r,
                    None => return Err(PoolError::Unreachable),
                },
            }
        }
        // Boxed: a new connection is the rare path, and inline its future would make every
        // request's future larger (futures are moved byte for byte as they are set up).
        Box::pin(self.send_on_new(req)).await
    }

    async fn send_on_new(&self, req: Request<Incoming>) -> Result<Response<Incoming>, PoolError> {
        let mut sender = self.connect().await?;
        let response = sender.send_request(req).await.map_err(|e| {
            tracing::warn!(error = %e, "upstream request failed");
            PoolError::Unreachable
        })?;
        self.checkin(sender);
        Ok(response)
    }

    fn checkout(&self) -> Option<SendRequest<Incoming>> {
        let mut queue = self.idle.lock().ok()?;
        for _ in 0..queue.len() {
            let p = queue.pop_front()?;
            if p.sender.is_closed() || p.used.elapsed() > IDLE_TIMEOUT {
                continue;
            }
            if p.sender.is_ready() {
                return Some(p.sender);
            }
            queue.push_back(p);
        }
        None
    }

    fn checkin(&self, sender: SendRequest<Incoming>) {
        if let Ok(mut queue) = self.idle.lock() {
            if queue.len() < MAX_POOLED {
                queue.push_back(Pooled {
                    sender,
                    used: Instant::now(),
                });
            }
        }
    }

    async fn connect(&self) -> Result<SendRequest<Incoming>, PoolError> {
        let stream = tokio::time::timeout(
            self.connect_timeout,
            TcpStream::connect(self.authority.as_str()),
        )
        .await
        .map_err(|_| PoolError::Unreachable)?
        .map_err(|e| {
            tracing::warn!(error = %e, "cannot connect to the upstream");
            PoolError::Unreachable
        })?;
        let _ = stream.set_nodelay(true);
        let Some((connector, name)) = &self.tls else {
            return handshake(stream).await;
        };
        // The handshake shares the connect timeout: both are "reaching the upstream".
        let stream = tokio::time::timeout(
            self.connect_timeout,
            connector.connect(name.clone(), stream),
        )
        .await
        .map_err(|_| {
            tracing::warn!("TLS handshake with the upstream timed out");
            PoolError::Unreachable
        })?
        .map_err(|e| {
            // The reason (e.g. a certificate not valid for the name) is for the log only.
            tracing::warn!(error = %e, "TLS handshake with the upstream failed");
            PoolError::Unreachable
        })?;
        handshake(stream).await
    }
}

/// HTTP/1.1 on a connected stream; the connection is driven by its own task.
async fn handshake<T>(stream: T) -> Result<SendRequest<Incoming>, PoolError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = http1::Builder::new()
        .handshake(TokioIo::new(stream))
        .await
        .map_err(|_| PoolError::Unreachable)?;
    tokio::spawn(async move {
        // with_upgrades: an authorised WebSocket continues on this connection.
        if let Err(e) = conn.with_upgrades().await {
            tracing::debug!(error = %e, "upstream connection ended with an error");
        }
    });
    Ok(sender)
}
