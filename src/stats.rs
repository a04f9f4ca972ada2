//! The security overview (DESIGN §2 `portcullis stats`): sign-in steps by factor and result,
//! lockouts and codes sent over a period, read from the audit trail, and the share of users
//! enrolled, read from the store.
//!
//! Counted from audit events, so the figures agree with `portcullis audit` for the same period:
//! - `password`: `login_succeeded` / `login_failed`; `locked` counts the attempts answered
//!   "locked": the failure that started a lockout, and those refused while it lasted;
//! - `trusted_device`: a `login_succeeded` whose detail is "trusted device" (the password and the
//!   device cookie, no code);
//! - `totp`, `backup_code`, `email`, `sms`: `factor_succeeded` / `factor_failed`, by the method
//!   that begins the detail ("totp", or "totp locked" for a refusal unchecked);
//! - `lockouts`: `locked_out`; `codes_sent`: `code_sent` / `code_not_sent` by channel.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::audit::{Event, Kind};

/// Successes, failures and refusals of one sign-in step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub success: u64,
    pub failure: u64,
    /// Answered "locked": the failure that started a lockout, and attempts refused unchecked
    /// while it lasted.
    pub locked: u64,
}

/// Codes sent over one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sends {
    pub sent: u64,
    pub failed: u64,
}

/// Users in the users file, and how many have a second factor enrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Users that may sign in (not disabled).
    pub users: u64,
    pub disabled: u64,
    /// Of `users`: an authenticator app, or an e-mail/SMS channel proved.
    pub enrolled: u64,
    /// `enrolled / users`, 0 when there are no users.
    pub share: f64,
}

/// Users whom policy obliges to enrol but who have not, while `[mfa] grace_period` lets them
/// in with a password alone (counted from their first sign-in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grace {
    /// `grace_period` in seconds.
    pub period: u64,
    /// Inside it now: (user, Unix time it ends), soonest first.
    pub inside: Vec<(String, u64)>,
    /// Not signed in yet: their period starts at their first sign-in.
    pub not_started: u64,
    /// Past it: the next sign-in asks them to enrol.
    pub ended: u64,
}

/// The overview for `[since, until]` (Unix seconds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub since: u64,
    pub until: u64,
    /// By step: `password`, `trusted_device`, `totp`, `backup_code`, `email`, `sms`.
    pub sign_ins: BTreeMap<String, Results>,
    pub lockouts: u64,
    /// By channel: `email`, `sms`.
    pub codes: BTreeMap<String, Sends>,
    pub enrolment: Enrolment,
    /// With `[mfa] grace_period`: who is still inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace: Option<Grace>,
    /// True when the audit trail held more events than were read: the counts are a floor.
    pub truncated: bool,
}

/// The overview from `since` to `now`: events from the store's audit trail, enrolment of the
/// users in `users` (an authenticator, or an e-mail/SMS channel proved).
///
/// Errors: the store's. Blocks (a few reads, whatever the number of users): run it on the
/// blocking pool.
pub fn overview(
    store: &crate::store::Store,
    users: &crate::auth::users::UserDb,
    mfa: &crate::config::Mfa,
    since: u64,
    now: u64,
) -> Result<Stats, crate::store::StoreError> {
    let events = store.audit_events(None, since, MAX_EVENTS)?;
    let period = mfa.grace_period.as_secs();
    let mut grace = (period > 0).then(|| Grace {
        period,
        ..Grace::default()
    });
    let mut enrolment = Enrolment::default();
    // Two reads for every user at once, rather than reads per user.
    let enrolled_users = store.enrolled_users()?;
    let first_logins = if grace.is_some() {
        store.first_login_times()?
    } else {
        Default::default()
    };
    for u in users.iter() {
        if u.disabled {
            enrolment.disabled += 1;
            continue;
        }
        enrolment.users += 1;
        if enrolled_users.contains(&u.name) {
            enrolment.enrolled += 1;
        } else if let Some(g) = grace.as_mut().filter(|_| mfa.required_for(&u.groups)) {
            match first_logins.get(&u.name).copied() {
                None => g.not_started += 1,
                Some(first) if first + period > now => {
                    g.inside.push((u.name.clone(), first + period))
                }
                Some(_) => g.ended += 1,
            }
        }
    }
    if let Some(g) = grace.as_mut() {
        g.inside
            .sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    }
    if enrolment.users > 0 {
        enrolment.share = enrolment.enrolled as f64 / enrolment.users as f64;
    }
    let mut stats = Stats::count(since, now, &events, enrolment);
    stats.grace = grace;
    Ok(stats)
}

