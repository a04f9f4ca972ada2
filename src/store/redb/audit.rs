//! The audit trail in redb.
//!
//! Keys are microsecond-scale and strictly increasing (`max(time * 1_000_000, last key + 1)`),
//! so iteration order is recording order even when two events share a second or the clock
//! steps back, and "everything before time T" is a key range.

use super::Redb;
use crate::audit::{Event, Retention};
use crate::store::audit::{decode, AuditRecordV1};
use crate::store::StoreError;
use redb::{ReadableTable, ReadableTableMetadata, TableDefinition};

/// Event key → JSON of [`AuditRecordV1`].
pub(super) const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_v1");

const KEY_SCALE: u64 = 1_000_000;

impl Redb {
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
