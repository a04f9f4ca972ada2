//! Password hashing and verification (DESIGN §6 "Passwords").
//!
//! New hashes are argon2id with the OWASP minimum (m = 19 MiB, t = 2, p = 1). Verification also
//! accepts older argon2 variants and bcrypt, so operators can migrate an existing user list;
//! [`is_weak`] lets `portcullis check` point out the hashes worth replacing.
//!
//! Every function here is CPU-bound on purpose: callers on the async runtime must run `verify`
//! on the bounded blocking pool.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use rand::RngCore;

/// Memory cost of new hashes in KiB (OWASP Password Storage Cheat Sheet, argon2id option 5).
pub const M_COST_KIB: u32 = 19_456;
/// Iterations of new hashes.
pub const T_COST: u32 = 2;
/// Lanes of new hashes.
pub const P_COST: u32 = 1;
/// bcrypt hashes below this cost are reported by [`is_weak`] (OWASP: "a work factor of 10 or more").
pub const MIN_BCRYPT_COST: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot hash password: {0}")]
    Hash(String),
}

/// The argon2id hasher with the parameters of DESIGN §6.
fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash `password` as an argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh
/// random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|phc| phc.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Does `password` match `phc_or_bcrypt`? Accepts argon2id/argon2i/argon2d PHC strings and bcrypt
/// (`$2a$`, `$2b$`, `$2y$`). Anything else, including a malformed hash, is `false`; this never panics.
///
/// The parameters come from the stored hash, so a migrated weak hash still verifies. Both crates
/// compare the derived output in constant time. bcrypt only looks at the first 72 bytes of the
/// password (a limit of the algorithm; another reason to move such users to argon2id).
pub fn verify(phc_or_bcrypt: &str, password: &str) -> bool {
    if let Some(phc) = parse_argon2(phc_or_bcrypt) {
        // `Argon2::default()` only supplies the (empty) secret; algorithm, version, parameters
        // and output length are taken from the PHC string.
        Argon2::default()
            .verify_password(password.as_bytes(), &phc)
            .is_ok()
    } else if bcrypt_cost(phc_or_bcrypt).is_some() {
        bcrypt::verify(password.as_bytes(), phc_or_bcrypt).unwrap_or(false)
    } else {
        false
    }
}

/// Is `s` a password hash the users file may contain (argon2 PHC with valid parameters, or bcrypt)?
pub fn is_supported_hash(s: &str) -> bool {
    parse_argon2(s).is_some() || bcrypt_cost(s).is_some()
}

/// Is `s` a supported hash that is weaker than what [`hash`] produces: argon2i/argon2d, argon2 with
/// m < 19456 KiB or t < 2, or bcrypt with cost < 10? Unsupported strings are not "weak" (they are
/// rejected outright by [`is_supported_hash`]), so this returns `false` for them.
pub fn is_weak(s: &str) -> bool {
    if let Some(phc) = parse_argon2(s) {
        let Ok(params) = Params::try_from(&phc) else {
            return false;
        };
        phc.algorithm.as_str() != "argon2id"
            || params.m_cost() < M_COST_KIB
            || params.t_cost() < T_COST
    } else if let Some(cost) = bcrypt_cost(s) {
        cost < MIN_BCRYPT_COST
    } else {
        false
    }
}

/// A valid argon2id hash, with the parameters of [`hash`], of a random password nobody knows.
///
/// Verifying a login for an unknown user against it costs what a real verification costs, so a
/// wrong user name and a wrong password take the same time and get the same answer (DESIGN §6).
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let random: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        // Hashing only fails on invalid parameters, which are constants here; the fallback keeps
        // this function total. Its password was random and discarded when it was generated.
        hash(&random).unwrap_or_else(|_| FALLBACK_DUMMY.to_owned())
    })
}

const FALLBACK_DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$SNcEfhy4JRdj6mYPomuwUg$pdxASiP2eKBcQ9YN39uXkxG1DFVZhohR8+SMrtk754U";

