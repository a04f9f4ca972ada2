//! Session tokens: a signed JWT (HS256, algorithm pinned) in the session cookie (DESIGN §5).
//!
//! A token is only a claim; [`Sessions::verify`] also checks it against server-side state:
//! revoked session ids, per-user "not before" times, the user's current password and status.

use std::collections::HashMap;

use arc_swap::ArcSwap;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::auth::users::User;

/// How a factor was proved, as in the `amr` claim (RFC 8176 names where one exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Pwd,
    Otp,
    Backup,
    Email,
    Sms,
    /// Proof of possession of a hardware-secured key: a passkey or security key (RFC 8176).
    Hwk,
    /// The authenticator verified the user (PIN or biometric): with `Hwk`, a passwordless
    /// sign-in (RFC 8176 "user").
    User,
    /// A trusted device stood in for the second factor.
    Device,
}

impl Factor {
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Pwd => "pwd",
            Factor::Otp => "otp",
            Factor::Backup => "backup",
            Factor::Email => "email",
            Factor::Sms => "sms",
            Factor::Hwk => "hwk",
            Factor::User => "user",
            Factor::Device => "device",
        }
    }
}

/// The claims inside a session token. Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User name.
    pub sub: String,
    /// Session id: random, changed at every step up.
    pub sid: String,
    pub amr: Vec<Factor>,
    /// When the first factor was proved.
    pub iat: u64,
    /// Last activity (sliding idle timeout).
    pub lat: u64,
    /// Hard end: max lifetime, or the challenge timeout of a half session.
    pub exp: u64,
    /// Half-authenticated: password done, second factor pending. Opens only the MFA pages.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub half: bool,
    /// Password-only session of a user still inside the enrolment grace period (`[mfa] grace_period`):
    /// admitted where two factors are required, until the grace period ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grace: bool,
    /// Fingerprint of the password hash the session was opened with: a password change ends it.
    pub pwf: String,
    /// The user's session epoch at issue: bumping it (sign out everywhere, MFA reset) ends the session.
    #[serde(default)]
    pub ep: u64,
    /// "Factor proved at": when this session last proved a second factor by a code (unix
    /// seconds); absent when none was, e.g. when a trusted device stood in. An admin action
    /// needs it within `[admin] fresh_factor` (see [`Claims::factor_proved_within`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fat: Option<u64>,
}

impl Claims {
    pub fn has_second_factor(&self) -> bool {
        !self.half && self.amr.iter().any(|f| *f != Factor::Pwd)
    }

    /// Enough for a `two_factor` location: a second factor, or the enrolment grace period.
    pub fn satisfies_two_factor(&self) -> bool {
        self.has_second_factor() || (!self.half && self.grace)
    }

    /// A full session that proved a second factor by a code less than `window` seconds before
    /// `now`. A proof dated in the future (a clock stepped back) does not count.
    pub fn factor_proved_within(&self, window: u64, now: u64) -> bool {
        !self.half
            && self
                .fat
                .is_some_and(|at| at <= now && now < at.saturating_add(window))
    }
}

/// Why a token was not accepted. Only logged at debug level; the client always gets the same answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("malformed or badly signed")]
    Invalid,
    #[error("expired")]
    Expired,
    #[error("idle too long")]
    Idle,
    #[error("revoked")]
    Revoked,
    #[error("user unknown, disabled or password changed")]
    User,
}

#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub idle: u64,
    pub max: u64,
    pub challenge: u64,
}

/// Issues and verifies session tokens and holds the in-memory mirror of revocations.
pub struct Sessions {
    /// Tells this instance's entries apart in the per-thread caches.
    instance: u64,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    fingerprint_key: Vec<u8>,
    lifetimes: Lifetimes,
    /// Read on every request, written on sign-out: copied on write, so reading takes no lock.
    /// Shared with the instances [`Sessions::reconfigured`] makes, so a configuration reload
    /// forgets no revocation.
    revoked: std::sync::Arc<ArcSwap<FastMap<String, u64>>>,
    epochs: std::sync::Arc<ArcSwap<FastMap<String, u64>>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("lifetimes", &self.lifetimes)
            .finish_non_exhaustive()
    }
}

