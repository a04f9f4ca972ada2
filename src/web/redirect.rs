//! Post-login / MFA / logout redirect targets (DESIGN §8).
//!
//! `rd` is attacker-controlled; a browser must never be sent off `public_url`'s origin. What
//! decides where a browser goes is the part before the query: a scheme, an authority, or a path
//! that a browser reads as an authority. So:
//!
//! - **the path** (up to the first raw `?` or `#`) must start with exactly one `/` and hold no
//!   `//`, no `\` and no control character — on the raw value and on every percent-decoding,
//!   because browsers treat `\` as `/`, strip tab/CR/LF anywhere (WHATWG URL §4.4), and some
//!   backends decode more than once;
//! - **the query and fragment** may carry anything properly percent-encoded — a shared link such
//!   as `?link=https%3A%2F%2Fexample.org%2Fdoc` is data, not a destination — but no raw `\` or
//!   `//` (the shape of a second URL smuggled for an application's own redirect parameter), no
//!   control character in any decoding (DESIGN §8), and every `%` starts a valid escape. They are
//!   passed on as written: a browser never decodes them.
//! - an absolute URL must have `public_url`'s scheme, host and port, and no userinfo; what follows
//!   its authority obeys the two rules above.

use percent_encoding::percent_decode_str;
use url::{Position, Url};

/// How many extra rounds of percent-decoding are inspected. A value that still changes after this many
/// rounds is refused outright: nothing legitimate is encoded that deeply.
const DECODE_ROUNDS: usize = 3;

/// Decides where a user may be sent after login, MFA or logout (DESIGN §8).
#[derive(Debug, Clone)]
pub struct RedirectPolicy {
    scheme: String,
    host: Option<String>,
    /// With the scheme's default filled in, so `:443` and no port compare equal.
    port: Option<u16>,
}

impl RedirectPolicy {
    pub fn new(public_url: &Url) -> Self {
        Self {
            scheme: public_url.scheme().to_owned(),
            host: public_url.host_str().map(str::to_owned),
            port: public_url.port_or_known_default(),
        }
    }

    /// `rd` as it arrives after one round of form/query decoding. Returns the target to put in
    /// `Location` when it is safe, else None (the caller then uses "/").
    pub fn validate(&self, rd: &str) -> Option<String> {
        // A raw space or non-ASCII byte has no business in a Location header.
        if rd.is_empty() || !rd.is_ascii() || rd.contains(|c: char| c.is_ascii_whitespace()) {
            return None;
        }
        if rd.starts_with('/') {
            return is_local_target(rd).then(|| rd.to_owned());
        }
        if !is_clean(rd) {
            return None;
        }
        self.same_origin_url(rd)
    }

    /// The absolute-URL case: same scheme, host and port as `public_url`, no userinfo.
    fn same_origin_url(&self, rd: &str) -> Option<String> {
        // Require a literal `scheme://host`: the url crate reads `https:evil.com` and `https:/host` as
        // absolute, while a browser resolves them against the current page (WHATWG "special relative").
        let prefix = format!("{}://", self.scheme);
        if !rd.get(..prefix.len())?.eq_ignore_ascii_case(&prefix) {
            return None;
        }
        let authority = rd.get(prefix.len()..)?.split(['/', '?', '#']).next()?;
        if authority.is_empty() || authority.contains('@') {
            return None;
        }

        let url = Url::parse(rd).ok()?;
        let same_origin = url.scheme() == self.scheme
            && url.host_str().is_some()
            && url.host_str() == self.host.as_deref()
            && url.port_or_known_default() == self.port;
        if !same_origin || !url.username().is_empty() || url.password().is_some() {
            return None;
        }
        // What follows the authority, as written, must pass as a local target.
        let rest = &rd[prefix.len() + authority.len()..];
        let rest = if rest.is_empty() || !rest.starts_with('/') {
            format!("/{rest}")
        } else {
            rest.to_owned()
        };
        if !is_local_target(&rest) || !is_local_target(&url[Position::BeforePath..]) {
            return None;
        }
        Some(url.to_string())
    }
}

/// `s` followed by up to [`DECODE_ROUNDS`] successive percent-decodings; None when still not stable.
fn decodings(s: &str) -> Option<Vec<String>> {
    let mut rounds = vec![s.to_owned()];
    for round in 0..=DECODE_ROUNDS {
        let last = rounds.last()?;
        let next = percent_decode_str(last).decode_utf8_lossy().into_owned();
        if next == *last {
            return Some(rounds);
        }
        if round == DECODE_ROUNDS {
            return None;
        }
        rounds.push(next);
    }
    None
}

