//! Secrets at rest (TOTP seeds), sealed with XChaCha20-Poly1305 under the storage key.
//!
//! Each record names its key by id, so the key can rotate: a [`Sealer`] seals under the
//! current key and still opens records sealed under the previous ones (DESIGN §6).
//! The 24-byte nonce is random per seal; at that size random nonces do not collide in practice.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sealed {
    pub kid: String,
    /// Base64 (standard, padded) of the 24-byte nonce.
    pub nonce: String,
    /// Base64 (standard, padded) of ciphertext || 16-byte tag.
    pub ct: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("sealed with unknown key {0}")]
    UnknownKey(String),
    #[error("cannot open sealed data")]
    Open,
    /// The AEAD refuses plaintexts of 256 GiB and more.
    #[error("data too large to seal")]
    TooLarge,
}

struct Key {
    id: String,
    bytes: [u8; 32],
}

impl Key {
    fn new(bytes: &[u8; 32]) -> Key {
        let digest = Sha256::new()
            .chain_update(b"portcullis key id")
            .chain_update(bytes)
            .finalize();
        let id = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        Key { id, bytes: *bytes }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.bytes.into())
    }
}

/// Seals under the current key; opens under the current or any previous key.
pub struct Sealer {
    current: Key,
    previous: Vec<Key>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("current", &self.current.id)
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Sealer {
    pub fn new(current: &[u8; 32]) -> Sealer {
        Sealer {
            current: Key::new(current),
            previous: Vec::new(),
        }
    }

    /// Also open data sealed under `old` (after a key rotation).
    pub fn with_previous(mut self, old: &[u8; 32]) -> Sealer {
        self.previous.push(Key::new(old));
        self
    }

    /// First 8 hex chars of SHA256("portcullis key id" || key): names the key, reveals nothing.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// Encrypts and authenticates `plaintext`, binding `aad` (e.g. table and user name) so a
    /// sealed value cannot be moved to another record.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, SealError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = self
            .current
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| SealError::TooLarge)?;
        Ok(Sealed {
            kid: self.current.id.clone(),
            nonce: STANDARD.encode(nonce),
            ct: STANDARD.encode(ct),
        })
    }

    /// Any failure after the key is found (bad base64, wrong nonce length, wrong aad, tampering)
    /// is the same [`SealError::Open`], so callers cannot learn which check failed.
    pub fn open(&self, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut keys = std::iter::once(&self.current)
            .chain(&self.previous)
            .filter(|k| k.id == sealed.kid)
            .peekable();
        if keys.peek().is_none() {
            return Err(SealError::UnknownKey(sealed.kid.clone()));
        }
        let nonce = STANDARD
            .decode(&sealed.nonce)
            .ok()
            .and_then(|n| <[u8; 24]>::try_from(n.as_slice()).ok())
            .map(XNonce::from)
            .ok_or(SealError::Open)?;
        let ct = STANDARD.decode(&sealed.ct).map_err(|_| SealError::Open)?;
        // Two keys may share a 32-bit id; try each one that claims it.
        keys.find_map(|k| k.cipher().decrypt(&nonce, Payload { msg: &ct, aad }).ok())
            .ok_or(SealError::Open)
    }

    /// HMAC-SHA256(current key, label): independent sub-keys, e.g. for backup-code hashing.
    pub fn derive(&self, label: &[u8]) -> [u8; 32] {
        // HMAC takes keys of any length (RFC 2104 §2), so `new_from_slice` cannot fail.
        #[allow(clippy::expect_used)]
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.current.bytes)
            .expect("HMAC accepts any key");
        mac.update(label);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: [u8; 32] = [1; 32];
    const K2: [u8; 32] = [2; 32];

    #[test]
    fn sealed_data_opens_with_the_same_aad() {
        let s = Sealer::new(&K1);
        let sealed = s.seal(b"totp seed", b"totp/alice").unwrap();
        assert_eq!(sealed.kid, s.key_id());
        assert_eq!(s.open(&sealed, b"totp/alice").unwrap(), b"totp seed");
        let json = serde_json::to_string(&sealed).unwrap();
        let back: Sealed = serde_json::from_str(&json).unwrap();
        assert_eq!(s.open(&back, b"totp/alice").unwrap(), b"totp seed");
        assert_eq!(s.open(&s.seal(b"", b"").unwrap(), b"").unwrap(), b"");
    }

    #[test]
    fn wrong_aad_fails_to_open() {
        let s = Sealer::new(&K1);
        let sealed = s.seal(b"totp seed", b"totp/alice").unwrap();
        assert!(matches!(s.open(&sealed, b"totp/bob"), Err(SealError::Open)));
    }

    #[test]
    fn tampered_or_malformed_records_fail_to_open() {
        let s = Sealer::new(&K1);
        let sealed = s.seal(b"totp seed", b"").unwrap();
        let mut ct = STANDARD.decode(&sealed.ct).unwrap();
        ct[0] ^= 1;
        let tampered = Sealed {
            ct: STANDARD.encode(&ct),
            ..sealed.clone()
        };
        assert!(matches!(s.open(&tampered, b""), Err(SealError::Open)));
        for (nonce, ct) in [
            ("not base64!", sealed.ct.as_str()),
            ("AAAA", sealed.ct.as_str()),
            (sealed.nonce.as_str(), "not base64!"),
            (sealed.nonce.as_str(), ""),
        ] {
            let bad = Sealed {
                kid: sealed.kid.clone(),
                nonce: nonce.into(),
                ct: ct.into(),
            };
            assert!(matches!(s.open(&bad, b""), Err(SealError::Open)));
        }
    }

    #[test]
    fn another_key_reports_unknown_key() {
        let sealed = Sealer::new(&K1).seal(b"x", b"").unwrap();
        match Sealer::new(&K2).open(&sealed, b"") {
            Err(SealError::UnknownKey(kid)) => assert_eq!(kid, sealed.kid),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn previous_key_still_opens_old_data_and_new_data_uses_the_current_key() {
        let old = Sealer::new(&K1).seal(b"old", b"a").unwrap();
        let s = Sealer::new(&K2).with_previous(&K1);
        assert_eq!(s.open(&old, b"a").unwrap(), b"old");
        let new = s.seal(b"new", b"a").unwrap();
        assert_eq!(new.kid, Sealer::new(&K2).key_id());
        assert_ne!(new.kid, old.kid);
    }

    #[test]
    fn nonces_differ_between_seals() {
        let s = Sealer::new(&K1);
        let (a, b) = (s.seal(b"same", b"").unwrap(), s.seal(b"same", b"").unwrap());
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ct, b.ct);
        assert_eq!(STANDARD.decode(&a.nonce).unwrap().len(), 24);
    }

    #[test]
    fn ciphertext_does_not_contain_the_plaintext() {
        let s = Sealer::new(&K1);
        let plain = b"a very recognisable secret value";
        let ct = STANDARD.decode(s.seal(plain, b"").unwrap().ct).unwrap();
        assert_eq!(ct.len(), plain.len() + 16);
        assert!(!ct.windows(8).any(|w| plain.windows(8).any(|p| p == w)));
    }

    #[test]
    fn key_id_is_eight_hex_chars_and_debug_shows_only_ids() {
        let s = Sealer::new(&K1).with_previous(&K2);
        assert_eq!(s.key_id().len(), 8);
        assert!(s.key_id().bytes().all(|b| b.is_ascii_hexdigit()));
        let shown = format!("{s:?}");
        assert!(shown.contains(s.key_id()), "{shown}");
        assert!(
            !shown.contains("1, 1") && !shown.contains("2, 2"),
            "{shown}"
        );
    }

    #[test]
    fn derived_subkeys_depend_on_label_and_key() {
        let s = Sealer::new(&K1);
        assert_eq!(s.derive(b"backup"), s.derive(b"backup"));
        assert_ne!(s.derive(b"backup"), s.derive(b"other"));
        assert_ne!(s.derive(b"backup"), Sealer::new(&K2).derive(b"backup"));
        assert_ne!(s.derive(b"backup"), K1);
    }
}