/// The outcome of a successful verification.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Shared with the per-thread cache of checked tokens (no copy per request).
    pub claims: std::sync::Arc<Claims>,
    /// A re-issued token (sliding expiry) to set on the response, when one is due. Shared:
    /// a client that keeps sending its old token gets the same one back (see `refresh`).
    pub refreshed: Option<std::sync::Arc<str>>,
    /// The session's user, as found by the lookup.
    pub user: std::sync::Arc<User>,
}

impl Sessions {
    pub fn new(secret: &[u8], lifetimes: Lifetimes) -> Sessions {
        let mut validation = Validation::new(Algorithm::HS256);
        // Times are checked by `verify` against its `now` parameter.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.leeway = 0;
        static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Sessions {
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            fingerprint_key: derive(secret, b"portcullis password fingerprint"),
            lifetimes,
            revoked: Default::default(),
            epochs: Default::default(),
        }
    }

    /// The same keys, revocations and epochs with new lifetimes (a configuration reload). The
    /// instance number stays: checked signatures depend on the key and the token only.
    pub fn reconfigured(&self, lifetimes: Lifetimes) -> Sessions {
        Sessions {
            instance: self.instance,
            encoding: self.encoding.clone(),
            decoding: self.decoding.clone(),
            validation: self.validation.clone(),
            fingerprint_key: self.fingerprint_key.clone(),
            lifetimes,
            revoked: self.revoked.clone(),
            epochs: self.epochs.clone(),
        }
    }

    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    /// Opens a session for `user` after the password. `half` when a second factor must follow.
    pub fn start(&self, user: &User, half: bool, now: u64) -> Claims {
        self.start_with(user, half, None, now)
    }

    /// As [`Sessions::start`]; `grace` marks a session opened inside the enrolment grace period,
    /// which ends with the grace period (`grace_until`) rather than the max lifetime.
    pub fn start_with(
        &self,
        user: &User,
        half: bool,
        grace_until: Option<u64>,
        now: u64,
    ) -> Claims {
        let exp = if half {
            now + self.lifetimes.challenge
        } else {
            now + self.lifetimes.max
        };
        let exp = grace_until.map_or(exp, |g| exp.min(g));
        Claims {
            sub: user.name.clone(),
            sid: new_session_id(),
            amr: vec![Factor::Pwd],
            iat: now,
            lat: now,
            exp,
            half,
            grace: grace_until.is_some(),
            pwf: self.password_fingerprint(&user.password_hash),
            ep: self.epoch(&user.name),
            fat: None,
        }
    }

    /// Steps a session up with a second factor: a new session id and a full lifetime. A code
    /// (not a trusted device) also dates the fresh factor (`fat`).
    pub fn step_up(&self, claims: &Claims, factor: Factor, now: u64) -> Claims {
        let mut amr = claims.amr.clone();
        if !amr.contains(&factor) {
            amr.push(factor);
        }
        Claims {
            sid: new_session_id(),
            amr,
            lat: now,
            exp: claims.iat + self.lifetimes.max,
            half: false,
            grace: false,
            fat: if factor == Factor::Device {
                claims.fat
            } else {
                Some(now)
            },
            ..claims.clone()
        }
    }

    /// A full session that has just proved a second factor again (`P/admin`'s "confirm it is
    /// you"): the same session id, with `fat` and the activity time set to `now`.
    pub fn reproved(&self, claims: &Claims, factor: Factor, now: u64) -> Claims {
        let mut amr = claims.amr.clone();
        if !amr.contains(&factor) {
            amr.push(factor);
        }
        Claims {
            amr,
            lat: now,
            fat: Some(now),
            ..claims.clone()
        }
    }

    pub fn encode(&self, claims: &Claims) -> String {
        // Serialising a struct of strings and integers with HMAC cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .unwrap_or_default()
    }

    /// Decodes and checks a token against `now`, the revocation lists and the user database.
    pub fn verify(
        &self,
        token: &str,
        now: u64,
        lookup: impl FnOnce(&str) -> Option<std::sync::Arc<User>>,
    ) -> Result<Verified, Rejection> {
        // Cheap bound before any parsing: a real token is a few hundred bytes.
        if token.len() > 4096 {
            return Err(Rejection::Invalid);
        }
        let claims = self.decode(token)?;
        // `exp` was set from the lifetimes at issue; a reload may have shortened them since.
        let lifetime = if claims.half {
            self.lifetimes.challenge
        } else {
            self.lifetimes.max
        };
        if now >= claims.exp || now >= claims.iat.saturating_add(lifetime) {
            return Err(Rejection::Expired);
        }
        if !claims.half && now >= claims.lat.saturating_add(self.lifetimes.idle) {
            return Err(Rejection::Idle);
        }
        if self.is_revoked(&claims) {
            return Err(Rejection::Revoked);
        }
        let user = lookup(&claims.sub).ok_or(Rejection::User)?;
        if user.disabled || !self.fingerprint_matches(&claims.pwf, &user.password_hash) {
            return Err(Rejection::User);
        }
        let refreshed = (!claims.half && now >= claims.lat + self.refresh_after())
            .then(|| self.refresh(token, &claims, now));
        Ok(Verified {
            claims,
            refreshed,
            user,
        })
    }

