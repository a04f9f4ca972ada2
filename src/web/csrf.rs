//! CSRF defences (DESIGN §4).
//!
//! Forms: the signed double-submit pattern (OWASP CSRF cheat sheet): a random nonce in the
//! `portcullis_csrf` cookie and, in the form, an HMAC of it under a server key. A cross-site
//! page can neither read the cookie nor compute the HMAC.
//! JSON API: `Content-Type: application/json` (which a cross-site form cannot send without a
//! CORS preflight) and no `Sec-Fetch-Site: cross-site` / foreign `Origin`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::header::{HeaderMap, CONTENT_TYPE, ORIGIN};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)] // HMAC accepts keys of any length (RFC 2104 §3).
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The CSRF key, separate from the session signing key.
pub fn derive_key(secret: &[u8]) -> Vec<u8> {
    hmac(secret, b"portcullis csrf")
}

pub fn new_nonce() -> String {
    let mut n = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut n);
    B64.encode(n)
}

/// The form field value for a cookie nonce.
pub fn token_for(key: &[u8], nonce: &str) -> String {
    B64.encode(hmac(key, nonce.as_bytes()))
}

pub fn verify(key: &[u8], nonce: Option<&str>, token: Option<&str>) -> bool {
    match (nonce, token) {
        (Some(n), Some(t)) if !n.is_empty() => {
            token_for(key, n).as_bytes().ct_eq(t.as_bytes()).into()
        }
        _ => false,
    }
}

/// True when the browser says the request came from another site.
pub fn is_cross_site(headers: &HeaderMap, public_origin: &str) -> bool {
    let fetch_site_cross = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let foreign_origin = headers
        .get(ORIGIN)
        .is_some_and(|o| o.to_str().map_or(true, |o| o != public_origin));
    fetch_site_cross || foreign_origin
}

/// True when the body is declared as JSON (parameters such as charset allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn a_token_verifies_only_with_its_nonce() {
        let key = derive_key(b"secret");
        let t = token_for(&key, "n1");
        assert!(verify(&key, Some("n1"), Some(&t)));
        assert!(!verify(&key, Some("n2"), Some(&t)));
        assert!(!verify(&key, None, Some(&t)));
        assert!(!verify(&key, Some("n1"), None));
        assert!(!verify(&key, Some(""), Some(&token_for(&key, ""))));
    }

    #[test]
    fn foreign_origin_and_cross_site_fetch_are_detected() {
        let mut h = HeaderMap::new();
        assert!(!is_cross_site(&h, "https://app.example"));
        h.insert(ORIGIN, HeaderValue::from_static("https://app.example"));
        assert!(!is_cross_site(&h, "https://app.example"));
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(is_cross_site(&h, "https://app.example"));
        h.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(is_cross_site(&h, "https://app.example"));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h, "https://app.example"));
    }
}
