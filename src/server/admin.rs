//! The admin socket (DESIGN §2): a Unix socket, mode 0600, through which the CLI manages a
//! running gateway — redb admits one process, so while the server runs the CLI cannot open it.
//!
//! Protocol: one JSON request per line, one JSON response per line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;

use crate::app::{blocking, now};
use crate::audit::{Event, Kind, Outcome};
use crate::auth::devices::DeviceView;
use crate::auth::mfa::{Factors, MfaStatus};
use crate::store::{Store, StoreError};

/// Longest request line accepted.
const MAX_LINE: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    MfaStatus {
        user: String,
    },
    MfaReset {
        user: String,
    },
    LockoutsList,
    LockoutsClear {
        user: String,
    },
    DevicesList {
        user: Option<String>,
    },
    DevicesRevoke {
        id: String,
    },
    Audit {
        user: Option<String>,
        since: u64,
        limit: usize,
    },
    /// Re-read `config.toml` and the TLS pair (as SIGHUP does); only a running gateway can.
    Reload,
    /// The security overview since a time (Unix seconds); needs the users file, so the CLI
    /// answers it itself when no gateway runs.
    Stats {
        since: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    MfaStatus(MfaStatus),
    Stats(Box<crate::stats::Stats>),
    /// Locked accounts: (user, unix time the lockout ends).
    Lockouts(Vec<(String, u64)>),
    Devices(Vec<DeviceView>),
    Audit(Vec<Event>),
    Done {
        message: String,
    },
    Error {
        message: String,
    },
}

/// Runs a request against a store. Shared by the socket (server running) and the CLI (server
/// stopped, database opened directly). `on_reset` mirrors a new session epoch in memory.
pub fn execute(
    store: &Store,
    req: &Request,
    on_reset: impl FnOnce(&str, u64),
) -> Result<Response, StoreError> {
    match req {
        Request::MfaStatus { user } => Ok(Response::MfaStatus(Factors::status(store, user)?)),
        Request::MfaReset { user } => {
            let epoch = store.reset_mfa(user, now())?;
            on_reset(user, epoch);
            audit(store, Kind::MfaReset, user, None);
            Ok(Response::Done {
                message: format!("second factors of {user} reset; their sessions are ended and they enrol again at next sign-in"),
            })
        }
        Request::Audit { user, since, limit } => Ok(Response::Audit(store.audit_events(
            user.as_deref(),
            *since,
            *limit,
        )?)),
        Request::LockoutsList => Ok(Response::Lockouts(store.lockouts(now())?)),
        Request::LockoutsClear { user } => {
            store.clear_lockouts(user)?;
            audit(store, Kind::LockoutCleared, user, None);
            Ok(Response::Done {
                message: format!("{user} may sign in again"),
            })
        }
        Request::DevicesList { user } => Ok(Response::Devices(
            store
                .devices(user.as_deref())?
                .into_iter()
                .map(|(id, r)| DeviceView::from_record(id, r))
                .collect(),
        )),
        Request::Reload => Ok(Response::Error {
            message: "no running gateway to reload".into(),
        }),
        Request::Stats { .. } => Ok(Response::Error {
            message: "stats needs the users file: run it with --config".into(),
        }),
        Request::DevicesRevoke { id } => {
            if store.revoke_device(id, None)? {
                audit(store, Kind::DeviceRevoked, "", Some(id));
                Ok(Response::Done {
                    message: format!("device {id} revoked"),
                })
            } else {
                Ok(Response::Error {
                    message: format!("no device {id}"),
                })
            }
        }
    }
}

/// Operator actions are recorded straight into the store (the CLI may run without a server).
fn audit(store: &Store, kind: Kind, user: &str, detail: Option<&str>) {
    let mut e =
        Event::new(now(), kind, Outcome::Success).with_detail(detail.unwrap_or("by an operator"));
    if !user.is_empty() {
        e = e.with_user(user);
    }
    tracing::info!(event = kind.as_str(), user, "operator action");
    if let Err(err) = store.append_audit(&[e]) {
        tracing::error!(error = %err, "could not store an audit event");
    }
}

