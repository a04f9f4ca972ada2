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