/// No control character (C0, DEL, C1), no backslash, no whitespace other than an inner space.
fn is_clean(s: &str) -> bool {
    !s.starts_with(char::is_whitespace)
        && !s.contains(|c: char| c.is_control() || c == '\\' || (c.is_whitespace() && c != ' '))
}

/// Starts with exactly one `/` and never contains `//` (which a browser reads as a new authority).
fn is_local_path(rounds: &[String]) -> bool {
    rounds
        .iter()
        .all(|r| r.starts_with('/') && !r.contains("//"))
}

/// A target on our origin: a path that stays a path in every decoding, then a query and
/// fragment of properly encoded data (see the module docs).
fn is_local_target(target: &str) -> bool {
    let (path, tail) = target.split_at(target.find(['?', '#']).unwrap_or(target.len()));
    let Some(rounds) = decodings(path) else {
        return false;
    };
    rounds.iter().all(|r| is_clean(r)) && is_local_path(&rounds) && is_encoded_data(tail)
}

/// A query and fragment as written (`?…#…`, or empty): printable ASCII, `%` only as a valid
/// escape, no raw `\` or `//`, and no control character in any decoding (DESIGN §8).
fn is_encoded_data(tail: &str) -> bool {
    let Some(rounds) = decodings(tail) else {
        return false;
    };
    if rounds.iter().any(|r| r.contains(char::is_control)) {
        return false;
    }
    let b = tail.as_bytes();
    let escapes_valid = b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    escapes_valid
        && b.iter().all(|&c| c.is_ascii_graphic())
        && !tail.contains('\\')
        && !tail.contains("//")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PUBLIC: &str = "https://www.whitelisteddomain.tld";

    fn policy() -> RedirectPolicy {
        RedirectPolicy::new(&Url::parse(PUBLIC).unwrap())
    }

    #[test]
    fn every_known_open_redirect_payload_is_refused() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/testdata/openredirects.txt"
        );
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("payload file {path} must exist: {e}"));
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.len() >= 500,
            "{path} has only {} lines, expected at least 500",
            lines.len()
        );

        let policy = policy();
        let accepted: Vec<String> = lines
            .iter()
            .enumerate()
            .filter_map(|(n, line)| {
                // Query-unescape once, as the form decoder does; '+' stays '+'.
                let rd = percent_decode_str(line).decode_utf8_lossy();
                policy
                    .validate(&rd)
                    .map(|target| format!("line {}: {rd:?} -> {target:?}", n + 1))
            })
            .collect();
        assert!(
            accepted.is_empty(),
            "{} of {} payloads were accepted:\n{}",
            accepted.len(),
            lines.len(),
            accepted.join("\n")
        );
    }

    #[test]
    fn local_paths_are_returned_unchanged() {
        for rd in ["/", "/app?x=1#frag", "/a/b", "/search?q=a%20b", "/100%25"] {
            assert_eq!(policy().validate(rd).as_deref(), Some(rd), "{rd}");
        }
    }

    #[test]
    fn absolute_url_on_our_origin_is_accepted() {
        let p = policy();
        let want = Some("https://www.whitelisteddomain.tld/x".to_owned());
        assert_eq!(p.validate("https://www.whitelisteddomain.tld/x"), want);
        assert_eq!(p.validate("https://www.whitelisteddomain.tld:443/x"), want);
        assert_eq!(p.validate("HTTPS://WWW.whitelisteddomain.tld/x"), want);
        assert_eq!(
            p.validate("https://www.whitelisteddomain.tld").as_deref(),
            Some("https://www.whitelisteddomain.tld/")
        );
    }

    #[test]
    fn absolute_url_off_our_origin_is_refused() {
        for rd in [
            "https://evil.com/x",
            "https://www.whitelisteddomain.tld.evil.com/",
            "https://www.whitelisteddomain.tld./",
            "https://www.whitelisteddomain.tld:8443/x",
            "http://www.whitelisteddomain.tld/x",
            "https://user@www.whitelisteddomain.tld/x",
            "https://user:pw@www.whitelisteddomain.tld/x",
            "https://:@www.whitelisteddomain.tld/x",
            "https://www.whitelisteddomain.tld@evil.com/",
            "https://www.whitelisteddomain.tld//evil.com",
            "https://www.whitelisteddomain.tld/%2f%2fevil.com",
        ] {
            assert_eq!(policy().validate(rd), None, "{rd}");
        }
    }

    #[test]
    fn scheme_relative_and_slash_tricks_are_refused() {
        for rd in [
            "//evil.com",
            "//www.whitelisteddomain.tld",
            "///evil.com",
            "/\\evil.com",
            "/%5cevil.com",
            "/%2F%2Fevil.com",
            "/%252F%252Fevil.com",
            "/%09/evil.com",
            "/a//b",
        ] {
            assert_eq!(policy().validate(rd), None, "{rd}");
        }
    }

    #[test]
    fn other_schemes_and_scheme_shorthands_are_refused() {
        for rd in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https:evil.com",
            "https:/evil.com",
            "https:www.whitelisteddomain.tld",
            "https:/www.whitelisteddomain.tld/x",
            "https:///www.whitelisteddomain.tld/x",
            "evil.com",
        ] {
            assert_eq!(policy().validate(rd), None, "{rd}");
        }
    }

    #[test]
    fn whitespace_and_control_characters_are_refused() {
        for rd in [
            "",
            "\t/evil",
            " /x",
            "/x ",
            "/x\r\nSet-Cookie:a",
            "/x%0d%0aSet-Cookie:a",
            "/x%00",
            "/x%c2%85",
        ] {
            assert_eq!(policy().validate(rd), None, "{rd:?}");
        }
    }

    #[test]
    fn a_query_or_fragment_may_carry_an_encoded_url() {
        let p = policy();
        for rd in [
            "/app/share?link=https%3A%2F%2Fexample.org%2Fdoc",
            "/app/share?link=https%3A%2F%2Fexample.org%2Fdoc#comments",
            "/app/share?link=https%3A%2F%2Fexample.org%2Fdoc&from=mail",
            "/files?path=%5C%5Cserver%5Cshare",
            "/open?next=%2F%2Fwww.whitelisteddomain.tld%2Fx",
            "/report?at=10:30&range=a/b",
            "/wiki/Page#History",
        ] {
            assert_eq!(p.validate(rd).as_deref(), Some(rd), "{rd}");
        }
        assert_eq!(
            p.validate(
                "https://www.whitelisteddomain.tld/app/share?link=https%3A%2F%2Fexample.org"
            )
            .as_deref(),
            Some("https://www.whitelisteddomain.tld/app/share?link=https%3A%2F%2Fexample.org")
        );
    }

    #[test]
    fn a_query_or_fragment_with_a_raw_second_url_or_a_bad_escape_is_refused() {
        for rd in [
            "/?url=//example.com",
            "/?url=/\\/example.com",
            "/redirect?url=Https://example.com",
            "/a#//evil.com",
            "/a?x=%zz",
            "/a?x=%4",
            "/a?x=%",
            "/a?x=1 2",
            "/a?x=\u{7f}",
            "/a?x=%0d%0aSet-Cookie:%20a=b",
            "/a#%00",
            "/a?x=%c2%85",
            // The path is still judged in every decoding, whatever follows it.
            "/%2F%2Fevil.com?x=1",
            "//evil.com?x=1",
            "/\\evil.com#x",
            "https://www.whitelisteddomain.tld//evil.com?x=1",
            "https://www.whitelisteddomain.tld?x=//evil.com",
        ] {
            assert_eq!(policy().validate(rd), None, "{rd:?}");
        }
    }

    #[test]
    fn non_ascii_and_deep_encoding_are_refused() {
        assert_eq!(policy().validate("/café"), None);
        assert_eq!(policy().validate("/%2525252F"), None);
    }

    proptest! {
        #[test]
        fn validate_never_panics_and_only_returns_our_origin(rd in any::<String>()) {
            if let Some(target) = policy().validate(&rd) {
                prop_assert!(target.is_ascii());
                let local = target.starts_with('/') && !target.starts_with("//");
                prop_assert!(local || target.starts_with("https://www.whitelisteddomain.tld/"), "{:?}", target);
            }
        }

        #[test]
        fn accepted_targets_have_no_double_slash_after_the_origin(rd in "(/|https://www.whitelisteddomain.tld/)[/%a-f0-9.:@]{0,12}") {
            if let Some(target) = policy().validate(&rd) {
                let rest = target.strip_prefix(PUBLIC).unwrap_or(&target);
                prop_assert!(!rest.contains("//"), "{:?}", target);
            }
        }
    }
}
