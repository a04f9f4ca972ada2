//! The second factor (DESIGN §4–§6): enrolment, TOTP, backup codes, half sessions, admin socket.

use std::process::Command;

use crate::harness::*;

/// Every location needs two factors (the default when nothing matches).
fn two_factor() -> Setup {
    Setup {
        mfa_required: true,
        locations: String::new(),
        ..Setup::default()
    }
}

#[tokio::test]
async fn enrolment_then_the_second_factor_opens_two_factor_locations() {
    let gw = Gateway::with(two_factor()).await;
    let (full, _secret, codes) = gw.enrol("alice").await;
    assert_eq!(codes.len(), 10);
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.upstream.last().header("remote-user"), Some("alice"));
    let s: serde_json::Value = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["factors"], serde_json::json!(["pwd", "otp"]));
    // Next sign-in asks for the factor instead of enrolment.
    let (status, _) = gw.password("alice").await;
    assert_eq!(status, "mfa_required");
}

#[tokio::test]
async fn codes_from_oathtool_for_the_enrolment_uri_are_accepted() {
    let gw = Gateway::with(two_factor()).await;
    let (_, half) = gw.password("alice").await;
    let r = gw.post_api("enroll/totp", &half).await;
    assert_eq!(r.status(), 200);
    let e: serde_json::Value = r.json().await.unwrap();
    let uri = url::Url::parse(e["otpauth_uri"].as_str().unwrap()).unwrap();
    assert_eq!(uri.scheme(), "otpauth");
    assert_eq!(uri.host_str(), Some("totp"));
    assert_eq!(uri.path(), "/gateway.test:alice");
    let q: std::collections::HashMap<_, _> = uri.query_pairs().into_owned().collect();
    assert_eq!(q["issuer"], "gateway.test");
    assert_eq!(
        (
            q["algorithm"].as_str(),
            q["digits"].as_str(),
            q["period"].as_str()
        ),
        ("SHA1", "6", "30")
    );
    assert!(q["secret"].len() >= 32, "at least 160 bits");
    assert!(e["qr_svg"].as_str().unwrap().starts_with("<svg"));
    // An independent implementation computes the code from the URI's secret.
    let out = Command::new("oathtool")
        .args(["--totp", "-b", &q["secret"]])
        .output()
        .expect("oathtool must be installed (Debian package oathtool; .ci/run installs it)");
    assert!(out.status.success());
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/enroll/totp/confirm"))
        .header("cookie", &half)
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "oathtool's code was refused");
    // And a later oathtool code (the next step) works as a second factor.
    let out = Command::new("oathtool")
        .args(["--totp", "-b", "-N", "now + 30 seconds", &q["secret"]])
        .output()
        .unwrap();
    let next = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let (_, half) = gw.password("alice").await;
    assert_eq!(gw.mfa(&half, "totp", &next).await.status(), 200);
}

#[tokio::test]
async fn a_code_accepted_once_is_refused_in_any_other_session() {
    let gw = Gateway::with(two_factor()).await;
    let (_, secret, _) = gw.enrol("alice").await;
    let (_, a) = gw.password("alice").await;
    let (_, b) = gw.password("alice").await;
    let next = totp_code(&secret, 1);
    assert_eq!(gw.mfa(&a, "totp", &next).await.status(), 200);
    assert_eq!(
        gw.mfa(&b, "totp", &next).await.status(),
        401,
        "replay in another session"
    );
    assert_eq!(
        gw.mfa(&a, "totp", &next).await.status(),
        401,
        "replay in the same session"
    );
}

#[tokio::test]
async fn after_a_step_succeeds_an_earlier_code_is_refused() {
    let gw = Gateway::with(two_factor()).await;
    // Enrol by hand, so that the step the enrolment used is known exactly: T.
    let (_, half) = gw.password("alice").await;
    let r = gw.post_api("enroll/totp", &half).await;
    let secret = r.json::<serde_json::Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = current_step();
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/enroll/totp/confirm"))
        .header("cookie", &half)
        .json(&serde_json::json!({"code": totp_code_at(&secret, t)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, half) = gw.password("alice").await;
    let r = gw.mfa(&half, "totp", &totp_code_at(&secret, t - 1)).await;
    assert_eq!(r.status(), 401, "T-1 after T");
    assert_eq!(r.text().await.unwrap(), r#"{"error":"invalid_code"}"#);
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code_at(&secret, t))
            .await
            .status(),
        401,
        "T again"
    );
    // The test takes well under a step, so the server's clock is at T or T+1: T+3 is outside skew 1.
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code_at(&secret, t + 3))
            .await
            .status(),
        401,
        "beyond the skew"
    );
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code_at(&secret, t + 1))
            .await
            .status(),
        200,
        "the next step works"
    );
}

