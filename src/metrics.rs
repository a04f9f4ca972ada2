//! Prometheus metrics (DESIGN §9), served in OpenMetrics text format on `metrics_listen` only —
//! never on the public listener (see [`crate::server`]).
//!
//! The request path touches pre-made counters only: one relaxed atomic add per request (its
//! outcome indexes an array, no label lookup) and, for a forwarded request, one histogram
//! observation. Metrics whose labels are chosen at run time (auth events, sent codes) are
//! counted off the request path, on sign-in pages and in the delivery code.
//!
//! | name | type | labels |
//! |---|---|---|
//! | `portcullis_requests_total` | counter | `outcome`: [`RequestOutcome`] |
//! | `portcullis_forward_auth_total` | counter | `outcome`: the `P/auth` answer, same values |
//! | `portcullis_upstream_response_seconds` | histogram | — (request sent → response head) |
//! | `portcullis_auth_events_total` | counter | `factor` (password, trusted_device, totp, backup_code, email, sms), `result` (success, failure, locked) |
//! | `portcullis_lockouts_total` | counter | — (accounts or trusted devices locked) |
//! | `portcullis_lockouts_active` | gauge | — (read from the store at scrape time) |
//! | `portcullis_sessions_issued_total` | counter | `state` (pending_second_factor, signed_in) |
//! | `portcullis_sessions_revoked_total` | counter | `scope` (session, all_of_user) |
//! | `portcullis_codes_sent_total` | counter | `channel` (email, sms), `result` (sent, failed) |
//! | `portcullis_store_seconds` | histogram | — (one store operation on the blocking pool) |
//! | `portcullis_build_info` | info | `version` |

use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;

/// The `Content-Type` of [`Metrics::encode`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What became of one request on the public listener; also the `outcome` field of its log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Sent to the upstream with a verified identity.
    Forwarded,
    /// Sent to the upstream without one: a `bypass` location.
    Bypass,
    /// Answered with the login redirect (or 401 for non-browsers).
    Login,
    /// Signed in, but the location needs a second factor first.
    SecondFactor,
    /// 403: policy `deny`, or the user is not among the location's users or groups.
    Denied,
    /// 400: ambiguous framing, a bad path, two Host headers…
    Refused,
    /// 502/504: the upstream did not answer.
    UpstreamError,
    /// One of the gateway's own pages or API endpoints.
    Gateway,
    /// 503: a signed-in request on a replica whose copy of the revocations is stale.
    Unavailable,
}

impl RequestOutcome {
    pub const ALL: [RequestOutcome; 9] = [
        RequestOutcome::Forwarded,
        RequestOutcome::Bypass,
        RequestOutcome::Login,
        RequestOutcome::SecondFactor,
        RequestOutcome::Denied,
        RequestOutcome::Refused,
        RequestOutcome::UpstreamError,
        RequestOutcome::Gateway,
        RequestOutcome::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestOutcome::Forwarded => "forwarded",
            RequestOutcome::Bypass => "bypass",
            RequestOutcome::Login => "login",
            RequestOutcome::SecondFactor => "second_factor",
            RequestOutcome::Denied => "denied",
            RequestOutcome::Refused => "refused",
            RequestOutcome::UpstreamError => "upstream_error",
            RequestOutcome::Gateway => "gateway",
            RequestOutcome::Unavailable => "unavailable",
        }
    }
}

/// How a sign-in step ended, for `portcullis_auth_events_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthResult {
    Success,
    Failure,
    /// Refused because the account or device is locked (the guess was not checked).
    Locked,
}

impl AuthResult {
    fn as_str(self) -> &'static str {
        match self {
            AuthResult::Success => "success",
            AuthResult::Failure => "failure",
            AuthResult::Locked => "locked",
        }
    }
}

type Labels1 = [(&'static str, &'static str); 1];
type Labels2 = [(&'static str, &'static str); 2];

