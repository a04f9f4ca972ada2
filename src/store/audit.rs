//! The audit trail: security events in the order they were recorded.
//!
//! Keys are microsecond-scale and strictly increasing (`max(time * 1_000_000, last key + 1)`),
//! so iteration order is recording order even when two events share a second or the clock
//! steps back, and "everything before time T" is a key range.

use redb::{ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::audit::{Event, Kind, Outcome, Retention};

/// Event key → JSON of [`AuditRecordV1`].
pub(super) const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_v1");

const KEY_SCALE: u64 = 1_000_000;

/// One event as stored. `Kind` and `Outcome` serialise as fixed snake_case names, so they are
/// safe to embed; a change to their meaning gets a new record type and table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AuditRecordV1 {
    time: u64,
    kind: Kind,
    outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

impl From<&Event> for AuditRecordV1 {
    fn from(e: &Event) -> Self {
        AuditRecordV1 {
            time: e.time,
            kind: e.kind,
            outcome: e.outcome,
            user: e.user.clone(),
            ip: e.ip.clone(),
            user_agent: e.user_agent.clone(),
            detail: e.detail.clone(),
        }
    }
}

impl From<AuditRecordV1> for Event {
    fn from(r: AuditRecordV1) -> Self {
        Event {
            time: r.time,
            kind: r.kind,
            outcome: r.outcome,
            user: r.user,
            ip: r.ip,
            user_agent: r.user_agent,
            detail: r.detail,
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Event, StoreError> {
    serde_json::from_slice::<AuditRecordV1>(bytes)
        .map(Event::from)
        .map_err(|e| StoreError::Db(format!("unreadable audit record: {e}")))
}

impl Store {
    /// Appends `events` in order, in one transaction.
    pub fn append_audit(&self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(AUDIT)?;
            let mut last = table.last()?.map(|(k, _)| k.value());
            for e in events {
                let at = e.time.saturating_mul(KEY_SCALE);
                let key = match last {
                    Some(l) => at.max(l.saturating_add(1)),
                    None => at,
                };
                let json = serde_json::to_vec(&AuditRecordV1::from(e))
                    .map_err(|e| StoreError::Db(format!("cannot encode audit record: {e}")))?;
                table.insert(key, json.as_slice())?;
                last = Some(key);
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Newest last; only events of `user` (exact match) when given, and with `time >= since`;
    /// at most `limit`, the most recent ones.
    pub fn audit_events(
        &self,
        user: Option<&str>,
        since: u64,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(AUDIT)?;
        let mut out = Vec::new();
        // A key is never below its event's time * KEY_SCALE, so this range holds every match.
        for row in table.range(since.saturating_mul(KEY_SCALE)..)?.rev() {
            if out.len() >= limit {
                break;
            }
            let (_, v) = row?;
            let e = decode(v.value())?;
            if e.time >= since && user.is_none_or(|u| e.user.as_deref() == Some(u)) {
                out.push(e);
            }
        }
        out.reverse();
        Ok(out)
    }

    /// Drops events older than `now - max_age_secs`, then the oldest beyond `max_events`.
    /// Returns how many were dropped.
    pub fn purge_audit(&self, now: u64, retention: Retention) -> Result<usize, StoreError> {
        let cutoff = now
            .saturating_sub(retention.max_age_secs)
            .saturating_mul(KEY_SCALE);
        let tx = self.db.begin_write()?;
        let removed = {
            let mut table = tx.open_table(AUDIT)?;
            let by_age = table.extract_from_if(..cutoff, |_, _| true)?.count();
            let excess = table.len()?.saturating_sub(retention.max_events);
            let by_count = if excess == 0 {
                0
            } else {
                // The first key to keep: everything before it goes.
                let skip = usize::try_from(excess).unwrap_or(usize::MAX);
                let first_kept = table.iter()?.nth(skip).transpose()?.map(|(k, _)| k.value());
                match first_kept {
                    Some(k) => table.extract_from_if(..k, |_, _| true)?.count(),
                    None => table.extract_if(|_, _| true)?.count(),
                }
            };
            by_age + by_count
        };
        tx.commit()?;
        Ok(removed)
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

    fn ev(time: u64, user: &str) -> Event {
        Event::new(time, Kind::LoginFailed, Outcome::Failure).with_user(user)
    }

    fn times(events: &[Event]) -> Vec<u64> {
        events.iter().map(|e| e.time).collect()
    }

    #[test]
    fn appended_events_are_found_by_user_and_since() {
        let (_d, s) = store();
        s.append_audit(&[ev(100, "alice"), ev(200, "bob"), ev(300, "alice")])
            .unwrap();
        let alice = s.audit_events(Some("alice"), 0, 10).unwrap();
        assert_eq!(times(&alice), vec![100, 300]);
        assert!(alice.iter().all(|e| e.user.as_deref() == Some("alice")));
        assert_eq!(
            times(&s.audit_events(None, 200, 10).unwrap()),
            vec![200, 300]
        );
        assert!(s.audit_events(Some("bob"), 201, 10).unwrap().is_empty());
        assert!(s.audit_events(Some("ali"), 0, 10).unwrap().is_empty());
    }

    #[test]
    fn events_come_back_in_recording_order_even_within_one_second_or_when_the_clock_steps_back() {
        let (_d, s) = store();
        s.append_audit(&[ev(50, "a"), ev(50, "b")]).unwrap();
        s.append_audit(&[ev(50, "c"), ev(40, "d")]).unwrap();
        let users: Vec<_> = s
            .audit_events(None, 0, 10)
            .unwrap()
            .into_iter()
            .filter_map(|e| e.user)
            .collect();
        assert_eq!(users, vec!["a", "b", "c", "d"]);
        // The stepped-back event still honours `since` by its own time.
        assert_eq!(
            times(&s.audit_events(None, 45, 10).unwrap()),
            vec![50, 50, 50]
        );
    }

    #[test]
    fn limit_keeps_the_newest_events() {
        let (_d, s) = store();
        let all: Vec<_> = (1..=10).map(|t| ev(t, "alice")).collect();
        s.append_audit(&all).unwrap();
        assert_eq!(times(&s.audit_events(None, 0, 3).unwrap()), vec![8, 9, 10]);
        assert!(s.audit_events(None, 0, 0).unwrap().is_empty());
    }

    #[test]
    fn purge_drops_events_past_the_maximum_age() {
        let (_d, s) = store();
        s.append_audit(&[ev(100, "a"), ev(500, "b"), ev(900, "c")])
            .unwrap();
        let retention = Retention {
            max_age_secs: 500,
            max_events: 100,
        };
        assert_eq!(s.purge_audit(1000, retention).unwrap(), 1);
        assert_eq!(times(&s.audit_events(None, 0, 10).unwrap()), vec![500, 900]);
        assert_eq!(s.purge_audit(1000, retention).unwrap(), 0);
    }

    #[test]
    fn purge_drops_the_oldest_events_beyond_the_maximum_count() {
        let (_d, s) = store();
        let all: Vec<_> = (1..=10).map(|t| ev(t, "alice")).collect();
        s.append_audit(&all).unwrap();
        let retention = Retention {
            max_age_secs: 1000,
            max_events: 4,
        };
        assert_eq!(s.purge_audit(20, retention).unwrap(), 6);
        assert_eq!(
            times(&s.audit_events(None, 0, 10).unwrap()),
            vec![7, 8, 9, 10]
        );
        let none = Retention {
            max_age_secs: 1000,
            max_events: 0,
        };
        assert_eq!(s.purge_audit(20, none).unwrap(), 4);
        assert!(s.audit_events(None, 0, 10).unwrap().is_empty());
    }

    #[test]
    fn stored_records_round_trip_every_field() {
        let (_d, s) = store();
        let e = Event::new(7, Kind::DeviceTrusted, Outcome::Info)
            .with_user("alice")
            .with_ip("::1".parse().unwrap())
            .with_user_agent(Some("curl/8"))
            .with_detail("dev-1");
        s.append_audit(std::slice::from_ref(&e)).unwrap();
        assert_eq!(s.audit_events(None, 0, 1).unwrap(), vec![e]);
    }
}
