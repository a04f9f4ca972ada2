//! DESIGN §9 and §2: `/metrics` on `metrics_listen` (read by an independent parser, Python's
//! `prometheus_client`), and configuration reload without a restart.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::*;

/// Every sample of an OpenMetrics text, as `name{label="value",…}` → value, parsed by
/// `prometheus_client.openmetrics.parser` (strict: it refuses text that breaks the format).
fn parse(text: &str) -> BTreeMap<String, f64> {
    let script = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        out[f"{s.name}{{{labels}}}"] = s.value
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with prometheus-client (bash .ci/run installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the parser refused the metrics: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn scrape(gw: &Gateway) -> (String, BTreeMap<String, f64>) {
    let addr = gw.server.metrics_addr.expect("metrics_listen is set");
    let r = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let text = r.text().await.unwrap();
    let samples = parse(&text);
    (text, samples)
}

/// What moved between two scrapes, leaving out what a test cannot predict: store timings and
/// the upstream's time buckets (their count is kept).
fn moved(before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    after
        .iter()
        .filter(|(k, _)| {
            !k.starts_with("portcullis_store_seconds")
                && !k.starts_with("portcullis_upstream_response_seconds_bucket")
                && !k.starts_with("portcullis_upstream_response_seconds_sum")
        })
        .filter_map(|(k, v)| {
            let d = v - before.get(k).copied().unwrap_or(0.0);
            (d != 0.0).then(|| (k.clone(), d))
        })
        .collect()
}

#[tokio::test]
async fn metrics_move_by_exactly_what_a_scripted_sign_in_failures_and_requests_add() {
    let gw = Gateway::with(Setup {
        extra: "metrics_listen = \"127.0.0.1:0\"\n".into(),
        limits: "per_ip = \"1000/min\"\nmax_failures = 3\nlockout = \"10m\"".into(),
        mfa_required: true,
        ..Setup::default()
    })
    .await;
    let (_, secret, _) = gw.enrol("alice").await;
    let (text, before) = scrape(&gw).await;
    assert!(text.contains(&format!(
        "portcullis_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    )));
    assert_eq!(before["portcullis_lockouts_active{}"], 0.0);

    let c = gw.client();
    let login = |user: &'static str, password: &'static str| {
        c.post(gw.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
    };
    // alice: a wrong password, the right one, a wrong code, the right code.
    assert_eq!(login("alice", "wrong").await.unwrap().status(), 401);
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "mfa_required");
    assert_eq!(gw.mfa(&half, "totp", "000000").await.status(), 401);
    let r = gw.mfa(&half, "totp", &totp_code(&secret, 1)).await;
    assert_eq!(r.status(), 200);
    let full = session_cookie(&r).unwrap();
    // One request of each outcome on the public listener.
    let get = |path: &str, cookie: Option<&str>| {
        let mut r = c.get(gw.url(path));
        if let Some(cookie) = cookie {
            r = r.header("cookie", cookie);
        }
        r.send()
    };
    assert_eq!(
        get("/mfa-only/report", Some(&full)).await.unwrap().status(),
        200
    );
    assert_eq!(get("/public/logo.png", None).await.unwrap().status(), 200);
    assert_eq!(get("/secret/x", Some(&full)).await.unwrap().status(), 403);
    assert_eq!(get("/mfa-only/report", None).await.unwrap().status(), 401);
    let refused = gw
        .raw(b"GET /public/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        .await;
    assert_eq!(status_of(&refused), 400);
    assert_eq!(gw.post_api("logout", &full).await.status(), 204);
    // bob: three wrong passwords lock him; the fourth attempt is refused unchecked.
    for _ in 0..3 {
        login("bob", "wrong").await.unwrap();
    }
    assert_eq!(login("bob", PASSWORD).await.unwrap().status(), 429);

    let (_, after) = scrape(&gw).await;
    let expected: BTreeMap<String, f64> = [
        // 2 + 4 (alice's and bob's logins), 2 codes, 1 logout.
        ("portcullis_requests_total{outcome=\"gateway\"}", 9.0),
        ("portcullis_requests_total{outcome=\"forwarded\"}", 1.0),
        ("portcullis_requests_total{outcome=\"bypass\"}", 1.0),
        ("portcullis_requests_total{outcome=\"denied\"}", 1.0),
        ("portcullis_requests_total{outcome=\"login\"}", 1.0),
        ("portcullis_requests_total{outcome=\"refused\"}", 1.0),
        ("portcullis_upstream_response_seconds_count{}", 2.0),
        (
            "portcullis_auth_events_total{factor=\"password\",result=\"failure\"}",
            4.0,
        ),
        (
            "portcullis_auth_events_total{factor=\"password\",result=\"success\"}",
            1.0,
        ),
        (
            "portcullis_auth_events_total{factor=\"password\",result=\"locked\"}",
            1.0,
        ),
        (
            "portcullis_auth_events_total{factor=\"totp\",result=\"failure\"}",
            1.0,
        ),
        (
            "portcullis_auth_events_total{factor=\"totp\",result=\"success\"}",
            1.0,
        ),
        (
            "portcullis_sessions_issued_total{state=\"pending_second_factor\"}",
            1.0,
        ),
        ("portcullis_sessions_issued_total{state=\"signed_in\"}", 1.0),
        ("portcullis_sessions_revoked_total{scope=\"session\"}", 1.0),
        ("portcullis_lockouts_total{}", 1.0),
        ("portcullis_lockouts_active{}", 1.0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(moved(&before, &after), expected);
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_listener() {
    let gw = Gateway::with(Setup {
        extra: "metrics_listen = \"127.0.0.1:0\"\n".into(),
        locations: "[[location]]\npath = \"/\"\npolicy = \"bypass\"\n".into(),
        ..Setup::default()
    })
    .await;
    // Even where everything is public, /metrics is the application's path, not ours.
    let r = gw.client().get(gw.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.upstream.last().path_and_query, "/metrics");
    assert!(!r.text().await.unwrap().contains("portcullis_"));
    for path in ["/.portcullis/metrics", "/.portcullis/api/metrics"] {
        let r = gw.client().get(gw.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    // And the metrics listener serves nothing but /metrics.
    let addr = gw.server.metrics_addr.unwrap();
    let r = reqwest::get(format!("http://{addr}/")).await.unwrap();
    assert_eq!(r.status(), 404);
    let r = reqwest::Client::new()
        .post(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn without_metrics_listen_there_is_no_metrics_listener() {
    let gw = Gateway::start().await;
    assert_eq!(gw.server.metrics_addr, None);
}

fn set_policy(gw: &Gateway, from: &str, to: &str) {
    let path = gw.dir.path().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[tokio::test]
async fn a_reload_applies_a_changed_location_to_the_next_request_on_the_same_connection() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        ..Setup::default()
    })
    .await;
    let (full, _, _) = gw.enrol("alice").await;
    // One keep-alive connection, open across the reload.
    let mut conn = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    let request =
        format!("GET /mfa-only/report HTTP/1.1\r\nHost: gateway.test\r\nCookie: {full}\r\n\r\n");
    assert_eq!(exchange(&mut conn, &request).await, 200);
    let reached = gw.upstream.count();
    set_policy(
        &gw,
        "path = \"/mfa-only\"\npolicy = \"two_factor\"",
        "path = \"/mfa-only\"\npolicy = \"deny\"",
    );
    let r = gw.server.reload().await.unwrap();
    assert!(r.restart_needed.is_empty(), "{:?}", r.restart_needed);
    assert_eq!(exchange(&mut conn, &request).await, 403);
    assert_eq!(gw.upstream.count(), reached, "no request reached the app");
    // The session made before the reload is still good where the policy allows it.
    let request = format!("GET /reports HTTP/1.1\r\nHost: gateway.test\r\nCookie: {full}\r\n\r\n");
    assert_eq!(exchange(&mut conn, &request).await, 200);
}

/// Sends one request on `conn` and reads its response (a `Content-Length` body); the status.
async fn exchange(conn: &mut tokio::net::TcpStream, request: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    conn.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 4096];
        let n = conn.read(&mut chunk).await.unwrap();
        assert!(
            n > 0,
            "the connection closed: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length: usize = text[..end]
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .expect("a Content-Length");
        if buf.len() >= end + 4 + length {
            return status_of(&text);
        }
    }
}

#[tokio::test]
async fn an_invalid_config_is_refused_with_file_line_and_key_and_the_old_one_keeps_serving() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        ..Setup::default()
    })
    .await;
    let (full, _, _) = gw.enrol("alice").await;
    set_policy(
        &gw,
        "path = \"/mfa-only\"\npolicy = \"two_factor\"",
        "path = \"/mfa-only\"\npolicy = \"two_factors\"",
    );
    let e = gw.server.reload().await.unwrap_err().to_string();
    assert!(
        e.contains("config.toml:") && e.contains("\"policy\" in [[location]]"),
        "{e}"
    );
    let r = gw
        .client()
        .get(gw.url("/mfa-only/report"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the running configuration still serves");
}

#[tokio::test]
async fn keys_that_need_a_restart_are_named_and_keep_their_running_values() {
    let gw = Gateway::start().await;
    let path = gw.dir.path().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("listen = \"127.0.0.1:0\"", "listen = \"127.0.0.1:1\"")
            .replace("data/portcullis.redb", "elsewhere/portcullis.redb"),
    )
    .unwrap();
    let r = gw.server.reload().await.unwrap();
    assert_eq!(r.restart_needed, vec!["[server] listen", "[storage] path"]);
    let app = gw.server.app();
    assert_eq!(
        app.config.storage.path,
        gw.dir.path().join("data/portcullis.redb")
    );
    assert_eq!(
        gw.client()
            .get(gw.url("/public/x"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// A POST to our own API whose body never comes (a connection held without signing in) is
/// answered when the body deadline passes, and the connection is let go.
#[tokio::test]
async fn a_body_that_never_arrives_at_our_own_pages_is_answered_at_the_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = std::time::Duration::from_millis(300);
    let gw = Gateway::with(Setup {
        timeouts: portcullis::server::Timeouts {
            own_body: deadline,
            ..Default::default()
        },
        ..Setup::default()
    })
    .await;
    for path in ["/.portcullis/api/login", "/.portcullis/logout"] {
        let mut conn = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
        let started = std::time::Instant::now();
        conn.write_all(
            format!("POST {path} HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"username\"").as_bytes(),
        )
        .await
        .unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            conn.read_to_end(&mut answer),
        )
        .await
        .expect("the connection was let go")
        .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        let status = status_of(&answer);
        assert!((400..500).contains(&status), "{path}: {answer}");
        assert!(
            started.elapsed() >= deadline,
            "{path}: answered before the deadline"
        );
    }
}

/// Operators' scripts may run `portcullis user add` several at once (one per new hire): each
/// edit waits for the one in progress, so none is lost, the comments stay, and the running
/// gateway admits every new user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_adds_run_at_once_all_land_and_the_running_gateway_admits_each() {
    let gw = Gateway::start().await;
    let dir = gw.dir.path().to_owned();
    let users = dir.join("users.toml");
    let before = std::fs::read_to_string(&users).unwrap();
    let children: Vec<_> = (0..8)
        .map(|i| start_user_add(&dir, &format!("hire{i}")))
        .collect();
    for child in children {
        let out = tokio::task::block_in_place(|| child.wait_with_output()).unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after = std::fs::read_to_string(&users).unwrap();
    assert!(
        after.starts_with(before.lines().next().unwrap()),
        "comments kept"
    );
    for i in 0..8 {
        assert!(
            after.contains(&format!("name = \"hire{i}\"")),
            "hire{i} lost:\n{after}"
        );
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    for i in 0..8 {
        loop {
            let r = gw
                .client()
                .post(gw.url("/.portcullis/api/login"))
                .json(&serde_json::json!({"username": format!("hire{i}"), "password": PASSWORD}))
                .send()
                .await
                .unwrap();
            if r.status() == 200 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "hire{i} never admitted"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
}

/// `portcullis stats` against a scripted series: every figure is what the script made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_exactly_the_sign_ins_failures_and_lockouts_that_happened() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        locations: String::new(),
        ..Setup::default()
    })
    .await;
    let login = |user: &'static str, password: &'static str| {
        gw.client()
            .post(gw.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
    };
    // alice: enrols (password ok), two wrong passwords, the right one, a wrong code, a backup code.
    let (_, _, codes) = gw.enrol("alice").await;
    for _ in 0..2 {
        assert_eq!(login("alice", "wrong").await.unwrap().status(), 401);
    }
    let (_, half) = gw.password("alice").await;
    assert_eq!(gw.mfa(&half, "totp", "000000").await.status(), 401);
    assert_eq!(gw.mfa(&half, "backup_code", &codes[0]).await.status(), 200);
    // admin: four wrong passwords, a fifth that locks, a sixth refused while locked.
    for _ in 0..4 {
        assert_eq!(login("admin", "wrong").await.unwrap().status(), 401);
    }
    for _ in 0..2 {
        assert_eq!(login("admin", "wrong").await.unwrap().status(), 429);
    }
    audit_until(&gw, "admin", |e| {
        e["kind"] == "login_failed" && e["detail"] == "locked (account)"
    })
    .await;
    audit_until(&gw, "alice", |e| {
        e["kind"] == "factor_succeeded" && e["detail"] == "backup_code"
    })
    .await;
    let (code, out) = tokio::task::block_in_place(|| {
        cli_stdout(gw.dir.path(), &["stats", "--since", "1h", "--json"])
    });
    assert_eq!(code, 0, "{out}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = |step: &str| {
        let r = &s["sign_ins"][step];
        (
            r["success"].as_u64().unwrap(),
            r["failure"].as_u64().unwrap(),
            r["locked"].as_u64().unwrap(),
        )
    };
    assert_eq!(results("password"), (2, 6, 2), "{out}");
    assert_eq!(results("totp"), (0, 1, 0), "{out}");
    assert_eq!(results("backup_code"), (1, 0, 0), "{out}");
    assert_eq!(results("trusted_device"), (0, 0, 0), "{out}");
    assert_eq!(s["lockouts"], 1, "{out}");
    assert_eq!(s["codes"]["email"]["sent"], 0, "{out}");
    // alice and admin may sign in (mallory is disabled); alice is enrolled.
    assert_eq!(s["enrolment"]["users"], 2, "{out}");
    assert_eq!(s["enrolment"]["disabled"], 1, "{out}");
    assert_eq!(s["enrolment"]["enrolled"], 1, "{out}");
    assert_eq!(s["enrolment"]["share"], 0.5, "{out}");
    // The table, and the same answer with the gateway stopped (the CLI reads the store itself).
    let (code, table) = tokio::task::block_in_place(|| cli(gw.dir.path(), &["stats"]));
    assert_eq!(code, 0, "{table}");
    assert!(
        table.contains("  password                2        6        2"),
        "{table}"
    );
    let Gateway { server, dir, .. } = gw;
    server.stop();
    server.wait().await;
    let (code, again) = tokio::task::block_in_place(|| {
        cli_stdout(dir.path(), &["stats", "--since", "1h", "--json"])
    });
    assert_eq!(code, 0, "{again}");
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["sign_ins"], s["sign_ins"]);
    assert_eq!(again["enrolment"], s["enrolment"]);
}

/// The overview names who is still inside the enrolment grace period, and until when.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_list_the_users_inside_the_grace_period_and_count_the_others() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        mfa_extra: "grace_period = \"7d\"\n".into(),
        locations: String::new(),
        ..Setup::default()
    })
    .await;
    let before = portcullis::app::now();
    let (status, _) = gw.password("alice").await;
    assert_eq!(
        status, "authenticated",
        "inside the grace period, the password is enough"
    );
    let Gateway { server, dir, .. } = gw;
    server.stop();
    server.wait().await;
    // admin signed in first eight days ago (written as the gateway would have).
    {
        let store =
            portcullis::store::Store::open(&dir.path().join("data/portcullis.redb")).unwrap();
        store.first_login("admin", before - 8 * 86_400).unwrap();
    }
    let (code, out) = tokio::task::block_in_place(|| cli_stdout(dir.path(), &["stats", "--json"]));
    assert_eq!(code, 0, "{out}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    let grace = &s["grace"];
    assert_eq!(grace["period"], 7 * 86_400, "{out}");
    let inside = grace["inside"].as_array().unwrap();
    assert_eq!(inside.len(), 1, "{out}");
    assert_eq!(inside[0][0], "alice");
    let ends = inside[0][1].as_u64().unwrap();
    assert!(ends >= before + 7 * 86_400 && ends <= portcullis::app::now() + 7 * 86_400);
    assert_eq!(grace["ended"], 1, "admin: {out}");
    assert_eq!(
        grace["not_started"], 0,
        "mallory is disabled and not counted: {out}"
    );
    let (_, table) = tokio::task::block_in_place(|| cli(dir.path(), &["stats"]));
    assert!(
        table.contains("grace period 7days: 1 inside, 0 not signed in yet, 1 ended"),
        "{table}"
    );
    assert!(table.contains("  alice            until "), "{table}");
}
