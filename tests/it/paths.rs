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
    tricks_stay_inside_public(&Gateway::start().await).await;
}

#[tokio::test]
async fn path_tricks_never_reach_upstream_outside_a_bypass_location_that_allows_encoded_slashes() {
    let gw = Gateway::with(Setup {
        locations: LOCATIONS.replacen(
            "path = \"/public\"\npolicy = \"bypass\"",
            "path = \"/public\"\npolicy = \"bypass\"\nallow_encoded_slash = true",
            1,
        ),
        ..Setup::default()
    })
    .await;
    tricks_stay_inside_public(&gw).await;
}

/// Every trick gets a 4xx, and nothing outside /public reaches the upstream.
async fn tricks_stay_inside_public(gw: &Gateway) {
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
        let leaked = reached
            .iter()
            .any(|p| !(p == "/public" || p.starts_with("/public/")));
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

/// GitLab and RabbitMQ opted in; everything else keeps refusing `%2F`.
const ENCODED_SLASH_LOCATIONS: &str = r#"
[[location]]
path = "/gitlab/api"
policy = "bypass"
allow_encoded_slash = true

[[location]]
path = "/rabbitmq/api"
policy = "bypass"
allow_encoded_slash = true

[[location]]
path = "/"
policy = "bypass"
"#;

async fn get_raw(gw: &Gateway, target: &str) -> u16 {
    status_of(
        &gw.raw(
            format!("GET {target} HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await,
    )
}

#[tokio::test]
async fn encoded_slashes_reach_the_app_only_through_an_opted_in_location_and_stay_encoded() {
    let gw = Gateway::with(Setup {
        locations: ENCODED_SLASH_LOCATIONS.into(),
        ..Setup::default()
    })
    .await;
    for (target, forwarded) in [
        (
            "/gitlab/api/v4/projects/group%2Fproject/issues?state=opened",
            "/gitlab/api/v4/projects/group%2Fproject/issues?state=opened",
        ),
        (
            "/gitlab/api/v4/projects/group%2fsub%2fproject",
            "/gitlab/api/v4/projects/group%2Fsub%2Fproject",
        ),
        (
            "/rabbitmq/api/queues/%2F/orders",
            "/rabbitmq/api/queues/%2F/orders",
        ),
        (
            "/rabbitmq/api//queues/./%2F/x/../orders",
            "/rabbitmq/api/queues/%2F/orders",
        ),
    ] {
        assert_eq!(get_raw(&gw, target).await, 200, "{target}");
        assert_eq!(gw.upstream.last().path_and_query, forwarded, "{target}");
    }
    let before = gw.upstream.count();
    for target in [
        // Outside the opted-in locations, as before.
        "/other/a%2Fb",
        "/gitlab%2Fapi/v4/projects",
        "/gitlab/apix/a%2Fb",
        "/.portcullis/login%2Fx",
        // Inside them, what a decoding backend would read as a way out.
        "/gitlab/api/v4/..%2F..%2F..%2Fadmin",
        "/gitlab/api/%2E%2E%2Fsecret",
        "/rabbitmq/api/queues/%252F/q",
        "/rabbitmq/api/queues/%5C/q",
    ] {
        assert_eq!(get_raw(&gw, target).await, 400, "{target}");
    }
    assert_eq!(
        gw.upstream.count(),
        before,
        "nothing refused reached the app"
    );
}

#[tokio::test]
async fn forward_auth_judges_encoded_slashes_by_the_same_locations() {
    let gw = Gateway::with(Setup {
        locations: ENCODED_SLASH_LOCATIONS.into(),
        extra: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Setup::default()
    })
    .await;
    for (url, status) in [
        (
            "http://gateway.test/gitlab/api/v4/projects/group%2Fproject",
            200,
        ),
        ("http://gateway.test/other/a%2Fb", 403),
        ("http://gateway.test/gitlab/api/..%2Fadmin", 403),
    ] {
        let r = gw
            .client()
            .get(gw.url("/.portcullis/auth"))
            .header("x-original-url", url)
            .header("x-original-method", "GET")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{url}");
    }
}

#[tokio::test]
async fn an_encoded_slash_never_carries_a_request_to_what_another_location_guards() {
    // What the app would serve once it decodes %2F must be where the gateway matched it.
    let gw = Gateway::with(Setup {
        locations: r#"
[[location]]
path_regex = "^/api/internal/"
policy = "deny"

[[location]]
path = "/api/admin"
policy = "deny"

[[location]]
path = "/secret"
policy = "deny"

[[location]]
path = "/api"
policy = "bypass"
allow_encoded_slash = true

[[location]]
path_regex = "\\.json$"
policy = "bypass"
allow_encoded_slash = true
"#
        .into(),
        ..Setup::default()
    })
    .await;
    let before = gw.upstream.count();
    for target in [
        "/api/internal%2Fkeys",
        "/api/admin%2Fusers",
        "/api%2Fadmin/users",
        "/secret%2Fa.json",
        "/%2Fsecret%2Fdata.json",
        "/api/x%2F%2F..%2Fadmin",
    ] {
        assert_eq!(get_raw(&gw, target).await, 400, "{target}");
    }
    assert_eq!(gw.upstream.count(), before, "nothing reached the app");
    // Still open: what stays inside the opted-in location once decoded.
    assert_eq!(get_raw(&gw, "/api/v4/projects/group%2Fproject").await, 200);
    assert_eq!(get_raw(&gw, "/files/a%2Fb.json").await, 200);
}
