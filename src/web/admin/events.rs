//! The audit trail as the admin page and API show and export it: filtered by user, kind,
//! outcome and time, as JSON or CSV.

use serde::Deserialize;

use crate::audit::{Event, Kind, Outcome};
use crate::store::{Store, StoreError};

/// How many events one answer holds at most (the newest ones); an export of more asks for a
/// narrower filter.
pub const MAX_EVENTS: usize = 10_000;

/// Without `since`: the last 24 h (seconds).
const DEFAULT_PERIOD: u64 = 86_400;

/// The query of `GET P/admin/events`, `P/api/admin/events`: every field optional.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EventQuery {
    /// The event's user: the person signing in, or the target of an admin action.
    #[serde(default)]
    pub user: String,
    /// The admin who did it (admin actions only).
    #[serde(default)]
    pub admin: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub outcome: String,
    /// "24h", "7d", or an RFC 3339 time; default 24 h.
    #[serde(default)]
    pub since: String,
    #[serde(default)]
    pub limit: Option<usize>,
    /// "json" (default) or "csv".
    #[serde(default)]
    pub format: String,
}

/// Why an [`EventQuery`] was not understood, naming the field. Its `Display` is the API's
/// `message` (English, like every JSON answer); [`FilterError::words`] is the page's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("unknown kind {0:?}")]
    Kind(String),
    #[error("unknown outcome {0:?}")]
    Outcome(String),
    #[error("since {0:?}: expected a duration (1h, 7d) or a time (2026-11-23T08:00:00Z)")]
    Since(String),
}

impl FilterError {
    /// The reason in `lang`, for the admin page.
    pub fn words(&self, lang: crate::i18n::Locale) -> String {
        let (key, value) = match self {
            FilterError::Kind(v) => ("admin-filter-bad-kind", v),
            FilterError::Outcome(v) => ("admin-filter-bad-outcome", v),
            FilterError::Since(v) => ("admin-filter-bad-since", v),
        };
        lang.t_with(key, &[("value", value.as_str().into())])
    }
}

/// A checked [`EventQuery`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFilter {
    pub user: Option<String>,
    pub admin: Option<String>,
    pub kind: Option<Kind>,
    pub outcome: Option<Outcome>,
    /// Unix seconds.
    pub since: u64,
    pub limit: usize,
}

impl EventFilter {
    /// Every event of the last 24 h, the newest `limit`.
    pub fn last_day(now: u64, limit: usize) -> EventFilter {
        EventFilter {
            user: None,
            admin: None,
            kind: None,
            outcome: None,
            since: now.saturating_sub(DEFAULT_PERIOD),
            limit,
        }
    }

    /// Errors: an unknown kind or outcome, or a `since` that is neither a duration nor a time.
    pub fn parse(
        q: &EventQuery,
        now: u64,
        default_limit: usize,
    ) -> Result<EventFilter, FilterError> {
        let kind = match q.kind.trim() {
            "" => None,
            k => Some(Kind::parse(k).ok_or_else(|| FilterError::Kind(k.to_owned()))?),
        };
        let outcome = match q.outcome.trim() {
            "" => None,
            o => Some(Outcome::parse(o).ok_or_else(|| FilterError::Outcome(o.to_owned()))?),
        };
        let since = match q.since.trim() {
            "" => now.saturating_sub(DEFAULT_PERIOD),
            s => crate::audit::parse_since(s, now).map_err(|_| FilterError::Since(s.to_owned()))?,
        };
        let user = Some(q.user.trim().to_owned()).filter(|u| !u.is_empty());
        let admin = Some(q.admin.trim().to_owned()).filter(|u| !u.is_empty());
        let limit = q.limit.unwrap_or(default_limit).clamp(1, MAX_EVENTS);
        Ok(EventFilter {
            user,
            admin,
            kind,
            outcome,
            since,
            limit,
        })
    }

    /// The newest events that match, newest first.
    pub fn load(&self, store: &Store) -> Result<Vec<Event>, StoreError> {
        // The store filters by user and time; kind and outcome are sifted here, from at most
        // MAX_EVENTS of the newest, so an answer is bounded whatever the trail holds.
        let read = if self.kind.is_none() && self.outcome.is_none() && self.admin.is_none() {
            self.limit
        } else {
            MAX_EVENTS
        };
        let mut events = store.audit_events(self.user.as_deref(), self.since, read)?;
        events.reverse();
        events.retain(|e| {
            self.kind.is_none_or(|k| e.kind == k)
                && self.outcome.is_none_or(|o| e.outcome == o)
                && self.admin.as_deref().is_none_or(|a| by_admin(e, a))
        });
        events.truncate(self.limit);
        Ok(events)
    }
}

