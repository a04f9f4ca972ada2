//! Header hygiene on the way upstream (DESIGN §7), in the order it is applied:
//!
//! 1. [`remove_hop_by_hop`]: RFC 9110 §7.6.1 connection-specific fields, and every field the
//!    client named in `Connection` (an attacker could otherwise name `Remote-User` there and
//!    have a proxy in between drop our copy).
//! 2. [`IdentityHeaders::strip`]: every client copy of anything that looks like an identity header.
//! 3. [`set_forwarded`]: `X-Forwarded-For/-Proto/-Host` rebuilt from what we saw.
//! 4. [`IdentityHeaders::set`]: the gateway's own identity headers, from the verified session.

use std::net::IpAddr;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::auth::users::HeaderValues;

/// RFC 9110 §7.6.1 plus the de-facto ones (`Keep-Alive`, `Proxy-Connection`).
static HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::PROXY_AUTHORIZATION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
];

/// The position of `name` in [`HOP_BY_HOP`]: one match on the text (length first) rather
/// than eight comparisons, for every field of every request and response.
fn hop_index(name: &HeaderName) -> Option<usize> {
    Some(match name.as_str() {
        "connection" => 0,
        "te" => 1,
        "trailer" => 2,
        "transfer-encoding" => 3,
        "upgrade" => 4,
        "proxy-authorization" => 5,
        "keep-alive" => 6,
        "proxy-connection" => 7,
        _ => return None,
    })
}

/// Removes connection-specific headers, including the ones listed in `Connection`.
/// With `keep_upgrade`, `Connection: upgrade` and `Upgrade` survive so that an authorised
/// WebSocket handshake can reach upstream.
pub fn remove_hop_by_hop(headers: &mut HeaderMap, keep_upgrade: bool) {
    // One look at each name, and only the fields present are removed (each removal hashes).
    let mut present = [false; HOP_BY_HOP.len()];
    for name in headers.keys() {
        if let Some(i) = hop_index(name) {
            present[i] = true;
        }
    }
    if !present.contains(&true) {
        return;
    }
    // The usual options name no other field (and `keep-alive`, `upgrade` are in the list);
    // a value that is just one of them (`Connection: keep-alive`) is not even split.
    let usual = |t: &[u8]| {
        [&b"keep-alive"[..], b"close", b"upgrade"]
            .iter()
            .any(|o| t.eq_ignore_ascii_case(o))
    };
    let mut named: Vec<HeaderName> = Vec::new();
    for value in headers.get_all(header::CONNECTION) {
        if usual(value.as_bytes()) {
            continue;
        }
        let Ok(text) = value.to_str() else { continue };
        for token in text.split(',').map(str::trim) {
            if usual(token.as_bytes()) {
                continue;
            }
            if let Ok(n) = HeaderName::from_bytes(token.as_bytes()) {
                if !HOP_BY_HOP.contains(&n) {
                    named.push(n);
                }
            }
        }
    }
    let upgrade = if keep_upgrade {
        headers.get(header::UPGRADE).cloned()
    } else {
        None
    };
    let listed = HOP_BY_HOP.iter().zip(present).filter(|(_, p)| *p);
    for name in named.iter().chain(listed.map(|(n, _)| n)) {
        headers.remove(name);
    }
    if let Some(upgrade) = upgrade {
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, upgrade);
    }
}

/// True when the request asks to switch protocols (RFC 9110 §7.8).
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers.contains_key(header::UPGRADE)
        && headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case("upgrade"))
}

/// The identity headers the gateway sets, and the rule for which client headers could be
/// mistaken for them.
#[derive(Debug, Clone)]
pub struct IdentityHeaders {
    pub user: HeaderName,
    pub email: HeaderName,
    pub name: HeaderName,
    pub groups: HeaderName,
    pub assertion: Option<HeaderName>,
    /// Lowercase, `-`-separated forms of every name that is stripped from client requests.
    protected: Vec<String>,
    /// First bytes of every protected name and family: most headers (accept, user-agent,
    /// host…) are ruled out by one lookup, on every request.
    first: [bool; 256],
    /// Bit `n` set when a protected name is `n` bytes long (names of 64 bytes or more: bit
    /// 63): the exact names are compared only at a length one of them has.
    lengths: u64,
}

