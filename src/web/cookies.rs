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
    pub fn is_ours(name: &str) -> bool {
        matches!(
            name.strip_prefix("__Host-").unwrap_or(name),
            "portcullis_session" | "portcullis_csrf" | "portcullis_device"
        )
    }

    /// The value of cookie `name`, if sent exactly once.
    pub fn get<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, Duplicate> {
        let mut found = None;
        for value in headers.get_all(COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            for pair in text.split(';') {
                if let Some((n, v)) = pair.trim().split_once('=') {
                    if n.trim() == name {
                        if found.is_some() {
                            return Err(Duplicate);
                        }
                        found = Some(v.trim().trim_matches('"'));
                    }
                }
            }
        }
        Ok(found)
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
}
