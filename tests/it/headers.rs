//! DESIGN §7: no client-supplied identity header ever reaches upstream.

use crate::harness::*;

/// Every spelling an attacker might try, including `_` variants (CVE-2025-64484) and
/// names that CGI-style upstreams fold together.
const SPOOFS: &[&str] = &[
    "Remote-User",
    "remote-user",
    "REMOTE-USER",
    "Remote_User",
    "remote_user",
    "REMOTE_USER",
    "rEmOtE_uSeR",
    "Remote-Email",
    "Remote_Email",
    "Remote-Name",
    "Remote-Groups",
    "remote_groups",
    "Remote-Anything",
    "X-Forwarded-User",
    "x_forwarded_user",
    "X-Forwarded-Email",
    "X_Forwarded_Email",
    "X-Forwarded-Groups",
    "x-forwarded_groups",
    "X-Portcullis-Jwt-Assertion",
    "x_portcullis_jwt_assertion",
    // oauth2-proxy's names, and names legacy apps' auth-proxy modes trust.
    "X-Auth-Request-User",
    "x_auth_request_email",
    "X-Auth-Request-Groups",
    "X-Auth-Request-Preferred-Username",
    "X-Auth-Request-Access-Token",
    "X-User",
    "X_Email",
    "X-WEBAUTH-USER",
    "X-Authenticated-User",
    "X-Remote-User",
    "X-Remote-Group",
    "X_Remote_Extra_Scopes",
    "X-Webauth-Role",
    "X-WEBAUTH-GROUPS",
    "X-Forwarded-Access-Token",
    "X-Authentik-Username",
    "Cf-Access-Authenticated-User-Email",
    "X-Amzn-Oidc-Identity",
    "RemoteUser",
];

fn is_identity_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace('_', "-");
    n.starts_with("remote-")
        || [
            "x-auth-request-",
            "x-remote-",
            "x-webauth-",
            "x-authentik-",
            "cf-access-",
            "x-amzn-oidc-",
        ]
        .iter()
        .any(|p| n.starts_with(p))
        || n == "x-forwarded-access-token"
        || [
            "x-user",
            "x-email",
            "x-webauth-user",
            "x-authenticated-user",
            "x-remote-user",
            "remoteuser",
        ]
        .contains(&n.as_str())
        || n.starts_with("x-forwarded-user")
        || n.starts_with("x-forwarded-email")
        || n.starts_with("x-forwarded-groups")
        || n.contains("jwt-assertion")
}

#[tokio::test]
async fn spoofed_identity_headers_never_reach_upstream_for_a_signed_in_user() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    let mut req = gw.client().get(gw.url("/app")).header("cookie", &cookie);
    for name in SPOOFS {
        req = req.header(*name, "root");
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let seen = gw.upstream.last();
    let identity: Vec<_> = seen
        .headers
        .iter()
        .filter(|(n, _)| is_identity_like(n))
        .collect();
    // Exactly the gateway's own four, with the session's values.
    assert_eq!(seen.header("remote-user"), Some("alice"));
    assert!(
        identity.iter().all(|(_, v)| v != "root"),
        "spoofed value arrived: {identity:?}"
    );
    assert_eq!(identity.len(), 4, "{identity:?}");
}

#[tokio::test]
async fn spoofed_identity_headers_never_reach_upstream_on_a_bypass_location() {
    let gw = Gateway::start().await;
    let mut req = gw.client().get(gw.url("/public/page"));
    for name in SPOOFS {
        req = req.header(*name, "root");
    }
    assert_eq!(req.send().await.unwrap().status(), 200);
    let seen = gw.upstream.last();
    let identity: Vec<_> = seen
        .headers
        .iter()
        .filter(|(n, _)| is_identity_like(n))
        .collect();
    assert!(
        identity.is_empty(),
        "identity headers on a bypass request: {identity:?}"
    );
}

#[tokio::test]
async fn headers_named_in_connection_are_dropped_and_cannot_remove_ours() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    // A client names our identity header (and its own) as hop-by-hop: if we honoured the list
    // after setting identity, upstream would lose Remote-User; if we ignored it, X-Hop would pass.
    let raw = gw
        .raw(
            format!(
                "GET /app HTTP/1.1\r\nHost: gateway.test\r\nCookie: {cookie}\r\nConnection: close, Remote-User, X-Hop\r\nX-Hop: 1\r\nRemote-User: root\r\n\r\n"
            )
            .as_bytes(),
        )
        .await;
    assert_eq!(status_of(&raw), 200, "{raw}");
    let seen = gw.upstream.last();
    assert_eq!(seen.header("x-hop"), None);
    assert_eq!(seen.header("remote-user"), Some("alice"));
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_client_is_replaced() {
    let gw = Gateway::start().await;
    gw.client()
        .get(gw.url("/public/x"))
        .header("x-forwarded-for", "6.6.6.6")
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let seen = gw.upstream.last();
    assert_eq!(seen.header("x-forwarded-for"), Some("127.0.0.1"));
    assert_eq!(seen.header("x-forwarded-proto"), Some("http"));
    assert_ne!(seen.header("x-forwarded-host"), Some("evil.example"));
}

/// RFC 9110 §7.2: Host is a host and a port. With userinfo, a fragment, a path or a backslash,
/// the decision engine and an upstream that parses Host as a URL would disagree about the host.
#[tokio::test]
async fn a_host_that_is_not_a_plain_host_and_port_is_refused_before_anything_is_decided() {
    let gw = Gateway::start().await;
    for host in [
        "evil@gateway.test",
        "gateway.test@admin.example.com",
        "a:b@gateway.test",
        "admin.example.com#.x",
        "admin.example.com/x",
        "admin.example.com?x",
        "admin.example.com\\x",
        "admin.example .com",
        "admin.example.com\"x",
    ] {
        let r = gw
            .raw(
                format!("GET /public/a HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await;
        assert_eq!(status_of(&r), 400, "{host}: {r}");
        assert!(r.contains("bad Host"), "{r}");
    }
    assert_eq!(gw.upstream.count(), 0);
    // The control: the same request with a plain Host goes through.
    let r = gw
        .raw(b"GET /public/a HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(status_of(&r), 200, "{r}");
}
