//! Codes sent by e-mail or SMS, in redb: each rule is one write transaction.

use super::Redb;
use crate::store::records::SentCodeV1;
use crate::store::{admit_send, CodeRules, Consumed, Issued, StoreError};
use redb::{ReadableTable, TableDefinition};
use subtle::ConstantTimeEq;

/// "user\0channel" → the live code and recent sends.
pub(crate) const SENT_CODES: TableDefinition<&str, &[u8]> = TableDefinition::new("sent_codes_v1");

fn key(user: &str, channel: &str) -> String {
    format!("{user}\0{channel}")
}

impl Redb {
    /// Stores `hash` as the one live code of `user` on `channel`, unless `max_sends_per_hour`
    /// sends were made in the last hour.
    pub fn issue_code(
        &self,
        user: &str,
        channel: &str,
        hash: &str,
        now: u64,
        rules: CodeRules,
    ) -> Result<Issued, StoreError> {
        let k = key(user, channel);
        let tx = self.db.begin_write()?;
        let issued = {
            let mut table = tx.open_table(SENT_CODES)?;
            let mut rec = table
                .get(k.as_str())?
                .and_then(|b| SentCodeV1::from_bytes(b.value()))
                .unwrap_or_default();
            if let Err(retry_after) = admit_send(&mut rec.sends, now, rules.max_sends_per_hour) {
                Issued::RateLimited { retry_after }
            } else {
                rec.hash = hash.to_owned();
                rec.expires = now + rules.ttl;
                rec.attempts_left = rules.max_attempts;
                table.insert(k.as_str(), rec.to_bytes().as_slice())?;
                Issued::Issued
            }
        };
        tx.commit()?;
        Ok(issued)
    }

    /// Kills a code the server or provider refused to deliver — only when it is still the live
    /// one (a concurrent send may have replaced it). Its send stays counted.
    pub fn withdraw_code(&self, user: &str, channel: &str, hash: &str) -> Result<(), StoreError> {
        let k = key(user, channel);
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(SENT_CODES)?;
            let rec = table
                .get(k.as_str())?
                .and_then(|b| SentCodeV1::from_bytes(b.value()));
            if let Some(mut rec) = rec.filter(|r| r.hash == hash) {
                rec.hash.clear();
                table.insert(k.as_str(), rec.to_bytes().as_slice())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Checks `hash` against the live code of `user` on `channel`, in constant time, and uses
    /// it up when it matches; a wrong one spends an attempt, the last attempt kills the code.
    pub fn consume_code(
        &self,
        user: &str,
        channel: &str,
        hash: &str,
        now: u64,
    ) -> Result<Consumed, StoreError> {
        let k = key(user, channel);
        let tx = self.db.begin_write()?;
        let result = {
            let mut table = tx.open_table(SENT_CODES)?;
            let rec = table
                .get(k.as_str())?
                .and_then(|b| SentCodeV1::from_bytes(b.value()));
            match rec {
                Some(mut rec) if !rec.hash.is_empty() => {
                    let live = rec.expires > now && rec.attempts_left > 0;
                    let matches: bool = rec.hash.as_bytes().ct_eq(hash.as_bytes()).into();
                    let result = if live && matches {
                        rec.hash.clear();
                        Consumed::Accepted
                    } else {
                        rec.attempts_left = rec.attempts_left.saturating_sub(1);
                        if rec.attempts_left == 0 || !live {
                            rec.hash.clear();
                        }
                        Consumed::Refused
                    };
                    table.insert(k.as_str(), rec.to_bytes().as_slice())?;
                    result
                }
                _ => Consumed::Refused,
            }
        };
        tx.commit()?;
        Ok(result)
    }

    /// Forgets every code of `user` (MFA turned off or reset).
    pub fn forget_codes(&self, user: &str) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(SENT_CODES)?;
            for channel in ["email", "sms"] {
                table.remove(key(user, channel).as_str())?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
