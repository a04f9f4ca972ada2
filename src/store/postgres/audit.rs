//! The audit trail in PostgreSQL: one row per event, in recording order (`id`), the record
//! as JSON beside the columns it is searched by.

use super::Pg;
use crate::audit::{Event, Retention};
use crate::store::audit::{decode, AuditRecordV1};
use crate::store::StoreError;

impl Pg {
    pub fn append_audit(&self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut times = Vec::with_capacity(events.len());
        let mut users = Vec::with_capacity(events.len());
        let mut records = Vec::with_capacity(events.len());
        for e in events {
            let json = serde_json::to_string(&AuditRecordV1::from(e))
                .map_err(|e| StoreError::Db(format!("cannot encode audit record: {e}")))?;
            times.push(e.time as i64);
            users.push(e.user.clone());
            records.push(json);
        }
        // One statement: the events keep their order (ids follow the array's order).
        self.execute(
            "INSERT INTO audit (time, username, record) \
             SELECT t, u, r::jsonb FROM unnest($1::bigint[], $2::text[], $3::text[]) \
             WITH ORDINALITY AS e(t, u, r, n) ORDER BY n",
            vec![Box::new(times), Box::new(users), Box::new(records)],
        )?;
        Ok(())
    }

    pub fn audit_events(
        &self,
        user: Option<&str>,
        since: u64,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let rows = self.query(
            "SELECT record::text FROM audit \
             WHERE time >= $1 AND ($2::text IS NULL OR username = $2) \
             ORDER BY id DESC LIMIT $3",
            vec![
                Box::new(since as i64),
                Box::new(user.map(str::to_owned)),
                Box::new(i64::try_from(limit).unwrap_or(i64::MAX)),
            ],
        )?;
        let mut out = rows
            .iter()
            .map(|r| decode(r.get::<_, &str>(0).as_bytes()))
            .collect::<Result<Vec<_>, _>>()?;
        out.reverse();
        Ok(out)
    }

    pub fn purge_audit(&self, now: u64, retention: Retention) -> Result<usize, StoreError> {
        let cutoff = now.saturating_sub(retention.max_age_secs) as i64;
        let keep = i64::try_from(retention.max_events).unwrap_or(i64::MAX);
        let n = self.execute(
            "DELETE FROM audit WHERE time < $1 OR id <= ( \
                 SELECT id FROM audit ORDER BY id DESC OFFSET $2 LIMIT 1)",
            vec![Box::new(cutoff), Box::new(keep)],
        )?;
        Ok(n as usize)
    }
}
