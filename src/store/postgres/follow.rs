//! Revocations across replicas: `NOTIFY` when one is made, `LISTEN` on every replica, a
//! re-read as backstop, and a staleness bound that fails closed (DESIGN §3
//! `revocation_staleness`, §5).
//!
//! Sessions are signed tokens checked in memory, so the request path makes no database round
//! trip; what it must trust is that its copy of the revocations is current. A follower keeps
//! one connection of its own that `LISTEN`s. After each (re)connection it re-reads both tables
//! whole (anything announced while it was away), and it does so again every
//! [`FULL_REREAD`]. Between notifications it pings on that connection; each answer or
//! notification is "heard". A replica that has heard nothing for `staleness` marks itself
//! stale: signed-in requests answer 503 until it hears again (see
//! [`crate::store::Store::revocations_stale`]). PostgreSQL delivers a notification to every
//! session listening when its transaction commits, so a connection that keeps answering
//! pings has missed nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Connect, Tls, CHANNEL};
use crate::store::{Mirror, Revocation, StoreError};

/// The backstop: every follower re-reads every revocation this often.
const FULL_REREAD: Duration = Duration::from_secs(60);
/// After a lost connection, the wait before the next try.
const RETRY: Duration = Duration::from_secs(1);

/// A notification's payload (JSON; user names are free text).
#[derive(Serialize, Deserialize)]
#[serde(tag = "t")]
enum Payload {
    #[serde(rename = "s")]
    Session { sid: String, until: u64 },
    #[serde(rename = "e")]
    Epoch { user: String, epoch: u64 },
}

impl From<&Revocation> for Payload {
    fn from(change: &Revocation) -> Payload {
        match change {
            Revocation::Session(sid, until) => Payload::Session {
                sid: sid.clone(),
                until: *until,
            },
            Revocation::Epoch(user, epoch) => Payload::Epoch {
                user: user.clone(),
                epoch: *epoch,
            },
        }
    }
}

/// Announces `change` to every replica when `tx` commits.
pub(crate) async fn announce(
    tx: &tokio_postgres::Transaction<'_>,
    change: &Revocation,
) -> Result<(), StoreError> {
    let text =
        serde_json::to_string(&Payload::from(change)).map_err(|e| StoreError::Db(e.to_string()))?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &text])
        .await?;
    Ok(())
}

/// How often a follower pings its connection: a quarter of `staleness`, between 100 ms and
/// 5 s, so a healthy connection is heard from well inside the bound.
pub(crate) fn ping_interval(staleness: Duration) -> Duration {
    (staleness / 4).clamp(Duration::from_millis(100), Duration::from_secs(5))
}

