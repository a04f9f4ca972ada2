//! Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), via `totp-rs`.
//!
//! Pure functions: time comes in as `now` (unix seconds) and nothing here reads the clock.
//! Replay protection ("each step accepted at most once", DESIGN §6) is the store's job:
//! [`verify`] returns the matching step so the caller can enforce `step > last accepted step`.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::rngs::OsRng;
use rand::RngCore;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use totp_rs::{Algorithm, TOTP};

use crate::config::{Totp, TotpAlgorithm};

/// RFC 4226 §4 R6 and DESIGN §6: at least 160 bits of shared secret.
const SECRET_LEN: usize = 20;
/// Upper bound on steps searched either side of now, whatever the caller passes
/// (config allows 0..=2); keeps `verify` cheap and the window meaningful.
const MAX_SKEW: u64 = 10;
/// Key Uri Format: everything but RFC 3986 unreserved characters is percent-encoded,
/// including `:`, which separates issuer from account in the label.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub algorithm: TotpAlgorithm,
    pub digits: u32,
    pub period: u64,
    pub skew: u64,
}

impl Params {
    pub fn from_config(t: &Totp) -> Params {
        Params {
            algorithm: t.algorithm,
            digits: t.digits,
            period: u64::from(t.period),
            skew: u64::from(t.skew),
        }
    }

    /// RFC 4226 §5.3 (6 to 8 digits, as `totp-rs` asserts) and a non-zero period.
    fn is_valid(&self) -> bool {
        (6..=8).contains(&self.digits) && self.period > 0
    }
}