/// Was `e` an action of admin `name`? Its detail is "by admin NAME", maybe followed by ": …".
fn by_admin(e: &Event, name: &str) -> bool {
    e.detail
        .as_deref()
        .and_then(|d| d.strip_prefix("by admin "))
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|after| after.is_empty() || after.starts_with(':'))
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return at its
/// start, after any spaces) gets a leading `'` (OWASP "CSV Injection"): a user name typed at a
/// failed sign-in or a user agent is chosen by whoever sent it. Every cell is quoted as well, so
/// a spreadsheet that splits on `;` (as in many locales) cannot start a new cell inside one.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    // Spreadsheets skip leading spaces before reading a formula.
    if cell
        .trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// RFC 4180 CSV with a header row: time (RFC 3339, UTC), kind, outcome, user, ip, user agent,
/// detail.
pub fn to_csv(events: &[Event]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    // Writing records into a Vec cannot fail (no I/O); a failure would leave a short file.
    let _ = w.write_record([
        "time",
        "kind",
        "outcome",
        "user",
        "ip",
        "user_agent",
        "detail",
    ]);
    for e in events {
        let time = humantime::format_rfc3339_seconds(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(e.time),
        )
        .to_string();
        let text = |v: &Option<String>| inert(v.as_deref().unwrap_or("")).into_owned();
        let _ = w.write_record([
            time,
            e.kind.as_str().to_owned(),
            e.outcome.as_str().to_owned(),
            text(&e.user),
            text(&e.ip),
            text(&e.user_agent),
            text(&e.detail),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_names_the_field_it_cannot_read() {
        let q = |kind: &str, outcome: &str, since: &str| EventQuery {
            kind: kind.into(),
            outcome: outcome.into(),
            since: since.into(),
            ..Default::default()
        };
        let f = EventFilter::parse(&q("mfa_reset", "failure", "1h"), 10_000, 100).unwrap();
        assert_eq!(
            (f.kind, f.outcome, f.since, f.limit),
            (Some(Kind::MfaReset), Some(Outcome::Failure), 6_400, 100)
        );
        assert_eq!(
            EventFilter::parse(&q("", "", ""), 100_000, 100)
                .unwrap()
                .since,
            100_000 - 86_400,
            "the last 24 h by default"
        );
        assert!(EventFilter::parse(&q("nope", "", ""), 0, 1)
            .unwrap_err()
            .to_string()
            .contains("kind"));
        assert!(EventFilter::parse(&q("", "meh", ""), 0, 1)
            .unwrap_err()
            .to_string()
            .contains("outcome"));
        assert!(EventFilter::parse(&q("", "", "yesterday"), 0, 1)
            .unwrap_err()
            .to_string()
            .contains("since"));
    }

    #[test]
    fn an_admin_filter_matches_that_admins_actions_only() {
        let e = |detail: &str| Event::new(0, Kind::MfaReset, Outcome::Success).with_detail(detail);
        assert!(by_admin(&e("by admin ann"), "ann"));
        assert!(by_admin(&e("by admin ann: wrong code"), "ann"));
        assert!(!by_admin(&e("by admin anna"), "ann"));
        assert!(!by_admin(&e("by an operator"), "ann"));
        assert!(!by_admin(
            &Event::new(0, Kind::MfaReset, Outcome::Success),
            "ann"
        ));
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_made_inert() {
        let e = Event::new(1_795_420_800, Kind::LoginFailed, Outcome::Failure)
            .with_user("=HYPERLINK(\"http://evil.example\",\"x\")")
            .with_user_agent(Some("Mozilla, \"quoted\""));
        let text = String::from_utf8(to_csv(&[e])).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(r#""time","kind","outcome","user","ip","user_agent","detail""#)
        );
        assert_eq!(
            lines.next(),
            Some(
                r#""2026-11-23T08:00:00Z","login_failed","failure","'=HYPERLINK(""http://evil.example"",""x"")","","Mozilla, ""quoted""","""#
            )
        );
        for bad in ["+1", "-2", "@x", "\tx", " =1+1", "  @SUM(A1)"] {
            assert!(inert(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(inert("alice"), "alice");
        assert_eq!(inert("a=b"), "a=b");
        // A semicolon cannot end a cell for a spreadsheet that splits on it: the cell is quoted.
        let e = Event::new(0, Kind::LoginFailed, Outcome::Failure).with_user(";=1+1");
        let text = String::from_utf8(to_csv(&[e])).unwrap();
        assert!(text.contains(r#","failure",";=1+1","#), "{text}");
    }
}
