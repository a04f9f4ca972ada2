//! The admin page and API (DESIGN §4 `P/admin`, `P/api/admin/…`): who may use them, the
//! fresh-factor rule, what the protected app's scripts cannot do with an admin's cookies, and
//! each action's effect.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

fn two_factor() -> Setup {
    Setup {
        mfa_required: true,
        locations: String::new(),
        ..Setup::default()
    }
}

/// A request to `P/api/admin/{path}` as a script outside a browser sends it.
fn api(gw: &Gateway, method: reqwest::Method, path: &str, cookie: &str) -> reqwest::RequestBuilder {
    gw.client()
        .request(method, gw.url(&format!("/.portcullis/api/admin/{path}")))
        .header("cookie", cookie)
}

async fn act(
    gw: &Gateway,
    cookie: &str,
    user: &str,
    action: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let r = api(
        gw,
        reqwest::Method::POST,
        &format!("users/{user}/{action}"),
        cookie,
    )
    .header("content-type", "application/json");
    match body {
        Some(b) => r.body(b.to_string()),
        None => r,
    }
    .send()
    .await
    .unwrap()
}

/// `DELETE P/api/admin/devices/ID` with no body.
async fn forget_device(gw: &Gateway, cookie: &str, id: &str) -> reqwest::Response {
    api(
        gw,
        reqwest::Method::DELETE,
        &format!("devices/{id}"),
        cookie,
    )
    .header("content-type", "application/json")
    .send()
    .await
    .unwrap()
}

/// A top-level navigation of a browser tab to `path`.
async fn navigate(gw: &Gateway, path: &str, cookie: &str) -> reqwest::Response {
    gw.client()
        .get(gw.url(path))
        .header("cookie", cookie)
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("sec-fetch-mode", "navigate")
        .header("sec-fetch-dest", "document")
        .send()
        .await
        .unwrap()
}

