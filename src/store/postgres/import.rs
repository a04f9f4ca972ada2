//! The PostgreSQL side of `migrate` (see [`crate::store::migrate`]): one transaction.

use std::collections::HashSet;

use super::Pg;
use crate::store::migrate::{Copied, Dump};
use crate::store::StoreError;

/// The longest a `migrate` may take.
pub const IMPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Db(e.to_string()))
}

impl Pg {
    /// Copies `dump` unless `source` was copied before; in one transaction, with up to
    /// [`IMPORT_TIMEOUT`] for it (a store of a large site holds 100 000 audit events).
    pub fn import(&self, dump: Dump, source: &str) -> Result<Copied, StoreError> {
        let source = source.to_owned();
        self.transaction_for(
            IMPORT_TIMEOUT,
            Box::new(move |tx| {
                Box::pin(async move {
                    // Serialises concurrent runs: the second waits, then sees the first's row.
                    tx.execute("LOCK TABLE migrations_from IN EXCLUSIVE MODE", &[])
                        .await?;
                    let first = tx
                        .execute(
                            "INSERT INTO migrations_from (source, at) \
                         VALUES ($1, extract(epoch from now())::bigint) ON CONFLICT DO NOTHING",
                            &[&source],
                        )
                        .await?
                        == 1;
                    if !first {
                        return Ok(Copied::default());
                    }
                    copy(tx, dump).await
                })
            }),
        )
    }
}

async fn copy(tx: &tokio_postgres::Transaction<'_>, dump: Dump) -> Result<Copied, StoreError> {
    let mut n = Copied {
        first_time: true,
        ..Copied::default()
    };
    let held: HashSet<String> = tx
        .query(
            "SELECT username FROM totp UNION SELECT username FROM totp_pending \
             UNION SELECT username FROM backup_codes UNION SELECT username FROM code_channels \
             UNION SELECT username FROM passkeys",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut kept = HashSet::new();
    let mut ours = |user: &str| {
        let held = held.contains(user);
        if held {
            kept.insert(user.to_owned());
        }
        !held
    };
    for (sid, until) in &dump.revoked {
        n.revocations += tx
            .execute(
                "INSERT INTO revoked_sessions (sid, until) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[sid, &(*until as i64)],
            )
            .await?;
    }
    for (user, epoch) in &dump.epochs {
        n.epochs += tx
            .execute(
                "INSERT INTO user_epochs (username, epoch) VALUES ($1, $2) \
                 ON CONFLICT (username) DO UPDATE SET epoch = greatest(user_epochs.epoch, excluded.epoch)",
                &[user, &(*epoch as i64)],
            )
            .await?;
    }
    for (user, rec) in &dump.totp {
        if ours(user) {
            n.totp += tx
                .execute(
                    "INSERT INTO totp (username, record, last_step) VALUES ($1, $2::text::jsonb, $3)",
                    &[user, &json(rec)?, &(rec.last_step as i64)],
                )
                .await?;
        }
    }
    for (user, rec) in &dump.pending {
        if ours(user) {
            n.pending_totp += tx
                .execute(
                    "INSERT INTO totp_pending (username, record) VALUES ($1, $2::text::jsonb)",
                    &[user, &json(rec)?],
                )
                .await?;
        }
    }
    for (user, hash, created) in &dump.backup_codes {
        if ours(user) {
            n.backup_codes += tx
                .execute(
                    "INSERT INTO backup_codes (username, hash, created) VALUES ($1, $2, $3)",
                    &[user, hash, &(*created as i64)],
                )
                .await?;
        }
    }
    for (user, channel, at) in &dump.channels {
        if ours(user) {
            n.channels += tx
                .execute(
                    "INSERT INTO code_channels (username, channel, enrolled) VALUES ($1, $2, $3)",
                    &[user, channel, &(*at as i64)],
                )
                .await?;
        }
    }
    for (user, at) in &dump.first_logins {
        n.first_logins += tx
            .execute(
                "INSERT INTO first_logins (username, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[user, &(*at as i64)],
            )
            .await?;
    }
    for (user, at) in &dump.last_sign_ins {
        n.last_sign_ins += tx
            .execute(
                "INSERT INTO last_sign_ins (username, at) VALUES ($1, $2) \
                 ON CONFLICT (username) DO UPDATE SET at = GREATEST(last_sign_ins.at, EXCLUDED.at)",
                &[user, &(*at as i64)],
            )
            .await?;
    }
    for (id, rec) in &dump.devices {
        n.devices += tx
            .execute(
                "INSERT INTO devices (id, username, record, last_used, expires) \
                 VALUES ($1, $2, $3::text::jsonb, $4, $5) ON CONFLICT DO NOTHING",
                &[
                    id,
                    &rec.user,
                    &json(rec)?,
                    &(rec.last_used as i64),
                    &(rec.expires as i64),
                ],
            )
            .await?;
    }
    for (id, rec) in &dump.passkeys {
        if ours(&rec.user) {
            n.passkeys += tx
                .execute(
                    "INSERT INTO passkeys (id, username, record, counter, created, last_used, clone_suspected) \
                     VALUES ($1, $2, $3::text::jsonb, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    &[
                        id,
                        &rec.user,
                        &json(rec)?,
                        &i64::from(rec.counter),
                        &(rec.created as i64),
                        &rec.last_used.map(|t| t as i64),
                        &rec.clone_suspected.map(|t| t as i64),
                    ],
                )
                .await?;
        }
    }
    for (kind, key, rec) in &dump.lockouts {
        n.lockouts += tx
            .execute(
                "INSERT INTO lockouts (kind, key, failures, locked_until, lockouts, last_failure) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    kind,
                    key,
                    &i32::try_from(rec.failures).unwrap_or(i32::MAX),
                    &(rec.locked_until as i64),
                    &i32::try_from(rec.lockouts).unwrap_or(i32::MAX),
                    &(rec.last_failure as i64),
                ],
            )
            .await?;
    }
    for (user, channel, rec) in &dump.sent_codes {
        let sends: Vec<i64> = rec.sends.iter().map(|t| *t as i64).collect();
        n.sent_codes += tx
            .execute(
                "INSERT INTO sent_codes (username, channel, hash, expires, attempts_left, sends) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    user,
                    channel,
                    &rec.hash,
                    &(rec.expires as i64),
                    &i32::try_from(rec.attempts_left).unwrap_or(i32::MAX),
                    &sends,
                ],
            )
            .await?;
    }
    // In recording order, a thousand per statement.
    for chunk in dump.audit.chunks(1000) {
        let mut times = Vec::with_capacity(chunk.len());
        let mut users = Vec::with_capacity(chunk.len());
        let mut records = Vec::with_capacity(chunk.len());
        for e in chunk {
            times.push(e.time as i64);
            users.push(e.user.clone());
            records.push(json(&crate::store::audit::AuditRecordV1::from(e))?);
        }
        n.audit_events += tx
            .execute(
                "INSERT INTO audit (time, username, record) \
                 SELECT t, u, r::jsonb FROM unnest($1::bigint[], $2::text[], $3::text[]) \
                 WITH ORDINALITY AS e(t, u, r, n) ORDER BY n",
                &[&times, &users, &records],
            )
            .await?;
    }
    n.users_kept = kept.len() as u64;
    Ok(n)
}
