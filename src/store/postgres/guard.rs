//! Trusted devices and lockout counts in PostgreSQL. A failure is counted, and a lockout
//! started, by one `INSERT … ON CONFLICT DO UPDATE`: every expression of its `SET` sees the row
//! as it was, under the row's lock, so failures made at once through several replicas are
//! each counted once and exactly one of them starts the lockout.

use super::Pg;
use crate::store::records::DeviceRecordV1;
use crate::store::{Attempter, LockoutPolicy, StoreError};

fn kind(who: Attempter<'_>) -> &'static str {
    match who {
        Attempter::Account(_) => "account",
        Attempter::Device(_) => "device",
    }
}

fn device(id: String, json: &str, last_used: i64) -> Option<(String, DeviceRecordV1)> {
    let mut rec = DeviceRecordV1::from_bytes(json.as_bytes())?;
    rec.last_used = last_used as u64;
    Some((id, rec))
}

impl Pg {
    pub fn put_device(&self, id: &str, rec: &DeviceRecordV1) -> Result<(), StoreError> {
        let json = String::from_utf8(rec.to_bytes()).unwrap_or_default();
        self.execute(
            "INSERT INTO devices (id, username, record, last_used, expires) \
             VALUES ($1, $2, $3::text::jsonb, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET username = excluded.username, record = excluded.record, \
             last_used = excluded.last_used, expires = excluded.expires",
            vec![
                Box::new(id.to_owned()),
                Box::new(rec.user.clone()),
                Box::new(json),
                Box::new(rec.last_used as i64),
                Box::new(rec.expires as i64),
            ],
        )?;
        Ok(())
    }

    pub fn device(&self, id: &str) -> Result<Option<DeviceRecordV1>, StoreError> {
        let rows = self.query(
            "SELECT id, record::text, last_used FROM devices WHERE id = $1",
            vec![Box::new(id.to_owned())],
        )?;
        Ok(rows
            .first()
            .and_then(|r| device(r.get(0), r.get(1), r.get(2)))
            .map(|(_, d)| d))
    }

    pub fn devices(&self, user: Option<&str>) -> Result<Vec<(String, DeviceRecordV1)>, StoreError> {
        let rows = self.query(
            "SELECT id, record::text, last_used FROM devices \
             WHERE $1::text IS NULL OR username = $1 ORDER BY last_used DESC",
            vec![Box::new(user.map(str::to_owned))],
        )?;
        Ok(rows
            .iter()
            .filter_map(|r| device(r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    pub fn revoke_device(&self, id: &str, user: Option<&str>) -> Result<bool, StoreError> {
        let n = self.execute(
            "DELETE FROM devices WHERE id = $1 AND ($2::text IS NULL OR username = $2)",
            vec![Box::new(id.to_owned()), Box::new(user.map(str::to_owned))],
        )?;
        Ok(n == 1)
    }

    pub fn touch_device(&self, id: &str, now: u64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE devices SET last_used = $2 WHERE id = $1",
            vec![Box::new(id.to_owned()), Box::new(now as i64)],
        )?;
        Ok(())
    }

    pub fn purge_devices(&self, now: u64) -> Result<usize, StoreError> {
        let n = self.execute(
            "DELETE FROM devices WHERE expires <= $1",
            vec![Box::new(now as i64)],
        )?;
        Ok(n as usize)
    }

    pub fn locked_until(&self, who: Attempter<'_>, now: u64) -> Result<Option<u64>, StoreError> {
        let rows = self.query(
            "SELECT locked_until FROM lockouts WHERE kind = $1 AND key = $2 AND locked_until > $3",
            vec![
                Box::new(kind(who)),
                Box::new(who.key().to_owned()),
                Box::new(now as i64),
            ],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0) as u64))
    }

    pub fn record_failure(
        &self,
        who: Attempter<'_>,
        now: u64,
        policy: LockoutPolicy,
    ) -> Result<Option<u64>, StoreError> {
        // The durations of the first 34 lockouts (the doubling stops at 2^32, then the cap),
        // so the statement indexes an array instead of doing arithmetic that could overflow.
        let durations: Vec<i64> = (0..=33)
            .map(|n| i64::try_from(policy.duration(n)).unwrap_or(i64::MAX))
            .collect();
        let max = i32::try_from(policy.max_failures.max(1)).unwrap_or(i32::MAX);
        let rows = self.query(
            "INSERT INTO lockouts AS l (kind, key, failures, locked_until, lockouts, last_failure) \
             VALUES ($1, $2, \
                     CASE WHEN 1 >= $4 THEN 0 ELSE 1 END, \
                     CASE WHEN 1 >= $4 THEN $3 + ($5::bigint[])[1] ELSE 0 END, \
                     CASE WHEN 1 >= $4 THEN 1 ELSE 0 END, \
                     $3) \
             ON CONFLICT (kind, key) DO UPDATE SET \
                 failures = CASE WHEN l.failures + 1 >= $4 THEN 0 ELSE l.failures + 1 END, \
                 locked_until = CASE WHEN l.failures + 1 >= $4 \
                     THEN $3 + ($5::bigint[])[least(l.lockouts, 33) + 1] ELSE l.locked_until END, \
                 lockouts = CASE WHEN l.failures + 1 >= $4 \
                     THEN least(l.lockouts::bigint + 1, 2147483647)::integer ELSE l.lockouts END, \
                 last_failure = $3 \
             RETURNING failures = 0, locked_until",
            vec![
                Box::new(kind(who)),
                Box::new(who.key().to_owned()),
                Box::new(now as i64),
                Box::new(max),
                Box::new(durations),
            ],
        )?;
        // With max_failures ≥ 1, a failure that did not lock leaves a count of at least one.
        Ok(rows
            .first()
            .filter(|r| r.get::<_, bool>(0))
            .map(|r| r.get::<_, i64>(1) as u64))
    }

    pub fn clear_failures(&self, who: Attempter<'_>) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM lockouts WHERE kind = $1 AND key = $2",
            vec![Box::new(kind(who)), Box::new(who.key().to_owned())],
        )?;
        Ok(())
    }

    pub fn clear_lockouts(&self, user: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM lockouts WHERE (kind = 'account' AND key = $1) \
             OR (kind = 'device' AND key IN (SELECT id FROM devices WHERE username = $1))",
            vec![Box::new(user.to_owned())],
        )?;
        Ok(())
    }

    pub fn lockouts(&self, now: u64) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = self.query(
            "SELECT l.kind, l.key, l.locked_until, d.username FROM lockouts l \
             LEFT JOIN devices d ON l.kind = 'device' AND d.id = l.key \
             WHERE l.locked_until > $1 ORDER BY l.kind, l.key",
            vec![Box::new(now as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| {
                let key: String = r.get(1);
                let until = r.get::<_, i64>(2) as u64;
                match r.get::<_, &str>(0) {
                    "account" => (key, until),
                    _ => {
                        let user: Option<String> = r.get(3);
                        let user = user.unwrap_or_else(|| "?".into());
                        (format!("{user} (trusted device {key})"), until)
                    }
                }
            })
            .collect())
    }

    pub fn purge_lockouts(&self, now: u64) -> Result<usize, StoreError> {
        let n = self.execute(
            "DELETE FROM lockouts WHERE locked_until <= $1 AND last_failure + 86400 <= $1",
            vec![Box::new(now as i64)],
        )?;
        Ok(n as usize)
    }
}
