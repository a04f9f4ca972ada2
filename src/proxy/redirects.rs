//! Redirects from the application to its own address (`[upstream] rewrite_redirects`).
//!
//! An application behind the gateway often builds absolute redirects from the `Host` it received
//! or from its own bind address: `302 Location: http://127.0.0.1:3000/next`. Passed through, that
//! sends the browser to a private address it cannot reach — or, where it can, around the
//! gateway. Like nginx's default `proxy_redirect`, a `Location`, `Content-Location` (RFC 9110
//! §10.2.2, §8.7) or `Refresh` URL whose origin is the upstream's own (scheme, host, port) is
//! rewritten to `public_url`'s origin. The rest of the URL is kept as written, except the
//! upstream URL's own path prefix, which the gateway adds when forwarding and so takes away
//! here. Relative URLs and other origins are left alone.

use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LOCATION, LOCATION};

/// The origin an upstream URL names, as a redirect to it would: scheme, lowercase host and
/// port with the scheme's default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnOrigin {
    scheme: String,
    host: String,
    port: u16,
}

impl OwnOrigin {
    pub fn of(url: &url::Url) -> Option<OwnOrigin> {
        Some(OwnOrigin {
            scheme: url.scheme().to_owned(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }

    /// Matches nothing (an origin that could not be built).
    pub fn none() -> OwnOrigin {
        OwnOrigin {
            scheme: String::new(),
            host: String::new(),
            port: 0,
        }
    }
}

const REFRESH: HeaderName = HeaderName::from_static("refresh");

/// Rewrites every `Location`, `Content-Location` and `Refresh` in `headers` that points at `own`
/// (`base_path`: the upstream URL's path prefix, "" for none) to `public_origin`.
pub fn rewrite(headers: &mut HeaderMap, own: &OwnOrigin, base_path: &str, public_origin: &str) {
    for name in [LOCATION, CONTENT_LOCATION] {
        if let Some(v) = headers.get_mut(&name) {
            if let Some(new) = v
                .to_str()
                .ok()
                .and_then(|u| rebased(u, own, base_path, public_origin))
            {
                *v = new;
            }
        }
    }
    if let Some(v) = headers.get_mut(REFRESH) {
        if let Some(new) = v
            .to_str()
            .ok()
            .and_then(|r| refresh(r, own, base_path, public_origin))
        {
            *v = new;
        }
    }
}

/// `url` with `own`'s origin (and `base_path`) replaced by `public_origin`, when it names `own`.
fn rebased(
    url: &str,
    own: &OwnOrigin,
    base_path: &str,
    public_origin: &str,
) -> Option<HeaderValue> {
    let url = url.trim();
    let scheme_end = url.find("://")?;
    let after = &url[scheme_end + 3..];
    let authority_len = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..authority_len];
    if authority.contains('@') {
        return None;
    }
    let origin = url::Url::parse(&url[..scheme_end + 3 + authority_len]).ok()?;
    let same = origin.scheme() == own.scheme
        && origin
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&own.host))
        && origin.port_or_known_default() == Some(own.port);
    if !same {
        return None;
    }
    let mut rest = &after[authority_len..];
    if let Some(r) = rest.strip_prefix(base_path) {
        if base_path.is_empty() || r.is_empty() || r.starts_with(['/', '?', '#']) {
            rest = r;
        }
    }
    let slash = if rest.starts_with('/') { "" } else { "/" };
    HeaderValue::from_str(&format!("{public_origin}{slash}{rest}")).ok()
}

