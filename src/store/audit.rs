//! The audit trail: security events in the order they were recorded.

use serde::{Deserialize, Serialize};

use super::{dispatch, Store, StoreError};
use crate::audit::{Event, Kind, Outcome, Retention};

/// One event as stored. `Kind` and `Outcome` serialise as fixed snake_case names, so they are
/// safe to embed; a change to their meaning gets a new record type and table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AuditRecordV1 {
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

pub(crate) fn decode(bytes: &[u8]) -> Result<Event, StoreError> {
    serde_json::from_slice::<AuditRecordV1>(bytes)
        .map(Event::from)
        .map_err(|e| StoreError::Db(format!("unreadable audit record: {e}")))
}

impl Store {
    /// Appends `events` in order, in one transaction.
    pub fn append_audit(&self, events: &[Event]) -> Result<(), StoreError> {
        dispatch!(self, b => b.append_audit(events))
    }

    /// Newest last; only events of `user` (exact match) when given, and with `time >= since`;
    /// at most `limit`, the most recent ones.
    pub fn audit_events(
        &self,
        user: Option<&str>,
        since: u64,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        dispatch!(self, b => b.audit_events(user, since, limit))
    }

    /// Drops events older than `now - max_age_secs`, then the oldest beyond `max_events`.
    /// Returns how many were dropped.
    pub fn purge_audit(&self, now: u64, retention: Retention) -> Result<usize, StoreError> {
        dispatch!(self, b => b.purge_audit(now, retention))
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
