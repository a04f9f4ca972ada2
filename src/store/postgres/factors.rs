//! Second factors in PostgreSQL. "Step > last accepted step" and "consume this backup code"
//! are each one statement; an enrolment (TOTP with its backup codes), new backup codes and a
//! reset are each one transaction, and those transactions of one user take turns (a per-user
//! advisory lock): under READ COMMITTED, a confirmation overlapping an operator's reset could
//! otherwise leave the new authenticator active after the reset said it was gone.

use super::{bump_epoch, Param, Pg};
use crate::store::records::TotpRecordV1;
use crate::store::StoreError;

fn record(json: &str, last_step: Option<i64>) -> Result<TotpRecordV1, StoreError> {
    let mut rec = TotpRecordV1::from_bytes(json.as_bytes())
        .ok_or_else(|| StoreError::Db("unreadable TOTP record".into()))?;
    if let Some(step) = last_step {
        rec.last_step = step as u64;
    }
    Ok(rec)
}

fn json(rec: &TotpRecordV1) -> String {
    String::from_utf8(rec.to_bytes()).unwrap_or_default()
}

/// Makes the user's factor transactions take turns; held until `tx` ends.
async fn lock_user(tx: &tokio_postgres::Transaction<'_>, user: &str) -> Result<(), StoreError> {
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('portcullis factors'), hashtext($1))",
        &[&user],
    )
    .await?;
    Ok(())
}

/// Deletes the user's backup codes, then inserts `codes`.
async fn replace_codes(
    tx: &tokio_postgres::Transaction<'_>,
    user: &str,
    codes: &[[u8; 32]],
    now: i64,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM backup_codes WHERE username = $1", &[&user])
        .await?;
    let hashes: Vec<&[u8]> = codes.iter().map(|c| &c[..]).collect();
    tx.execute(
        "INSERT INTO backup_codes (username, hash, created) SELECT $1, h, $3 FROM unnest($2::bytea[]) AS h",
        &[&user, &hashes, &now],
    )
    .await?;
    Ok(())
}

/// Inside a reset or a turn-off: every second factor, code and trusted device of `user`, and
/// a new epoch (every session ends, on every replica).
async fn forget_everything(
    tx: &tokio_postgres::Transaction<'_>,
    user: &str,
) -> Result<(u64, i64), StoreError> {
    lock_user(tx, user).await?;
    for sql in [
        "DELETE FROM totp WHERE username = $1",
        "DELETE FROM totp_pending WHERE username = $1",
        "DELETE FROM backup_codes WHERE username = $1",
        "DELETE FROM sent_codes WHERE username = $1",
        "DELETE FROM code_channels WHERE username = $1",
        "DELETE FROM devices WHERE username = $1",
        "DELETE FROM passkeys WHERE username = $1",
    ] {
        tx.execute(sql, &[&user]).await?;
    }
    bump_epoch(tx, user).await
}

