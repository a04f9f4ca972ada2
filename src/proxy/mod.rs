//! Forwarding to the upstream application (DESIGN §7).

pub mod headers;
mod pool;
pub mod redirects;
pub mod tls;

use std::time::Duration;

use http::header::{self, HeaderValue};
use http::{Request, StatusCode, Uri};
use hyper::body::Incoming;

use crate::config;

/// The default upstream and the settings every origin's connections share.
pub struct Upstream {
    default: Origin,
    timeout: Duration,
    connect_timeout: Duration,
    /// How `https://` origins are reached (roots, `ca_file`, verification).
    tls: tokio_rustls::TlsConnector,
    pub preserve_host: bool,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

/// Where requests go: scheme + authority, a path prefix the request path is appended to, and
/// the kept-alive connections to it.
#[derive(Debug, Clone)]
pub struct Origin {
    pool: std::sync::Arc<pool::Pool>,
    authority: http::uri::Authority,
    base_path: String,
    host_header: HeaderValue,
    /// "scheme://authority": the default audience of signed assertions.
    audience: String,
    /// Scheme, lowercase host and port (default filled in): what a redirect to this upstream
    /// names (see [`redirects`]).
    own: redirects::OwnOrigin,
}

impl Origin {
    /// `server_name`: the name an https upstream's certificate must carry, when not the URL's
    /// host.
    fn from_url(
        url: &url::Url,
        tls: &tokio_rustls::TlsConnector,
        server_name: Option<&str>,
        connect_timeout: Duration,
    ) -> Option<Origin> {
        let host = url.host_str()?;
        let tls = match url.scheme() {
            "https" => Some((tls.clone(), tls::server_name(server_name.unwrap_or(host))?)),
            _ => None,
        };
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_owned(),
        };
        Some(Origin {
            authority: authority.parse().ok()?,
            base_path: url.path().trim_end_matches('/').to_owned(),
            host_header: HeaderValue::from_str(&authority).ok()?,
            audience: format!("{}://{authority}", url.scheme()),
            own: redirects::OwnOrigin::of(url)?,
            pool: std::sync::Arc::new(pool::Pool::new(
                format!("{host}:{}", url.port_or_known_default().unwrap_or(80)),
                tls,
                connect_timeout,
            )),
        })
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Rewrites redirects that name this upstream's own address to `public_origin`
    /// (`https://app.example.com`); see [`redirects::rewrite`].
    pub fn rewrite_redirects(&self, headers: &mut http::HeaderMap, public_origin: &str) {
        redirects::rewrite(headers, &self.own, &self.base_path, public_origin);
    }

    /// The upstream URI for a normalised path and the raw query.
    fn uri(&self, path: &str, query: Option<&str>) -> Result<Uri, http::Error> {
        let mut pq = String::with_capacity(
            self.base_path.len() + path.len() + query.map_or(0, |q| q.len() + 1),
        );
        pq.push_str(&self.base_path);
        pq.push_str(path);
        if let Some(q) = query {
            pq.push('?');
            pq.push_str(q);
        }
        // Origin-form (RFC 9112 §3.2.1): the connection is already to the upstream.
        Uri::builder().path_and_query(pq).build()
    }
}

/// Why forwarding failed; each maps to one status and one fixed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardError {
    /// Could not connect, or the connection broke (502).
    Unreachable,
    /// No response headers within `[upstream] timeout` (504).
    Timeout,
}

impl ForwardError {
    pub fn status(self) -> StatusCode {
        match self {
            ForwardError::Unreachable => StatusCode::BAD_GATEWAY,
            ForwardError::Timeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }
}

impl Upstream {
    /// Errors: `ca_file` does not hold usable certificates (named in the message).
    pub fn new(cfg: &config::Upstream) -> Result<Upstream, String> {
        let tls = tokio_rustls::TlsConnector::from(std::sync::Arc::new(tls::client_config(
            cfg.ca_file.as_deref(),
            cfg.insecure_skip_verify,
        )?));
        let default = Origin::from_url(
            &cfg.url,
            &tls,
            cfg.tls_server_name.as_deref(),
            cfg.connect_timeout,
        )
        .ok_or_else(|| format!("{}: not a usable upstream address", cfg.url))?;
        Ok(Upstream {
            default,
            timeout: cfg.timeout,
            connect_timeout: cfg.connect_timeout,
            tls,
            preserve_host: cfg.preserve_host,
        })
    }

    pub fn default_origin(&self) -> &Origin {
        &self.default
    }

    /// Another origin (a location's own `upstream`), with its own kept-alive connections.
    pub fn origin(&self, url: &url::Url) -> Option<Origin> {
        Origin::from_url(url, &self.tls, None, self.connect_timeout)
    }

    /// Sends a prepared request (headers already cleaned) to `origin`, for the normalised
    /// `path`. The target is set before the returned future is first polled, so that future
    /// does not hold on to `path`.
    pub fn send<'a>(
        &'a self,
        origin: &'a Origin,
        mut req: Request<Incoming>,
        path: &str,
    ) -> impl std::future::Future<Output = Result<http::Response<Incoming>, ForwardError>> + Send + 'a
    {
        let target = self.set_target(origin, &mut req, path);
        async move {
            target?;
            tokio::time::timeout(self.timeout, origin.pool.send(req))
                .await
                .map_err(|_| ForwardError::Timeout)?
                .map_err(|_| ForwardError::Unreachable)
        }
    }

    fn set_target(
        &self,
        origin: &Origin,
        req: &mut Request<Incoming>,
        path: &str,
    ) -> Result<(), ForwardError> {
        // Usually the client's own origin-form target is already what goes upstream.
        let as_is =
            origin.base_path.is_empty() && req.uri().scheme().is_none() && req.uri().path() == path;
        if !as_is {
            let uri = origin
                .uri(path, req.uri().query())
                .map_err(|_| ForwardError::Unreachable)?;
            *req.uri_mut() = uri;
        }
        *req.version_mut() = http::Version::HTTP_11;
        if !self.preserve_host || !req.headers().contains_key(header::HOST) {
            req.headers_mut()
                .insert(header::HOST, origin.host_header.clone());
        }
        Ok(())
    }

    /// Can we open a TCP connection to the default upstream? (for readiness)
    pub async fn probe(&self) -> bool {
        let addr = self.default.authority.as_str().to_owned();
        let addr = if self.default.authority.port().is_some() {
            addr
        } else {
            format!("{addr}:80")
        };
        matches!(
            tokio::time::timeout(self.connect_timeout, tokio::net::TcpStream::connect(addr)).await,
            Ok(Ok(_))
        )
    }
}