/// The most events read for one overview.
pub const MAX_EVENTS: usize = 1_000_000;

impl Stats {
    /// Counts `events` (those of the period, in any order).
    pub fn count(since: u64, until: u64, events: &[Event], enrolment: Enrolment) -> Stats {
        let mut s = Stats {
            since,
            until,
            enrolment,
            truncated: events.len() >= MAX_EVENTS,
            ..Stats::default()
        };
        for step in [
            "password",
            "trusted_device",
            "totp",
            "backup_code",
            "webauthn",
            "email",
            "sms",
        ] {
            s.sign_ins.insert(step.into(), Results::default());
        }
        for channel in ["email", "sms"] {
            s.codes.insert(channel.into(), Sends::default());
        }
        for e in events.iter().filter(|e| e.time >= since && e.time <= until) {
            let detail = e.detail.as_deref().unwrap_or("");
            let locked = detail.starts_with("locked") || detail.ends_with(" locked");
            match e.kind {
                Kind::LoginSucceeded if detail == "trusted device" => {
                    if let Some(r) = s.step_mut("trusted_device") {
                        r.success += 1;
                    }
                    if let Some(r) = s.step_mut("password") {
                        r.success += 1;
                    }
                }
                // A passwordless sign-in: the passkey was the whole step.
                Kind::LoginSucceeded | Kind::LoginFailed if detail.starts_with("passkey") => {
                    if let Some(r) = s.step_mut("webauthn") {
                        match (e.kind, locked) {
                            (Kind::LoginSucceeded, _) => r.success += 1,
                            (_, true) => r.locked += 1,
                            _ => r.failure += 1,
                        }
                    }
                }
                Kind::LoginSucceeded => {
                    if let Some(r) = s.step_mut("password") {
                        r.success += 1;
                    }
                }
                Kind::LoginFailed => {
                    if let Some(r) = s.step_mut("password") {
                        if locked {
                            r.locked += 1;
                        } else {
                            r.failure += 1;
                        }
                    }
                }
                Kind::FactorSucceeded | Kind::FactorFailed => {
                    let method = detail.split_whitespace().next().unwrap_or("");
                    if let Some(r) = s.step_mut(method) {
                        match (e.kind, locked) {
                            (Kind::FactorSucceeded, _) => r.success += 1,
                            (_, true) => r.locked += 1,
                            _ => r.failure += 1,
                        }
                    }
                }
                Kind::LockedOut => s.lockouts += 1,
                Kind::CodeSent | Kind::CodeNotSent => {
                    let channel = detail.split_whitespace().next().unwrap_or("");
                    if let Some(c) = s.codes.get_mut(channel) {
                        if e.kind == Kind::CodeSent {
                            c.sent += 1;
                        } else {
                            c.failed += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn step_mut(&mut self, name: &str) -> Option<&mut Results> {
        self.sign_ins.get_mut(name)
    }

    /// The overview as text, for `portcullis stats`.
    pub fn to_text(&self, format_time: impl Fn(u64) -> String) -> String {
        let mut out = format!(
            "from {} to {}\n\nsign-in steps       success  failure   locked\n",
            format_time(self.since),
            format_time(self.until)
        );
        for (step, r) in &self.sign_ins {
            out.push_str(&format!(
                "  {step:<16} {:>8} {:>8} {:>8}\n",
                r.success, r.failure, r.locked
            ));
        }
        out.push_str(&format!("\nlockouts            {:>8}\n", self.lockouts));
        out.push_str("\ncodes sent             sent   failed\n");
        for (channel, c) in &self.codes {
            out.push_str(&format!("  {channel:<16} {:>8} {:>8}\n", c.sent, c.failed));
        }
        let e = &self.enrolment;
        out.push_str(&format!(
            "\nusers               {:>8} ({} disabled)\nenrolled            {:>8} ({:.0}%)\n",
            e.users,
            e.disabled,
            e.enrolled,
            e.share * 100.0
        ));
        if let Some(g) = &self.grace {
            out.push_str(&format!(
                "\ngrace period {}: {} inside, {} not signed in yet, {} ended\n",
                humantime::format_duration(std::time::Duration::from_secs(g.period)),
                g.inside.len(),
                g.not_started,
                g.ended
            ));
            for (user, ends) in &g.inside {
                out.push_str(&format!("  {user:<16} until {}\n", format_time(*ends)));
            }
        }
        if self.truncated {
            out.push_str("\n(more events than could be read: the counts are a floor)\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Outcome;

    fn ev(time: u64, kind: Kind, detail: &str) -> Event {
        let outcome = match kind {
            Kind::LoginSucceeded | Kind::FactorSucceeded | Kind::CodeSent => Outcome::Success,
            _ => Outcome::Failure,
        };
        Event::new(time, kind, outcome)
            .with_user("alice")
            .with_detail(detail)
    }

    #[test]
    fn each_event_counts_once_under_its_step_and_result_and_only_inside_the_period() {
        let events = vec![
            ev(5, Kind::LoginFailed, "wrong password"),
            ev(10, Kind::LoginFailed, "wrong password"),
            ev(11, Kind::LoginFailed, "locked (account)"),
            ev(12, Kind::LoginSucceeded, "second factor required"),
            ev(13, Kind::FactorFailed, "totp"),
            ev(14, Kind::FactorFailed, "backup_code locked"),
            ev(15, Kind::FactorSucceeded, "totp"),
            ev(16, Kind::LoginSucceeded, "trusted device"),
            ev(17, Kind::LockedOut, "account until …"),
            ev(18, Kind::CodeSent, "email to a***@example.com"),
            ev(19, Kind::CodeNotSent, "sms to +1******4567: timeout"),
            ev(20, Kind::FactorFailed, "webauthn"),
            ev(21, Kind::LoginSucceeded, "passkey"),
            ev(22, Kind::LoginFailed, "passkey locked"),
            ev(99, Kind::LoginSucceeded, "second factor required"),
        ];
        let enrolment = Enrolment {
            users: 4,
            disabled: 1,
            enrolled: 1,
            share: 0.25,
        };
        let s = Stats::count(10, 50, &events, enrolment);
        assert_eq!(
            s.sign_ins["password"],
            Results {
                success: 2,
                failure: 1,
                locked: 1
            }
        );
        assert_eq!(
            s.sign_ins["trusted_device"],
            Results {
                success: 1,
                failure: 0,
                locked: 0
            }
        );
        assert_eq!(
            s.sign_ins["totp"],
            Results {
                success: 1,
                failure: 1,
                locked: 0
            }
        );
        assert_eq!(
            s.sign_ins["backup_code"],
            Results {
                success: 0,
                failure: 0,
                locked: 1
            }
        );
        assert_eq!(
            s.sign_ins["webauthn"],
            Results {
                success: 1,
                failure: 1,
                locked: 1
            },
            "a passwordless sign-in is the passkey's, not the password's"
        );
        assert_eq!(s.lockouts, 1);
        assert_eq!(s.codes["email"], Sends { sent: 1, failed: 0 });
        assert_eq!(s.codes["sms"], Sends { sent: 0, failed: 1 });
        assert_eq!(s.enrolment, enrolment);
        assert!(!s.truncated);
        let text = s.to_text(|t| t.to_string());
        assert!(
            text.contains("  password                2        1        1"),
            "{text}"
        );
        assert!(
            text.contains("enrolled                   1 (25%)"),
            "{text}"
        );
    }
}