impl IdentityHeaders {
    pub fn new(
        user: HeaderName,
        email: HeaderName,
        name: HeaderName,
        groups: HeaderName,
        assertion: Option<HeaderName>,
    ) -> Self {
        let mut protected: Vec<String> = [&user, &email, &name, &groups]
            .into_iter()
            .chain(assertion.as_ref())
            .map(|h| canonical(h.as_str()))
            .collect();
        protected.extend(
            [
                "x-forwarded-user",
                "x-forwarded-email",
                "x-forwarded-groups",
                "x-forwarded-preferred-username",
                "x-forwarded-access-token",
                // Names legacy apps and generic SSO front ends trust; IIS-style REMOTEUSER.
                "x-authenticated-user",
                "x-user",
                "x-email",
                "remoteuser",
                // The default assertion header is ours even while no assertion is configured.
                "x-portcullis-jwt-assertion",
            ]
            .map(String::from),
        );
        protected.sort();
        protected.dedup();
        let mut first = [false; 256];
        for name in protected
            .iter()
            .map(String::as_bytes)
            .chain(IDENTITY_PREFIXES)
        {
            if let Some(&b) = name.first() {
                first[usize::from(b)] = true;
                // `_` is read as `-`.
                if b == b'-' {
                    first[usize::from(b'_')] = true;
                }
            }
        }
        let lengths = protected
            .iter()
            .fold(0u64, |bits, p| bits | 1 << p.len().min(63));
        IdentityHeaders {
            user,
            email,
            name,
            groups,
            assertion,
            protected,
            first,
            lengths,
        }
    }

    /// The headers the gateway sets (the assertion header when configured).
    pub fn names(&self) -> impl Iterator<Item = &HeaderName> {
        [&self.user, &self.email, &self.name, &self.groups]
            .into_iter()
            .chain(self.assertion.as_ref())
    }

    /// True when a client header of this name could be read upstream as identity.
    pub fn is_protected(&self, name: &HeaderName) -> bool {
        // Compared in place (no allocation): header names are already lowercase.
        let n = name.as_str().as_bytes();
        if !n.first().is_some_and(|&b| self.first[usize::from(b)]) {
            return false;
        }
        let same = |p: &[u8]| {
            p.len() == n.len()
                && p.iter()
                    .zip(n)
                    .all(|(a, b)| *a == if *b == b'_' { b'-' } else { *b })
        };
        IDENTITY_PREFIXES
            .iter()
            .any(|p| n.len() > p.len() && same_prefix(n, p))
            || (self.lengths >> n.len().min(63) & 1 == 1
                && self.protected.iter().any(|p| same(p.as_bytes())))
    }

    /// Removes every client copy; returns the names removed, for the debug log.
    // CVE-2025-64484 (oauth2-proxy): `Remote_User` survives a naive strip and some
    // upstream stacks (CGI, PHP, WSGI) read it as `REMOTE_USER`.
    pub fn strip(&self, headers: &mut HeaderMap) -> Vec<HeaderName> {
        let doomed: Vec<HeaderName> = headers
            .keys()
            .filter(|n| self.is_protected(n))
            .cloned()
            .collect();
        for name in &doomed {
            headers.remove(name);
        }
        doomed
    }

    /// Sets the gateway's identity headers from the verified user's values.
    pub fn set(&self, headers: &mut HeaderMap, values: &HeaderValues) {
        let named = [
            (&self.user, &values.user),
            (&self.email, &values.email),
            (&self.name, &values.name),
            (&self.groups, &values.groups),
        ];
        for (name, value) in named {
            if let Some(v) = value {
                headers.insert(name.clone(), v.clone());
            }
        }
    }
}

/// A `Host` value (or the authority of a URL) as RFC 9110 §7.2 and RFC 3986 §3.2.2 allow it:
/// a reg-name, IPv4 or bracketed IPv6 address, and an optional port — no userinfo (`@`), no path,
/// query or fragment character, no backslash or space. Anything else is read differently by
/// different parsers (`admin.example.com#.x` is admin.example.com to Python and Node, and no
/// host rule of ours), so it is refused rather than guessed.
pub fn is_valid_host(value: &[u8]) -> bool {
    !value.is_empty() && value.iter().all(|&b| HOST_BYTES[usize::from(b)])
}