    /// The re-issued token for `token`. A client that does not keep cookies (a script, a
    /// monitoring probe) sends the old token again and again: it gets the token minted for it
    /// earlier, as long as that one is not itself due, instead of a new signature per request.
    fn refresh(&self, token: &str, claims: &Claims, now: u64) -> std::sync::Arc<str> {
        let minted = REFRESHED.with(|c| {
            c.borrow()
                .get(&self.instance)
                .and_then(|m| m.get(token))
                .filter(|(at, _)| now < at + self.refresh_after())
                .map(|(_, fresh)| fresh.clone())
        });
        if let Some(fresh) = minted {
            return fresh;
        }
        let mut next = Claims::clone(claims);
        next.lat = now;
        let fresh: std::sync::Arc<str> = self.encode(&next).into();
        remember(&REFRESHED, self.instance, token, (now, fresh.clone()));
        fresh
    }

    /// Signature check and parse, remembered per thread for the exact token text: a signature's
    /// validity depends only on the key and the bytes, so a cached answer is the same answer.
    /// Everything that changes over time (expiry, revocation, the user) is checked every time.
    fn decode(&self, token: &str) -> Result<std::sync::Arc<Claims>, Rejection> {
        let cached = DECODED.with(|c| {
            c.borrow()
                .get(&self.instance)
                .and_then(|m| m.get(token))
                .cloned()
        });
        if let Some(claims) = cached {
            return Ok(claims);
        }
        let claims = std::sync::Arc::new(
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                .map_err(|_| Rejection::Invalid)?
                .claims,
        );
        remember(
            &DECODED,
            self.instance,
            token,
            std::sync::Arc::clone(&claims),
        );
        Ok(claims)
    }

    fn fingerprint_matches(&self, pwf: &str, hash: &str) -> bool {
        let known = FINGERPRINTS.with(|c| {
            c.borrow()
                .get(&self.instance)
                .and_then(|m| m.get(hash))
                .map(|f| f == pwf)
        });
        if let Some(answer) = known {
            return answer;
        }
        let fingerprint = self.password_fingerprint(hash);
        let answer = fingerprint == pwf;
        remember(&FINGERPRINTS, self.instance, hash, fingerprint);
        answer
    }

    /// Re-issue at most once a minute (or half the idle timeout when that is shorter).
    fn refresh_after(&self) -> u64 {
        (self.lifetimes.idle / 2).clamp(1, 60)
    }

    fn is_revoked(&self, claims: &Claims) -> bool {
        self.revoked.load().contains_key(&claims.sid) || claims.ep != self.epoch(&claims.sub)
    }

    /// The user's current session epoch (0 until first bumped).
    pub fn epoch(&self, user: &str) -> u64 {
        self.epochs.load().get(user).copied().unwrap_or(0)
    }

    /// Mirrors a revocation in memory (the store holds the durable copy).
    pub fn mark_revoked(&self, sid: &str, until: u64) {
        self.revoked.rcu(|r| {
            let mut r = FastMap::clone(r);
            r.insert(sid.to_owned(), until);
            r
        });
    }

    /// Takes back [`Sessions::mark_revoked`] when the store did not record the revocation.
    pub fn unmark_revoked(&self, sid: &str) {
        self.revoked.rcu(|r| {
            let mut r = FastMap::clone(r);
            r.remove(sid);
            r
        });
    }

    /// Mirrors a bumped epoch in memory (the store holds the durable copy). Epochs only rise:
    /// a late answer of an earlier bump (two at once through different replicas) never undoes
    /// a later one.
    pub fn set_epoch(&self, user: &str, epoch: u64) {
        if self.epoch(user) >= epoch {
            return;
        }
        self.epochs.rcu(|e| {
            let mut e = FastMap::clone(e);
            let current = e.entry(user.to_owned()).or_insert(0);
            *current = (*current).max(epoch);
            e
        });
    }

