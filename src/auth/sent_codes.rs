//! E-mail and SMS codes as a second factor (DESIGN §6): 6 digits from the OS RNG, kept only as
//! an HMAC under a key derived from the session secret, sent to the address or number of the
//! users file — never one from the request: someone who has the password must not choose where
//! the code goes.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

use crate::config::MfaMethod;

/// A channel codes travel over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn method(self) -> MfaMethod {
        match self {
            Channel::Email => MfaMethod::Email,
            Channel::Sms => MfaMethod::Sms,
        }
    }

    pub fn from_method(m: MfaMethod) -> Option<Channel> {
        match m {
            MfaMethod::Email => Some(Channel::Email),
            MfaMethod::Sms => Some(Channel::Sms),
            _ => None,
        }
    }
}

/// Digits in a code.
pub const DIGITS: usize = 6;

/// Makes and hashes codes.
pub struct SentCodes {
    key: Vec<u8>,
}

impl std::fmt::Debug for SentCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SentCodes(***)")
    }
}

impl SentCodes {
    /// `secret`: the session secret; the code key is derived from it, apart from other keys.
    pub fn new(secret: &[u8]) -> SentCodes {
        SentCodes {
            key: mac(secret, &[b"portcullis sent codes"]),
        }
    }

    /// A fresh code: 6 uniform digits.
    pub fn generate() -> String {
        let n: u32 = rand::rngs::OsRng.gen_range(0..1_000_000);
        format!("{n:06}")
    }

    /// The keyed hash stored for `code` of `user` sent over `channel` to `to` (hex). Bound to
    /// all three: a hash copied from one row means nothing in another, and a code sent to an
    /// address or number the users file no longer names is dead.
    pub fn hash(&self, user: &str, channel: Channel, to: &str, code: &str) -> String {
        let tag = mac(
            &self.key,
            &[
                user.as_bytes(),
                b"\0",
                channel.name().as_bytes(),
                b"\0",
                to.as_bytes(),
                b"\0",
                code.as_bytes(),
            ],
        );
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The digits a person typed, spaces and dashes dropped; None unless exactly 6 digits.
    pub fn normalize(input: &str) -> Option<String> {
        if input.len() > 32 {
            return None;
        }
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        (digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
    }
}

fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    #[allow(clippy::expect_used)] // HMAC accepts keys of any length (RFC 2104 §3).
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC key of any length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hashes_are_bound_to_user_and_channel() {
        for _ in 0..100 {
            let c = SentCodes::generate();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|d| d.is_ascii_digit()));
        }
        let s = SentCodes::new(b"secret");
        let to = "a@example.com";
        let h = s.hash("alice", Channel::Email, to, "123456");
        assert_eq!(h.len(), 64);
        assert_ne!(h, s.hash("bob", Channel::Email, to, "123456"));
        assert_ne!(h, s.hash("alice", Channel::Sms, to, "123456"));
        // Sent to an address the users file no longer names: dead.
        assert_ne!(
            h,
            s.hash("alice", Channel::Email, "new@example.com", "123456")
        );
        assert_ne!(
            h,
            SentCodes::new(b"other").hash("alice", Channel::Email, to, "123456")
        );
        assert!(!h.contains("123456"));
    }

    #[test]
    fn typed_codes_are_normalised_or_refused() {
        assert_eq!(SentCodes::normalize("123 456").as_deref(), Some("123456"));
        assert_eq!(SentCodes::normalize("123-456").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert_eq!(SentCodes::normalize(bad), None, "{bad}");
        }
    }
}
