//! Trusted devices, lockouts and the per-IP limit (DESIGN §5, §6), and the account page.

use std::process::Command;
use std::time::Duration;

use crate::harness::*;

const BIN: &str = env!("CARGO_BIN_EXE_portcullis");

fn two_factor() -> Setup {
    Setup {
        mfa_required: true,
        locations: String::new(),
        ..Setup::default()
    }
}

async fn login_with(
    gw: &Gateway,
    user: &str,
    password: &str,
    extra_cookie: &str,
) -> reqwest::Response {
    gw.client()
        .post(gw.url("/.portcullis/api/login"))
        .header("cookie", extra_cookie)
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn status_field(r: reqwest::Response) -> String {
    r.json::<serde_json::Value>().await.unwrap()["status"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// Enrols `user`, then proves a second factor with "remember this device": returns the device cookie.
async fn trusted_device(gw: &Gateway, user: &str) -> (String, String) {
    let (_, secret, _) = gw.enrol(user).await;
    let (_, half) = gw.password(user).await;
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa"))
        .header("cookie", &half)
        .header("user-agent", "TestBrowser/1.0")
        .json(&serde_json::json!({"method": "totp", "code": totp_code(&secret, 1), "remember_device": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let device = cookie_named(&r, "portcullis_device").expect("a device cookie");
    assert!(r.headers().get_all("set-cookie").iter().any(|c| c
        .to_str()
        .unwrap()
        .contains("portcullis_device=")
        && c.to_str().unwrap().contains("Max-Age=")));
    (device, secret)
}

#[tokio::test]
async fn a_trusted_device_skips_the_code_for_its_user_but_never_the_password() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let r = login_with(&gw, "alice", PASSWORD, &device).await;
    assert_eq!(r.status(), 200);
    let cookie = session_cookie(&r).unwrap();
    assert_eq!(status_field(r).await, "authenticated");
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: serde_json::Value = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["factors"], serde_json::json!(["pwd", "device"]));
    let r = login_with(&gw, "alice", "wrong password", &device).await;
    assert_eq!(
        r.status(),
        401,
        "the device never stands in for the password"
    );
    // The device cookie is the gateway's own: it never reaches upstream.
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", format!("{cookie}; {device}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.upstream.last().header("cookie"), None);
}

#[tokio::test]
async fn a_device_cookie_is_ignored_for_another_user_or_when_tampered() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    gw.enrol("admin").await;
    assert_eq!(
        status_field(login_with(&gw, "admin", PASSWORD, &device).await).await,
        "mfa_required"
    );
    let (name, token) = device.split_once('=').unwrap();
    let mut bytes = token.as_bytes().to_vec();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{name}={}", String::from_utf8(bytes).unwrap());
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &tampered).await).await,
        "mfa_required"
    );
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "authenticated"
    );
}

#[tokio::test]
async fn a_revoked_device_asks_for_the_code_again() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let full = session_cookie(&login_with(&gw, "alice", PASSWORD, &device).await).unwrap();
    let list: serde_json::Value = gw
        .client()
        .get(gw.url("/.portcullis/api/devices"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let devices = list["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["user_agent"], "TestBrowser/1.0");
    assert_eq!(devices[0]["ip"], "127.0.0.1");
    let id = devices[0]["id"].as_str().unwrap();
    let r = gw
        .client()
        .delete(gw.url(&format!("/.portcullis/api/devices/{id}")))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "mfa_required"
    );
}

#[tokio::test]
async fn devices_are_listed_and_revoked_from_the_command_line() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let dir = gw.dir.path().to_owned();
    let run = move |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .arg("--config")
            .arg(dir.join("config.toml"))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, out) = tokio::task::spawn_blocking({
        let run = run.clone();
        move || run(&["devices", "list", "alice"])
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("alice") && out.contains("TestBrowser/1.0"),
        "{out}"
    );
    let id = out.split('\t').next().unwrap().trim().to_owned();
    let (code, out) = tokio::task::spawn_blocking(move || run(&["devices", "revoke", &id]))
        .await
        .unwrap();
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "mfa_required"
    );
}

