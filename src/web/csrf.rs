//! CSRF defences for the gateway's forms and JSON API (DESIGN §4).
//!
//! A state-changing request passes two independent checks; either one alone refuses it.
//!
//! **1. Provenance: what the browser says about where the request came from** ([`provenance`]).
//! Browsers attach `Sec-Fetch-Site` (Fetch Metadata, all current engines) and `Origin` (Fetch
//! standard §3.1, "append a request `Origin` header") to a form POST, and a page cannot forge
//! either. The rule, as the OWASP CSRF cheat sheet's "Fetch Metadata" and "verifying origin with
//! standard headers" sections recommend:
//!
//! | `Sec-Fetch-Site`           | `Origin`                      | verdict |
//! |----------------------------|-------------------------------|---------|
//! | `cross-site`, `same-site`  | anything                      | refused |
//! | `same-origin`              | absent, `public_url`'s, `null` | allowed |
//! | `same-origin`              | any other origin              | refused (the two contradict) |
//! | `none`                     | absent or `public_url`'s      | allowed |
//! | absent (scripts, old browsers) | absent or `public_url`'s  | allowed |
//! | absent or `none`           | `null` or another origin      | refused |
//! | any other value, or a header sent twice | –                | refused |
//!
//! Why `null` is allowed only beside `same-origin`: under the Fetch standard a browser sends
//! `Origin: null` for *every* form POST from a page whose referrer policy is `no-referrer` —
//! same-origin or not — and for POSTs from sandboxed frames, `data:` documents and after a
//! cross-origin redirect. So our own forms arrive with `null` whenever the page was served with
//! `no-referrer`: by a proxy in front that adds it as "hardening", by an extension, or in a tab
//! still open from before an upgrade (Chromium, checked in tests/it/browser, and Firefox follow
//! the standard here). `Sec-Fetch-Site: same-origin` beside it is the browser vouching
//! that the form was ours. Without that, `null` is what an attacker's sandboxed frame or
//! `no-referrer` page sends, so it is refused. `same-site` is refused because every form and API
//! call of the gateway is same-origin: a sibling subdomain is another party.
//!
//! Cases this rule was checked against in Chromium (tests/it/browser): a login page reached from
//! another site's link and our redirect (that GET is cross-site; the POST from our page is
//! `same-origin`), a form shown again by the back button and two tabs on the same form (the token
//! below is tied to one cookie nonce that every page shares, so neither goes stale), a proxy that
//! adds `no-referrer` (`null` + `same-origin`, allowed), and another site's forms posting to us
//! (refused). Our pages send `Referrer-Policy: same-origin`, so the browser sends our real origin
//! and no other site ever sees our URLs in a `Referer`.
//!
//! **2. The signed double-submit token** (OWASP CSRF cheat sheet, "signed double-submit cookie"):
//! a random nonce in the `portcullis_csrf` cookie and, in the form, an HMAC of it under a server
//! key. A cross-site page can neither read the cookie nor compute the HMAC. The JSON API instead
//! requires `Content-Type: application/json`, which a cross-site page cannot send without a CORS
//! preflight that the gateway never answers.

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

/// A key for tokens of one purpose only, derived from the CSRF key: a token made for one
/// purpose is worthless for another.
pub fn purpose_key(key: &[u8], label: &[u8]) -> Vec<u8> {
    hmac(key, label)
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

/// Why a request's provenance was refused (see the table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Foreign {
    #[error("Sec-Fetch-Site says another site sent it")]
    CrossSite,
    #[error("Sec-Fetch-Site says a sibling site sent it")]
    SameSite,
    #[error("its Origin is not public_url's origin")]
    ForeignOrigin,
    #[error("Origin: null without Sec-Fetch-Site: same-origin")]
    OpaqueOrigin,
    #[error("Sec-Fetch-Site or Origin is sent twice or is not a known value")]
    Malformed,
}

