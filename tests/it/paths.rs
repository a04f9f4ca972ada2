//! DESIGN §7: path tricks never escape a bypass location.

use crate::harness::*;

/// Each trick aims at /admin or /secret from the bypass area /public.
const TRICKS: &[&str] = &[
    "/public/../admin",
    "/public/./../admin",
    "/public/%2e%2e/admin",
    "/public/%2E%2E/admin",
    "/public/.%2e/admin",
    "/public/..%2fadmin",
    "/public/..%2Fadmin",
    "/public%2f..%2fadmin",
    "/public/..%5cadmin",
    "/public%5c..%5cadmin",
    "/public/..;/admin",
    "/public/..;jsessionid=x/admin",
    "/public/%2e%2e;/admin",
    "//admin",
    "///admin",
    "/public/..//admin",
    "/admin%00/public",
    "/public/%00/../admin",
    "/public/%252e%252e/admin",
    "/public/%252e%252e%252fadmin",
    "/public/%25%32%65%25%32%65/admin",
    "/public/../secret",
    "/public/%2e%2e/secret",
    "/./secret",
    "/public/../../admin",
    "/public\\..\\admin",
];

#[tokio::test]
async fn path_tricks_never_reach_upstream_outside_the_bypass_location() {
    let gw = Gateway::start().await;
    let mut failures = Vec::new();
    for trick in TRICKS {
        let before = gw.upstream.count();
        let raw = gw
            .raw(
                format!("GET {trick} HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await;
        let status = status_of(&raw);
        let reached: Vec<String> = gw.upstream.requests()[before..]
            .iter()
            .map(|s| s.path_and_query.clone())
            .collect();
        // Allowed outcomes: a 4xx, and nothing outside /public reached upstream.
        let leaked = reached.iter().any(|p| !p.starts_with("/public"));
        if !(400..500).contains(&status) || leaked {
            failures.push(format!("{trick} → {status}, upstream saw {reached:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "tricks that escaped:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_trick_gets_the_decision_of_its_normalised_form() {
    let gw = Gateway::start().await;
    // /public/%2e%2e/admin normalises to /admin: anonymous → 401, exactly like /admin.
    for (trick, plain) in [
        ("/public/%2e%2e/admin", "/admin"),
        ("//secret", "/secret"),
        ("/public/./x", "/public/x"),
    ] {
        let a = status_of(
            &gw.raw(
                format!("GET {trick} HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .await,
        );
        let b = status_of(
            &gw.raw(
                format!("GET {plain} HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .await,
        );
        assert_eq!(a, b, "{trick} vs {plain}");
    }
}

#[tokio::test]
async fn the_path_forwarded_is_the_path_evaluated() {
    let gw = Gateway::start().await;
    let raw = gw
        .raw(b"GET /public/a/./b/../c%41?q=%2e%2e HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(status_of(&raw), 200, "{raw}");
    assert_eq!(gw.upstream.last().path_and_query, "/public/a/cA?q=%2e%2e");
}

#[tokio::test]
async fn segment_boundary_keeps_lookalike_paths_protected() {
    let gw = Gateway::start().await;
    let r = gw.client().get(gw.url("/publicity")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(gw.upstream.count(), 0);
}