/// Every metric the gateway exports. Shared by the app (and kept across a configuration reload).
pub struct Metrics {
    registry: Registry,
    requests: [Counter; RequestOutcome::ALL.len()],
    forward_auth: [Counter; RequestOutcome::ALL.len()],
    upstream_seconds: Histogram,
    store_seconds: Histogram,
    auth: Family<Labels2, Counter>,
    lockouts: Counter,
    lockouts_active: Gauge,
    sessions_issued: Family<Labels1, Counter>,
    sessions_revoked: Family<Labels1, Counter>,
    codes_sent: Family<Labels2, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// Upstream response times: 1 ms to 60 s (the example config's `[upstream] timeout`).
const UPSTREAM_BUCKETS: [f64; 15] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];
/// Store operations: 50 µs to 1 s (a redb commit is an fsync).
const STORE_BUCKETS: [f64; 10] = [
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1, 1.0,
];

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("portcullis");
        // Pre-made label sets sharing the arrays' atomics: the request path indexes an array,
        // and every outcome is exported from the start (a counter that appears late hides its
        // first increase from `rate()`).
        let per_outcome = Family::<Labels1, Counter>::default();
        let requests = std::array::from_fn(|i| {
            let label = [("outcome", RequestOutcome::ALL[i].as_str())];
            per_outcome.get_or_create(&label).clone()
        });
        let per_answer = Family::<Labels1, Counter>::default();
        let forward_auth = std::array::from_fn(|i| {
            let label = [("outcome", RequestOutcome::ALL[i].as_str())];
            per_answer.get_or_create(&label).clone()
        });
        registry.register(
            "requests",
            "Requests on the public listeners, by what became of them",
            per_outcome,
        );
        registry.register(
            "forward_auth",
            "P/auth answers to a reverse proxy, by the decision for the original request",
            per_answer,
        );
        let upstream_seconds = Histogram::new(UPSTREAM_BUCKETS);
        registry.register(
            "upstream_response_seconds",
            "Time from sending a request upstream to its response head",
            upstream_seconds.clone(),
        );
        let store_seconds = Histogram::new(STORE_BUCKETS);
        registry.register(
            "store_seconds",
            "Time of one store operation",
            store_seconds.clone(),
        );
        let auth = Family::<Labels2, Counter>::default();
        registry.register(
            "auth_events",
            "Sign-in steps by factor and result",
            auth.clone(),
        );
        let lockouts = Counter::default();
        registry.register(
            "lockouts",
            "Accounts or trusted devices locked after too many failures",
            lockouts.clone(),
        );
        let lockouts_active = Gauge::default();
        registry.register(
            "lockouts_active",
            "Accounts or trusted devices locked now",
            lockouts_active.clone(),
        );
        let sessions_issued = Family::<Labels1, Counter>::default();
        let sessions_revoked = Family::<Labels1, Counter>::default();
        for state in ["pending_second_factor", "signed_in"] {
            drop(sessions_issued.get_or_create(&[("state", state)]));
        }
        for scope in ["session", "all_of_user"] {
            drop(sessions_revoked.get_or_create(&[("scope", scope)]));
        }
        registry.register(
            "sessions_issued",
            "Session cookies issued",
            sessions_issued.clone(),
        );
        registry.register(
            "sessions_revoked",
            "Sessions ended before they expired: one, or all of a user's",
            sessions_revoked.clone(),
        );
        let codes_sent = Family::<Labels2, Counter>::default();
        registry.register(
            "codes_sent",
            "Sign-in codes handed to the mail server or SMS provider",
            codes_sent.clone(),
        );
        registry.register(
            "build",
            "The running version",
            Info::new([("version", env!("CARGO_PKG_VERSION"))]),
        );
        Metrics {
            registry,
            requests,
            forward_auth,
            upstream_seconds,
            store_seconds,
            auth,
            lockouts,
            lockouts_active,
            sessions_issued,
            sessions_revoked,
            codes_sent,
        }
    }

    /// One request finished (the request path: one atomic add).
    #[inline]
    pub fn request(&self, outcome: RequestOutcome) {
        self.requests[outcome as usize].inc();
    }

    /// One `P/auth` answer.
    pub fn forward_auth(&self, outcome: RequestOutcome) {
        self.forward_auth[outcome as usize].inc();
    }

    pub fn upstream_response(&self, took: Duration) {
        self.upstream_seconds.observe(took.as_secs_f64());
    }

    pub fn store_operation(&self, took: Duration) {
        self.store_seconds.observe(took.as_secs_f64());
    }

    /// A password, trusted device or second factor was checked. `factor` is one of the names in
    /// the module table; anything else (a form's unknown method) is counted as `other`.
    pub fn auth(&self, factor: &str, result: AuthResult) {
        let factor = match factor {
            "password" => "password",
            "trusted_device" => "trusted_device",
            "totp" => "totp",
            "backup_code" => "backup_code",
            "email" => "email",
            "sms" => "sms",
            _ => "other",
        };
        self.auth
            .get_or_create(&[("factor", factor), ("result", result.as_str())])
            .inc();
    }

    pub fn locked_out(&self) {
        self.lockouts.inc();
    }

    /// A session cookie was issued: after the password alone while a second factor is still
    /// due (`pending`), or a signed-in session.
    pub fn session_issued(&self, pending: bool) {
        let state = if pending {
            "pending_second_factor"
        } else {
            "signed_in"
        };
        self.sessions_issued
            .get_or_create(&[("state", state)])
            .inc();
    }

    /// One session ended (`all == false`: sign-out), or every session of a user (sign out
    /// everywhere, an operator's reset, a disabled account).
    pub fn sessions_revoked(&self, all: bool) {
        let scope = if all { "all_of_user" } else { "session" };
        self.sessions_revoked
            .get_or_create(&[("scope", scope)])
            .inc();
    }

    /// `channel`: "email" or "sms".
    pub fn code_sent(&self, channel: &'static str, sent: bool) {
        let result = if sent { "sent" } else { "failed" };
        self.codes_sent
            .get_or_create(&[("channel", channel), ("result", result)])
            .inc();
    }

    /// The OpenMetrics text of every metric; `active_lockouts` is read from the store just before.
    pub fn encode(&self, active_lockouts: Option<usize>) -> String {
        if let Some(n) = active_lockouts {
            self.lockouts_active
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let mut out = String::with_capacity(4096);
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_outcome_is_exported_from_the_start_and_counts_where_it_is_indexed() {
        let m = Metrics::new();
        let text = m.encode(Some(0));
        for o in RequestOutcome::ALL {
            assert!(
                text.contains(&format!(
                    "portcullis_requests_total{{outcome=\"{}\"}} 0",
                    o.as_str()
                )),
                "{o:?} missing:\n{text}"
            );
        }
        m.request(RequestOutcome::Denied);
        m.request(RequestOutcome::Denied);
        let text = m.encode(None);
        assert!(text.contains("portcullis_requests_total{outcome=\"denied\"} 2"));
        assert!(text.contains("portcullis_requests_total{outcome=\"forwarded\"} 0"));
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn an_unknown_factor_name_from_a_form_is_not_a_new_label() {
        let m = Metrics::new();
        m.auth("<script>", AuthResult::Failure);
        m.auth("totp", AuthResult::Success);
        let text = m.encode(None);
        assert!(
            text.contains("portcullis_auth_events_total{factor=\"other\",result=\"failure\"} 1")
        );
        assert!(text.contains("portcullis_auth_events_total{factor=\"totp\",result=\"success\"} 1"));
        assert!(!text.contains("script"));
    }

    #[test]
    fn build_info_names_the_version() {
        let text = Metrics::new().encode(None);
        assert!(text.contains(&format!(
            "portcullis_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        )));
    }
}