#[tokio::test]
async fn an_mfa_reset_or_password_change_voids_trusted_devices() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let dir = gw.dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(["mfa", "reset", "alice", "--config"])
            .arg(dir.join("config.toml"))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success());
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "enrollment_required"
    );

    let (device, _) = trusted_device(&gw, "admin").await;
    let users = gw.dir.path().join("users.toml");
    let hash = portcullis::auth::password::hash("a brand new password").unwrap();
    portcullis::auth::users::set_password(&users, "admin", &hash).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let r = login_with(&gw, "admin", "a brand new password", &device).await;
        if r.status() == 200 {
            assert_eq!(
                status_field(r).await,
                "mfa_required",
                "a device trusted before the password change"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "new password not picked up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_expired_device_asks_for_the_code_again() {
    let gw = Gateway::with(Setup {
        extra_tables: "[trusted_devices]\nlifetime = \"1s\"\n".into(),
        ..two_factor()
    })
    .await;
    let (device, _) = trusted_device(&gw, "alice").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "mfa_required"
    );
}

fn lockout_setup() -> Setup {
    Setup {
        limits: "per_ip = \"1000/min\"\nmax_failures = 3\nlockout = \"2s\"".into(),
        ..two_factor()
    }
}

#[tokio::test]
async fn wrong_codes_over_separate_sessions_lock_the_account_and_the_right_code_gets_the_same_answer(
) {
    let gw = Gateway::with(lockout_setup()).await;
    let (_, secret, _) = gw.enrol("alice").await;
    // Four half sessions, as an attacker with the password would open them.
    let mut halves = Vec::new();
    for _ in 0..4 {
        halves.push(gw.password("alice").await.1);
    }
    let half = halves.pop().unwrap();
    for (i, h) in halves.iter().enumerate() {
        // One guess per session: the count is per account, across sessions. The third failure
        // locks the account, and its answer says so.
        let expected = if i == 2 { 429 } else { 401 };
        assert_eq!(gw.mfa(h, "totp", "000000").await.status(), expected);
    }
    let wrong = gw.mfa(&half, "totp", "000000").await;
    assert_eq!(wrong.status(), 429);
    let wrong: serde_json::Value = wrong.json().await.unwrap();
    let right = gw.mfa(&half, "totp", &totp_code(&secret, 1)).await;
    assert_eq!(right.status(), 429);
    let right: serde_json::Value = right.json().await.unwrap();
    assert_eq!(right["error"], wrong["error"]);
    assert!(
        right["retry_after"]
            .as_u64()
            .unwrap()
            .abs_diff(wrong["retry_after"].as_u64().unwrap())
            <= 1
    );
    // The password is refused the same way while locked, right or wrong.
    let r = login_with(&gw, "alice", PASSWORD, "").await;
    assert_eq!(r.status(), 429);
    assert_eq!(login_with(&gw, "alice", "wrong", "").await.status(), 429);
    // After the lockout ends, the right code works.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code(&secret, 1)).await.status(),
        200
    );
}