/// `Refresh: 5; url=http://…` (HTML "refresh" pragma syntax) with its URL rebased.
fn refresh(
    value: &str,
    own: &OwnOrigin,
    base_path: &str,
    public_origin: &str,
) -> Option<HeaderValue> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("url=")? + 4;
    let (head, url) = value.split_at(at);
    let (quote, url) = match url.trim_start().chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), url.trim_start()[1..].trim_end_matches(q)),
        _ => (None, url),
    };
    let new = rebased(url, own, base_path, public_origin)?;
    let new = new.to_str().ok()?;
    let q = quote.map(String::from).unwrap_or_default();
    HeaderValue::from_str(&format!("{head}{q}{new}{q}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "https://app.example.com";

    fn own(url: &str) -> OwnOrigin {
        OwnOrigin::of(&url::Url::parse(url).unwrap()).unwrap()
    }

    fn rewritten(name: &str, value: &str, upstream: &str, base: &str) -> String {
        let mut h = HeaderMap::new();
        h.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
        rewrite(&mut h, &own(upstream), base, PUBLIC);
        h.get(name).unwrap().to_str().unwrap().to_owned()
    }

    #[test]
    fn a_redirect_to_the_upstreams_own_address_goes_to_public_url_path_and_query_kept() {
        let up = "http://127.0.0.1:3000";
        for (value, want) in [
            (
                "http://127.0.0.1:3000/next?x=1#top",
                "https://app.example.com/next?x=1#top",
            ),
            ("http://127.0.0.1:3000", "https://app.example.com/"),
            ("http://127.0.0.1:3000?q", "https://app.example.com/?q"),
            (
                "HTTP://127.0.0.1:3000/A%2Fb",
                "https://app.example.com/A%2Fb",
            ),
        ] {
            assert_eq!(rewritten("location", value, up, ""), want, "{value}");
            assert_eq!(
                rewritten("content-location", value, up, ""),
                want,
                "{value}"
            );
        }
        // The default port written or not, a name in capitals.
        assert_eq!(
            rewritten(
                "location",
                "http://App.Internal:80/x",
                "http://app.internal",
                ""
            ),
            "https://app.example.com/x"
        );
        assert_eq!(
            rewritten("location", "http://[::1]:3000/x", "http://[::1]:3000", ""),
            "https://app.example.com/x"
        );
    }

    #[test]
    fn the_upstream_urls_path_prefix_is_taken_away_as_it_was_added() {
        let up = "http://10.0.0.5:8080/legacy";
        assert_eq!(
            rewritten(
                "location",
                "http://10.0.0.5:8080/legacy/inbox?a=1",
                up,
                "/legacy"
            ),
            "https://app.example.com/inbox?a=1"
        );
        assert_eq!(
            rewritten("location", "http://10.0.0.5:8080/legacy", up, "/legacy"),
            "https://app.example.com/"
        );
        // Not a segment of the prefix: kept whole.
        assert_eq!(
            rewritten("location", "http://10.0.0.5:8080/legacyx/a", up, "/legacy"),
            "https://app.example.com/legacyx/a"
        );
    }

    #[test]
    fn other_origins_relative_urls_and_userinfo_are_left_alone() {
        let up = "http://127.0.0.1:3000";
        for value in [
            "/next",
            "next?x=1",
            "//127.0.0.1:3000/x",
            "https://127.0.0.1:3000/x",
            "http://127.0.0.1:3001/x",
            "http://127.0.0.2:3000/x",
            "http://127.0.0.1/x",
            "https://partner.example.org/sso?back=http://127.0.0.1:3000/",
            "http://user@127.0.0.1:3000/x",
            "http://127.0.0.1:3000@evil.example/x",
        ] {
            assert_eq!(rewritten("location", value, up, ""), value, "{value}");
        }
    }

    #[test]
    fn a_refresh_url_is_rewritten_like_a_location() {
        let up = "http://127.0.0.1:3000";
        assert_eq!(
            rewritten("refresh", "5; url=http://127.0.0.1:3000/done", up, ""),
            "5; url=https://app.example.com/done"
        );
        assert_eq!(
            rewritten("refresh", "0;URL='http://127.0.0.1:3000/a?b'", up, ""),
            "0;URL='https://app.example.com/a?b'"
        );
        assert_eq!(rewritten("refresh", "30", up, ""), "30");
        assert_eq!(
            rewritten("refresh", "1; url=https://elsewhere.example/", up, ""),
            "1; url=https://elsewhere.example/"
        );
    }
}
