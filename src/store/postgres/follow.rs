//! Revocations across replicas: `NOTIFY` when one is made, `LISTEN` and acknowledge on every
//! replica, a re-read as backstop, and a staleness bound that fails closed (DESIGN §3
//! `revocation_staleness`, §5).
//!
//! Sessions are signed tokens checked in memory, so the request path makes no database round
//! trip; what it must trust is that its copy of the revocations is current.
//!
//! - **Following.** Each replica keeps one connection of its own that `LISTEN`s. After each
//!   (re)connection it notes when it began listening (`listening_since`, on the database's
//!   clock), re-reads both tables whole (anything announced while it was away), and registers
//!   in `replicas`; it re-reads again every [`FULL_REREAD`]. It pings on that connection four
//!   times per `staleness`, which keeps `replicas.seen` current.
//! - **Heard.** A ping that was answered proves every revocation committed before it was
//!   *sent* has reached this replica: PostgreSQL delivers notifications before the answer, and
//!   they are applied before the ping counts. "Heard" is the time the ping was sent.
//! - **Failing closed.** A replica that has not heard for `staleness` is stale: signed-in
//!   requests answer 503 until it hears again (see [`crate::store::Store::revocations_stale`]).
//!   It starts stale, until its first registration.
//! - **The very next request (DESIGN §5).** Every revocation carries a number from
//!   `revocation_seq`; a replica applies a notification first and then acknowledges its number
//!   in `revocation_acks`. The replica (or CLI) that revoked waits, after its commit, until every
//!   live replica that was listening before the commit has acknowledged ([`await_acks`]) — a few
//!   milliseconds — so once a sign-out has answered, no replica still accepts the token. One
//!   that began listening later re-read it. One that neither acknowledges nor pings is waited
//!   for until its last ping is older than `staleness` plus [`grace`]: by then it has marked
//!   itself stale, and refuses the token too.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Connect, Tls, CHANNEL};
use crate::store::{Freshness, Mirror, Revocation, StoreError};

/// The backstop: every follower re-reads every revocation this often.
const FULL_REREAD: Duration = Duration::from_secs(60);
/// After a lost connection, the wait before the next try.
const RETRY: Duration = Duration::from_secs(1);
/// The database server's clock in milliseconds: every replica compares against the same clock.
pub(crate) const NOW_MS: &str = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

/// A notification's payload (JSON; user names are free text), with its number.
#[derive(Serialize, Deserialize)]
#[serde(tag = "t")]
enum Payload {
    #[serde(rename = "s")]
    Session { n: i64, sid: String, until: u64 },
    #[serde(rename = "e")]
    Epoch { n: i64, user: String, epoch: u64 },
}

impl Payload {
    fn new(seq: i64, change: &Revocation) -> Payload {
        match change {
            Revocation::Session(sid, until) => Payload::Session {
                n: seq,
                sid: sid.clone(),
                until: *until,
            },
            Revocation::Epoch(user, epoch) => Payload::Epoch {
                n: seq,
                user: user.clone(),
                epoch: *epoch,
            },
        }
    }
}

/// Announces `change` to every replica when `tx` commits; its number, for [`await_acks`].
pub(crate) async fn announce(
    tx: &tokio_postgres::Transaction<'_>,
    change: &Revocation,
) -> Result<i64, StoreError> {
    let seq: i64 = tx
        .query_one("SELECT nextval('revocation_seq')", &[])
        .await?
        .get(0);
    let text = serde_json::to_string(&Payload::new(seq, change))
        .map_err(|e| StoreError::Db(e.to_string()))?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &text])
        .await?;
    Ok(seq)
}

/// How much longer than `staleness` a silent replica is waited for: its own check runs every
/// half ping interval and its clock of "heard" starts when a ping is sent, so by then it has
/// surely marked itself stale.
pub(crate) fn grace(staleness: Duration) -> Duration {
    ping_interval(staleness) + Duration::from_millis(100)
}