#[tokio::test]
async fn failures_from_a_script_lock_the_account_but_not_the_users_trusted_browser() {
    // OWASP "device cookies": guessing is still limited, but cannot lock the user out.
    let gw = Gateway::with(Setup {
        limits: "per_ip = \"1000/min\"\nmax_failures = 3\nlockout = \"1h\"".into(),
        ..two_factor()
    })
    .await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let (_, bob_device) = {
        let (d, s) = trusted_device(&gw, "admin").await;
        (s, d)
    };
    // A script without the device cookie: the third failure locks the account.
    for expected in [401, 401, 429] {
        assert_eq!(
            login_with(&gw, "alice", "guess", "").await.status(),
            expected
        );
    }
    assert_eq!(login_with(&gw, "alice", PASSWORD, "").await.status(), 429);

    // The browser holding alice's trusted device still signs in with her password, and gets
    // just what the device grants: no second factor asked, as before the attack.
    let r = login_with(&gw, "alice", PASSWORD, &device).await;
    assert_eq!(r.status(), 200);
    assert_eq!(status_field(r).await, "authenticated");

    // Cookies that are not a live trusted device of alice get no exception.
    let (name, token) = device.split_once('=').unwrap();
    let tampered = format!("{name}={}x", &token[..token.len() - 1]);
    for (what, cookie) in [
        ("a tampered device cookie", tampered.as_str()),
        ("another user's device cookie", bob_device.as_str()),
        ("garbage", "portcullis_device=eyJhbGciOiJIUzI1NiJ9.e30.AAAA"),
    ] {
        let r = login_with(&gw, "alice", PASSWORD, cookie).await;
        assert_eq!(r.status(), 429, "{what}");
    }

    // The trusted browser's own failures count against it, and lock only it.
    for expected in [401, 401, 429] {
        assert_eq!(
            login_with(&gw, "alice", "typo", &device).await.status(),
            expected
        );
    }
    assert_eq!(
        login_with(&gw, "alice", PASSWORD, &device).await.status(),
        429
    );

    // Both lockouts are audited with their kind.
    let dir = gw.dir.path().to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let d = dir.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args(["audit", "--user", "alice", "--json", "--config"])
                .arg(d.join("config.toml"))
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let found = [
            "locked (account)",
            "locked (trusted device)",
            "\"account until",
            "\"trusted device ",
        ]
        .iter()
        .all(|needle| text.contains(needle));
        if found {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "audit lacks a lockout kind:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_burst_of_concurrent_guesses_gets_no_more_checks_than_max_failures() {
    let gw = Gateway::with(Setup {
        limits: "per_ip = \"10000/min\"\nmax_failures = 5\nlockout = \"1h\"".into(),
        ..two_factor()
    })
    .await;
    gw.enrol("admin").await;
    let base = format!("http://{}", gw.addr);
    let statuses = |handles: Vec<tokio::task::JoinHandle<u16>>| async move {
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap());
        }
        out
    };
    // 40 wrong passwords at once, for a known and for an unknown name.
    for user in ["alice", "nobody-here"] {
        let handles = (0..40)
            .map(|i| {
                let url = format!("{base}/.portcullis/api/login");
                let body = serde_json::json!({"username": user, "password": format!("guess-{i}")});
                tokio::spawn(async move {
                    reqwest::Client::new()
                        .post(url)
                        .json(&body)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let s = statuses(handles).await;
        let checked = s.iter().filter(|&&c| c == 401).count();
        assert_eq!(checked, 4, "{user}: {s:?}");
        assert_eq!(s.iter().filter(|&&c| c == 429).count(), 36, "{user}: {s:?}");
    }
    // 40 wrong codes at once, each from its own half session.
    let mut halves = Vec::new();
    for _ in 0..40 {
        halves.push(gw.password("admin").await.1);
    }
    let handles = halves
        .into_iter()
        .map(|half| {
            let url = format!("{base}/.portcullis/api/mfa");
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .header("cookie", half)
                    .json(&serde_json::json!({"method": "totp", "code": "000000"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let s = statuses(handles).await;
    assert_eq!(s.iter().filter(|&&c| c == 401).count(), 4, "{s:?}");
    // Locked now: the right password is refused like the wrong ones.
    assert_eq!(login_with(&gw, "admin", PASSWORD, "").await.status(), 429);
}

#[tokio::test]
async fn lockouts_clear_ends_a_lockout_at_once() {
    let gw = Gateway::with(Setup {
        limits: "per_ip = \"1000/min\"\nmax_failures = 2\nlockout = \"1h\"".into(),
        ..two_factor()
    })
    .await;
    assert_eq!(login_with(&gw, "alice", "wrong", "").await.status(), 401);
    // The failure that locks the account answers as locked.
    assert_eq!(login_with(&gw, "alice", "wrong", "").await.status(), 429);
    assert_eq!(login_with(&gw, "alice", PASSWORD, "").await.status(), 429);
    let dir = gw.dir.path().to_owned();
    let (list, clear) = tokio::task::spawn_blocking(move || {
        let run = |args: &[&str]| {
            Command::new(BIN)
                .args(args)
                .arg("--config")
                .arg(dir.join("config.toml"))
                .output()
                .unwrap()
        };
        (
            run(&["lockouts", "list"]),
            run(&["lockouts", "clear", "alice"]),
        )
    })
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("alice\tlocked until"));
    assert!(clear.status.success());
    assert_eq!(login_with(&gw, "alice", PASSWORD, "").await.status(), 200);
}

#[tokio::test]
async fn the_per_ip_limit_answers_429_with_retry_after_and_spoofed_forwarding_does_not_escape_it() {
    let gw = Gateway::with(Setup {
        limits: "per_ip = \"3/min\"".into(),
        ..two_factor()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(login_with(&gw, "nobody", "x", "").await.status(), 401);
    }
    let r = login_with(&gw, "nobody", "x", "").await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("x-forwarded-for", "203.0.113.7")
        .header("x-real-ip", "203.0.113.8")
        .json(&serde_json::json!({"username": "nobody", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        429,
        "a spoofed X-Forwarded-For from an untrusted peer changes nothing"
    );
    // Pages other than sign-in are not limited.
    assert_eq!(
        gw.client()
            .get(gw.url("/.portcullis/login"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_limit_applies_to_each_forwarded_client() {
    let gw = Gateway::with(Setup {
        limits: "per_ip = \"2/min\"".into(),
        extra: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..two_factor()
    })
    .await;
    let post = |xff: &'static str| {
        gw.client()
            .post(gw.url("/.portcullis/api/login"))
            .header("x-forwarded-for", xff)
            .json(&serde_json::json!({"username": "nobody", "password": "x"}))
            .send()
    };
    assert_eq!(post("198.51.100.1").await.unwrap().status(), 401);
    assert_eq!(post("198.51.100.1").await.unwrap().status(), 401);
    assert_eq!(post("198.51.100.1").await.unwrap().status(), 429);
    assert_eq!(
        post("198.51.100.2").await.unwrap().status(),
        401,
        "another client behind the proxy"
    );
    assert_eq!(
        post("not an address").await.unwrap().status(),
        400,
        "an unreadable hop is refused"
    );
}

#[tokio::test]
async fn the_account_page_lists_factors_and_devices_and_signs_out_everywhere() {
    let gw = Gateway::with(two_factor()).await;
    let (device, _) = trusted_device(&gw, "alice").await;
    let full = session_cookie(&login_with(&gw, "alice", PASSWORD, &device).await).unwrap();
    let other = session_cookie(&login_with(&gw, "alice", PASSWORD, &device).await).unwrap();
    let page = gw
        .client()
        .get(gw.url("/.portcullis/account"))
        .header("cookie", format!("{full}; {device}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csrf_cookie = cookie_named(&page, "portcullis_csrf").unwrap();
    let body = page.text().await.unwrap();
    assert!(body.contains("Authenticator app: active"), "{body}");
    assert!(body.contains("Backup codes left: 10"));
    let body = body.replace("&#x2f;", "/");
    // Named as the e-mails name it; the header's own text only in a tooltip.
    assert!(
        body.contains("title=\"TestBrowser/1.0\">An unknown browser<")
            && body.contains("this device"),
        "{body}"
    );
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = gw
        .client()
        .post(gw.url("/.portcullis/account/signout-all"))
        .header("cookie", format!("{full}; {csrf_cookie}"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    for c in [&full, &other] {
        let r = gw
            .client()
            .get(gw.url("/app"))
            .header("cookie", c)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "every session ends");
    }
    assert_eq!(
        status_field(login_with(&gw, "alice", PASSWORD, &device).await).await,
        "mfa_required",
        "and trusted devices"
    );
    let r = gw
        .client()
        .get(gw.url("/.portcullis/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
}

#[tokio::test]
async fn a_new_authenticator_needs_a_fresh_factor_and_a_half_session_cannot_finish_it() {
    let gw = Gateway::with(two_factor()).await;
    let (full, old_secret, codes) = gw.enrol("alice").await;
    let page = gw
        .client()
        .get(gw.url("/.portcullis/account"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    let csrf_cookie = cookie_named(&page, "portcullis_csrf").unwrap();
    let body = page.text().await.unwrap();
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cookies = format!("{full}; {csrf_cookie}");
    let post = |code: &str| {
        gw.client()
            .post(gw.url("/.portcullis/account/factors"))
            .header("cookie", &cookies)
            .form(&[
                ("csrf", token.as_str()),
                ("method", "backup_code"),
                ("code", code),
                ("action", "reenroll"),
            ])
            .send()
    };
    assert_eq!(
        post("aaaaa-aaaaa").await.unwrap().status(),
        401,
        "no fresh factor, no change"
    );
    let r = post(&codes[0]).await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/.portcullis/enroll"));
    // An attacker with only the password gets a half session: it must not see or finish the replacement.
    let (_, half) = gw.password("alice").await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/enroll"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "a half session is sent to the code page");
    let r = gw.post_api("enroll/totp", &half).await;
    assert_eq!(r.status(), 409);
    // The signed-in user finishes it.
    let r = gw.post_api("enroll/totp", &full).await;
    assert_eq!(r.status(), 200);
    let new_secret = r.json::<serde_json::Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_secret, old_secret);
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/enroll/totp/confirm"))
        .header("cookie", &full)
        .json(&serde_json::json!({"code": totp_code(&new_secret, 0)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code(&old_secret, 1))
            .await
            .status(),
        401,
        "the old app is dead"
    );
    assert_eq!(
        gw.mfa(&half, "totp", &totp_code(&new_secret, 1))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn audit_json_lists_the_failures_and_the_lockout_and_nothing_secret() {
    let gw = Gateway::with(lockout_setup()).await;
    let (_, secret, codes) = gw.enrol("alice").await;
    let mut halves = Vec::new();
    for _ in 0..3 {
        halves.push(gw.password("alice").await.1);
    }
    for (i, h) in halves.iter().enumerate() {
        let expected = if i == 2 { 429 } else { 401 };
        assert_eq!(gw.mfa(h, "totp", "000000").await.status(), expected);
    }
    assert_eq!(
        login_with(&gw, "alice", "hunter2-wrong", "").await.status(),
        429
    );
    let dir = gw.dir.path().to_owned();
    let run = move || {
        Command::new(BIN)
            .args([
                "audit", "--user", "alice", "--since", "1h", "--json", "--config",
            ])
            .arg(dir.join("config.toml"))
            .output()
            .unwrap()
    };
    // Events are written by a background writer: give it a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let events = loop {
        let out = tokio::task::spawn_blocking(run.clone()).await.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let events: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        if events.iter().any(|e| e["kind"] == "locked_out") || std::time::Instant::now() > deadline
        {
            for secretish in [
                PASSWORD,
                "hunter2-wrong",
                "000000",
                secret.as_str(),
                codes[0].as_str(),
            ] {
                assert!(
                    !text.contains(secretish),
                    "audit output contains {secretish:?}"
                );
            }
            break events;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "factor_failed").count(),
        3,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"locked_out"), "{kinds:?}");
    assert!(kinds.contains(&"enrolled"), "{kinds:?}");
    assert!(kinds.contains(&"login_failed"), "{kinds:?}");
    let failed = events
        .iter()
        .find(|e| e["kind"] == "factor_failed")
        .unwrap();
    assert_eq!(failed["user"], "alice");
    assert_eq!(failed["ip"], "127.0.0.1");
    assert_eq!(failed["outcome"], "failure");
    assert!(failed["time"].as_u64().unwrap() > 0);
}
