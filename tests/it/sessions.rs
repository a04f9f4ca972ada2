//! DESIGN §5: sessions, logout, tampering, fixation, unauthenticated answers.

use base64::Engine as _;

use crate::harness::*;

async fn status_with_cookie(gw: &Gateway, cookie: &str) -> u16 {
    gw.client()
        .get(gw.url("/app"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn logout_revokes_the_old_cookie_even_across_a_restart() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    assert_eq!(status_with_cookie(&gw, &cookie).await, 200);
    let r = gw.post_api("logout", &cookie).await;
    assert_eq!(r.status(), 204);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        status_with_cookie(&gw, &cookie).await,
        401,
        "a replayed cookie must be refused"
    );
    let gw = gw.restart().await;
    assert_eq!(
        status_with_cookie(&gw, &cookie).await,
        401,
        "revocation must survive a restart"
    );
    let fresh = gw.login("alice").await;
    assert_eq!(status_with_cookie(&gw, &fresh).await, 200);
}

#[tokio::test]
async fn tampered_truncated_none_and_garbage_cookies_get_401_never_5xx() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    let (name, token) = cookie.split_once('=').unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims = String::from_utf8(b64.decode(parts[1]).unwrap()).unwrap();
    let as_admin = b64.encode(claims.replace("\"alice\"", "\"admin\""));
    let none_header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let hs512 = b64.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
    let cases = vec![
        (
            "tampered claims",
            format!("{name}={}.{as_admin}.{}", parts[0], parts[2]),
        ),
        (
            "tampered signature",
            // The first character carries six whole bits of the MAC; always a different one.
            format!(
                "{name}={}.{}.{}{}",
                parts[0],
                parts[1],
                if parts[2].starts_with('A') { 'B' } else { 'A' },
                &parts[2][1..]
            ),
        ),
        ("truncated", format!("{name}={}", &token[..token.len() / 2])),
        ("alg none", format!("{name}={none_header}.{}.", parts[1])),
        (
            "alg none with signature",
            format!("{name}={none_header}.{}.{}", parts[1], parts[2]),
        ),
        (
            "alg switched",
            format!("{name}={hs512}.{}.{}", parts[1], parts[2]),
        ),
        ("8 kB garbage", format!("{name}={}", "x".repeat(8192))),
        ("binary-ish", format!("{name}=%00%ff..;;==")),
        ("empty", format!("{name}=")),
        ("two cookies", format!("{cookie}; {cookie}")),
    ];
    for (what, c) in cases {
        let status = status_with_cookie(&gw, &c).await;
        assert_eq!(status, 401, "{what}: got {status}");
    }
}

#[tokio::test]
async fn a_cookie_value_chosen_by_the_client_is_never_adopted() {
    let gw = Gateway::start().await;
    let planted = "portcullis_session=attacker-chosen-value";
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("cookie", planted)
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let issued = session_cookie(&r).unwrap();
    assert_ne!(issued, planted);
    assert_eq!(status_with_cookie(&gw, planted).await, 401);
    // Two logins never share a session id either.
    let again = gw.login("alice").await;
    assert_ne!(again, issued);
}

#[tokio::test]
async fn unauthenticated_browsers_are_redirected_and_scripts_get_401_json() {
    let gw = Gateway::start().await;
    let r = gw
        .client()
        .get(gw.url("/app/page?x=1"))
        .header("accept", "text/html,*/*")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(
        r.headers()["location"],
        "/.portcullis/login?rd=%2Fapp%2Fpage%3Fx%3D1"
    );
    let r = gw
        .client()
        .get(gw.url("/app/page"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "authentication_required");
    assert!(body["login_url"]
        .as_str()
        .unwrap()
        .starts_with("http://gateway.test/.portcullis/login?rd="));
    let r = gw.client().get(gw.url("/secret")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        gw.upstream.count(),
        0,
        "nothing unauthenticated reaches upstream"
    );
}

#[tokio::test]
async fn wrong_password_unknown_user_and_disabled_user_get_the_same_answer() {
    let gw = Gateway::start().await;
    let mut bodies = Vec::new();
    for (user, pw) in [
        ("alice", "wrong"),
        ("nobody", PASSWORD),
        ("mallory", PASSWORD),
    ] {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": user, "password": pw}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{user}");
        assert!(session_cookie(&r).is_none());
        bodies.push(r.text().await.unwrap());
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0], r#"{"error":"invalid_credentials"}"#);
}

#[tokio::test]
async fn groups_restrict_a_location_to_its_members() {
    let gw = Gateway::start().await;
    let alice = gw.login("alice").await;
    let admin = gw.login("admin").await;
    let r = gw
        .client()
        .get(gw.url("/admin"))
        .header("cookie", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = gw
        .client()
        .get(gw.url("/admin"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_password_only_session_does_not_open_a_two_factor_location() {
    let gw = Gateway::start().await;
    let alice = gw.login("alice").await;
    let r = gw
        .client()
        .get(gw.url("/mfa-only"))
        .header("cookie", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "second_factor_required");
}

#[tokio::test]
async fn a_user_who_needs_a_second_factor_gets_a_half_session_that_opens_nothing() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        ..Setup::default()
    })
    .await;
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let half = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "enrollment_required");
    for path in ["/app", "/admin", "/mfa-only"] {
        let r = gw
            .client()
            .get(gw.url(path))
            .header("cookie", &half)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
    }
    let r = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(gw.upstream.count(), 0);
}

#[tokio::test]
async fn session_api_describes_the_signed_in_user() {
    let gw = Gateway::start().await;
    let cookie = gw.login("admin").await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: serde_json::Value = r.json().await.unwrap();
    assert_eq!(s["user"], "admin");
    assert_eq!(s["email"], "admin@example.com");
    assert_eq!(s["groups"], serde_json::json!(["admins"]));
    assert_eq!(s["factors"], serde_json::json!(["pwd"]));
    assert!(s["expires_at"].as_u64().unwrap() > 0);
    let r = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn users_file_changes_apply_to_a_running_gateway_within_two_seconds() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    let users = gw.dir.path().join("users.toml");
    portcullis::auth::users::set_disabled(&users, "alice", true).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        if status_with_cookie(&gw, &cookie).await == 401 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "disable not applied within 2 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