/// A TOTP shared secret. `Debug` never shows the bytes; no `PartialEq`, so nobody compares
/// secrets in variable time by accident.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// 160 fresh bits from the OS RNG.
    pub fn generate() -> Secret {
        let mut b = vec![0u8; SECRET_LEN];
        OsRng.fill_bytes(&mut b);
        Secret(b)
    }

    pub fn from_bytes(b: Vec<u8>) -> Secret {
        Secret(b)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 §6 base32, uppercase, no padding (what authenticator apps expect).
    pub fn to_base32(&self) -> String {
        hotp(self, TotpAlgorithm::Sha1, 6).get_secret_base32()
    }

    /// Parses RFC 4648 base32 (spaces and lowercase allowed), as an app or `oathtool` shows it.
    pub fn from_base32(s: &str) -> Option<Secret> {
        let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        totp_rs::Secret::Encoded(cleaned.to_ascii_uppercase())
            .to_bytes()
            .ok()
            .filter(|b| !b.is_empty())
            .map(Secret)
    }

    /// Base32 in groups of four, for typing into an app by hand.
    pub fn grouped(&self) -> String {
        let b32 = self.to_base32();
        let groups: Vec<&str> = b32
            .as_bytes()
            .chunks(4)
            // Base32 output is ASCII, so every chunk is valid UTF-8.
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        groups.join(" ")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The RFC 6238 §4.2 time step `T = floor(now / period)`; 0 for a zero period.
pub fn step_at(p: &Params, now: u64) -> u64 {
    now.checked_div(p.period).unwrap_or(0)
}

/// The code for time step `step`, zero-padded to `p.digits` (clamped to 6..=8).
pub fn code_at(secret: &Secret, p: &Params, step: u64) -> String {
    // Clamped because `totp-rs` computes `10u32.pow(digits)`, which overflows for digits ≥ 10.
    hotp(secret, p.algorithm, p.digits.clamp(6, 8)).generate(step)
}

/// A `totp-rs` generator with step 1: it divides the "time" it is given by its step, so with
/// step 1 that time is the HOTP counter itself and `step * period` never has to be computed
/// (no overflow). `new_unchecked` skips its ≥128-bit secret check (we generate 160 bits).
fn hotp(secret: &Secret, algorithm: TotpAlgorithm, digits: u32) -> TOTP {
    let algorithm = match algorithm {
        TotpAlgorithm::Sha1 => Algorithm::SHA1,
        TotpAlgorithm::Sha256 => Algorithm::SHA256,
        TotpAlgorithm::Sha512 => Algorithm::SHA512,
    };
    TOTP::new_unchecked(algorithm, digits as usize, 0, 1, secret.0.clone())
}

/// The time step whose code equals `code`, searching steps now-skew ..= now+skew; compares every
/// candidate in constant time (subtle) and never short-circuits. The caller then enforces
/// "step > last accepted step" atomically in the store.
pub fn verify(secret: &Secret, p: &Params, code: &str, now: u64) -> Option<u64> {
    if !p.is_valid() {
        return None;
    }
    let code = normalize_code(code, p.digits)?;
    let current = step_at(p, now);
    let skew = p.skew.min(MAX_SKEW);
    let mut found = Choice::from(0);
    let mut matched = 0u64;
    for step in current.saturating_sub(skew)..=current.saturating_add(skew) {
        let hit = code_at(secret, p, step).as_bytes().ct_eq(code.as_bytes());
        matched.conditional_assign(&step, hit);
        found |= hit;
    }
    bool::from(found).then_some(matched)
}

/// ASCII digits only, exactly `digits` long after removing ASCII spaces; anything else (full-width
/// digits, NUL, letters, 10 kB strings) → None.
pub fn normalize_code(input: &str, digits: u32) -> Option<String> {
    let want = usize::try_from(digits).ok()?;
    if want == 0 || input.len() > want.saturating_mul(4).saturating_add(16) {
        return None;
    }
    let mut out = String::with_capacity(want);
    for c in input.chars() {
        match c {
            ' ' => {}
            '0'..='9' => out.push(c),
            _ => return None,
        }
    }
    (out.len() == want).then_some(out)
}

/// `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`
/// (Google Authenticator Key Uri Format); issuer and account are percent-encoded.
///
/// The format allows a colon in neither (apps read the first one, encoded or not, as the end of
/// the issuer), so each `:` becomes `_`: the label is always exactly one `issuer:account` pair.
/// The config refuses an issuer with a colon; this keeps a user name such as `corp:alice` safe.
pub fn otpauth_uri(secret: &Secret, p: &Params, issuer: &str, account: &str) -> String {
    let issuer = utf8_percent_encode(&issuer.replace(':', "_"), URI_COMPONENT).to_string();
    let account = account.replace(':', "_");
    let account = utf8_percent_encode(&account, URI_COMPONENT);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm={}&digits={}&period={}",
        secret.to_base32(),
        p.algorithm.as_str(),
        p.digits,
        p.period,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(algorithm: TotpAlgorithm, digits: u32, skew: u64) -> Params {
        Params {
            algorithm,
            digits,
            period: 30,
            skew,
        }
    }

    fn rfc_secret(len: usize) -> Secret {
        Secret::from_bytes(b"1234567890".iter().copied().cycle().take(len).collect())
    }

    #[test]
    fn matches_the_rfc_6238_appendix_b_table() {
        // (time, SHA1, SHA256, SHA512)
        let table = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let algs = [
            (TotpAlgorithm::Sha1, 20),
            (TotpAlgorithm::Sha256, 32),
            (TotpAlgorithm::Sha512, 64),
        ];
        for (time, c1, c256, c512) in table {
            for ((alg, len), want) in algs.into_iter().zip([c1, c256, c512]) {
                let p = params(alg, 8, 0);
                let got = code_at(&rfc_secret(len), &p, step_at(&p, time));
                assert_eq!(got, want, "{alg:?} at {time}");
                assert_eq!(verify(&rfc_secret(len), &p, want, time), Some(time / 30));
            }
        }
    }

    #[test]
    fn step_counter_gives_the_rfc_4226_appendix_d_hotp_values() {
        let want = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        let p = params(TotpAlgorithm::Sha1, 6, 0);
        for (counter, code) in want.iter().enumerate() {
            assert_eq!(code_at(&rfc_secret(20), &p, counter as u64), *code);
        }
    }

    #[test]
    fn skew_one_accepts_neighbouring_steps_and_returns_which() {
        let s = Secret::generate();
        let p = params(TotpAlgorithm::Sha1, 6, 1);
        let now = 1_700_000_015;
        let t = step_at(&p, now);
        for step in [t - 1, t, t + 1] {
            assert_eq!(verify(&s, &p, &code_at(&s, &p, step), now), Some(step));
        }
        for step in [t - 2, t + 2] {
            let code = code_at(&s, &p, step);
            // A chance collision with a code inside the window is 1 in ~10^6; skip it.
            if (t - 1..=t + 1).all(|w| code_at(&s, &p, w) != code) {
                assert_eq!(verify(&s, &p, &code, now), None);
            }
        }
    }

    #[test]
    fn skew_zero_accepts_only_the_current_step() {
        let s = rfc_secret(20);
        let p = params(TotpAlgorithm::Sha1, 6, 0);
        let now = 59;
        assert_eq!(verify(&s, &p, "287082", now), Some(1));
        assert_eq!(verify(&s, &p, "755224", now), None); // step 0
        assert_eq!(verify(&s, &p, "359152", now), None); // step 2
    }

    #[test]
    fn verify_near_time_zero_does_not_underflow() {
        let s = rfc_secret(20);
        let p = params(TotpAlgorithm::Sha1, 6, 2);
        assert_eq!(verify(&s, &p, "755224", 0), Some(0));
        assert_eq!(verify(&s, &p, "755224", u64::MAX), None);
    }

    #[test]
    fn verify_refuses_invalid_params_and_malformed_codes() {
        let s = rfc_secret(20);
        let mut p = params(TotpAlgorithm::Sha1, 6, 0);
        assert_eq!(verify(&s, &p, "287 082", 30), Some(1));
        assert_eq!(verify(&s, &p, "", 30), None);
        assert_eq!(verify(&s, &p, "2870820", 30), None);
        p.period = 0;
        assert_eq!(verify(&s, &p, "755224", 0), None);
        p.period = 30;
        p.digits = 10;
        assert_eq!(verify(&s, &p, "0000755224", 0), None);
        assert_eq!(code_at(&s, &p, 0).len(), 8); // clamped, no overflow panic
    }

    #[test]
    fn normalize_code_accepts_only_ascii_digits_of_the_right_length() {
        assert_eq!(normalize_code("123456", 6).as_deref(), Some("123456"));
        assert_eq!(normalize_code(" 123 456 ", 6).as_deref(), Some("123456"));
        assert_eq!(normalize_code("12345678", 8).as_deref(), Some("12345678"));
        for bad in [
            "12345",
            "1234567",
            "12345a",
            "１２３４５６",
            "123\u{0}456",
            "123\t456",
            "123-456",
            "",
            "٣٣٣٣٣٣",
        ] {
            assert_eq!(normalize_code(bad, 6), None, "{bad:?}");
        }
        assert_eq!(normalize_code(&"1".repeat(10_000), 6), None);
        assert_eq!(normalize_code(&" ".repeat(10_000), 6), None);
        assert_eq!(normalize_code("", 0), None);
        assert_eq!(normalize_code("1", u32::MAX), None);
    }

    #[test]
    fn otpauth_uri_follows_the_key_uri_format() {
        let s = rfc_secret(20);
        let p = params(TotpAlgorithm::Sha256, 8, 1);
        let uri = otpauth_uri(&s, &p, "Acme Co", "alice@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Acme%20Co:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Acme%20Co&algorithm=SHA256&digits=8&period=30"
        );
        let uri = otpauth_uri(&s, &p, "a:b", "c:d&e=f");
        assert!(uri.starts_with("otpauth://totp/a_b:c_d%26e%3Df?"), "{uri}");
        assert!(uri.contains("&issuer=a_b&"), "{uri}");
    }

    #[test]
    fn the_label_is_exactly_one_issuer_account_pair_whatever_the_names_hold() {
        let s = rfc_secret(20);
        let p = params(TotpAlgorithm::Sha1, 6, 1);
        for (issuer, account) in [
            ("Acme: Intranet", "alice"),
            ("Acme", "corp:alice"),
            ("[::1]", "a%3Ab"),
            ("Acme", "a\u{FF1A}b"),
        ] {
            let uri = otpauth_uri(&s, &p, issuer, account);
            let label = uri["otpauth://totp/".len()..].split('?').next().unwrap();
            // An app decodes the label and splits it at the first colon.
            let decoded = percent_encoding::percent_decode_str(label)
                .decode_utf8()
                .unwrap();
            assert_eq!(decoded.matches(':').count(), 1, "{uri}");
            let (i, a) = decoded.split_once(':').unwrap();
            assert_eq!(i, issuer.replace(':', "_"), "{uri}");
            assert_eq!(a, account.replace(':', "_"), "{uri}");
            let param = uri
                .split("&issuer=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            assert_eq!(
                percent_encoding::percent_decode_str(param)
                    .decode_utf8()
                    .unwrap(),
                i,
                "the issuer parameter names the same issuer: {uri}"
            );
        }
    }

    #[test]
    fn base32_is_rfc_4648_uppercase_without_padding() {
        // RFC 4648 §10 test vector "foobar" → "MZXW6YTBOI======".
        let s = Secret::from_bytes(b"foobar".to_vec());
        assert_eq!(s.to_base32(), "MZXW6YTBOI");
        assert_eq!(s.grouped(), "MZXW 6YTB OI");
        assert_eq!(
            rfc_secret(20).to_base32(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn generated_secrets_are_160_bits_and_distinct() {
        let a = Secret::generate();
        assert_eq!(a.as_bytes().len(), 20);
        assert_eq!(a.to_base32().len(), 32);
        assert_eq!(a.grouped().len(), 39);
        assert_ne!(a.as_bytes(), Secret::generate().as_bytes());
    }

    #[test]
    fn secret_debug_hides_the_bytes() {
        let s = Secret::from_bytes(b"hunter2".to_vec());
        let shown = format!(
            "{s:?} {:?}",
            Params::from_config(&crate::config::Totp {
                algorithm: TotpAlgorithm::Sha1,
                digits: 6,
                period: 30,
                skew: 1,
            })
        );
        assert!(shown.starts_with("Secret(***)"), "{shown}");
        assert!(!shown.contains("hunter2") && !shown.contains("104"));
    }
}
