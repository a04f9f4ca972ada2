//! The audit trail (DESIGN §9): security events with time, user, IP, user agent and outcome,
//! logged through `tracing` at once and stored by a background writer.
//!
//! An event never carries a password, code, secret, session token or cookie: `detail` names a
//! factor ("totp", "backup_code") or a device id, nothing a caller could replay.

use std::future::Future;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::store::Store;

/// Declares a fieldless enum whose serde name and `as_str` are one snake_case string, written
/// once, so stored names, log fields and `portcullis audit` output cannot drift apart.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)*
        }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The value named `text` (its `as_str`), if any.
            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

named_enum!(
    /// What happened.
    Kind {
        LoginSucceeded = "login_succeeded",
        LoginFailed = "login_failed",
        FactorSucceeded = "factor_succeeded",
        FactorFailed = "factor_failed",
        Enrolled = "enrolled",
        BackupCodesRegenerated = "backup_codes_regenerated",
        DeviceTrusted = "device_trusted",
        DeviceRevoked = "device_revoked",
        LockedOut = "locked_out",
        LockoutCleared = "lockout_cleared",
        SessionRevoked = "session_revoked",
        SignedOutEverywhere = "signed_out_everywhere",
        MfaReset = "mfa_reset",
        RateLimited = "rate_limited",
        CodeSent = "code_sent",
        CodeNotSent = "code_not_sent",
        MfaDisabled = "mfa_disabled",
        NoticeSent = "notice_sent",
        NoticeNotSent = "notice_not_sent",
        UserDisabled = "user_disabled",
        PasskeyAdded = "passkey_added",
        PasskeyRemoved = "passkey_removed",
        PasskeyCloneSuspected = "passkey_clone_suspected",
    }
);

named_enum!(Outcome {
    Success = "success",
    Failure = "failure",
    Info = "info",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Unix seconds.
    pub time: u64,
    pub kind: Kind,
    pub outcome: Outcome,
    /// As typed for failed logins, so at most 64 characters.
    pub user: Option<String>,
    pub ip: Option<String>,
    /// At most 200 characters, control characters removed.
    pub user_agent: Option<String>,
    /// E.g. "totp", "backup_code", a device id; at most 200 characters. Never a password, code, secret or token.
    pub detail: Option<String>,
}

/// Drops control characters (log and terminal injection) and keeps at most `max` characters.
fn clean(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

impl Event {
    pub fn new(time: u64, kind: Kind, outcome: Outcome) -> Event {
        Event {
            time,
            kind,
            outcome,
            user: None,
            ip: None,
            user_agent: None,
            detail: None,
        }
    }

    pub fn with_user(mut self, user: &str) -> Event {
        self.user = Some(clean(user, 64));
        self
    }

    pub fn with_ip(mut self, ip: IpAddr) -> Event {
        self.ip = Some(ip.to_string());
        self
    }

    pub fn with_user_agent(mut self, user_agent: Option<&str>) -> Event {
        self.user_agent = user_agent
            .map(|ua| clean(ua, 200))
            .filter(|ua| !ua.is_empty());
        self
    }

    pub fn with_detail(mut self, detail: &str) -> Event {
        self.detail = Some(clean(detail, 200));
        self
    }
}

/// Writes `value` bare when it is a plain token, else quoted with Rust escapes, so a line never
/// holds a control character and `key=value` pairs stay unambiguous.
fn push_field(line: &mut String, key: &str, value: &str, always_quote: bool) {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\' && c != '=');
    line.push(' ');
    line.push_str(key);
    line.push('=');
    if plain && !always_quote {
        line.push_str(value);
    } else {
        line.push_str(&format!("{value:?}"));
    }
}

/// One line for `portcullis audit`:
/// `2026-11-23T08:00:00Z login_failed failure user=alice ip=1.2.3.4 ua="curl/8" detail=totp`.
pub fn format_text(e: &Event) -> String {
    // humantime refuses years past 9999 (its Display would fail); print raw seconds instead.
    let time = match UNIX_EPOCH.checked_add(Duration::from_secs(e.time)) {
        Some(t) if e.time < 253_402_300_800 => humantime::format_rfc3339_seconds(t).to_string(),
        _ => e.time.to_string(),
    };
    let mut line = format!("{time} {} {}", e.kind.as_str(), e.outcome.as_str());
    let fields = [
        ("user", &e.user, false),
        ("ip", &e.ip, false),
        ("ua", &e.user_agent, true),
        ("detail", &e.detail, false),
    ];
    for (key, value, quote) in fields {
        if let Some(v) = value {
            push_field(&mut line, key, v, quote);
        }
    }
    line
}

/// `--since`: a duration ("90s", "15m", "1h", "7d") meaning `now` minus that, or an RFC 3339
/// time ("2026-11-23T08:00:00Z").
pub fn parse_since(s: &str, now: u64) -> Result<u64, String> {
    let s = s.trim();
    if let Some(d) = crate::config::parse_duration(s) {
        return Ok(now.saturating_sub(d.as_secs()));
    }
    humantime::parse_rfc3339_weak(s)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .ok_or_else(|| {
            format!("--since {s:?}: expected a duration (15m, 7d) or a time (2026-11-23T08:00:00Z)")
        })
}

/// How long stored events are kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub max_age_secs: u64,
    pub max_events: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            max_age_secs: 90 * 86_400,
            max_events: 100_000,
        }
    }
}

