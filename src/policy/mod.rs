//! The decision engine: which location a request falls in and what that location demands.
//!
//! Shared by the reverse proxy, forward-auth and `portcullis explain`, so all three always agree.

pub mod path;

use std::net::IpAddr;

use http::Method;

use crate::auth::session::Claims;
use crate::config::{Location, Policy};

/// What the engine knows about a request. `path` is already normalised by [`path::normalize`].
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts<'a> {
    pub path: &'a str,
    pub method: &'a Method,
    /// Host without port, lowercase.
    pub host: Option<&'a str>,
    pub client: IpAddr,
}

/// The verdict for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Forward without identity (client identity headers are still stripped).
    Bypass,
    /// Forward with the session's identity.
    Allow,
    /// No usable session: send to the login page (or 401 for non-browsers).
    Login,
    /// Signed in with the password only; this location needs a second factor.
    SecondFactor,
    /// Denied by policy or by the location's users/groups.
    Forbidden,
    /// Never from the engine: the request holds a session, but this replica cannot vouch that
    /// it is not revoked (the shared store has been silent for longer than
    /// `revocation_staleness`). Fails closed: 503.
    Unavailable,
}

/// What the user holds, as far as the decision goes.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub claims: &'a Claims,
    pub groups: &'a [String],
}

/// The compiled list of locations.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    locations: Vec<Location>,
    /// Some location has `allow_encoded_slash`.
    encoded_slash: bool,
}

/// The location that matched, if any, and what the engine decided.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    pub location: Option<&'a Location>,
    pub decision: Decision,
}

impl Engine {
    pub fn new(locations: Vec<Location>) -> Engine {
        let encoded_slash = locations.iter().any(|l| l.allow_encoded_slash);
        Engine {
            locations,
            encoded_slash,
        }
    }

    pub fn locations(&self) -> &[Location] {
        &self.locations
    }

    /// True when some location opted in to `allow_encoded_slash`: only then is a path with
    /// `%2F` worth a second look (see [`path::normalize_keeping_encoded_slash`]).
    pub fn allows_encoded_slash(&self) -> bool {
        self.encoded_slash
    }

    /// The request path in normal form ([`path::normalize`]). When some location opted in to
    /// `allow_encoded_slash`, a path with `%2F` is normalised keeping it
    /// ([`path::normalize_keeping_encoded_slash`]), and [`Engine::admits_encoded_slash`] must then
    /// find that the location it matches is one that opted in.
    pub fn normalize(&self, raw: &str) -> Result<String, path::PathError> {
        match path::normalize(raw) {
            Err(path::PathError::EncodedSlash) if self.allows_encoded_slash() => {
                path::normalize_keeping_encoded_slash(raw)
            }
            other => other,
        }
    }

    /// Whether a request whose path kept an encoded slash may go on. `location` is the one its
    /// path matched. It must have opted in — and an application that decodes `%2F` must land
    /// in the same location: the path with `%2F` read as `/` (dot segments resolved, slashes
    /// merged) must match that very location too. Otherwise `/secret%2Fx` could pass through
    /// an opted-in `/` or `\.json$` location to what the app serves as `/secret/x`, which a
    /// `deny` location (a `path` or a `path_regex` one) guards.
    pub fn admits_encoded_slash(
        &self,
        facts: &RequestFacts<'_>,
        location: Option<&Location>,
    ) -> bool {
        if !self.encoded_slash || !facts.path.contains(path::ENCODED_SLASH) {
            return true;
        }
        let Some(here) = location.filter(|l| l.allow_encoded_slash) else {
            return false;
        };
        let Ok(decoded) = path::normalize(&facts.path.replace(path::ENCODED_SLASH, "/")) else {
            return false;
        };
        let as_decoded = RequestFacts {
            path: &decoded,
            ..*facts
        };
        self.matching(&as_decoded)
            .is_some_and(|there| there.index == here.index)
    }