    /// Mirrors what the shared store announced or holds (see
    /// [`crate::store::Store::follow_revocations`]): revocations are added, epochs only ever
    /// rise. One copy of each map per call, and none when nothing is new (the periodic re-read
    /// of a quiet store).
    pub fn mirror(&self, changes: &[crate::store::Revocation]) {
        use crate::store::Revocation;
        let revoked = self.revoked.load();
        let epochs = self.epochs.load();
        let new_revocation = changes.iter().any(|c| match c {
            Revocation::Session(sid, until) => revoked.get(sid) != Some(until),
            Revocation::Epoch(..) => false,
        });
        let new_epoch = changes.iter().any(|c| match c {
            Revocation::Epoch(user, epoch) => epochs.get(user).is_none_or(|e| e < epoch),
            Revocation::Session(..) => false,
        });
        if new_revocation {
            self.revoked.rcu(|r| {
                let mut r = FastMap::clone(r);
                for c in changes {
                    if let Revocation::Session(sid, until) = c {
                        r.insert(sid.clone(), *until);
                    }
                }
                r
            });
        }
        if new_epoch {
            self.epochs.rcu(|e| {
                let mut e = FastMap::clone(e);
                for c in changes {
                    if let Revocation::Epoch(user, epoch) = c {
                        let current = e.entry(user.clone()).or_insert(0);
                        *current = (*current).max(*epoch);
                    }
                }
                e
            });
        }
    }

    pub fn forget_expired(&self, now: u64) {
        self.revoked.rcu(|r| {
            let mut r = FastMap::clone(r);
            r.retain(|_, until| *until > now);
            r
        });
    }

    /// A short keyed fingerprint of a password hash: changes when the password does.
    pub fn password_fingerprint(&self, hash: &str) -> String {
        let tag = derive(&self.fingerprint_key, hash.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..12])
    }
}

fn derive(key: &[u8], data: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)] // HMAC accepts keys of any length (RFC 2104 §3).
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Entries per thread in each cache below; a full cache is simply emptied.
const CACHE_ENTRIES: usize = 4096;

/// Per `Sessions` instance (tests run several in one thread), keyed by the exact text.
type PerInstance<V> = std::cell::RefCell<FastMap<u64, FastMap<Box<str>, V>>>;

/// Stored keys are never chosen by a client (session ids and tokens the gateway minted, names
/// from the users file), so a fast hash is safe from collision floods.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

thread_local! {
    /// Tokens whose signature this thread has already checked.
    static DECODED: PerInstance<std::sync::Arc<Claims>> = std::cell::RefCell::new(FastMap::default());
    /// Password hash → fingerprint.
    static FINGERPRINTS: PerInstance<String> = std::cell::RefCell::new(FastMap::default());
    /// Token → (when, the token re-issued for it then).
    static REFRESHED: PerInstance<(u64, std::sync::Arc<str>)> = std::cell::RefCell::new(FastMap::default());
}

fn remember<V: 'static>(
    cache: &'static std::thread::LocalKey<PerInstance<V>>,
    instance: u64,
    key: &str,
    value: V,
) {
    cache.with(|c| {
        let mut c = c.borrow_mut();
        let m = c.entry(instance).or_default();
        if m.len() >= CACHE_ENTRIES {
            m.clear();
        }
        m.insert(key.into(), value);
    });
}

