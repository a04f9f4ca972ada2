//! Per-client-IP limit on sign-in, second-factor and enrolment POSTs (`[limits] per_ip`).
//!
//! The key is the client address the gateway settled on: the peer, or the right-most untrusted
//! hop of a trusted proxy's `X-Forwarded-For` — so a spoofed header from anyone else changes
//! nothing. IPv6 clients are keyed by their /64, which one subscriber usually holds whole.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Rate;

pub struct PerIp {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl std::fmt::Debug for PerIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PerIp")
    }
}

impl PerIp {
    /// `count` requests per `per`, refilled evenly, with a burst of `count`.
    pub fn new(rate: &Rate) -> PerIp {
        let count = NonZeroU32::new(rate.count.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = rate.per / count.get();
        let quota = Quota::with_period(period.max(std::time::Duration::from_nanos(1)))
            .unwrap_or_else(|| Quota::per_minute(count))
            .allow_burst(count);
        PerIp {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Ok, or the whole seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.limiter
            .check_key(&key(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }

    /// Forgets clients whose allowance is full again (governor keeps every key otherwise).
    pub fn retain_recent(&self) {
        self.limiter.retain_recent();
    }
}

fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
        v4 => v4,
    }
}

/// One sign-in attempt at a time per lockout key (an account, or a trusted device).
///
/// The lockout is "check, verify, count": without this, N concurrent guesses all pass the
/// check before any of them is counted, and each gets a real password or code check — a burst
/// of 200 got over 100. Holding the key's gate across the three steps makes the count exact:
/// at most `max_failures` verifications before the lock. Other accounts are not held up, and a
/// trusted device has its own key, so an attacker's queue never delays the user's own browser.
/// Within one process: replicas sharing PostgreSQL each count exactly in the store, but each
/// lets one check of the key run at a time, so a burst spread over R replicas can get up to
/// R − 1 checks past `max_failures` before the lock shows everywhere.
#[derive(Debug, Default)]
pub struct AttemptGate {
    held:
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

/// Holds a key's gate; dropping it lets the next attempt in and forgets an unused key.
pub struct GateGuard<'g> {
    gate: &'g AttemptGate,
    key: String,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl AttemptGate {
    /// Waits for the gate of `key` (no other attempt of the same key runs until the guard drops).
    pub async fn enter(&self, key: String) -> GateGuard<'_> {
        let lock = {
            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
            held.entry(key.clone()).or_default().clone()
        };
        GateGuard {
            gate: self,
            key,
            held: Some(lock.lock_owned().await),
        }
    }

    /// Keys currently held or waited for (for tests).
    pub fn len(&self) -> usize {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        drop(self.held.take());
        let mut held = self.gate.held.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map's own reference left: nobody holds or awaits this key.
        if held
            .get(&self.key)
            .is_some_and(|m| std::sync::Arc::strong_count(m) == 1)
        {
            held.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_limit_applies_per_client_and_says_how_long_to_wait() {
        let limits = PerIp::new(&Rate {
            count: 3,
            per: Duration::from_secs(60),
        });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limits.check(a).is_ok());
        }
        let wait = limits.check(a).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(limits.check(b).is_ok());
    }

    #[tokio::test]
    async fn attempts_on_one_key_take_turns_and_unused_keys_are_forgotten() {
        let gate = std::sync::Arc::new(AttemptGate::default());
        let inside = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (gate, inside, most) = (gate.clone(), inside.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                let _g = gate.enter("alice".into()).await;
                let now = inside.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                tokio::task::yield_now().await;
                inside.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            }));
        }
        // Another key is not held up by alice's queue.
        drop(gate.enter("bob".into()).await);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(gate.is_empty());
    }

    #[test]
    fn an_ipv6_client_cannot_escape_by_rotating_within_its_64() {
        let limits = PerIp::new(&Rate {
            count: 1,
            per: Duration::from_secs(60),
        });
        assert!(limits.check("2001:db8::1".parse().unwrap()).is_ok());
        assert!(limits.check("2001:db8::ffff".parse().unwrap()).is_err());
        assert!(limits.check("::ffff:192.0.2.9".parse().unwrap()).is_ok());
        assert!(
            limits.check("192.0.2.9".parse().unwrap()).is_err(),
            "v4-mapped is the same client"
        );
    }
}