    /// Operator warnings about `allow_encoded_slash` locations (for `check`): a `bypass` one lets
    /// anyone send `%2F` paths to the app; and another location's path inside one (`/api/admin`
    /// inside `/api`) means that `/api/admin%2Fusers` — `/api` here, `/api/admin/users` to an app
    /// that decodes it — is refused ([`Engine::admits_encoded_slash`]).
    pub fn encoded_slash_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.locations.iter().filter(|l| l.allow_encoded_slash) {
            if a.policy == Policy::Bypass {
                out.push(format!(
                    "location #{} allows encoded slashes and is bypass: anyone can send %2F paths to the app",
                    a.index
                ));
            }
            for b in self.locations.iter().filter(|b| b.index != a.index) {
                let inside = match (&a.path, &b.path) {
                    (None, Some(_)) => a.path_regex.is_none(),
                    (Some(pa), Some(pb)) => pb != pa && path::has_prefix(pb, pa),
                    _ => false,
                };
                if inside {
                    out.push(format!(
                        "location #{}'s path {:?} lies inside location #{} (allow_encoded_slash): requests for it written with %2F match #{} here but #{} in an app that decodes them, so they are refused with 400",
                        b.index,
                        b.path.as_deref().unwrap_or(""),
                        a.index,
                        a.index,
                        b.index
                    ));
                }
            }
        }
        out
    }

    /// First match in file order.
    pub fn matching(&self, facts: &RequestFacts<'_>) -> Option<&Location> {
        self.locations.iter().find(|l| matches(l, facts))
    }

    /// The policy that applies: the matching location's, else `two_factor`.
    pub fn decide<'a>(
        &'a self,
        facts: &RequestFacts<'_>,
        subject: Option<Subject<'_>>,
    ) -> Verdict<'a> {
        let location = self.matching(facts);
        let policy = location.map_or(Policy::TwoFactor, |l| l.policy);
        let decision = match (policy, subject) {
            (Policy::Deny, _) => Decision::Forbidden,
            (Policy::Bypass, _) => Decision::Bypass,
            (_, None) => Decision::Login,
            (_, Some(s)) if s.claims.half => Decision::SecondFactor,
            (Policy::TwoFactor, Some(s)) if !s.claims.satisfies_two_factor() => {
                Decision::SecondFactor
            }
            (_, Some(s)) => {
                if location.is_none_or(|l| admits(l, s)) {
                    Decision::Allow
                } else {
                    Decision::Forbidden
                }
            }
        };
        Verdict { location, decision }
    }

    /// Locations that can never match because an earlier one covers every request they would.
    /// Returns (shadowed index, shadowing index), both 1-based.
    pub fn shadowed(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (j, later) in self.locations.iter().enumerate() {
            if let Some(i) = self.locations[..j]
                .iter()
                .position(|earlier| covers(earlier, later))
            {
                out.push((later.index, self.locations[i].index));
            }
        }
        out
    }
}

fn matches(l: &Location, f: &RequestFacts<'_>) -> bool {
    if let Some(host) = &l.host {
        if f.host != Some(host.as_str()) {
            return false;
        }
    }
    // Match the path as a servlet container would route it (`;params` dropped).
    let routed = path::without_params(f.path);
    if let Some(prefix) = &l.path {
        if !path::has_prefix(&routed, prefix) {
            return false;
        }
    }
    if let Some(re) = &l.path_regex {
        if !re.is_match(&routed) {
            return false;
        }
    }
    if !l.methods.is_empty() && !l.methods.contains(f.method) {
        return false;
    }
    if !l.networks.is_empty() && !l.networks.iter().any(|n| n.contains(&f.client)) {
        return false;
    }
    true
}

/// Users and groups are requirements of a matched location, not matchers.
fn admits(l: &Location, s: Subject<'_>) -> bool {
    if l.users.is_empty() && l.groups.is_empty() {
        return true;
    }
    l.users.contains(&s.claims.sub) || l.groups.iter().any(|g| s.groups.contains(g))
}