/// 128 random bits, URL-safe base64.
pub fn new_session_id() -> String {
    let mut id = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut id);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn user(hash: &str) -> Arc<User> {
        Arc::new(User {
            name: "alice".into(),
            password_hash: hash.into(),
            email: None,
            display_name: None,
            groups: vec![],
            disabled: false,
            phone: None,
            header_values: Default::default(),
        })
    }

    fn sessions() -> Sessions {
        Sessions::new(
            b"0123456789abcdef0123456789abcdef",
            Lifetimes {
                idle: 1800,
                max: 43200,
                challenge: 300,
            },
        )
    }

    #[test]
    fn a_fresh_token_verifies_for_its_user() {
        let s = sessions();
        let u = user("h1");
        let t = s.encode(&s.start(&u, false, 1000));
        let v = s.verify(&t, 1001, |_| Some(u.clone())).unwrap();
        assert_eq!(v.claims.sub, "alice");
        assert!(v.refreshed.is_none());
    }

    #[test]
    fn idle_and_max_lifetime_are_enforced() {
        let s = sessions();
        let u = user("h1");
        let t = s.encode(&s.start(&u, false, 1000));
        assert_eq!(
            s.verify(&t, 1000 + 1800, |_| Some(u.clone())).unwrap_err(),
            Rejection::Idle
        );
        let mut c = s.start(&u, false, 1000);
        c.lat = 1000 + 43200 - 10;
        let t = s.encode(&c);
        assert_eq!(
            s.verify(&t, 1000 + 43200, |_| Some(u.clone())).unwrap_err(),
            Rejection::Expired
        );
    }

    #[test]
    fn use_after_a_minute_reissues_with_new_activity_time() {
        let s = sessions();
        let u = user("h1");
        let t = s.encode(&s.start(&u, false, 1000));
        let v = s.verify(&t, 1100, |_| Some(u.clone())).unwrap();
        let fresh = v.refreshed.unwrap();
        let v2 = s.verify(&fresh, 1100 + 1700, |_| Some(u.clone())).unwrap();
        assert_eq!(v2.claims.lat, 1100);
        assert_eq!(v2.claims.sid, v.claims.sid);
    }

    #[test]
    fn a_client_resending_the_old_token_gets_the_same_reissue_until_it_is_due() {
        let s = sessions();
        let u = user("h1");
        let t = s.encode(&s.start(&u, false, 1000));
        let first = s.verify(&t, 1100, |_| Some(u.clone())).unwrap().refreshed;
        let again = s.verify(&t, 1159, |_| Some(u.clone())).unwrap().refreshed;
        assert_eq!(first, again);
        // A minute later the earlier reissue is itself due: a newer one is minted.
        let later = s
            .verify(&t, 1160, |_| Some(u.clone()))
            .unwrap()
            .refreshed
            .unwrap();
        assert_ne!(Some(&later), first.as_ref());
        let v = s.verify(&later, 1161, |_| Some(u.clone())).unwrap();
        assert_eq!(v.claims.lat, 1160);
    }

    #[test]
    fn half_session_dies_after_challenge_timeout() {
        let s = sessions();
        let u = user("h1");
        let t = s.encode(&s.start(&u, true, 1000));
        assert!(s.verify(&t, 1299, |_| Some(u.clone())).is_ok());
        assert_eq!(
            s.verify(&t, 1300, |_| Some(u.clone())).unwrap_err(),
            Rejection::Expired
        );
    }

    #[test]
    fn step_up_changes_the_session_id() {
        let s = sessions();
        let u = user("h1");
        let half = s.start(&u, true, 1000);
        let full = s.step_up(&half, Factor::Otp, 1010);
        assert_ne!(half.sid, full.sid);
        assert!(full.has_second_factor());
        assert!(!half.has_second_factor());
    }

    #[test]
    fn a_code_dates_the_fresh_factor_and_a_trusted_device_does_not() {
        let s = sessions();
        let u = user("h1");
        let half = s.start(&u, true, 1000);
        assert!(!half.factor_proved_within(600, 1000));
        let by_code = s.step_up(&half, Factor::Otp, 1010);
        assert_eq!(by_code.fat, Some(1010));
        assert!(by_code.factor_proved_within(600, 1609));
        assert!(
            !by_code.factor_proved_within(600, 1610),
            "the window is half-open"
        );
        assert!(
            !by_code.factor_proved_within(600, 1009),
            "a proof from the future"
        );
        let by_device = s.step_up(&half, Factor::Device, 1010);
        assert_eq!(by_device.fat, None);
        assert!(!by_device.factor_proved_within(600, 1010));
        let again = s.reproved(&by_device, Factor::Backup, 2000);
        assert_eq!(
            (again.sid.as_str(), again.fat),
            (by_device.sid.as_str(), Some(2000))
        );
        assert!(again.amr.contains(&Factor::Backup));
        // Survives the token round trip.
        let t = s.encode(&again);
        let v = s.verify(&t, 2001, |_| Some(u.clone())).unwrap();
        assert_eq!(v.claims.fat, Some(2000));
    }

    #[test]
    fn mirrored_revocations_are_added_and_epochs_never_go_back() {
        use crate::store::Revocation;
        let s = sessions();
        let u = user("h1");
        let c = s.start(&u, false, 1000);
        s.mirror(&[Revocation::Epoch("alice".into(), 2)]);
        s.mirror(&[
            Revocation::Epoch("alice".into(), 1),
            Revocation::Session("other".into(), 5000),
        ]);
        assert_eq!(
            s.epoch("alice"),
            2,
            "an older epoch does not undo a newer one"
        );
        assert_eq!(s.revoked.load().get("other"), Some(&5000));
        let t = s.encode(&c);
        assert_eq!(
            s.verify(&t, 1001, |_| Some(u.clone())).unwrap_err(),
            Rejection::Revoked,
            "issued in epoch 0"
        );
    }

    #[test]
    fn revoked_sessions_and_old_epochs_are_refused() {
        let s = sessions();
        let u = user("h1");
        let c = s.start(&u, false, 1000);
        let t = s.encode(&c);
        s.mark_revoked(&c.sid, 99999);
        assert_eq!(
            s.verify(&t, 1001, |_| Some(u.clone())).unwrap_err(),
            Rejection::Revoked
        );
        let c2 = s.start(&u, false, 1000);
        s.set_epoch("alice", 1);
        assert_eq!(
            s.verify(&s.encode(&c2), 1002, |_| Some(u.clone()))
                .unwrap_err(),
            Rejection::Revoked
        );
    }

    #[test]
    fn a_reload_that_shortens_the_lifetimes_ends_older_sessions_and_keeps_revocations() {
        let s = sessions();
        let u = user("h1");
        let full = s.start(&u, false, 1000);
        let half = s.start(&u, true, 1000);
        let revoked = s.start(&u, false, 1000);
        s.mark_revoked(&revoked.sid, 99999);
        let shorter = s.reconfigured(Lifetimes {
            idle: 1800,
            max: 600,
            challenge: 60,
        });
        let at = |c: &Claims, now| shorter.verify(&s.encode(c), now, |_| Some(u.clone()));
        assert!(at(&full, 1599).is_ok());
        assert_eq!(at(&full, 1600).unwrap_err(), Rejection::Expired);
        assert!(at(&half, 1059).is_ok());
        assert_eq!(at(&half, 1060).unwrap_err(), Rejection::Expired);
        assert_eq!(at(&revoked, 1001).unwrap_err(), Rejection::Revoked);
        // And the other way: revocations made through the new instance reach the old one.
        shorter.mark_revoked(&full.sid, 99999);
        assert_eq!(
            s.verify(&s.encode(&full), 1001, |_| Some(u.clone()))
                .unwrap_err(),
            Rejection::Revoked
        );
    }

    #[test]
    fn password_change_or_disable_ends_the_session() {
        let s = sessions();
        let t = s.encode(&s.start(&user("h1"), false, 1000));
        assert_eq!(
            s.verify(&t, 1001, |_| Some(user("h2"))).unwrap_err(),
            Rejection::User
        );
        let mut disabled = (*user("h1")).clone();
        disabled.disabled = true;
        let d = Arc::new(disabled);
        assert_eq!(
            s.verify(&t, 1001, |_| Some(d.clone())).unwrap_err(),
            Rejection::User
        );
        assert_eq!(s.verify(&t, 1001, |_| None).unwrap_err(), Rejection::User);
    }

    #[test]
    fn tokens_with_other_algorithms_or_keys_are_refused() {
        let s = sessions();
        let u = user("h1");
        let c = s.start(&u, false, 1000);
        let other = Sessions::new(b"another key another key another k", s.lifetimes());
        assert_eq!(
            s.verify(&other.encode(&c), 1001, |_| Some(u.clone()))
                .unwrap_err(),
            Rejection::Invalid
        );
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let none = format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(serde_json::to_vec(&c).unwrap())
        );
        assert_eq!(
            s.verify(&none, 1001, |_| Some(u.clone())).unwrap_err(),
            Rejection::Invalid
        );
        let t = s.encode(&c);
        assert_eq!(
            s.verify(&t[..t.len() - 3], 1001, |_| Some(u.clone()))
                .unwrap_err(),
            Rejection::Invalid
        );
        assert_eq!(
            s.verify(&"A".repeat(8192), 1001, |_| Some(u.clone()))
                .unwrap_err(),
            Rejection::Invalid
        );
    }
}
