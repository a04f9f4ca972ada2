//! Durations (`"30s"`, `"1h30m"`, `"500ms"`) and rates (`"30/min"`) as written in the config.

use std::time::Duration;

/// Parse `"30s"`, `"15m"`, `"12h"`, `"30d"`, `"500ms"` and concatenations such as `"1h30m"`.
/// Returns `None` for anything else (the caller names the key in its message).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let part = match unit {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.checked_mul(60)?),
            "h" => Duration::from_secs(n.checked_mul(3600)?),
            "d" => Duration::from_secs(n.checked_mul(86_400)?),
            _ => return None,
        };
        total = total.checked_add(part)?;
    }
    Some(total)
}

/// A rate limit such as `"30/min"`: at most `count` events per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl Rate {
    /// Parse `"30/min"`; units `s`/`sec`/`second`, `m`/`min`/`minute`, `h`/`hour` (plural ok).
    pub fn parse(text: &str) -> Option<Rate> {
        let (count, unit) = text.trim().split_once('/')?;
        let count: u32 = count.trim().parse().ok()?;
        let unit = unit.trim().to_ascii_lowercase();
        let unit = unit
            .strip_suffix('s')
            .filter(|u| u.len() > 1)
            .unwrap_or(&unit);
        let per = match unit {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return None,
        };
        (count > 0).then_some(Rate { count, per })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_each_unit_and_combinations() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("12h"), Some(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("30d"), Some(Duration::from_secs(2_592_000)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
    }

    #[test]
    fn durations_refuse_missing_units_and_nonsense() {
        for bad in ["", "30", "5 parsecs", "s", "1x", "-1s", "1.5h", "m30"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn rates_accept_the_documented_units() {
        let min = Duration::from_secs(60);
        assert_eq!(
            Rate::parse("30/min"),
            Some(Rate {
                count: 30,
                per: min
            })
        );
        assert_eq!(
            Rate::parse("30/minute"),
            Some(Rate {
                count: 30,
                per: min
            })
        );
        assert_eq!(
            Rate::parse("5/s").map(|r| r.per),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            Rate::parse("5/sec").map(|r| r.per),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            Rate::parse("100/h").map(|r| r.per),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            Rate::parse("100/hour").map(|r| r.per),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(Rate::parse("0/min"), None);
        assert_eq!(Rate::parse("30 per min"), None);
        assert_eq!(Rate::parse("x/min"), None);
    }
}
