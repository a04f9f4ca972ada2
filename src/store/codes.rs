//! Codes sent by e-mail or SMS (DESIGN §6): single use, `code_ttl`, `max_attempts` per code,
//! `max_sends_per_hour` per user and channel, a resend kills the old code. Each rule is one
//! write transaction (redb) or one statement (PostgreSQL): no read-then-write race between two
//! requests or replicas.

use super::{dispatch, Store, StoreError};

/// The rules a new code is issued under.
#[derive(Debug, Clone, Copy)]
pub struct CodeRules {
    /// Seconds a code stays valid.
    pub ttl: u64,
    pub max_attempts: u32,
    pub max_sends_per_hour: u32,
}

/// What [`Store::issue_code`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issued {
    /// The code is stored (any earlier one is dead); send it now.
    Issued,
    /// Too many sends this hour; the next is allowed in this many seconds.
    RateLimited { retry_after: u64 },
}

/// What [`Store::consume_code`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumed {
    /// The right code, now used up.
    Accepted,
    /// Wrong, expired, already used, or none sent: one attempt spent where there was a code.
    Refused,
}

/// The window of `max_sends_per_hour`, in seconds.
const HOUR: u64 = 3600;

/// The hourly send limit, for both backends: forgets sends older than an hour and records one
/// at `now`, or answers how many seconds until the next is allowed.
pub(crate) fn admit_send(sends: &mut Vec<u64>, now: u64, per_hour: u32) -> Result<(), u64> {
    sends.retain(|t| t + HOUR > now);
    if sends.len() >= per_hour as usize {
        let oldest = sends.iter().min().copied().unwrap_or(now);
        return Err((oldest + HOUR).saturating_sub(now).max(1));
    }
    sends.push(now);
    Ok(())
}

impl Store {
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
        dispatch!(self, b => b.issue_code(user, channel, hash, now, rules))
    }

    /// Kills a code the server or provider refused to deliver — only when it is still the live
    /// one (a concurrent send may have replaced it). Its send stays counted.
    pub fn withdraw_code(&self, user: &str, channel: &str, hash: &str) -> Result<(), StoreError> {
        dispatch!(self, b => b.withdraw_code(user, channel, hash))
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
        dispatch!(self, b => b.consume_code(user, channel, hash, now))
    }

    /// Forgets every code of `user` (MFA turned off or reset).
    pub fn forget_codes(&self, user: &str) -> Result<(), StoreError> {
        dispatch!(self, b => b.forget_codes(user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: CodeRules = CodeRules {
        ttl: 600,
        max_attempts: 3,
        max_sends_per_hour: 2,
    };

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("p.redb")).unwrap();
        (dir, s)
    }

    #[test]
    fn a_code_is_accepted_once_and_never_after_it_expires() {
        let (_d, s) = store();
        assert_eq!(
            s.issue_code("alice", "email", "h1", 0, RULES).unwrap(),
            Issued::Issued
        );
        assert_eq!(
            s.consume_code("alice", "email", "h1", 10).unwrap(),
            Consumed::Accepted
        );
        assert_eq!(
            s.consume_code("alice", "email", "h1", 11).unwrap(),
            Consumed::Refused
        );
        s.issue_code("alice", "email", "h2", 100, RULES).unwrap();
        assert_eq!(
            s.consume_code("alice", "email", "h2", 700).unwrap(),
            Consumed::Refused
        );
        // Another channel or user is another code.
        s.issue_code("alice", "sms", "h3", 800, RULES).unwrap();
        assert_eq!(
            s.consume_code("bob", "sms", "h3", 801).unwrap(),
            Consumed::Refused
        );
        assert_eq!(
            s.consume_code("alice", "email", "h3", 801).unwrap(),
            Consumed::Refused
        );
        assert_eq!(
            s.consume_code("alice", "sms", "h3", 801).unwrap(),
            Consumed::Accepted
        );
    }

    #[test]
    fn a_resend_kills_the_old_code_and_attempts_run_out() {
        let (_d, s) = store();
        s.issue_code("alice", "email", "old", 0, RULES).unwrap();
        s.issue_code("alice", "email", "new", 1, RULES).unwrap();
        assert_eq!(
            s.consume_code("alice", "email", "old", 2).unwrap(),
            Consumed::Refused
        );
        assert_eq!(
            s.consume_code("alice", "email", "x", 2).unwrap(),
            Consumed::Refused
        );
        // The third wrong attempt (including the old code) kills the code: the right one too.
        assert_eq!(
            s.consume_code("alice", "email", "y", 2).unwrap(),
            Consumed::Refused
        );
        assert_eq!(
            s.consume_code("alice", "email", "new", 2).unwrap(),
            Consumed::Refused
        );
    }

    #[test]
    fn sends_per_hour_are_limited_and_a_refused_send_kills_only_its_own_code() {
        let (_d, s) = store();
        assert_eq!(
            s.issue_code("alice", "email", "a", 0, RULES).unwrap(),
            Issued::Issued
        );
        assert_eq!(
            s.issue_code("alice", "email", "b", 10, RULES).unwrap(),
            Issued::Issued
        );
        // The send of "a" failed after "b" was stored: "b" lives.
        s.withdraw_code("alice", "email", "a").unwrap();
        // Two sends this hour, refused or not: the third is limited.
        assert_eq!(
            s.issue_code("alice", "email", "c", 30, RULES).unwrap(),
            Issued::RateLimited { retry_after: 3570 }
        );
        // The limited send changed nothing: "b" still works, once.
        assert_eq!(
            s.consume_code("alice", "email", "b", 31).unwrap(),
            Consumed::Accepted
        );
        assert_eq!(
            s.issue_code("alice", "email", "e", 3610, RULES).unwrap(),
            Issued::Issued
        );
        s.withdraw_code("alice", "email", "e").unwrap();
        assert_eq!(
            s.consume_code("alice", "email", "e", 3611).unwrap(),
            Consumed::Refused
        );
    }
}