/// Conservative: true only when `a` matches every request `b` could match.
fn covers(a: &Location, b: &Location) -> bool {
    let host = a.host.is_none() || a.host == b.host;
    let path = match (&a.path, &b.path) {
        (None, _) => a.path_regex.is_none(),
        (Some(pa), Some(pb)) => a.path_regex.is_none() && path::has_prefix(pb, pa),
        (Some(_), None) => false,
    };
    let methods = a.methods.is_empty()
        || (!b.methods.is_empty() && b.methods.iter().all(|m| a.methods.contains(m)));
    let networks = a.networks.is_empty()
        || (!b.networks.is_empty()
            && b.networks
                .iter()
                .all(|nb| a.networks.iter().any(|na| na.contains(nb))));
    host && path && methods && networks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::session::Factor;

    fn loc(index: usize, path: &str, policy: Policy) -> Location {
        Location {
            index,
            path: Some(path.into()),
            policy,
            ..Location::default()
        }
    }

    fn claims(amr: &[Factor], half: bool) -> Claims {
        Claims {
            sub: "alice".into(),
            sid: "s".into(),
            amr: amr.to_vec(),
            iat: 0,
            lat: 0,
            exp: 10,
            half,
            grace: false,
            pwf: String::new(),
            ep: 0,
            fat: None,
        }
    }

    fn facts(path: &str) -> RequestFacts<'_> {
        RequestFacts {
            path,
            method: &Method::GET,
            host: Some("app.example"),
            client: "127.0.0.1".parse().unwrap(),
        }
    }

    #[test]
    fn unmatched_requests_need_two_factors() {
        let e = Engine::new(vec![loc(1, "/public", Policy::Bypass)]);
        assert_eq!(e.decide(&facts("/x"), None).decision, Decision::Login);
        let pwd = claims(&[Factor::Pwd], false);
        let s = Subject {
            claims: &pwd,
            groups: &[],
        };
        assert_eq!(
            e.decide(&facts("/x"), Some(s)).decision,
            Decision::SecondFactor
        );
        let full = claims(&[Factor::Pwd, Factor::Otp], false);
        let s = Subject {
            claims: &full,
            groups: &[],
        };
        assert_eq!(e.decide(&facts("/x"), Some(s)).decision, Decision::Allow);
    }

    #[test]
    fn prefix_matches_only_on_a_segment_boundary() {
        let e = Engine::new(vec![loc(1, "/public", Policy::Bypass)]);
        assert_eq!(
            e.decide(&facts("/public/a"), None).decision,
            Decision::Bypass
        );
        assert_eq!(
            e.decide(&facts("/publicity"), None).decision,
            Decision::Login
        );
    }

    #[test]
    fn half_sessions_open_nothing_not_even_one_factor_locations() {
        let e = Engine::new(vec![loc(1, "/", Policy::OneFactor)]);
        let half = claims(&[Factor::Pwd], true);
        let s = Subject {
            claims: &half,
            groups: &[],
        };
        assert_eq!(
            e.decide(&facts("/x"), Some(s)).decision,
            Decision::SecondFactor
        );
        let pwd = claims(&[Factor::Pwd], false);
        let s = Subject {
            claims: &pwd,
            groups: &[],
        };
        assert_eq!(e.decide(&facts("/x"), Some(s)).decision, Decision::Allow);
    }

    #[test]
    fn groups_and_users_restrict_a_location() {
        let mut admin = loc(1, "/admin", Policy::OneFactor);
        admin.groups = vec!["admins".into()];
        admin.users = vec!["bob".into()];
        let e = Engine::new(vec![admin]);
        let c = claims(&[Factor::Pwd], false);
        let outsider = Subject {
            claims: &c,
            groups: &["staff".into()],
        };
        assert_eq!(
            e.decide(&facts("/admin"), Some(outsider)).decision,
            Decision::Forbidden
        );
        let admins = ["admins".to_string()];
        let member = Subject {
            claims: &c,
            groups: &admins,
        };
        assert_eq!(
            e.decide(&facts("/admin"), Some(member)).decision,
            Decision::Allow
        );
    }

    #[test]
    fn path_parameters_do_not_dodge_a_location() {
        let e = Engine::new(vec![
            loc(1, "/admin", Policy::Deny),
            loc(2, "/files/", Policy::Bypass),
        ]);
        assert_eq!(
            e.decide(&facts("/admin;x/users"), None).decision,
            Decision::Forbidden
        );
        assert_eq!(
            e.decide(&facts("/admin;jsessionid=1"), None).decision,
            Decision::Forbidden
        );
        assert_eq!(
            e.decide(&facts("/files"), None).decision,
            Decision::Bypass,
            "/files/ covers /files"
        );
    }

    #[test]
    fn deny_wins_even_without_a_session() {
        let e = Engine::new(vec![loc(1, "/secret", Policy::Deny)]);
        assert_eq!(
            e.decide(&facts("/secret/x"), None).decision,
            Decision::Forbidden
        );
    }

    #[test]
    fn methods_networks_and_host_narrow_a_match() {
        let mut l = loc(1, "/api", Policy::Bypass);
        l.methods = vec![Method::GET];
        l.networks = vec!["10.0.0.0/8".parse().unwrap()];
        l.host = Some("app.example".into());
        let e = Engine::new(vec![l]);
        let mut f = facts("/api/x");
        assert_eq!(
            e.decide(&f, None).decision,
            Decision::Login,
            "127.0.0.1 is outside 10/8"
        );
        f.client = "10.1.2.3".parse().unwrap();
        assert_eq!(e.decide(&f, None).decision, Decision::Bypass);
        f.method = &Method::POST;
        assert_eq!(e.decide(&f, None).decision, Decision::Login);
        f.method = &Method::GET;
        f.host = Some("other.example");
        assert_eq!(e.decide(&f, None).decision, Decision::Login);
    }

    #[test]
    fn a_later_location_under_an_earlier_prefix_is_reported_shadowed() {
        let e = Engine::new(vec![
            loc(1, "/api", Policy::Bypass),
            loc(2, "/api/admin", Policy::Deny),
            loc(3, "/other", Policy::Deny),
        ]);
        assert_eq!(e.shadowed(), vec![(2, 1)]);
    }
}