/// Checks where the browser says a state-changing request came from. `public_origin` is the
/// ASCII serialisation of `public_url`'s origin (`https://app.example.com`, no path).
///
/// Errors: [`Foreign`], naming the rule that refused it. Fails closed on anything unexpected.
pub fn provenance(headers: &HeaderMap, public_origin: &str) -> Result<(), Foreign> {
    #[derive(PartialEq)]
    enum Site {
        Absent,
        SameOrigin,
        None,
    }
    let site = match single(headers, SEC_FETCH_SITE)? {
        None => Site::Absent,
        Some(v) if v.eq_ignore_ascii_case(b"same-origin") => Site::SameOrigin,
        Some(v) if v.eq_ignore_ascii_case(b"none") => Site::None,
        Some(v) if v.eq_ignore_ascii_case(b"cross-site") => return Err(Foreign::CrossSite),
        Some(v) if v.eq_ignore_ascii_case(b"same-site") => return Err(Foreign::SameSite),
        Some(_) => return Err(Foreign::Malformed),
    };
    match single(headers, ORIGIN.as_str())? {
        None => Ok(()),
        Some(o) if o == public_origin.as_bytes() => Ok(()),
        Some(b"null") if site == Site::SameOrigin => Ok(()),
        Some(b"null") => Err(Foreign::OpaqueOrigin),
        Some(_) => Err(Foreign::ForeignOrigin),
    }
}

const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// The value of a header that must appear at most once.
fn single<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h [u8]>, Foreign> {
    let mut values = headers.get_all(name).iter();
    let first = values.next().map(|v| v.as_bytes());
    match values.next() {
        Some(_) => Err(Foreign::Malformed),
        None => Ok(first),
    }
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

    const US: &str = "https://app.example";

    fn request(fetch_site: Option<&'static str>, origin: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(s) = fetch_site {
            h.insert(SEC_FETCH_SITE, HeaderValue::from_static(s));
        }
        if let Some(o) = origin {
            h.insert(ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn what_browsers_send_for_our_own_forms_is_allowed() {
        for (site, origin) in [
            // Chromium and Firefox, referrer policy same-origin or strict-origin-when-cross-origin.
            (Some("same-origin"), Some(US)),
            // The same browsers when the page's referrer policy is no-referrer.
            (Some("same-origin"), Some("null")),
            // Scripted clients and browsers without Fetch Metadata.
            (None, None),
            (None, Some(US)),
            (Some("SAME-ORIGIN"), Some(US)),
            // A navigation the user started (address bar, bookmark).
            (Some("none"), None),
        ] {
            assert_eq!(
                provenance(&request(site, origin), US),
                Ok(()),
                "{site:?} {origin:?}"
            );
        }
    }

    #[test]
    fn what_another_site_can_make_a_browser_send_is_refused() {
        for (site, origin, why) in [
            (
                Some("cross-site"),
                Some("https://evil.example"),
                Foreign::CrossSite,
            ),
            // A cross-site page with referrer policy no-referrer, or a sandboxed frame.
            (Some("cross-site"), Some("null"), Foreign::CrossSite),
            (Some("cross-site"), None, Foreign::CrossSite),
            (
                Some("same-site"),
                Some("https://user-content.app.example"),
                Foreign::SameSite,
            ),
            (Some("same-site"), Some("null"), Foreign::SameSite),
            // Browsers without Fetch Metadata.
            (None, Some("https://evil.example"), Foreign::ForeignOrigin),
            (None, Some("null"), Foreign::OpaqueOrigin),
            (Some("none"), Some("null"), Foreign::OpaqueOrigin),
            // Another scheme or port is another origin.
            (None, Some("http://app.example"), Foreign::ForeignOrigin),
            (
                None,
                Some("https://app.example:8443"),
                Foreign::ForeignOrigin,
            ),
            // Contradictions and unknown values fail closed.
            (
                Some("same-origin"),
                Some("https://evil.example"),
                Foreign::ForeignOrigin,
            ),
            (Some("same-origin-ish"), Some(US), Foreign::Malformed),
        ] {
            assert_eq!(
                provenance(&request(site, origin), US),
                Err(why),
                "{site:?} {origin:?}"
            );
        }
    }

    #[test]
    fn a_provenance_header_sent_twice_is_refused() {
        let mut h = request(Some("same-origin"), Some(US));
        h.append(SEC_FETCH_SITE, HeaderValue::from_static("same-origin"));
        assert_eq!(provenance(&h, US), Err(Foreign::Malformed));
        let mut h = request(None, Some(US));
        h.append(ORIGIN, HeaderValue::from_static(US));
        assert_eq!(provenance(&h, US), Err(Foreign::Malformed));
    }
}