/// Waits until every replica that must have revocation `seq` has acknowledged it: those that
/// pinged within `staleness` + [`grace`] and were already listening when it committed
/// (`committed_ms`, the database's clock read after the commit). Each poll takes a connection
/// from the pool only for its query. Gives up (logged) after `staleness` + [`grace`] + 1 s:
/// any replica still silent then is stale.
pub(crate) async fn await_acks(
    pool: &deadpool_postgres::Pool,
    seq: i64,
    committed_ms: i64,
    staleness: Duration,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT count(*) FROM replicas r WHERE r.seen > {NOW_MS} - $2 AND r.listening_since <= $3 \
         AND NOT EXISTS (SELECT 1 FROM revocation_acks a WHERE a.seq = $1 AND a.replica = r.id)"
    );
    let window = staleness + grace(staleness);
    let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
    let deadline = Instant::now() + window + Duration::from_secs(1);
    let mut pause = Duration::from_millis(1);
    loop {
        let waiting: i64 = {
            let client = pool.get().await.map_err(super::unavailable)?;
            let stmt = client.prepare_cached(&sql).await?;
            client
                .query_one(&stmt, &[&seq, &window_ms, &committed_ms])
                .await?
                .get(0)
        };
        if waiting == 0 {
            return Ok(());
        }
        if Instant::now() >= deadline {
            tracing::warn!(
                seq,
                replicas = waiting,
                "a revocation is not acknowledged by every replica; those are stale and refuse signed-in requests"
            );
            return Ok(());
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// How often a follower pings its connection: a quarter of `staleness`, between 100 ms and
/// 5 s, so a healthy connection is heard from well inside the bound.
pub(crate) fn ping_interval(staleness: Duration) -> Duration {
    (staleness / 4).clamp(Duration::from_millis(100), Duration::from_secs(5))
}

/// Follows revocations until the store's runtime stops. `ready` is told once, after the first
/// registration.
pub(crate) async fn run(
    connect: Connect,
    id: String,
    apply: Mirror,
    staleness: Duration,
    clock: Arc<Freshness>,
    ready: std::sync::mpsc::SyncSender<()>,
) {
    tokio::spawn(watch(clock.clone(), staleness));
    let mut ready = Some(ready);
    loop {
        if let Err(e) = listen(&connect, &id, &*apply, staleness, &clock, &mut ready).await {
            tracing::warn!(error = %e, "lost the revocation feed of the shared store; reconnecting");
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// A name for this replica in `replicas`: the host name (a pod's name) and random hex, new at
/// every start.
pub(crate) fn replica_id() -> String {
    use rand::Rng;
    let bytes: [u8; 8] = rand::thread_rng().gen();
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if host.is_empty() {
        hex
    } else {
        format!("{host}-{hex}")
    }
}

/// Marks the replica stale, and current again, as the time since it last heard passes the
/// bound; logs each change once.
async fn watch(clock: Arc<Freshness>, staleness: Duration) {
    let mut tick = tokio::time::interval(ping_interval(staleness) / 2);
    let mut was_stale = true;
    loop {
        tick.tick().await;
        let now_stale = clock.is_stale();
        if now_stale != was_stale {
            was_stale = now_stale;
            if now_stale {
                let silent = clock.silent_for().unwrap_or_default();
                tracing::error!(
                    silent_ms = silent,
                    "revocations are stale: the shared store has not answered; signed-in requests answer 503 until it does"
                );
            } else {
                tracing::info!("revocations are current");
            }
        }
    }
}

/// One connection's life: LISTEN, read everything, register, then notifications, pings and
/// re-reads until it fails.
async fn listen(
    connect: &Connect,
    id: &str,
    apply: &(dyn Fn(&[Revocation]) + Send + Sync),
    staleness: Duration,
    clock: &Freshness,
    ready: &mut Option<std::sync::mpsc::SyncSender<()>>,
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
    let listening_since: i64 = client
        .query_one(&format!("SELECT {NOW_MS}"), &[])
        .await?
        .get(0);
    let reread_at = clock.now();
    reread(&client, apply).await?;
    let register = client
        .prepare(&format!(
            "INSERT INTO replicas (id, seen, listening_since) VALUES ($1, {NOW_MS}, $2) \
             ON CONFLICT (id) DO UPDATE SET seen = excluded.seen, listening_since = excluded.listening_since"
        ))
        .await?;
    let ping = client
        .prepare(&format!(
            "UPDATE replicas SET seen = {NOW_MS} WHERE id = $1"
        ))
        .await?;
    let ack = client
        .prepare(&format!(
            "INSERT INTO revocation_acks (seq, replica, at) \
             SELECT n, $2, {NOW_MS} FROM unnest($1::bigint[]) AS n ON CONFLICT DO NOTHING"
        ))
        .await?;
    // Live from here on: revokers wait for this replica's acknowledgements.
    client.execute(&register, &[&id, &listening_since]).await?;
    clock.heard_at(reread_at);
    if let Some(ready) = ready.take() {
        let _ = ready.try_send(());
    }
    // Applies and acknowledges everything that has arrived (beginning with `first`).
    let take = |first: Option<String>, notes: &mut tokio::sync::mpsc::UnboundedReceiver<String>| {
        let mut changes = Vec::new();
        let mut seqs = Vec::new();
        // A payload that cannot be read: a re-read stands in for it (an unread revocation must
        // not wait for the minute's re-read).
        let mut unread = false;
        for payload in first
            .into_iter()
            .chain(std::iter::from_fn(|| notes.try_recv().ok()))
        {
            match parse(&payload) {
                Some((seq, change)) => {
                    seqs.push(seq);
                    changes.push(change);
                }
                None => unread = true,
            }
        }
        (changes, seqs, unread)
    };
    let mut pings = tokio::time::interval(ping_interval(staleness));
    let mut full = tokio::time::interval(FULL_REREAD);
    full.tick().await;
    loop {
        tokio::select! {
            note = notes.recv() => {
                let Some(first) = note else {
                    return Err(StoreError::Unavailable("connection closed".into()));
                };
                settle(&client, &ack, id, apply, take(Some(first), &mut notes)).await?;
            },
            _ = pings.tick() => {
                let sent = clock.now();
                let updated = match tokio::time::timeout(staleness, client.execute(&ping, &[&id])).await {
                    Ok(r) => r?,
                    Err(_) => return Err(StoreError::Unavailable("ping timed out".into())),
                };
                if updated == 0 {
                    // Our row was purged (a long pause): register again.
                    client.execute(&register, &[&id, &listening_since]).await?;
                }
                // Notifications delivered before the answer are applied before it counts.
                settle(&client, &ack, id, apply, take(None, &mut notes)).await?;
                clock.heard_at(sent);
            }
            _ = full.tick() => {
                let at = clock.now();
                reread(&client, apply).await?;
                clock.heard_at(at);
            }
        }
    }
}

/// Applies a batch of notifications (re-reading everything when one could not be read), then
/// acknowledges their numbers: applied first, so an acknowledgement is never ahead.
async fn settle(
    client: &tokio_postgres::Client,
    ack: &tokio_postgres::Statement,
    id: &str,
    apply: &(dyn Fn(&[Revocation]) + Send + Sync),
    (changes, seqs, unread): (Vec<Revocation>, Vec<i64>, bool),
) -> Result<(), StoreError> {
    apply(&changes);
    if unread {
        reread(client, apply).await?;
    }
    if !seqs.is_empty() {
        client.execute(ack, &[&seqs, &id]).await?;
    }
    Ok(())
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

fn parse(payload: &str) -> Option<(i64, Revocation)> {
    match serde_json::from_str(payload) {
        Ok(Payload::Session { n, sid, until }) => Some((n, Revocation::Session(sid, until))),
        Ok(Payload::Epoch { n, user, epoch }) => Some((n, Revocation::Epoch(user, epoch))),
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
        for (seq, change) in [
            (1, Revocation::Session("s1".into(), 99)),
            (7, Revocation::Epoch("名前\t\"x\"".into(), 3)),
        ] {
            let text = serde_json::to_string(&Payload::new(seq, &change)).unwrap();
            assert_eq!(parse(&text), Some((seq, change)));
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
