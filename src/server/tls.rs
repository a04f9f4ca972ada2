//! HTTPS listeners (DESIGN §3 `[server] tls_cert`, `tls_key`, `tls_min_version`): rustls with
//! its safe defaults — TLS 1.3 and 1.2 only, no renegotiation, forward-secret suites — ALPN
//! `h2` and `http/1.1`.
//!
//! The certificate chain and key are read again when either file changes (checked every two
//! seconds) or on SIGHUP. New handshakes use the new pair; open connections keep theirs. A new
//! pair that does not load, or whose key does not match its certificate, is refused with a log
//! line and the old pair keeps serving.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;

use crate::config::TlsVersion;

/// How often the certificate and key files are checked for changes.
pub const POLL: Duration = Duration::from_secs(2);

/// Why a certificate and key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {why}")]
    File { path: PathBuf, why: String },
    #[error("{0}")]
    Config(String),
}

/// The current server configuration of every HTTPS listener, and where it came from.
pub struct TlsState {
    current: ArcSwap<ServerConfig>,
    cert: PathBuf,
    key: PathBuf,
    min: TlsVersion,
    stamp: std::sync::Mutex<Option<Stamp>>,
}

impl std::fmt::Debug for TlsState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsState")
            .field("cert", &self.cert)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

type Stamp = [(Option<SystemTime>, u64); 2];

fn stamp(cert: &Path, key: &Path) -> Option<Stamp> {
    let one = |p: &Path| {
        let m = std::fs::metadata(p).ok()?;
        Some((m.modified().ok(), m.len()))
    };
    Some([one(cert)?, one(key)?])
}

impl TlsState {
    /// Loads the pair; errors name the file and what is wrong with it.
    pub fn load(cert: &Path, key: &Path, min: TlsVersion) -> Result<TlsState, TlsError> {
        let config = build(cert, key, min)?;
        Ok(TlsState {
            current: ArcSwap::from_pointee(config),
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            min,
            stamp: std::sync::Mutex::new(stamp(cert, key)),
        })
    }

    /// An acceptor for the next handshake, with the pair loaded last.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(self.current.load_full())
    }

    /// Reads the pair again and uses it for new handshakes; on error the old pair stays.
    pub fn reload(&self) -> Result<(), TlsError> {
        let config = build(&self.cert, &self.key, self.min)?;
        self.current.store(Arc::new(config));
        if let Ok(mut s) = self.stamp.lock() {
            *s = stamp(&self.cert, &self.key);
        }
        Ok(())
    }

    /// Reloads when either file changed since the last load; logs what happened.
    pub fn reload_if_changed(&self) {
        let now = stamp(&self.cert, &self.key);
        let changed = match self.stamp.lock() {
            Ok(s) => *s != now,
            Err(_) => false,
        };
        if changed {
            self.reload_logged("the certificate or key file changed");
        }
    }

    /// [`TlsState::reload`], with a log line either way.
    pub fn reload_logged(&self, why: &str) {
        match self.reload() {
            Ok(()) => tracing::info!(cert = %self.cert.display(), why, "TLS certificate reloaded"),
            Err(e) => {
                // Remember the failed files, so a broken pair is not retried every poll.
                if let Ok(mut s) = self.stamp.lock() {
                    *s = stamp(&self.cert, &self.key);
                }
                tracing::error!(error = %e, why, "new TLS certificate refused; the previous one keeps serving")
            }
        }
    }
}

fn build(cert: &Path, key: &Path, min: TlsVersion) -> Result<ServerConfig, TlsError> {
    let certs = crate::proxy::tls::read_certs(cert).map_err(TlsError::Config)?;
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::File {
        path: key.to_path_buf(),
        why: format!("no usable private key: {e}"),
    })?;
    let versions: &[&'static rustls::SupportedProtocolVersion] = match min {
        TlsVersion::V1_2 => &[&rustls::version::TLS13, &rustls::version::TLS12],
        TlsVersion::V1_3 => &[&rustls::version::TLS13],
    };
    let mut config = ServerConfig::builder_with_provider(crate::proxy::tls::provider())
        .with_protocol_versions(versions)
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => TlsError::Config(format!(
                "{} and {}: the private key does not belong to the certificate",
                cert.display(),
                key.display()
            )),
            e => TlsError::Config(format!("{}: {e}", cert.display())),
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
