//! The gateway's cookies (DESIGN §5): `__Host-` prefix and `Secure` when public_url is https;
//! always `HttpOnly`, `Path=/`, no `Domain`.

use std::time::Duration;

use http::header::{HeaderMap, HeaderValue, COOKIE};

use crate::config::SameSite;

#[derive(Debug, Clone)]
pub struct CookieJar {
    secure: bool,
    same_site: &'static str,
    pub session: String,
    pub csrf: String,
    pub device: String,
}

/// More than one cookie of the same name: someone planted one (cookie tossing). Fail closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("duplicate cookie")]
pub struct Duplicate;

impl CookieJar {
    pub fn new(https: bool, same_site: SameSite) -> CookieJar {
        let prefix = if https { "__Host-" } else { "" };
        CookieJar {
            secure: https,
            same_site: match same_site {
                SameSite::Lax => "Lax",
                SameSite::Strict => "Strict",
            },
            session: format!("{prefix}portcullis_session"),
            csrf: format!("{prefix}portcullis_csrf"),
            device: format!("{prefix}portcullis_device"),
        }
    }

    /// True for any spelling of the gateway's cookie names, prefixed or not: none of them
    /// is ever forwarded upstream.
    pub fn is_ours(name: &[u8]) -> bool {
        matches!(
            name.strip_prefix(b"__Host-").unwrap_or(name),
            b"portcullis_session" | b"portcullis_csrf" | b"portcullis_device"
        )
    }

    /// The value of cookie `name`, if sent exactly once.
    pub fn get<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, Duplicate> {
        let mut found = None;
        for value in headers.get_all(COOKIE) {
            for pair in pairs(value.as_bytes()) {
                if pair.name == name.as_bytes() {
                    let Some(v) = pair.value else { continue };
                    if found.is_some() {
                        return Err(Duplicate);
                    }
                    found = Some(v);
                }
            }
        }
        // Only the value asked for is checked as text; callers check its form.
        Ok(found.and_then(|v| std::str::from_utf8(v).ok()))
    }

    /// The `Set-Cookie` value for a re-issued session token. The same token is handed to a
    /// client that does not keep cookies again and again: its header is built once per thread.
    pub fn refreshed_session(&self, token: &std::sync::Arc<str>) -> HeaderValue {
        thread_local! {
            static LAST: std::cell::RefCell<Option<(std::sync::Arc<str>, HeaderValue)>> =
                const { std::cell::RefCell::new(None) };
        }
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if let Some((t, v)) = &*last {
                // The same allocation: the same token from the same `Sessions`, so the same jar.
                if std::sync::Arc::ptr_eq(t, token) {
                    return v.clone();
                }
            }
            let v = self.set(&self.session, token, None);
            *last = Some((token.clone(), v.clone()));
            v
        })
    }

    /// A `Set-Cookie` value. `max_age` None makes a browser-session cookie.
    pub fn set(&self, name: &str, value: &str, max_age: Option<Duration>) -> HeaderValue {
        let mut c = format!(
            "{name}={value}; Path=/; HttpOnly; SameSite={}",
            self.same_site
        );
        if self.secure {
            c.push_str("; Secure");
        }
        if let Some(age) = max_age {
            c.push_str(&format!("; Max-Age={}", age.as_secs()));
        }
        // Values are base64url or JWT text; anything else is a bug that must not reach a client.
        HeaderValue::from_str(&c).unwrap_or_else(|_| self.clear(name))
    }

    pub fn clear(&self, name: &str) -> HeaderValue {
        let mut c = format!(
            "{name}=; Path=/; HttpOnly; SameSite={}; Max-Age=0",
            self.same_site
        );
        if self.secure {
            c.push_str("; Secure");
        }
        HeaderValue::from_str(&c).unwrap_or(HeaderValue::from_static(
            "portcullis_session=; Path=/; Max-Age=0",
        ))
    }
}

/// One `name=value` of a `Cookie` header (RFC 6265 §5.4), blanks trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair<'h> {
    /// The whole pair as sent.
    pub text: &'h [u8],
    pub name: &'h [u8],
    /// After the `=`, without surrounding quotes; None when there is no `=`.
    pub value: Option<&'h [u8]>,
}

/// The non-empty pairs of a `Cookie` header value. Bytes, not text: this runs on every
/// request, and a session token is a few hundred bytes long.
pub fn pairs(header: &[u8]) -> impl Iterator<Item = Pair<'_>> {
    let mut rest = Some(header);
    std::iter::from_fn(move || loop {
        let r = rest?;
        let (text, next) = match memchr::memchr(b';', r) {
            Some(i) => (&r[..i], Some(&r[i + 1..])),
            None => (r, None),
        };
        rest = next;
        let text = text.trim_ascii();
        if text.is_empty() {
            continue;
        }
        return Some(match memchr::memchr(b'=', text) {
            Some(i) => Pair {
                text,
                name: text[..i].trim_ascii(),
                value: Some(trim_quotes(text[i + 1..].trim_ascii())),
            },
            None => Pair {
                text,
                name: text,
                value: None,
            },
        });
    })
}

fn trim_quotes(mut v: &[u8]) -> &[u8] {
    while let [b'"', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b'"'] = v {
        v = rest;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_cookies_get_host_prefix_and_secure() {
        let jar = CookieJar::new(true, SameSite::Lax);
        assert_eq!(jar.session, "__Host-portcullis_session");
        let v = jar.set(&jar.session, "abc", None);
        assert_eq!(
            v,
            "__Host-portcullis_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn plain_http_cookies_have_no_prefix_and_no_secure() {
        let jar = CookieJar::new(false, SameSite::Strict);
        let v = jar.set(&jar.csrf, "x", Some(Duration::from_secs(60)));
        assert_eq!(
            v,
            "portcullis_csrf=x; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
    }

    #[test]
    fn a_cookie_sent_twice_is_refused() {
        let mut h = HeaderMap::new();
        h.append(
            COOKIE,
            HeaderValue::from_static("a=1; portcullis_session=x"),
        );
        h.append(COOKIE, HeaderValue::from_static("portcullis_session=y"));
        assert_eq!(CookieJar::get(&h, "portcullis_session"), Err(Duplicate));
        assert_eq!(CookieJar::get(&h, "a"), Ok(Some("1")));
        assert_eq!(CookieJar::get(&h, "b"), Ok(None));
    }

    #[test]
    fn pairs_are_trimmed_and_unquoted_and_empty_ones_skipped() {
        let got: Vec<_> = pairs(b" a=1;;b = \"x y\" ; flag ;c=").collect();
        let names: Vec<&[u8]> = got.iter().map(|p| p.name).collect();
        assert_eq!(names, [&b"a"[..], b"b", b"flag", b"c"]);
        assert_eq!(got[1].value, Some(&b"x y"[..]));
        assert_eq!(got[1].text, b"b = \"x y\"");
        assert_eq!(got[2].value, None);
        assert_eq!(got[3].value, Some(&b""[..]));
    }

    #[test]
    fn only_the_exact_names_are_ours() {
        for name in [
            "portcullis_session",
            "__Host-portcullis_csrf",
            "portcullis_device",
        ] {
            assert!(CookieJar::is_ours(name.as_bytes()), "{name}");
        }
        for name in [
            "portcullis_sessionX",
            "__host-portcullis_csrf",
            "Portcullis_device",
            "app",
        ] {
            assert!(!CookieJar::is_ours(name.as_bytes()), "{name}");
        }
    }
}