impl Pg {
    pub fn totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        let rows = self.query(
            "SELECT record::text, last_step FROM totp WHERE username = $1",
            vec![Box::new(user.to_owned())],
        )?;
        rows.first()
            .map(|r| record(r.get(0), Some(r.get(1))))
            .transpose()
    }

    pub fn pending_totp(&self, user: &str) -> Result<Option<TotpRecordV1>, StoreError> {
        let rows = self.query(
            "SELECT record::text FROM totp_pending WHERE username = $1",
            vec![Box::new(user.to_owned())],
        )?;
        rows.first().map(|r| record(r.get(0), None)).transpose()
    }

    pub fn put_pending_totp(&self, user: &str, rec: &TotpRecordV1) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO totp_pending (username, record) VALUES ($1, $2::text::jsonb) \
             ON CONFLICT (username) DO UPDATE SET record = excluded.record",
            vec![Box::new(user.to_owned()), Box::new(json(rec))],
        )?;
        Ok(())
    }

    pub fn confirm_totp(
        &self,
        user: &str,
        step: u64,
        codes: &[[u8; 32]],
        now: u64,
        may_replace: bool,
    ) -> Result<bool, StoreError> {
        let (user, codes) = (user.to_owned(), codes.to_vec());
        self.transaction(Box::new(move |tx| {
            Box::pin(async move {
                lock_user(tx, &user).await?;
                // Locking the pending row orders concurrent confirmations: the second finds it
                // gone. The active row, if any, is locked against a concurrent change.
                let Some(row) = tx
                    .query_opt(
                        "SELECT record::text FROM totp_pending WHERE username = $1 FOR UPDATE",
                        &[&user],
                    )
                    .await?
                else {
                    return Ok(false);
                };
                let mut rec = record(row.get(0), None)?;
                let active = tx
                    .query_opt("SELECT 1 FROM totp WHERE username = $1 FOR UPDATE", &[&user])
                    .await?
                    .is_some();
                if active && !(may_replace && rec.replaces) {
                    return Ok(false);
                }
                tx.execute("DELETE FROM totp_pending WHERE username = $1", &[&user])
                    .await?;
                rec.last_step = step;
                rec.replaces = false;
                tx.execute(
                    "INSERT INTO totp (username, record, last_step) VALUES ($1, $2::text::jsonb, $3) \
                     ON CONFLICT (username) DO UPDATE SET record = excluded.record, last_step = excluded.last_step",
                    &[&user, &json(&rec), &(step as i64)],
                )
                .await?;
                replace_codes(tx, &user, &codes, now as i64).await?;
                Ok(true)
            })
        }))
    }

    pub fn accept_totp_step(&self, user: &str, step: u64) -> Result<bool, StoreError> {
        let n = self.execute(
            "UPDATE totp SET last_step = $2 WHERE username = $1 AND last_step < $2",
            vec![Box::new(user.to_owned()), Box::new(step as i64)],
        )?;
        Ok(n == 1)
    }

    pub fn replace_backup_codes(
        &self,
        user: &str,
        codes: &[[u8; 32]],
        now: u64,
    ) -> Result<(), StoreError> {
        let (user, codes) = (user.to_owned(), codes.to_vec());
        self.transaction(Box::new(move |tx| {
            Box::pin(async move {
                lock_user(tx, &user).await?;
                replace_codes(tx, &user, &codes, now as i64).await
            })
        }))
    }

    pub fn consume_backup_code(&self, user: &str, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let n = self.execute(
            "DELETE FROM backup_codes WHERE username = $1 AND hash = $2",
            vec![Box::new(user.to_owned()), Box::new(hash.to_vec())],
        )?;
        Ok(n == 1)
    }

    pub fn backup_codes_left(&self, user: &str) -> Result<usize, StoreError> {
        let rows = self.query(
            "SELECT count(*) FROM backup_codes WHERE username = $1",
            vec![Box::new(user.to_owned())],
        )?;
        Ok(rows.first().map_or(0, |r| r.get::<_, i64>(0) as usize))
    }

    pub fn reset_mfa(&self, user: &str, _now: u64) -> Result<u64, StoreError> {
        let user = user.to_owned();
        let (epoch, seq) = self.transaction(Box::new(move |tx| {
            Box::pin(async move { forget_everything(tx, &user).await })
        }))?;
        self.acknowledged(seq)?;
        Ok(epoch)
    }

    pub fn turn_mfa_off(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        self.reset_mfa(user, now)
    }

    pub fn enrol_channel(&self, user: &str, channel: &str, now: u64) -> Result<bool, StoreError> {
        let n = self.execute(
            "INSERT INTO code_channels (username, channel, enrolled) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            params(user, channel, now),
        )?;
        Ok(n == 1)
    }

    pub fn channel_enrolled(&self, user: &str, channel: &str) -> Result<Option<u64>, StoreError> {
        let rows = self.query(
            "SELECT enrolled FROM code_channels WHERE username = $1 AND channel = $2",
            vec![Box::new(user.to_owned()), Box::new(channel.to_owned())],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0) as u64))
    }

    pub fn first_login(&self, user: &str, now: u64) -> Result<u64, StoreError> {
        // The no-op update makes RETURNING give the kept time when the row exists.
        let rows = self.query(
            "INSERT INTO first_logins (username, at) VALUES ($1, $2) \
             ON CONFLICT (username) DO UPDATE SET at = first_logins.at RETURNING at",
            vec![Box::new(user.to_owned()), Box::new(now as i64)],
        )?;
        Ok(rows.first().map_or(now, |r| r.get::<_, i64>(0) as u64))
    }

    pub fn note_sign_in(&self, user: &str, now: u64) -> Result<(), StoreError> {
        // Two replicas may record sign-ins at once in either order; the later time wins.
        self.execute(
            "INSERT INTO last_sign_ins (username, at) VALUES ($1, $2) \
             ON CONFLICT (username) DO UPDATE SET at = GREATEST(last_sign_ins.at, EXCLUDED.at)",
            vec![Box::new(user.to_owned()), Box::new(now as i64)],
        )?;
        Ok(())
    }

    pub fn last_sign_in(&self, user: &str) -> Result<Option<u64>, StoreError> {
        let rows = self.query(
            "SELECT at FROM last_sign_ins WHERE username = $1",
            vec![Box::new(user.to_owned())],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0) as u64))
    }

    pub fn enrolled_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let rows = self.query(
            "SELECT username FROM totp UNION \
             SELECT username FROM code_channels WHERE channel IN ('email', 'sms') UNION \
             SELECT username FROM passkeys",
            vec![],
        )?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    pub fn first_login_times(&self) -> Result<std::collections::HashMap<String, u64>, StoreError> {
        let rows = self.query("SELECT username, at FROM first_logins", vec![])?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
            .collect())
    }
}

fn params(user: &str, channel: &str, now: u64) -> Vec<Param> {
    vec![
        Box::new(user.to_owned()),
        Box::new(channel.to_owned()),
        Box::new(now as i64),
    ]
}