/// Binds the socket (replacing a stale one) with mode 0600 and serves it until `stopped`.
pub async fn serve(
    live: Arc<super::Live>,
    path: PathBuf,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_private_dir(dir)?;
    }
    if path.exists() {
        if UnixStream::connect(&path).await.is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("{} is in use by another running gateway", path.display()),
            ));
        }
        std::fs::remove_file(&path)?;
    }
    let listener = UnixListener::bind(&path)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let owner = own_uid(&path);
    loop {
        tokio::select! {
            conn = listener.accept() => {
                let Ok((stream, _)) = conn else { continue };
                // Defence in depth beyond the file mode: only our own user may talk to us.
                let peer = stream.peer_cred().ok().map(|c| c.uid());
                if owner.is_none() || peer != owner {
                    continue;
                }
                tokio::spawn(connection(live.clone(), stream));
            }
            _ = stopped.changed() => break,
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

fn own_uid(path: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.uid())
}

async fn connection(live: Arc<super::Live>, stream: UnixStream) {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = BufReader::new(tokio::io::AsyncReadExt::take(read, MAX_LINE));
    if reader.read_line(&mut line).await.is_err() {
        return;
    }
    let response = match serde_json::from_str::<Request>(line.trim()) {
        Err(e) => Response::Error {
            message: format!("bad request: {e}"),
        },
        Ok(Request::Reload) => {
            let live = live.clone();
            match tokio::task::spawn_blocking(move || live.reload()).await {
                Ok(Ok(r)) if r.restart_needed.is_empty() => Response::Done {
                    message: "configuration reloaded".into(),
                },
                Ok(Ok(r)) => Response::Done {
                    message: format!(
                        "configuration reloaded; these keys keep their running values until a restart: {}",
                        r.restart_needed.join(", ")
                    ),
                },
                Ok(Err(e)) => Response::Error {
                    message: format!("configuration not reloaded (the running one keeps serving): {e}"),
                },
                Err(e) => Response::Error {
                    message: e.to_string(),
                },
            }
        }
        Ok(Request::Stats { since }) => {
            let app = live.app();
            blocking(&app, move |app| {
                crate::stats::overview(&app.store, &app.users(), &app.config.mfa, since, now())
            })
            .await
            .map_or_else(
                |e| Response::Error {
                    message: e.to_string(),
                },
                |s| Response::Stats(Box::new(s)),
            )
        }
        Ok(req) => {
            let app = live.app();
            let reset = match &req {
                Request::MfaReset { user } => Some(user.clone()),
                _ => None,
            };
            let response = blocking(&app, move |app| {
                execute(&app.store, &req, |user, epoch| {
                    app.sessions.set_epoch(user, epoch)
                })
            })
            .await
            .unwrap_or_else(|e| Response::Error {
                message: e.to_string(),
            });
            if let (Some(user), Response::Done { .. }) = (reset, &response) {
                app.metrics.sessions_revoked(true);
                crate::notices::notify_without_browser(
                    &app,
                    &user,
                    crate::notices::Notice::MfaReset,
                );
            }
            response
        }
    };
    let mut out = serde_json::to_vec(&response).unwrap_or_default();
    out.push(b'\n');
    let _ = write.write_all(&out).await;
}

/// Sends one request to a running gateway. `Ok(None)` when no gateway listens on `path`.
pub async fn call(path: &Path, req: &Request) -> std::io::Result<Option<Response>> {
    let mut stream = match UnixStream::connect(path).await {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let mut line = serde_json::to_vec(req).map_err(std::io::Error::other)?;
    line.push(b'\n');
    stream.write_all(&line).await?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).await?;
    serde_json::from_str(answer.trim())
        .map(Some)
        .map_err(|e| std::io::Error::other(format!("unreadable answer from the gateway: {e}")))
}