/// A form POST of a browser tab to `P/admin/act`.
async fn post_form(gw: &Gateway, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let tab = [
        ("origin", "http://gateway.test"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-dest", "document"),
    ];
    post_form_with(gw, cookie, fields, &tab).await
}

/// A POST to `P/admin/act` with these request headers (what the browser says of its origin).
async fn post_form_with(
    gw: &Gateway,
    cookie: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut r = gw
        .client()
        .post(gw.url("/.portcullis/admin/act"))
        .header("cookie", cookie)
        .header("accept", "text/html");
    for (name, value) in headers {
        r = r.header(*name, *value);
    }
    r.form(fields).send().await.unwrap()
}

/// The value of the first `csrf` field of a page.
fn form_token(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a token")
        + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

async fn users(gw: &Gateway, cookie: &str, q: &str) -> Vec<Value> {
    let r = api(gw, reqwest::Method::GET, &format!("users?q={q}"), cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Status of a signed-in request to the protected app.
async fn app_status(gw: &Gateway, cookie: &str) -> u16 {
    gw.client()
        .get(gw.url("/app"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The admin, enrolled, then signed in again through a trusted device: a full session whose
/// last code is not fresh. Returns (that session, the admin's backup codes).
async fn admin_by_trusted_device(gw: &Gateway) -> (String, Vec<String>) {
    let (_, secret, codes) = gw.enrol("admin").await;
    let (_, half) = gw.password("admin").await;
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa"))
        .header("cookie", &half)
        .json(&json!({"method": "totp", "code": totp_code(&secret, 1), "remember_device": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let device = cookie_named(&r, "portcullis_device").expect("a device cookie");
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("cookie", &device)
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let session = session_cookie(&r).unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["status"], "authenticated",
        "the device stood in for the code"
    );
    (session, codes)
}

/// Polls the events API until an event matches (the audit trail is written in the background).
async fn event_matching(
    gw: &Gateway,
    cookie: &str,
    query: &str,
    found: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let events: Vec<Value> = api(gw, reqwest::Method::GET, &format!("events?{query}"), cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(e) = events.iter().find(|e| found(e)) {
            return e.clone();
        }
        assert!(Instant::now() < deadline, "no such event in {events:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_admin_with_a_fresh_factor_lists_users_and_resets_another_users_mfa() {
    let gw = Gateway::with(two_factor()).await;
    let (alice, alice_secret, alice_codes) = gw.enrol("alice").await;
    // Enrolling proved a code just now: the admin's factor is fresh.
    let (admin, _, _) = gw.enrol("admin").await;

    let r = api(&gw, reqwest::Method::GET, "users", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-total-count"], "3");
    let text = r.text().await.unwrap();
    for secret in [
        alice_secret.as_str(),
        alice_codes[0].as_str(),
        "$argon2",
        "portcullis_",
    ] {
        assert!(!text.contains(secret), "{secret:?} in {text}");
    }
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = list.iter().map(|u| u["user"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "alice", "mallory"]);
    let a = &list[1];
    assert_eq!(a["groups"], json!(["staff"]));
    assert_eq!(a["disabled"], false);
    assert_eq!(a["methods"][0]["method"], "totp");
    assert!(a["methods"][0]["enrolled_at"].is_u64());
    assert_eq!(a["backup_codes_left"], 10);
    assert_eq!(a["devices"], json!([]));
    assert_eq!(a["locked_until"], Value::Null);
    assert!(a["last_sign_in"].is_u64(), "{a}");
    assert_eq!(list[2]["disabled"], true);
    assert_eq!(list[2]["last_sign_in"], Value::Null);

    let r = act(&gw, &admin, "alice", "mfa-reset", None).await;
    assert_eq!(r.status(), 204);
    // Her session ended, and her next sign-in asks her to enrol again.
    assert_eq!(app_status(&gw, &alice).await, 401);
    assert_eq!(gw.password("alice").await.0, "enrollment_required");
    assert_eq!(users(&gw, &admin, "alice").await[0]["methods"], json!([]));

    let e = event_matching(&gw, &admin, "user=alice&kind=mfa_reset", |e| {
        e["outcome"] == "success"
    })
    .await;
    assert_eq!(e["user"], "alice");
    assert_eq!(e["detail"], "by admin admin");
    // What admin "admin" did, whoever it was done to; and nothing by an admin "alice".
    let by: Vec<Value> = api(&gw, reqwest::Method::GET, "events?admin=admin", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !by.is_empty()
            && by
                .iter()
                .all(|e| e["detail"].as_str().unwrap().starts_with("by admin admin")),
        "{by:?}"
    );
    let by: Vec<Value> = api(&gw, reqwest::Method::GET, "events?admin=alice", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by, Vec::<Value>::new());
    let r = api(
        &gw,
        reqwest::Method::GET,
        "events?user=alice&kind=mfa_reset&format=csv",
        &admin,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    assert!(
        csv.starts_with(r#""time","kind","outcome","user","ip","user_agent","detail""#),
        "{csv}"
    );
    assert!(
        csv.contains(r#","mfa_reset","success","alice","127.0.0.1","#),
        "{csv}"
    );
    let r = api(&gw, reqwest::Method::GET, "events?kind=nonsense", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let stats: Value = api(&gw, reqwest::Method::GET, "stats?since=1h", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats["enrolment"]["users"], 2,
        "mallory is disabled: {stats}"
    );
    assert_eq!(
        stats["enrolment"]["enrolled"], 1,
        "alice was reset: {stats}"
    );
    assert_eq!(stats["lockouts"], 0);
}

#[tokio::test]
async fn a_stale_factor_gets_403_and_changes_nothing_until_a_code_is_proved() {
    let gw = Gateway::with(two_factor()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let (admin, admin_codes) = admin_by_trusted_device(&gw).await;

    // Reading needs no fresh code; acting does.
    assert_eq!(users(&gw, &admin, "").await.len(), 3);
    for action in ["mfa-reset", "lockout-clear", "revoke-sessions", "disable"] {
        let r = act(&gw, &admin, "alice", action, None).await;
        assert_eq!(r.status(), 403, "{action}");
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"error": "fresh_factor_required"})
        );
    }
    let devices = users(&gw, &admin, "admin").await[0]["devices"].clone();
    let device = devices[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(forget_device(&gw, &admin, &device).await.status(), 403);
    // Nothing changed.
    assert_eq!(app_status(&gw, &alice).await, 200);
    let a = users(&gw, &admin, "alice").await;
    assert_eq!(
        (
            a[0]["methods"][0]["method"].as_str(),
            a[0]["disabled"].as_bool()
        ),
        (Some("totp"), Some(false))
    );
    assert_eq!(users(&gw, &admin, "admin").await[0]["devices"], devices);
    let e = event_matching(&gw, &admin, "user=alice&kind=mfa_reset", |_| true).await;
    assert_eq!(e["outcome"], "failure");
    assert_eq!(e["detail"], "by admin admin: fresh factor required");

    // A wrong code is refused (and counts as a failure of the admin's).
    let r = act(
        &gw,
        &admin,
        "alice",
        "mfa-reset",
        Some(json!({"method": "backup_code", "code": "aaaa-bbbb-cccc"})),
    )
    .await;
    assert_eq!(r.status(), 401);
    assert_eq!(app_status(&gw, &alice).await, 200);

    // A code proved with the request: done, and the re-issued session is fresh for the next one.
    let r = act(
        &gw,
        &admin,
        "alice",
        "revoke-sessions",
        Some(json!({"method": "backup_code", "code": admin_codes[0]})),
    )
    .await;
    assert_eq!(r.status(), 204);
    assert_eq!(app_status(&gw, &alice).await, 401, "her sessions ended");
    let fresh = session_cookie(&r).expect("a re-issued session");
    assert_eq!(forget_device(&gw, &fresh, &device).await.status(), 204);
    assert_eq!(users(&gw, &fresh, "admin").await[0]["devices"], json!([]));
    // The old cookie is still not fresh.
    assert_eq!(
        act(&gw, &admin, "alice", "lockout-clear", None)
            .await
            .status(),
        403
    );
    assert_eq!(
        act(&gw, &fresh, "nobody", "lockout-clear", None)
            .await
            .status(),
        404
    );
    assert_eq!(
        act(&gw, &fresh, "alice", "explode", None).await.status(),
        404
    );
}

#[tokio::test]
async fn non_admins_get_403_from_the_page_and_the_api_and_strangers_are_sent_to_sign_in() {
    let gw = Gateway::with(two_factor()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let r = navigate(&gw, "/.portcullis/admin", &alice).await;
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("You do not have access to this page."));
    for path in [
        "/.portcullis/admin/users/admin",
        "/.portcullis/admin/events",
        "/.portcullis/admin/events.csv",
    ] {
        assert_eq!(navigate(&gw, path, &alice).await.status(), 403, "{path}");
    }
    let r = api(&gw, reqwest::Method::GET, "users", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"error": "forbidden"})
    );
    assert_eq!(
        act(&gw, &alice, "admin", "mfa-reset", None).await.status(),
        403
    );
    let e = audit_until(&gw, "admin", |e| e["kind"] == "mfa_reset").await;
    let e = e.iter().find(|e| e["kind"] == "mfa_reset").unwrap();
    assert_eq!(e["outcome"], "failure");
    assert_eq!(e["detail"], "by admin alice: refused: not an admin");
    assert_eq!(
        api(&gw, reqwest::Method::GET, "stats", &alice)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // The account page links the admin page for admins only.
    let account = navigate(&gw, "/.portcullis/account", &alice)
        .await
        .text()
        .await
        .unwrap();
    assert!(!account.contains("Admin: users and security"), "{account}");
    let (admin, _, _) = gw.enrol("admin").await;
    let account = navigate(&gw, "/.portcullis/account", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(account.contains("Admin: users and security"), "{account}");

    // Without a session: the API says 401, the page sends the browser to sign in.
    assert_eq!(
        api(&gw, reqwest::Method::GET, "users", "")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let r = navigate(&gw, "/.portcullis/admin", "").await;
    assert_eq!(r.status(), 302);
    assert_eq!(
        r.headers()["location"],
        "/.portcullis/login?rd=%2F%2Eportcullis%2Fadmin"
    );
    // A half session (password only) is sent to its second factor.
    let (_, half) = gw.password("admin").await;
    let r = navigate(&gw, "/.portcullis/admin", &half).await;
    assert_eq!(r.status(), 302);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/.portcullis/mfa"));
    assert_eq!(
        api(&gw, reqwest::Method::GET, "users", &half)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn a_script_in_the_protected_app_cannot_read_the_admin_page_or_use_the_api_or_forge_a_form() {
    let gw = Gateway::with(two_factor()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let (admin, _, _) = gw.enrol("admin").await;

    // fetch()/XHR from the app's pages: refused, whatever the Accept header.
    for (mode, dest) in [
        ("cors", "empty"),
        ("same-origin", "empty"),
        ("navigate", "iframe"),
        ("no-cors", "object"),
    ] {
        let r = gw
            .client()
            .get(gw.url("/.portcullis/admin"))
            .header("cookie", &admin)
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header("sec-fetch-mode", mode)
            .header("sec-fetch-dest", dest)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{mode} {dest}");
        assert!(!r.text().await.unwrap().contains("name=\"csrf\""));
    }
    // A service worker's navigation preload hands the page to the worker's script: refused.
    let r = gw
        .client()
        .get(gw.url("/.portcullis/admin/users/alice"))
        .header("cookie", &admin)
        .header("sec-fetch-mode", "navigate")
        .header("sec-fetch-dest", "document")
        .header("service-worker-navigation-preload", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The same through the API: any Fetch Metadata marks a browser, and the API refuses it.
    for header in ["Sec-Fetch-Site", "sec-fetch-mode", "SEC-FETCH-DEST"] {
        let r = api(&gw, reqwest::Method::GET, "users", &admin)
            .header(header, "same-origin")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}");
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"error": "browser_request_refused"})
        );
    }

    // A navigation is served, isolated from windows the app opens, and runs no script.
    let r = navigate(&gw, "/.portcullis/admin/users/alice", &admin).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cross-origin-opener-policy"], "same-origin");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let csrf_cookie = cookie_named(&r, "portcullis_csrf").expect("a CSRF cookie");
    let page = r.text().await.unwrap();
    let admin_token = form_token(&page);

    // The sign-in page's token (a script can fetch that page) is worth nothing here.
    let login = gw
        .client()
        .get(gw.url("/.portcullis/login"))
        .header("cookie", &csrf_cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let login_token = form_token(&login);
    assert_ne!(login_token, admin_token);
    let cookies = format!("{admin}; {csrf_cookie}");
    let forged = [
        ("csrf", login_token.as_str()),
        ("action", "mfa-reset"),
        ("user", "alice"),
        ("confirm", "alice"),
    ];
    assert_eq!(post_form(&gw, &cookies, &forged).await.status(), 403);
    // Nor is a real token sent by fetch() rather than by the form, nor from another site.
    let real = [
        ("csrf", admin_token.as_str()),
        ("action", "mfa-reset"),
        ("user", "alice"),
        ("confirm", "alice"),
    ];
    let fetch = [
        ("origin", "http://gateway.test"),
        ("sec-fetch-site", "same-origin"),
        ("sec-fetch-mode", "cors"),
        ("sec-fetch-dest", "empty"),
    ];
    let other_site = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-dest", "document"),
    ];
    for headers in [&fetch, &other_site] {
        let r = post_form_with(&gw, &cookies, &real, headers).await;
        assert_eq!(r.status(), 403, "{headers:?}");
    }
    assert_eq!(app_status(&gw, &alice).await, 200, "alice was not reset");
    assert_eq!(
        users(&gw, &admin, "alice").await[0]["methods"][0]["method"],
        "totp"
    );
}

#[tokio::test]
async fn disabling_from_the_page_ends_her_sessions_keeps_comments_and_loses_no_concurrent_user_add()
{
    let gw = Gateway::with(two_factor()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let (admin, _, _) = gw.enrol("admin").await;
    let r = navigate(&gw, "/.portcullis/admin/users/alice", &admin).await;
    assert_eq!(r.status(), 200);
    let cookies = format!("{admin}; {}", cookie_named(&r, "portcullis_csrf").unwrap());
    let page = r.text().await.unwrap();
    assert!(page.contains("authenticator app since"), "{page}");
    let token = form_token(&page);

    // The first press asks, naming the user.
    let r = post_form(
        &gw,
        &cookies,
        &[("csrf", &token), ("action", "disable"), ("user", "alice")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let confirm = r.text().await.unwrap();
    assert!(
        confirm.contains("Disable the account of alice?"),
        "{confirm}"
    );
    assert!(confirm.contains("name=\"confirm\" value=\"alice\""));
    assert!(
        !confirm.contains("id=\"code\""),
        "the factor is fresh: no code asked"
    );
    assert_eq!(app_status(&gw, &alice).await, 200, "asking changed nothing");

    // The confirmation, while `portcullis user add` edits the same file.
    let dir = gw.dir.path().to_owned();
    let add = tokio::task::spawn_blocking(move || {
        start_user_add(&dir, "zed").wait_with_output().unwrap()
    });
    let confirmed = [
        ("csrf", token.as_str()),
        ("action", "disable"),
        ("user", "alice"),
        ("confirm", "alice"),
    ];
    let (r, added) = tokio::join!(post_form(&gw, &cookies, &confirmed), add);
    let added = added.unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/.portcullis/admin/users/alice?done=disable"
    );

    assert_eq!(
        app_status(&gw, &alice).await,
        401,
        "her next request is refused"
    );
    let text = std::fs::read_to_string(gw.dir.path().join("users.toml")).unwrap();
    assert!(
        text.starts_with("# fixture users\n"),
        "comments kept:\n{text}"
    );
    let db = portcullis::auth::users::UserDb::load(&gw.dir.path().join("users.toml")).unwrap();
    assert!(db.get("alice").unwrap().disabled);
    assert!(
        db.get("zed").is_some(),
        "the concurrent add landed:\n{text}"
    );
    assert!(!db.get("admin").unwrap().disabled);

    let page = navigate(&gw, "/.portcullis/admin/users/alice?done=disable", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("alice is disabled."), "{page}");
    let e = event_matching(&gw, &admin, "user=alice&kind=user_disabled", |_| true).await;
    assert_eq!(
        (e["outcome"].as_str(), e["detail"].as_str()),
        (Some("success"), Some("by admin admin"))
    );
    // `portcullis user enable` lets her in again.
    let (code, out) = cli(gw.dir.path(), &["user", "enable", "alice"]);
    assert_eq!(code, 0, "{out}");
    let db = portcullis::auth::users::UserDb::load(&gw.dir.path().join("users.toml")).unwrap();
    assert!(!db.get("alice").unwrap().disabled);
    // The running gateway admits the added user (its file watcher reloads the users).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/login"))
            .json(&json!({"username": "zed", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "zed was never admitted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn thousands_of_users_are_searched_and_paged() {
    // The fixture users, and 3000 more with the same password hash (hashing each is slow).
    let mut users = users_toml();
    let hash = users
        .split("password = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    for i in 0..3000 {
        users.push_str(&format!(
            "[[user]]\nname = \"staff{i:04}\"\npassword = \"{hash}\"\ngroups = [\"staff\"]\n\n"
        ));
    }
    let gw = Gateway::with(Setup {
        files: vec![("users.toml".into(), users)],
        ..two_factor()
    })
    .await;
    let (admin, _, _) = gw.enrol("admin").await;

    let started = Instant::now();
    let r = navigate(&gw, "/.portcullis/admin?page=120", &admin).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let elapsed = started.elapsed();
    assert!(page.contains("3003 users · page 120 of 121"), "{page}");
    assert_eq!(page.matches("<li>").count(), 25, "25 users a page");
    assert!(
        page.contains(">staff2972<")
            && page.contains(">staff2996<")
            && !page.contains(">staff2997<"),
        "{page}"
    );
    assert!(page.contains("Previous page") && page.contains("Next page"));
    eprintln!("P/admin with 3003 users: {elapsed:?}");

    // Past the last page, however far: the last page.
    let r = navigate(&gw, "/.portcullis/admin?page=18446744073709551615", &admin).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("page 121 of 121"));

    let r = navigate(&gw, "/.portcullis/admin?q=staff29", &admin).await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains("100 users matching “staff29” · page 1 of 4"),
        "{page}"
    );

    let r = api(
        &gw,
        reqwest::Method::GET,
        "users?q=staff2&offset=990&limit=100",
        &admin,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.headers()["x-total-count"], "1000");
    let list: Vec<Value> = r.json().await.unwrap();
    let names: Vec<&str> = list.iter().map(|u| u["user"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 10);
    assert_eq!((names[0], names[9]), ("staff2990", "staff2999"));
    let r = api(&gw, reqwest::Method::GET, "users?limit=100000", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Vec<Value>>().await.unwrap().len(),
        1000,
        "at most 1000 an answer"
    );
}

#[tokio::test]
async fn a_disable_that_cannot_edit_the_users_file_still_ends_the_sessions_and_says_it_failed() {
    let gw = Gateway::with(two_factor()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let (admin, _, _) = gw.enrol("admin").await;
    // The users file becomes a directory: nothing can edit it (the running gateway keeps the
    // users it loaded).
    let file = gw.dir.path().join("users.toml");
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let r = act(&gw, &admin, "alice", "disable", None).await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"error": "unavailable"})
    );
    assert_eq!(
        app_status(&gw, &alice).await,
        401,
        "her sessions ended all the same"
    );
    let e = event_matching(&gw, &admin, "user=alice&kind=user_disabled", |_| true).await;
    assert_eq!(e["outcome"], "failure");
    assert!(
        e["detail"]
            .as_str()
            .unwrap()
            .contains("their sessions were ended"),
        "{e}"
    );
}
