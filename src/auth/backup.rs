//! Backup codes (DESIGN §6): 50 random bits each, shown once, stored only as keyed hashes.

use std::collections::HashSet;

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;

/// Crockford base32, lowercase: no i, l, o, u, so codes read back unambiguously.
pub const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// 10 characters × 5 bits = 50 bits per code.
const CODE_LEN: usize = 10;
/// Longest input worth looking at: a code with generous separators. Bounds work on junk input.
const MAX_INPUT: usize = 64;

/// `count` distinct codes of 10 characters (50 bits) shown as "xxxxx-xxxxx".
pub fn generate(count: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while out.len() < count {
        let code = one();
        // A repeat among 50-bit codes is astronomically rare, but "all distinct" is cheap to keep.
        if seen.insert(code.clone()) {
            out.push(code);
        }
    }
    out
}

fn one() -> String {
    let mut bytes = [0u8; CODE_LEN];
    OsRng.fill_bytes(&mut bytes);
    let mut code = String::with_capacity(CODE_LEN + 1);
    for (i, b) in bytes.iter().enumerate() {
        if i == CODE_LEN / 2 {
            code.push('-');
        }
        // 256 is a multiple of 32, so masking to 5 bits keeps every character uniform.
        code.push(char::from(ALPHABET[usize::from(b & 0x1f)]));
    }
    code
}

/// Lowercases, drops spaces and dashes, maps Crockford confusables (o→0, i/l→1), requires exactly
/// 10 alphabet chars; else None.
pub fn normalize(input: &str) -> Option<String> {
    if input.len() > MAX_INPUT {
        return None;
    }
    let mut out = String::with_capacity(CODE_LEN);
    for c in input.chars() {
        let c = match c.to_ascii_lowercase() {
            ' ' | '-' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// HMAC-SHA256(key, user || 0x00 || normalized code) — what the store keeps instead of the code.
/// The NUL separates user from code so ("ab", "c…") and ("a", "bc…") never collide.
pub fn keyed_hash(key: &[u8], user: &str, normalized: &str) -> [u8; 32] {
    // HMAC takes keys of any length (RFC 2104 §2: longer keys are hashed first), so
    // `new_from_slice` cannot fail.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(user.as_bytes());
    mac.update(&[0]);
    mac.update(normalized.as_bytes());
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_the_requested_count_in_xxxxx_dash_xxxxx_form() {
        assert!(generate(0).is_empty());
        let codes = generate(10);
        assert_eq!(codes.len(), 10);
        for c in &codes {
            let (a, b) = c.split_once('-').unwrap();
            assert_eq!((a.len(), b.len()), (5, 5), "{c}");
            assert!(
                a.bytes().chain(b.bytes()).all(|x| ALPHABET.contains(&x)),
                "{c}"
            );
        }
    }

    #[test]
    fn generated_codes_are_all_distinct() {
        let codes = generate(1000);
        let set: HashSet<_> = codes.iter().collect();
        assert_eq!(set.len(), 1000);
    }

    #[test]
    fn generated_codes_normalize_back_however_they_are_typed() {
        for c in generate(50) {
            let plain = c.replace('-', "");
            assert_eq!(normalize(&c).as_deref(), Some(plain.as_str()));
            assert_eq!(
                normalize(&c.to_uppercase()).as_deref(),
                Some(plain.as_str())
            );
            let spaced = format!(" {} {} ", &plain[..5], &plain[5..]);
            assert_eq!(normalize(&spaced).as_deref(), Some(plain.as_str()));
        }
    }

    #[test]
    fn normalize_maps_crockford_confusables() {
        assert_eq!(normalize("oOiIlL-abcd").as_deref(), Some("001111abcd"));
    }

    #[test]
    fn normalize_rejects_bad_input() {
        for bad in [
            "",
            "abcde-abcd",         // 9 chars
            "abcde-abcdef",       // 11 chars
            "abcde-abcdu",        // u is not Crockford
            "abcde_abcde",        // underscore
            "abcde\0abcde",       // NUL
            "ａｂｃｄｅ-abcde",   // full-width
            "abcde\tabcde",       // tab
            "ab\u{0130}de-abcde", // İ lowercases to non-ASCII
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
        assert_eq!(normalize(&"-".repeat(10_000)), None);
        assert_eq!(normalize(&"a".repeat(10_000)), None);
    }

    #[test]
    fn keyed_hash_depends_on_key_user_and_code() {
        let h = keyed_hash(b"k1", "alice", "0123456789");
        assert_eq!(h, keyed_hash(b"k1", "alice", "0123456789"));
        assert_ne!(h, keyed_hash(b"k2", "alice", "0123456789"));
        assert_ne!(h, keyed_hash(b"k1", "bob", "0123456789"));
        assert_ne!(h, keyed_hash(b"k1", "alice", "0123456788"));
        // The separator keeps the user/code boundary unambiguous.
        assert_ne!(keyed_hash(b"k", "ab", "c"), keyed_hash(b"k", "a", "bc"));
        assert_eq!(keyed_hash(&[7; 200], "", "").len(), 32);
    }
}