/// Parse an argon2 PHC string whose algorithm and parameters the argon2 crate accepts.
fn parse_argon2(s: &str) -> Option<PasswordHash<'_>> {
    if !s.starts_with("$argon2") {
        return None;
    }
    let phc = PasswordHash::new(s).ok()?;
    Algorithm::try_from(phc.algorithm).ok()?;
    // A hash without output or salt cannot be verified against.
    phc.hash.as_ref()?;
    phc.salt.as_ref()?;
    if let Some(v) = phc.version {
        Version::try_from(v).ok()?;
    }
    Params::try_from(&phc).ok()?;
    Some(phc)
}

/// The cost of a well-formed bcrypt hash: `$2a$`, `$2b$` or `$2y$`, two-digit cost 04..=31, `$`,
/// then 22 salt and 31 hash characters of bcrypt's base64 alphabet. Checked here because the
/// bcrypt crate's own parser is lenient (it skips empty `$` fields).
fn bcrypt_cost(s: &str) -> Option<u32> {
    let rest = s
        .strip_prefix("$2a$")
        .or_else(|| s.strip_prefix("$2b$"))
        .or_else(|| s.strip_prefix("$2y$"))?;
    let (cost, body) = rest.split_once('$')?;
    if cost.len() != 2 || !cost.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cost: u32 = cost.parse().ok()?;
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'/';
    if !(4..=31).contains(&cost) || body.len() != 53 || !body.bytes().all(alphabet) {
        return None;
    }
    Some(cost)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_verifies_and_a_wrong_password_does_not() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&h, "correct horse"));
        assert!(!verify(&h, "correct horse "));
        assert!(!verify(&h, ""));
        assert!(is_supported_hash(&h));
        assert!(!is_weak(&h));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        assert_ne!(hash("pw").unwrap(), hash("pw").unwrap());
    }

    #[test]
    fn bcrypt_hash_verifies_and_low_cost_is_weak() {
        let h = bcrypt::hash("hunter2", 4).unwrap();
        assert!(h.starts_with("$2b$04$"), "{h}");
        assert!(is_supported_hash(&h));
        assert!(verify(&h, "hunter2"));
        assert!(!verify(&h, "hunter3"));
        assert!(is_weak(&h));
        // $2y$ (PHP) and $2a$ spellings of the same hash verify too.
        assert!(verify(&h.replacen("$2b$", "$2y$", 1), "hunter2"));
        assert!(verify(&h.replacen("$2b$", "$2a$", 1), "hunter2"));
    }

    #[test]
    fn weaker_argon2_hashes_still_verify_but_are_weak() {
        let params = Params::new(8192, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        for alg in [Algorithm::Argon2id, Algorithm::Argon2i, Algorithm::Argon2d] {
            let h = Argon2::new(alg, Version::V0x13, params.clone())
                .hash_password(b"pw", &salt)
                .unwrap()
                .to_string();
            assert!(is_supported_hash(&h), "{h}");
            assert!(verify(&h, "pw"), "{h}");
            assert!(!verify(&h, "px"), "{h}");
            assert!(is_weak(&h), "{h}");
        }
    }

    #[test]
    fn garbage_plain_empty_and_broken_hashes_do_not_verify_and_do_not_panic() {
        let good = hash("pw").unwrap();
        let truncated = &good[..good.len() - 10];
        let bad = [
            "",
            "plain",
            "pw",
            "$argon2id$broken",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=99$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2x$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA",
            "$2b$",
            "$2b$10$",
            "$2b$99$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0",
            "$2b$$10$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0",
            "$2x$10$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0",
            "$2b$04$ééééééééééééééééééééééééééééééééééééééééééééééééééééé",
            "$1$saltsalt$hash",
            "{SSHA}abcdef",
            "\u{0}",
            truncated,
        ];
        for b in bad {
            assert!(!verify(b, "pw"), "{b:?}");
            assert!(!verify(b, ""), "{b:?}");
            assert!(!is_supported_hash(b), "{b:?}");
            assert!(!is_weak(b), "{b:?}");
        }
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash_that_matches_nothing() {
        let d = dummy_hash();
        assert!(d.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{d}");
        assert!(is_supported_hash(d) && !is_weak(d));
        assert!(!verify(d, "x"));
        assert!(!verify(d, ""));
        assert_eq!(d, dummy_hash(), "computed once");
        assert!(is_supported_hash(FALLBACK_DUMMY) && !is_weak(FALLBACK_DUMMY));
    }
}