/// The bytes [`is_valid_host`] admits: unreserved, sub-delims, `%`, `:` and the IPv6 brackets.
const HOST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"-._~!$&'()*+,;=%:[]";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whole families of names that identity proxies set and applications trust; a client's copy
/// of any of them is removed (compared with `_` read as `-`).
const IDENTITY_PREFIXES: [&[u8]; 7] = [
    b"remote-",
    // Kubernetes' authenticating proxy: X-Remote-User, -Group, -Extra-*.
    b"x-remote-",
    // oauth2-proxy: X-Auth-Request-User, -Email, -Groups, -Access-Token…
    b"x-auth-request-",
    // Grafana's auth proxy: X-WEBAUTH-USER, -ROLE, -GROUPS, -NAME, -EMAIL.
    b"x-webauth-",
    b"x-authentik-",
    // Cloudflare Access and AWS ALB OIDC.
    b"cf-access-",
    b"x-amzn-oidc-",
];

/// `name` starts with `prefix` once `_` is read as `-`.
fn same_prefix(name: &[u8], prefix: &[u8]) -> bool {
    name.len() >= prefix.len()
        && name
            .iter()
            .zip(prefix)
            .all(|(a, b)| *b == if *a == b'_' { b'-' } else { *a })
}

/// Lowercase with `_` folded to `-`: the form CGI-style stacks compare names in.
fn canonical(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b == b'_' {
                '-'
            } else {
                b.to_ascii_lowercase() as char
            }
        })
        .collect()
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_REAL_IP: HeaderName = HeaderName::from_static("x-real-ip");

static ROUTING_OVERRIDES: [HeaderName; 8] = [
    HeaderName::from_static("x-original-url"),
    HeaderName::from_static("x-rewrite-url"),
    HeaderName::from_static("x-original-method"),
    HeaderName::from_static("x-http-method-override"),
    HeaderName::from_static("x-forwarded-prefix"),
    HeaderName::from_static("x-forwarded-port"),
    HeaderName::from_static("x-forwarded-uri"),
    HeaderName::from_static("x-forwarded-method"),
];

/// Rebuilds `X-Forwarded-*`. From a trusted proxy the chain it sent is extended; from anyone
/// else every client value is dropped and replaced with what the gateway saw.
pub fn set_forwarded(
    headers: &mut HeaderMap,
    peer: IpAddr,
    peer_is_trusted: bool,
    proto: &str,
    host: Option<&HeaderValue>,
) {
    let prior: Vec<&str> = if peer_is_trusted {
        headers
            .get_all(&X_FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    } else {
        Vec::new()
    };
    let chain = if prior.is_empty() {
        Some(ip_value(peer))
    } else {
        HeaderValue::try_from(format!("{}, {peer}", prior.join(", "))).ok()
    };
    // One look at the names present: each removal hashes its name, so only those are removed.
    let (mut has_proto, mut has_host, mut dropped, mut overrides) = (false, false, false, false);
    for k in headers.keys() {
        if *k == X_FORWARDED_PROTO {
            has_proto = true;
        } else if *k == X_FORWARDED_HOST {
            has_host = true;
        } else if *k == X_REAL_IP || *k == header::FORWARDED {
            dropped = true;
        } else {
            overrides |= ROUTING_OVERRIDES.contains(k);
        }
    }
    let keep_proto = peer_is_trusted && has_proto;
    let keep_host = peer_is_trusted && has_host;
    if dropped {
        headers.remove(&X_REAL_IP);
        headers.remove(header::FORWARDED);
    }
    // Routing overrides some frameworks honour (IIS/ASP.NET X-Original-URL, Symfony and
    // Zend X-Rewrite-URL, X-Forwarded-Prefix…): a bypass request must not become another path.
    if !peer_is_trusted && overrides {
        for name in &ROUTING_OVERRIDES {
            headers.remove(name);
        }
    }
    // `insert` replaces every earlier value of a name.
    match chain {
        Some(v) => {
            headers.insert(X_FORWARDED_FOR, v);
        }
        None => {
            headers.remove(&X_FORWARDED_FOR);
        }
    }
    if !keep_proto {
        headers.insert(
            X_FORWARDED_PROTO,
            HeaderValue::from_static(if proto == "https" { "https" } else { "http" }),
        );
    }
    if !keep_host {
        match host {
            Some(h) => {
                headers.insert(X_FORWARDED_HOST, h.clone());
            }
            None if has_host => {
                headers.remove(&X_FORWARDED_HOST);
            }
            None => {}
        }
    }
}

/// An address as a header value. Remembered for the last address seen on this thread: the
/// requests of one keep-alive connection all come from the same peer.
fn ip_value(ip: IpAddr) -> HeaderValue {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(IpAddr, HeaderValue)>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((seen, value)) if *seen == ip => value.clone(),
            _ => {
                // An address's text is always a valid header value.
                let value = HeaderValue::try_from(ip.to_string())
                    .unwrap_or_else(|_| HeaderValue::from_static("unknown"));
                *last = Some((ip, value.clone()));
                value
            }
        }
    })
}

