//! Codes sent by e-mail or SMS, in PostgreSQL.
//!
//! Checking a code is one statement: it locks the live code's row (`FOR UPDATE`), decides on
//! that row, and writes the result (used up, or one attempt fewer). A concurrent check of the
//! same code waits for the lock and then re-reads the row, so a code is accepted once and
//! every wrong attempt is counted, whichever replicas they come through. The comparison
//! happens in the server and is not constant-time; what it compares are keyed hashes
//! (HMAC under the session secret), which timing cannot turn into a code.

use super::Pg;
use crate::store::{admit_send, CodeRules, Consumed, Issued, StoreError};

impl Pg {
    pub fn issue_code(
        &self,
        user: &str,
        channel: &str,
        hash: &str,
        now: u64,
        rules: CodeRules,
    ) -> Result<Issued, StoreError> {
        let (user, channel, hash) = (user.to_owned(), channel.to_owned(), hash.to_owned());
        self.transaction(Box::new(move |tx| {
            Box::pin(async move {
                tx.execute(
                    "INSERT INTO sent_codes (username, channel, hash, expires, attempts_left, sends) \
                     VALUES ($1, $2, '', 0, 0, '{}') ON CONFLICT DO NOTHING",
                    &[&user, &channel],
                )
                .await?;
                // The row lock makes the hourly count exact under concurrent sends.
                let row = tx
                    .query_one(
                        "SELECT sends FROM sent_codes WHERE username = $1 AND channel = $2 FOR UPDATE",
                        &[&user, &channel],
                    )
                    .await?;
                let mut sends: Vec<u64> = row
                    .get::<_, Vec<i64>>(0)
                    .into_iter()
                    .map(|t| t as u64)
                    .collect();
                if let Err(retry_after) = admit_send(&mut sends, now, rules.max_sends_per_hour) {
                    return Ok(Issued::RateLimited { retry_after });
                }
                let sends: Vec<i64> = sends.into_iter().map(|t| t as i64).collect();
                let attempts = i32::try_from(rules.max_attempts).unwrap_or(i32::MAX);
                tx.execute(
                    "UPDATE sent_codes SET hash = $3, expires = $4, attempts_left = $5, sends = $6 \
                     WHERE username = $1 AND channel = $2",
                    &[
                        &user,
                        &channel,
                        &hash,
                        &((now + rules.ttl) as i64),
                        &attempts,
                        &sends,
                    ],
                )
                .await?;
                Ok(Issued::Issued)
            })
        }))
    }

    pub fn withdraw_code(&self, user: &str, channel: &str, hash: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE sent_codes SET hash = '' WHERE username = $1 AND channel = $2 AND hash = $3",
            vec![
                Box::new(user.to_owned()),
                Box::new(channel.to_owned()),
                Box::new(hash.to_owned()),
            ],
        )?;
        Ok(())
    }

    pub fn consume_code(
        &self,
        user: &str,
        channel: &str,
        hash: &str,
        now: u64,
    ) -> Result<Consumed, StoreError> {
        let rows = self.query(
            "WITH v AS ( \
                 SELECT username, channel, \
                        expires > $4 AND attempts_left > 0 AS live, \
                        hash = $3 AS matches, \
                        attempts_left \
                 FROM sent_codes \
                 WHERE username = $1 AND channel = $2 AND hash <> '' \
                 FOR UPDATE \
             ) \
             UPDATE sent_codes s SET \
                 hash = CASE WHEN v.live AND v.matches THEN '' \
                             WHEN NOT v.live OR v.attempts_left <= 1 THEN '' \
                             ELSE s.hash END, \
                 attempts_left = CASE WHEN v.live AND v.matches THEN s.attempts_left \
                                      ELSE greatest(s.attempts_left - 1, 0) END \
             FROM v WHERE s.username = v.username AND s.channel = v.channel \
             RETURNING v.live AND v.matches",
            vec![
                Box::new(user.to_owned()),
                Box::new(channel.to_owned()),
                Box::new(hash.to_owned()),
                Box::new(now as i64),
            ],
        )?;
        Ok(match rows.first().map(|r| r.get::<_, bool>(0)) {
            Some(true) => Consumed::Accepted,
            _ => Consumed::Refused,
        })
    }

    pub fn forget_codes(&self, user: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM sent_codes WHERE username = $1",
            vec![Box::new(user.to_owned())],
        )?;
        Ok(())
    }
}