const QUEUE: usize = 4096;
/// Events written per transaction at most.
const BATCH: usize = 256;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Records events without blocking the request: logs each at once and queues it for a
/// background writer that appends batches to the store, one write transaction each.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// `None`: log only.
    queue: Option<mpsc::Sender<Event>>,
}

impl Recorder {
    /// The recorder and its writer task, which the caller spawns. The writer ends once every
    /// clone of the recorder is dropped and the queue is written out.
    pub fn new(
        store: Store,
        retention: Retention,
    ) -> (Recorder, impl Future<Output = ()> + Send + 'static) {
        Recorder::with_capacity(store, retention, QUEUE)
    }

    fn with_capacity(
        store: Store,
        retention: Retention,
        capacity: usize,
    ) -> (Recorder, impl Future<Output = ()> + Send + 'static) {
        let (tx, rx) = mpsc::channel(capacity);
        (
            Recorder { queue: Some(tx) },
            write_events(store, retention, rx),
        )
    }

    /// A recorder that only logs (for tests and the CLI).
    pub fn disabled() -> Recorder {
        Recorder { queue: None }
    }

    pub fn record(&self, e: Event) {
        tracing::info!(
            target: "portcullis::audit",
            event = e.kind.as_str(),
            outcome = e.outcome.as_str(),
            user = e.user.as_deref(),
            ip = e.ip.as_deref(),
            "audit"
        );
        let Some(queue) = &self.queue else { return };
        // try_send: a slow disk must never hold up a request; losing an event is logged above.
        if let Err(err) = queue.try_send(e) {
            let full = matches!(err, mpsc::error::TrySendError::Full(_));
            let reason = if full { "queue full" } else { "writer stopped" };
            tracing::warn!(target: "portcullis::audit", reason, "audit event not stored");
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The writer task: batches from the queue, and a purge at start and then hourly.
async fn write_events(store: Store, retention: Retention, mut rx: mpsc::Receiver<Event>) {
    let mut purge = tokio::time::interval(PURGE_EVERY);
    purge.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            // 0 only when every sender is gone and the queue is empty.
            n = rx.recv_many(&mut batch, BATCH) => {
                if n == 0 {
                    break;
                }
                let events = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                blocking(&store, "store", move |s| s.append_audit(&events)).await;
            }
            _ = purge.tick() => {
                blocking(&store, "purge", move |s| s.purge_audit(unix_now(), retention)).await;
            }
        }
    }
}

/// Runs a store call on the blocking pool (redb does file I/O and fsync) and logs a failure.
async fn blocking<T: Send + 'static>(
    store: &Store,
    what: &str,
    f: impl FnOnce(&Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) {
    let s = store.clone();
    match tokio::task::spawn_blocking(move || f(&s)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "audit {what} failed"),
        Err(e) => tracing::warn!(error = %e, "audit {what} failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.redb")).unwrap();
        (dir, store)
    }

    #[test]
    fn event_json_round_trips_with_snake_case_names() {
        let e = Event::new(1, Kind::BackupCodesRegenerated, Outcome::Success)
            .with_user("alice")
            .with_ip("1.2.3.4".parse().unwrap())
            .with_detail("backup_code");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"backup_codes_regenerated\"") && json.contains("\"success\""));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }

    #[test]
    fn builders_truncate_and_strip_control_characters() {
        let e = Event::new(1, Kind::LoginFailed, Outcome::Failure)
            .with_user(&"u".repeat(100))
            .with_user_agent(Some(&format!("a\r\nb\u{1b}[31m{}", "x".repeat(300))));
        assert_eq!(e.user.unwrap().chars().count(), 64);
        let ua = e.user_agent.unwrap();
        assert_eq!(ua.chars().count(), 200);
        assert!(ua.starts_with("ab[31m") && !ua.chars().any(char::is_control));
    }

    #[test]
    fn format_text_includes_every_field_and_no_control_characters() {
        let mut e = Event::new(1_795_420_800, Kind::LoginFailed, Outcome::Failure)
            .with_user("alice")
            .with_ip("1.2.3.4".parse().unwrap())
            .with_user_agent(Some("curl/8"))
            .with_detail("totp");
        assert_eq!(
            format_text(&e),
            "2026-11-23T08:00:00Z login_failed failure user=alice ip=1.2.3.4 ua=\"curl/8\" detail=totp"
        );
        // Fields are public, so formatting must defend on its own.
        e.user = Some("eve\nfake=1 \u{202e}".into());
        e.time = u64::MAX;
        let line = format_text(&e);
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{line}"
        );
        assert!(line.starts_with("18446744073709551615 ") && line.contains("user=\"eve\\nfake=1 "));
    }

    #[test]
    fn parse_since_accepts_durations_and_rfc3339_and_rejects_garbage() {
        let now = 1_000_000;
        let good = [
            ("90s", now - 90),
            ("15m", now - 900),
            ("1h", now - 3600),
            ("7d", now - 7 * 86_400),
            ("100000d", 0),
            ("2026-11-23T08:00:00Z", 1_795_420_800),
        ];
        for (text, want) in good {
            assert_eq!(parse_since(text, now), Ok(want), "{text}");
        }
        for bad in ["", "yesterday", "-5m", "7 days", "2026-13-01T00:00:00Z"] {
            let err = parse_since(bad, now).unwrap_err();
            assert!(err.contains("--since"), "{bad}");
        }
    }

    fn recent(kind: Kind, user: &str) -> Event {
        Event::new(unix_now(), kind, Outcome::Info).with_user(user)
    }

    fn stored_users(s: &Store) -> Vec<String> {
        let events = s.audit_events(None, 0, 10).unwrap();
        events.into_iter().filter_map(|e| e.user).collect()
    }

    #[tokio::test]
    async fn the_writer_stores_queued_events_and_ends_when_the_recorder_is_dropped() {
        let (_d, s) = store();
        let (recorder, writer) = Recorder::new(s.clone(), Retention::default());
        let clone = recorder.clone();
        recorder.record(recent(Kind::LoginSucceeded, "alice"));
        clone.record(recent(Kind::FactorSucceeded, "carol"));
        recorder.record(recent(Kind::DeviceTrusted, "bob"));
        drop((recorder, clone));
        tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .unwrap();
        assert_eq!(stored_users(&s), ["alice", "carol", "bob"]);
    }

    #[tokio::test]
    async fn a_full_queue_drops_events_instead_of_blocking() {
        let (_d, s) = store();
        let (recorder, writer) = Recorder::with_capacity(s.clone(), Retention::default(), 2);
        // The writer is not running yet, so only the first two fit.
        for user in ["a", "b", "c", "d", "e"] {
            recorder.record(recent(Kind::LoginFailed, user));
        }
        drop(recorder);
        writer.await;
        Recorder::disabled().record(recent(Kind::LoginFailed, "f"));
        assert_eq!(stored_users(&s), ["a", "b"]);
    }
}