/// Removes the gateway's own cookies from `Cookie` headers, keeping the application's.
pub fn strip_cookies(headers: &mut HeaderMap, is_ours: impl Fn(&[u8]) -> bool) {
    let mut kept: Vec<u8> = Vec::new();
    let mut any_ours = false;
    let mut values = 0;
    for v in headers.get_all(header::COOKIE) {
        values += 1;
        for pair in crate::web::cookies::pairs(v.as_bytes()) {
            if is_ours(pair.name) {
                any_ours = true;
            } else {
                if !kept.is_empty() {
                    kept.extend_from_slice(b"; ");
                }
                kept.extend_from_slice(pair.text);
            }
        }
    }
    // Nothing of ours and one header: leave it exactly as the client sent it.
    if !any_ours && values <= 1 {
        return;
    }
    headers.remove(header::COOKIE);
    if !kept.is_empty() {
        if let Ok(v) = HeaderValue::from_bytes(&kept) {
            headers.insert(header::COOKIE, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> IdentityHeaders {
        IdentityHeaders::new(
            HeaderName::from_static("remote-user"),
            HeaderName::from_static("remote-email"),
            HeaderName::from_static("remote-name"),
            HeaderName::from_static("remote-groups"),
            Some(HeaderName::from_static("x-portcullis-jwt-assertion")),
        )
    }

    #[test]
    fn every_case_and_underscore_variant_of_identity_headers_is_stripped() {
        let mut h = HeaderMap::new();
        for n in [
            "Remote-User",
            "REMOTE_USER",
            "remote_user",
            "Remote_Email",
            "remote-groups",
            "X-Forwarded-User",
            "x_forwarded_email",
            "X-Forwarded_Groups",
            "Remote-Anything",
            "X-Portcullis-Jwt-Assertion",
            "x_portcullis_jwt_assertion",
        ] {
            h.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_static("mallory"),
            );
        }
        h.insert("x-app", HeaderValue::from_static("kept"));
        ids().strip(&mut h);
        assert_eq!(h.len(), 1, "{h:?}");
        assert!(h.contains_key("x-app"));
    }

    #[test]
    fn configured_custom_names_are_protected_too() {
        let ids = IdentityHeaders::new(
            HeaderName::from_static("x-auth-login"),
            HeaderName::from_static("x-auth-mail"),
            HeaderName::from_static("x-auth-name"),
            HeaderName::from_static("x-auth-roles"),
            None,
        );
        let mut h = HeaderMap::new();
        h.insert("X_Auth_Login", HeaderValue::from_static("root"));
        h.insert("remote-user", HeaderValue::from_static("root"));
        ids.strip(&mut h);
        assert!(h.is_empty());
    }

    #[test]
    fn headers_named_in_connection_are_removed() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, X-Secret-Hop"),
        );
        h.insert("x-secret-hop", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert("x-app", HeaderValue::from_static("1"));
        remove_hop_by_hop(&mut h, false);
        assert_eq!(h.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["x-app"]);
    }

    #[test]
    fn every_connection_header_is_read_even_after_a_plain_keep_alive() {
        let mut h = HeaderMap::new();
        h.append(header::CONNECTION, HeaderValue::from_static("Keep-Alive"));
        h.append(
            header::CONNECTION,
            HeaderValue::from_static("CLOSE ,Remote_User"),
        );
        h.insert("remote_user", HeaderValue::from_static("admin"));
        h.insert("x-app", HeaderValue::from_static("1"));
        remove_hop_by_hop(&mut h, false);
        assert_eq!(h.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["x-app"]);
    }

    #[test]
    fn hop_index_finds_every_hop_by_hop_name_and_nothing_else() {
        for (i, name) in HOP_BY_HOP.iter().enumerate() {
            assert_eq!(hop_index(name), Some(i), "{name}");
        }
        for name in [
            header::HOST,
            header::COOKIE,
            HeaderName::from_static("remote-user"),
        ] {
            assert_eq!(hop_index(&name), None, "{name}");
        }
    }

    #[test]
    fn upgrade_survives_only_when_asked() {
        let mut h = HeaderMap::new();
        h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
        h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        assert!(is_upgrade(&h));
        let mut kept = h.clone();
        remove_hop_by_hop(&mut kept, true);
        assert_eq!(kept.get(header::UPGRADE).unwrap(), "websocket");
        remove_hop_by_hop(&mut h, false);
        assert!(h.is_empty());
    }

    #[test]
    fn untrusted_peer_forwarding_headers_are_replaced() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        h.insert("x-forwarded-host", HeaderValue::from_static("evil"));
        h.append("x-forwarded-for", HeaderValue::from_static("5.6.7.8"));
        h.insert("forwarded", HeaderValue::from_static("for=1.2.3.4"));
        h.insert("x-real-ip", HeaderValue::from_static("1.2.3.4"));
        let mut hostless = h.clone();
        let host = HeaderValue::from_static("app.example");
        set_forwarded(
            &mut h,
            "10.0.0.9".parse().unwrap(),
            false,
            "http",
            Some(&host),
        );
        assert_eq!(h["x-forwarded-for"], "10.0.0.9");
        assert_eq!(h["x-forwarded-proto"], "http");
        assert_eq!(h["x-forwarded-host"], "app.example");
        assert!(!h.contains_key("forwarded") && !h.contains_key("x-real-ip"));
        assert_eq!(h.get_all("x-forwarded-for").iter().count(), 1);
        set_forwarded(
            &mut hostless,
            "10.0.0.9".parse().unwrap(),
            false,
            "http",
            None,
        );
        assert!(!hostless.contains_key("x-forwarded-host"));
        assert_eq!(hostless["x-forwarded-for"], "10.0.0.9");
    }

    #[test]
    fn trusted_peer_chain_is_extended() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        set_forwarded(&mut h, "10.0.0.9".parse().unwrap(), true, "http", None);
        assert_eq!(h["x-forwarded-for"], "1.2.3.4, 10.0.0.9");
        assert_eq!(h["x-forwarded-proto"], "https");
    }

    #[test]
    fn gateway_cookies_are_removed_and_others_kept() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("app=1; portcullis_session=abc"),
        );
        h.append(
            header::COOKIE,
            HeaderValue::from_static("__Host-portcullis_csrf=x; theme=dark"),
        );
        strip_cookies(&mut h, |n| {
            n.strip_prefix(b"__Host-")
                .unwrap_or(n)
                .starts_with(b"portcullis_")
        });
        assert_eq!(h[header::COOKIE], "app=1; theme=dark");
    }

    #[test]
    fn a_cookie_header_of_only_gateway_cookies_is_removed_and_others_are_untouched() {
        let ours = |n: &[u8]| n.starts_with(b"portcullis_");
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("portcullis_session=abc"),
        );
        strip_cookies(&mut h, ours);
        assert!(!h.contains_key(header::COOKIE));
        h.insert(header::COOKIE, HeaderValue::from_static("app=1;theme=dark"));
        strip_cookies(&mut h, ours);
        assert_eq!(h[header::COOKIE], "app=1;theme=dark");
    }

    #[test]
    fn routing_overrides_are_dropped_from_untrusted_peers_only() {
        let mut h = HeaderMap::new();
        h.insert("x-original-url", HeaderValue::from_static("/admin"));
        h.insert("x-forwarded-prefix", HeaderValue::from_static("/admin"));
        let mut trusted = h.clone();
        set_forwarded(&mut h, "1.2.3.4".parse().unwrap(), false, "http", None);
        assert!(!h.contains_key("x-original-url") && !h.contains_key("x-forwarded-prefix"));
        set_forwarded(
            &mut trusted,
            "10.0.0.9".parse().unwrap(),
            true,
            "http",
            None,
        );
        assert_eq!(trusted["x-original-url"], "/admin");
    }
}