/// Follows revocations until the store's runtime stops.
pub(crate) async fn run(
    connect: Connect,
    apply: Mirror,
    staleness: Duration,
    stale: Arc<AtomicBool>,
) {
    let started = Instant::now();
    // Milliseconds since `started` when the store was last heard from.
    let heard = Arc::new(AtomicU64::new(0));
    tokio::spawn(watch(started, heard.clone(), staleness, stale));
    let mark = move || {
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        heard.store(ms, Ordering::Relaxed);
    };
    loop {
        if let Err(e) = listen(&connect, &*apply, staleness, &mark).await {
            tracing::warn!(error = %e, "lost the revocation feed of the shared store; reconnecting");
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Marks the replica stale, and current again, as the time since it last heard passes the
/// bound; logs each change once.
async fn watch(
    started: Instant,
    heard: Arc<AtomicU64>,
    staleness: Duration,
    stale: Arc<AtomicBool>,
) {
    let mut tick = tokio::time::interval(ping_interval(staleness) / 2);
    loop {
        tick.tick().await;
        let since = started
            .elapsed()
            .saturating_sub(Duration::from_millis(heard.load(Ordering::Relaxed)));
        let now_stale = since > staleness;
        if stale.swap(now_stale, Ordering::Relaxed) != now_stale {
            if now_stale {
                tracing::error!(
                    silent_for = ?since,
                    "revocations are stale: the shared store has not answered; signed-in requests answer 503 until it does"
                );
            } else {
                tracing::info!("revocations are current again");
            }
        }
    }
}

/// One connection's life: LISTEN, read everything, then notifications, pings and re-reads
/// until it fails.
async fn listen(
    connect: &Connect,
    apply: &(dyn Fn(&[Revocation]) + Send + Sync),
    staleness: Duration,
    mark: &(dyn Fn() + Send + Sync),
) -> Result<(), StoreError> {
    let (notes_tx, mut notes) = tokio::sync::mpsc::unbounded_channel();
    let client = match &connect.tls {
        Tls::Off => {
            let (client, conn) = connect.config.connect(tokio_postgres::NoTls).await?;
            tokio::spawn(drive(conn, notes_tx));
            client
        }
        Tls::On(tls) => {
            let (client, conn) = connect.config.connect(tls.clone()).await?;
            tokio::spawn(drive(conn, notes_tx));
            client
        }
    };
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    reread(&client, apply).await?;
    mark();
    let mut ping = tokio::time::interval(ping_interval(staleness));
    let mut full = tokio::time::interval(FULL_REREAD);
    full.tick().await;
    loop {
        tokio::select! {
            note = notes.recv() => match note {
                Some(payload) => {
                    if let Some(change) = parse(&payload) {
                        apply(&[change]);
                    }
                    mark();
                }
                None => return Err(StoreError::Unavailable("connection closed".into())),
            },
            _ = ping.tick() => {
                match tokio::time::timeout(staleness, client.simple_query("SELECT 1")).await {
                    Ok(Ok(_)) => mark(),
                    Ok(Err(e)) => return Err(e.into()),
                    Err(_) => return Err(StoreError::Unavailable("ping timed out".into())),
                }
            }
            _ = full.tick() => {
                reread(&client, apply).await?;
                mark();
            }
        }
    }
}

/// Drives a connection, passing its notifications on; ends when the connection does.
async fn drive<S, T>(
    mut conn: tokio_postgres::Connection<S, T>,
    notes: tokio::sync::mpsc::UnboundedSender<String>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Some(message) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
        match message {
            Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                if notes.send(n.payload().to_owned()).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(error = %e, "revocation feed connection ended");
                return;
            }
        }
    }
}

fn parse(payload: &str) -> Option<Revocation> {
    match serde_json::from_str(payload) {
        Ok(Payload::Session { sid, until }) => Some(Revocation::Session(sid, until)),
        Ok(Payload::Epoch { user, epoch }) => Some(Revocation::Epoch(user, epoch)),
        Err(e) => {
            tracing::warn!(error = %e, "unreadable revocation notification ignored");
            None
        }
    }
}

async fn reread(
    client: &tokio_postgres::Client,
    apply: &(dyn Fn(&[Revocation]) + Send + Sync),
) -> Result<(), StoreError> {
    let mut all = Vec::new();
    for r in client
        .query("SELECT sid, until FROM revoked_sessions", &[])
        .await?
    {
        all.push(Revocation::Session(r.get(0), r.get::<_, i64>(1) as u64));
    }
    for r in client
        .query("SELECT username, epoch FROM user_epochs", &[])
        .await?
    {
        all.push(Revocation::Epoch(r.get(0), r.get::<_, i64>(1) as u64));
    }
    apply(&all);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_garbage_is_ignored() {
        for change in [
            Revocation::Session("s1".into(), 99),
            Revocation::Epoch("名前\t\"x\"".into(), 3),
        ] {
            let text = serde_json::to_string(&Payload::from(&change)).unwrap();
            assert_eq!(parse(&text), Some(change));
        }
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"t":"x"}"#), None);
    }

    #[test]
    fn pings_come_four_times_per_staleness_within_bounds() {
        assert_eq!(
            ping_interval(Duration::from_secs(4)),
            Duration::from_secs(1)
        );
        assert_eq!(
            ping_interval(Duration::from_millis(100)),
            Duration::from_millis(100)
        );
        assert_eq!(
            ping_interval(Duration::from_secs(600)),
            Duration::from_secs(5)
        );
    }
}