#[tokio::test]
async fn thirty_concurrent_uses_of_one_backup_code_succeed_exactly_once() {
    // Lockouts would end the race early; this test is about the atomic consume alone.
    let limits = "per_ip = \"1000/min\"\nmax_failures = 1000".into();
    let gw = Gateway::with(Setup {
        limits,
        ..two_factor()
    })
    .await;
    let (_, _, codes) = gw.enrol("alice").await;
    let mut halves = Vec::new();
    for _ in 0..30 {
        halves.push(gw.password("alice").await.1);
    }
    let client = gw.client();
    let url = gw.url("/.portcullis/api/mfa");
    let code = codes[0].clone();
    let tasks: Vec<_> = halves
        .into_iter()
        .map(|cookie| {
            let (client, url, code) = (client.clone(), url.clone(), code.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("cookie", cookie)
                    .json(&serde_json::json!({"method": "backup_code", "code": code}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        29,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_half_session_opens_nothing_upstream() {
    let gw = Gateway::with(two_factor()).await;
    gw.enrol("alice").await;
    let before = gw.upstream.count();
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "mfa_required");
    for path in ["/", "/app", "/public/x"] {
        let r = gw
            .client()
            .get(gw.url(path))
            .header("cookie", &half)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let r = gw
            .client()
            .get(gw.url(path))
            .header("cookie", &half)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert!(r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/.portcullis/mfa?rd="));
    }
    let r = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(gw.upstream.count(), before);
}

#[tokio::test]
async fn a_half_session_expires_after_the_challenge_timeout() {
    // Times are whole seconds: a 3 s timeout leaves the enrolment below (which runs on a half
    // session too) at least 2 s, however late in a second it starts.
    let gw = Gateway::with(Setup {
        mfa_extra: "challenge_timeout = \"3s\"".into(),
        ..two_factor()
    })
    .await;
    let (_, secret, _) = gw.enrol("alice").await;
    let (_, half) = gw.password("alice").await;
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    let r = gw.mfa(&half, "totp", &totp_code(&secret, 1)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.text().await.unwrap(),
        r#"{"error":"authentication_required"}"#
    );
}

#[tokio::test]
async fn the_database_file_holds_no_secret_code_or_password_in_readable_form() {
    let gw = Gateway::with(two_factor()).await;
    let (_, secret_b32, codes) = gw.enrol("alice").await;
    let db_path = gw.dir.path().join("data/portcullis.redb");
    let gw = gw.restart().await; // everything committed and the file closed once
    let bytes = std::fs::read(&db_path).unwrap();
    let raw = portcullis::auth::totp::Secret::from_base32(&secret_b32).unwrap();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        !contains(secret_b32.as_bytes()),
        "base32 secret in the file"
    );
    assert!(!contains(secret_b32.to_lowercase().as_bytes()));
    assert!(!contains(raw.as_bytes()), "raw secret in the file");
    for c in &codes {
        assert!(!contains(c.as_bytes()), "backup code {c} in the file");
        assert!(
            !contains(c.replace('-', "").as_bytes()),
            "backup code {c} in the file"
        );
    }
    assert!(!contains(PASSWORD.as_bytes()));
    drop(gw);
}

#[tokio::test]
async fn a_restart_keeps_enrolments_and_consumed_backup_codes() {
    let gw = Gateway::with(two_factor()).await;
    let (_, _, codes) = gw.enrol("alice").await;
    let (_, half) = gw.password("alice").await;
    assert_eq!(gw.mfa(&half, "backup_code", &codes[0]).await.status(), 200);
    let gw = gw.restart().await;
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "mfa_required", "the enrolment survived");
    assert_eq!(
        gw.mfa(&half, "backup_code", &codes[0]).await.status(),
        401,
        "a used code stays used"
    );
    assert_eq!(
        gw.mfa(
            &half,
            "backup_code",
            &codes[1].to_uppercase().replace('-', " ")
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn mfa_reset_through_the_admin_socket_forces_re_enrolment() {
    let gw = Gateway::with(two_factor()).await;
    let (full, _, _) = gw.enrol("alice").await;
    let dir = gw.dir.path().to_owned();
    let socket = dir.join("data/portcullis.sock");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&socket).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let (code, out) = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || cli(&dir, &["mfa", "status", "alice"])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("authenticator active") && out.contains("10 backup codes left"),
        "{out}"
    );
    let (code, out) = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || cli(&dir, &["mfa", "reset", "alice"])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{out}");
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the reset ends existing sessions at once");
    let (status, _) = gw.password("alice").await;
    assert_eq!(status, "enrollment_required");
    // With the server stopped, the CLI opens the database itself.
    let Gateway {
        server, dir: tmp, ..
    } = gw;
    server.stop();
    server.wait().await;
    let (code, out) = cli(tmp.path(), &["mfa", "status", "alice"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("authenticator pending") || out.contains("authenticator none"),
        "{out}"
    );
}

#[tokio::test]
async fn malformed_codes_get_4xx_never_5xx() {
    let gw = Gateway::with(two_factor()).await;
    gw.enrol("alice").await;
    let (_, half) = gw.password("alice").await;
    let long = "9".repeat(10_000);
    let bodies = vec![
        serde_json::json!({"method": "totp", "code": "12345"}),
        serde_json::json!({"method": "totp", "code": "1234567"}),
        serde_json::json!({"method": "totp", "code": "１２３４５６"}),
        serde_json::json!({"method": "totp", "code": "12\u{0}456"}),
        serde_json::json!({"method": "totp", "code": long}),
        serde_json::json!({"method": "totp", "code": 123456}),
        serde_json::json!({"method": "totp", "code": null}),
        serde_json::json!({"method": "totp"}),
        serde_json::json!({"method": ["totp"], "code": "123456"}),
        serde_json::json!({"method": "carrier_pigeon", "code": "123456"}),
        serde_json::json!({"method": "backup_code", "code": "\u{0}\u{0}"}),
        serde_json::json!("123456"),
    ];
    for b in bodies {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/mfa"))
            .header("cookie", &half)
            .json(&b)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        assert!((400..500).contains(&s), "{b} → {s}");
    }
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa"))
        .header("cookie", &half)
        .header("content-type", "application/json")
        .body(vec![b'{'; 20_000])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
}

#[tokio::test]
async fn regenerating_backup_codes_needs_a_fresh_factor_and_kills_the_old_set() {
    let gw = Gateway::with(two_factor()).await;
    let (full, _, old) = gw.enrol("alice").await;
    let post = |body: serde_json::Value| {
        gw.client()
            .post(gw.url("/.portcullis/api/backup-codes"))
            .header("cookie", &full)
            .json(&body)
            .send()
    };
    assert_eq!(post(serde_json::json!({})).await.unwrap().status(), 400);
    assert_eq!(
        post(serde_json::json!({"method": "totp", "code": "000000"}))
            .await
            .unwrap()
            .status(),
        401
    );
    let r = post(serde_json::json!({"method": "backup_code", "code": old[0]}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fresh: Vec<String> = r.json::<serde_json::Value>().await.unwrap()["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fresh.len(), 10);
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        gw.mfa(&half, "backup_code", &old[1]).await.status(),
        401,
        "old set is dead"
    );
    assert_eq!(gw.mfa(&half, "backup_code", &fresh[0]).await.status(), 200);
}

#[tokio::test]
async fn a_half_session_of_an_enrolled_user_cannot_enrol_another_authenticator() {
    let gw = Gateway::with(two_factor()).await;
    gw.enrol("alice").await;
    let (_, half) = gw.password("alice").await;
    let r = gw.post_api("enroll/totp", &half).await;
    assert_eq!(r.status(), 409);
    let r = gw
        .client()
        .get(gw.url("/.portcullis/enroll"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/.portcullis/mfa"));
}

#[tokio::test]
async fn grace_period_and_required_groups_decide_who_must_enrol() {
    let gw = Gateway::with(Setup {
        mfa_extra: "grace_period = \"7d\"".into(),
        ..two_factor()
    })
    .await;
    let (status, cookie) = gw.password("alice").await;
    assert_eq!(
        status, "authenticated",
        "a new user inside the grace period"
    );
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let gw = Gateway::with(Setup {
        mfa_required: false,
        mfa_extra: "required_groups = [\"admins\"]".into(),
        locations: String::new(),
        ..Setup::default()
    })
    .await;
    assert_eq!(gw.password("admin").await.0, "enrollment_required");
    let (status, alice) = gw.password("alice").await;
    assert_eq!(status, "authenticated");
    // Password-only is not enough where two factors are required: enrol first.
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &alice)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let r = gw
        .client()
        .get(gw.url("/.portcullis/mfa"))
        .header("cookie", &alice)
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/.portcullis/enroll"));
}

/// The HTML flow a person follows, without JavaScript: login form → enrolment page → backup codes → app.
#[tokio::test]
async fn the_pages_take_a_person_from_password_to_the_app() {
    let gw = Gateway::with(two_factor()).await;
    let client = gw.client();
    let page = client
        .get(gw.url("/.portcullis/login?rd=%2Fapp%2Fhome"))
        .send()
        .await
        .unwrap();
    let csrf_cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body = page.text().await.unwrap();
    let token = field(&body, "csrf");
    let r = client
        .post(gw.url("/.portcullis/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &token),
            ("rd", "/app/home"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/.portcullis/enroll?rd=%2Fapp%2Fhome"
    );
    let half = session_cookie(&r).unwrap();
    let cookies = format!("{csrf_cookie}; {half}");
    let page = client
        .get(gw.url("/.portcullis/enroll?rd=%2Fapp%2Fhome"))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("<svg"), "QR code inline");
    let secret = body
        .split("id=\"secret\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = client
        .post(gw.url("/.portcullis/enroll"))
        .header("cookie", &cookies)
        .form(&[
            ("code", totp_code(&secret, 0)),
            ("csrf", token.clone()),
            ("rd", "/app/home".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let full = session_cookie(&r).unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("only time they are shown"));
    assert_eq!(body.matches("<li class=\"mono\">").count(), 10);
    // minijinja's HTML escaping writes '/' as "&#x2f;", which the browser reads back as '/'.
    assert!(
        body.replace("&#x2f;", "/").contains("href=\"/app/home\""),
        "{body}"
    );
    let r = client
        .get(gw.url("/app/home"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Next time: password, then the code page.
    let r = client
        .post(gw.url("/.portcullis/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &token),
            ("rd", "/x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/.portcullis/mfa?rd=%2Fx");
    let half = session_cookie(&r).unwrap();
    let cookies = format!("{csrf_cookie}; {half}");
    let r = client
        .get(gw.url("/.portcullis/mfa?rd=%2Fx"))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .post(gw.url("/.portcullis/mfa"))
        .header("cookie", &cookies)
        .form(&[
            ("method", "totp"),
            ("code", &totp_code(&secret, 1)),
            ("csrf", &token),
            ("rd", "/x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/x");
}

fn field(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// `portcullis user remove` forgets the user's factors, devices and sessions too: someone
/// added later under the same name starts with none (a passkey left behind would sign them in
/// alone with `passwordless`).
#[tokio::test]
async fn a_removed_users_factors_go_with_them() {
    let gw = Gateway::with(two_factor()).await;
    let (full, _, _) = gw.enrol("alice").await;
    let dir = gw.dir.path().to_owned();
    let (code, out) = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || cli(&dir, &["user", "remove", "alice"])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("with their factors"), "{out}");
    let added = tokio::task::spawn_blocking(move || {
        start_user_add(&dir, "alice").wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    // The users file is re-read within 2 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(
                body["status"], "enrollment_required",
                "the new alice has no factor"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "alice was not added back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the old alice's session ended");
}
