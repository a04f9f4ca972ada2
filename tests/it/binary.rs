//! Tests that run the real `portcullis` binary: config errors, demo, streaming memory, shutdown.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::*;

const BIN: &str = env!("CARGO_BIN_EXE_portcullis");

fn check(config: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.toml"), "").unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_misspelt_key_is_one_line_naming_file_line_key_and_suggestion() {
    let (code, err) = check(
        "[server]\nlistn = \"127.0.0.1:8080\"\n\n[upstream]\nurl = \"http://127.0.0.1:3000\"\n",
    );
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("config.toml:2:"), "{err}");
    assert!(
        err.contains("\"listn\"") && err.contains("\"listen\""),
        "{err}"
    );
}

#[test]
fn a_bad_duration_is_one_line_naming_line_and_key() {
    let (code, err) =
        check("[upstream]\nurl = \"http://127.0.0.1:3000\"\ntimeout = \"5 parsecs\"\n");
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("config.toml:3:") && err.contains("timeout"),
        "{err}"
    );
}

#[test]
fn a_missing_upstream_is_one_line_naming_the_key() {
    let (code, err) = check("[server]\nlisten = \"127.0.0.1:8080\"\n");
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("config.toml") && err.contains("url") && err.contains("[upstream]"),
        "{err}"
    );
}

#[test]
fn a_valid_config_checks_ok_and_warns_about_shadowed_locations_and_totp_settings_apps_ignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.toml"), users_toml()).unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[upstream]\nurl = \"http://127.0.0.1:3000\"\n[mfa.totp]\ndigits = 8\n[[location]]\npath = \"/api\"\npolicy = \"bypass\"\n[[location]]\npath = \"/api/admin\"\npolicy = \"deny\"\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("users       3"), "{stdout}");
    // The fixture's "admin" is in "admins", the default [admin] groups.
    assert!(
        stdout.contains("admin page  /.portcullis/admin for groups admins (1 user: admin)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("upstream    http://127.0.0.1:3000/ (Host: the client's; redirects to it rewritten to public_url)"),
        "{stdout}"
    );
    assert!(stdout.contains("location #2 can never match"), "{stdout}");
    assert!(
        stdout.contains(
            "config.toml:4:1: digits = 8 is ignored by several common authenticator apps"
        ),
        "{stdout}"
    );
}

#[test]
fn check_warns_about_users_who_could_never_prove_a_second_factor() {
    let dir = tempfile::tempdir().unwrap();
    let hash = portcullis::auth::password::hash(PASSWORD).unwrap();
    std::fs::write(
        dir.path().join("users.toml"),
        format!("[[user]]\nname = \"ann\"\npassword = \"{hash}\"\nemail = \"ann@example.com\"\n\n[[user]]\nname = \"bo\"\npassword = \"{hash}\"\n"),
    )
    .unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[upstream]\nurl = \"http://127.0.0.1:3000\"\n[mfa]\nmethods = [\"email\", \"backup_code\"]\n[smtp]\nurl = \"log\"\nfrom = \"a@b.example\"\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("users.toml: user \"bo\" has no second factor they can use: [mfa] methods has no authenticator app, and this user has no email"),
        "{stdout}"
    );
    assert!(!stdout.contains("user \"ann\""), "{stdout}");
    // And a development mail setting is named as such.
    assert!(
        stdout.contains("written to the log instead of being sent"),
        "{stdout}"
    );
}

#[test]
fn check_warns_about_encoded_slash_locations_that_open_more_than_they_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.toml"), users_toml()).unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[upstream]\nurl = \"http://127.0.0.1:3000\"\n\
         [[location]]\npath = \"/api/admin\"\npolicy = \"deny\"\n\
         [[location]]\npath = \"/api\"\npolicy = \"bypass\"\nallow_encoded_slash = true\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("warning: location #2 allows encoded slashes and is bypass"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: location #1's path \"/api/admin\" lies inside location #2 (allow_encoded_slash)"),
        "{stdout}"
    );
}

#[tokio::test]
async fn logs_written_to_a_pipe_carry_no_colour_escapes() {
    // As a log collector or `2> file` reads it: through a pipe, not a terminal.
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &upstream.url(), &Setup::default());
    let mut child = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(config)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _gw = Proc(child);
    let log = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut log = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            log.push_str(&line);
            log.push('\n');
            if line.contains("listening") {
                break;
            }
        }
        log
    })
    .await
    .unwrap();
    assert!(log.contains("listening"), "{log}");
    assert!(
        !log.contains('\x1b'),
        "ANSI escapes in a piped log: {log:?}"
    );
}

fn spawn_serve(dir: &std::path::Path) -> Proc {
    Proc(
        Command::new(BIN)
            .args(["serve", "--config"])
            .arg(dir.join("config.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

fn vm_hwm_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap()
}

#[tokio::test]
async fn the_demo_works_out_of_the_box() {
    let demo = Demo::start().await;
    assert_eq!(demo.user, "demo");
    // localhost, where browsers offer passkeys (not on an IP address).
    assert_eq!(demo.address, format!("http://localhost:{}/", demo.port));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{}", demo.port);
    let r = client
        .get(format!("{base}/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let r = client
        .post(format!("{base}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": demo.user, "password": demo.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let half = session_cookie(&r).unwrap();
    let status: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        status["status"], "enrollment_required",
        "the demo asks for a second factor"
    );
    let cookie = enrol_with(&client, &base, &half).await.0;
    let r = client
        .get(format!("{base}/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let page = r.text().await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Hello, demo"), "{page}");
}

#[tokio::test]
async fn the_demo_e_mails_codes_into_the_folder_its_banner_names() {
    let demo = Demo::start().await;
    let base = format!("http://127.0.0.1:{}", demo.port);
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": demo.user, "password": demo.password}))
        .send()
        .await
        .unwrap();
    let half = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "enrollment_required");
    assert_eq!(body["methods"], serde_json::json!(["email"]));
    let r = client
        .post(format!("{base}/.portcullis/api/mfa/send"))
        .header("cookie", &half)
        .json(&serde_json::json!({"method": "email"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mail: Vec<_> = std::fs::read_dir(&demo.mail)
        .unwrap_or_else(|e| panic!("{}: {e}", demo.mail.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(mail.len(), 1, "{mail:?}");
    let code = code_in(&std::fs::read_to_string(&mail[0]).unwrap());
    let r = client
        .post(format!("{base}/.portcullis/api/mfa"))
        .header("cookie", &half)
        .json(&serde_json::json!({"method": "email", "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// `portcullis health ARGS --config CONFIG`, off the async threads.
fn health(
    config: std::path::PathBuf,
    args: Vec<String>,
) -> tokio::task::JoinHandle<std::process::Output> {
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            // A proxy that answers nothing: the probe must ask the gateway itself.
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("ALL_PROXY", "http://127.0.0.1:9")
            .arg("health")
            .args(args)
            .arg("--config")
            .arg(config)
            .output()
            .unwrap()
    })
}

#[tokio::test]
async fn health_exits_0_when_the_gateway_is_ready_and_1_when_it_is_not() {
    let (_upstream, dir, _gw, port) = serve_bypass().await;
    let config = dir.path().join("config.toml");
    let run = |args: Vec<String>| health(config.clone(), args);
    // From the config's listen address, and from --url.
    let out = run(vec![]).await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(vec!["--url".into(), format!("http://127.0.0.1:{port}")])
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Nothing listening: 1, saying why.
    let out = run(vec![
        "--url".into(),
        format!("http://127.0.0.1:{}", free_port()),
    ])
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not ready"));
}

#[tokio::test]
async fn the_demo_keeps_serving_when_its_stdout_is_closed() {
    // As `portcullis demo | head -3` does: the banner meets a closed pipe.
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut demo = Proc(child);
    wait_for_port(port, "the demo").await;
    // The banner is written after the listener is up; give it its moment to fail.
    for _ in 0..10 {
        let r = reqwest::get(format!("http://127.0.0.1:{port}/.portcullis/healthz")).await;
        assert_eq!(r.unwrap().status(), 200);
        assert!(demo.0.try_wait().unwrap().is_none(), "the demo exited");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_100_mb_upload_streams_through_with_flat_memory() {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let setup = Setup {
        extra: String::new(),
        locations: "[[location]]\npath = \"/\"\npolicy = \"bypass\"\n".into(),
        ..Setup::default()
    };
    let path = write_config(dir.path(), &upstream.url(), &setup);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("127.0.0.1:0", &format!("127.0.0.1:{port}"))
        .replace("timeout = \"1s\"", "timeout = \"60s\"");
    std::fs::write(&path, text).unwrap();
    let gw = spawn_serve(dir.path());
    wait_for_port(port, "the gateway").await;
    let before = vm_hwm_kib(gw.0.id());

    const TOTAL: u64 = 100 * 1024 * 1024;
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    s.write_all(format!("POST /upload HTTP/1.1\r\nHost: g\r\nContent-Length: {TOTAL}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..(TOTAL / chunk.len() as u64) {
        s.write_all(&chunk).await.unwrap();
    }
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert_eq!(upstream.last().body_len, TOTAL);
    let after = vm_hwm_kib(gw.0.id());
    assert!(
        after < before + 32 * 1024,
        "peak RSS grew from {before} KiB to {after} KiB while streaming 100 MiB"
    );
}

/// The binary serving a bypass location on a known port (upstream timeout 10 s).
async fn serve_bypass() -> (Upstream, tempfile::TempDir, Proc, u16) {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let setup = Setup {
        locations: "[[location]]\npath = \"/\"\npolicy = \"bypass\"\n".into(),
        ..Setup::default()
    };
    let path = write_config(dir.path(), &upstream.url(), &setup);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("127.0.0.1:0", &format!("127.0.0.1:{port}"))
        .replace("timeout = \"1s\"", "timeout = \"10s\"");
    std::fs::write(&path, text).unwrap();
    let gw = spawn_serve(dir.path());
    wait_for_port(port, "the gateway").await;
    (upstream, dir, gw, port)
}

fn sigterm(gw: &Proc) {
    let pid = gw.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
}

/// The exit status, waiting at most `limit`.
async fn exit_within(gw: &mut Proc, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(s) = gw.0.try_wait().unwrap() {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "did not exit within {limit:?} of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_and_exits_0() {
    let (_upstream, _dir, mut gw, port) = serve_bypass().await;
    let in_flight = tokio::spawn(async move {
        reqwest::get(format!("http://127.0.0.1:{port}/slow"))
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    sigterm(&gw);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "new connections must be refused after SIGTERM"
    );
    assert_eq!(
        in_flight.await.unwrap().unwrap(),
        200,
        "the in-flight request must finish"
    );
    assert_eq!(
        exit_within(&mut gw, Duration::from_secs(10)).await.code(),
        Some(0)
    );
}

#[tokio::test]
async fn sigterm_closes_idle_keep_alive_connections_at_once() {
    let (_upstream, _dir, mut gw, port) = serve_bypass().await;
    let mut idle = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    idle.write_all(b"GET /a HTTP/1.1\r\nHost: g\r\n\r\n")
        .await
        .unwrap();
    let mut answer = vec![0u8; 64 * 1024];
    let n = idle.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert_eq!(status_of(&answer), 200, "{answer}");
    // The connection is kept alive and idle: the stop signal must reach it, not only busy ones.
    sigterm(&gw);
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(2), idle.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the idle connection was still open 2 s after SIGTERM"
    );
    assert_eq!(
        exit_within(&mut gw, Duration::from_secs(3)).await.code(),
        Some(0)
    );
}

#[test]
fn an_unreadable_or_empty_ca_file_fails_check_naming_the_key() {
    let base = "[server]\nlisten = \"127.0.0.1:8080\"\npublic_url = \"https://app.example.com\"\n[upstream]\nurl = \"https://10.0.0.5:8443\"\n";
    let (code, err) = check(&format!("{base}ca_file = \"missing-ca.pem\"\n"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("config.toml:6:") && err.contains("\"ca_file\" in [upstream]"),
        "{err}"
    );
    // An empty file is no CA at all, not a reason to fall back to the public roots.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.toml"), "").unwrap();
    std::fs::write(dir.path().join("ca.pem"), "").unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, format!("{base}ca_file = \"ca.pem\"\n")).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\"ca_file\" in [upstream]"), "{err}");
}

/// `portcullis reload` or SIGHUP to the real binary: a location turned from `two_factor` to
/// `deny` takes effect without a restart; a broken file is refused and the old one serves.
#[tokio::test]
async fn sighup_and_the_reload_command_apply_a_changed_config_without_a_restart() {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let setup = Setup {
        listen: Some(format!("127.0.0.1:{port}")),
        extra: "admin_socket = \"admin.sock\"\n".into(),
        locations: "[[location]]\npath = \"/public\"\npolicy = \"bypass\"\n\n[[location]]\npath = \"/\"\npolicy = \"two_factor\"\n".into(),
        ..Setup::default()
    };
    let path = write_config(dir.path(), &upstream.url(), &setup);
    let gw = spawn_serve(dir.path());
    wait_for_port(port, "the gateway").await;
    let get = |p: &str| reqwest::get(format!("http://127.0.0.1:{port}{p}"));
    assert_eq!(get("/public/a").await.unwrap().status(), 200);
    let reload = || {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args(["reload", "--config"])
                .arg(path)
                .output()
                .unwrap()
        })
    };
    // A broken file: `reload` says where and the gateway keeps its configuration.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("policy = \"bypass\"", "policy = \"open\""),
    )
    .unwrap();
    let out = reload().await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("config.toml:") && err.contains("not reloaded"),
        "{err}"
    );
    assert_eq!(get("/public/a").await.unwrap().status(), 200);
    // Through the admin socket.
    std::fs::write(
        &path,
        text.replace("policy = \"bypass\"", "policy = \"deny\""),
    )
    .unwrap();
    let out = reload().await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "configuration reloaded"
    );
    assert_eq!(get("/public/a").await.unwrap().status(), 403);
    // And by SIGHUP.
    std::fs::write(&path, &text).unwrap();
    let pid = gw.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while get("/public/a").await.unwrap().status() != 200 {
        assert!(Instant::now() < deadline, "SIGHUP did not reload");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `portcullis health` without --url finds an HTTPS listener in the config and asks it over
/// loopback, whatever name its certificate carries; with --url the certificate is verified.
#[tokio::test]
async fn health_asks_an_https_listener_found_in_the_config() {
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let pki = Pki::new();
    let (cert, key, _) = pki.leaf(&["app.example.com"], 1);
    std::fs::write(dir.path().join("tls.crt"), cert).unwrap();
    std::fs::write(dir.path().join("tls.key"), key).unwrap();
    let setup = Setup {
        listen: Some(format!("0.0.0.0:{port}")),
        extra: "tls_cert = \"tls.crt\"\ntls_key = \"tls.key\"\n".into(),
        public_url: Some("https://app.example.com".into()),
        ..Setup::default()
    };
    let path = write_config(dir.path(), &upstream.url(), &setup);
    let _gw = spawn_serve(dir.path());
    wait_for_port(port, "the gateway").await;
    let run = |args: Vec<String>| health(path.clone(), args);
    let out = run(vec![]).await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("https://127.0.0.1:{port}")));
    // An explicit URL is verified: our private CA is not among the roots, and it says so.
    let out = run(vec!["--url".into(), format!("https://127.0.0.1:{port}")])
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("certificate"), "{err}");
    // A config that does not load: its own error, not a guess.
    std::fs::write(
        &path,
        "[server]
listn = 1
",
    )
    .unwrap();
    let out = run(vec![]).await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("config.toml:2:") && err.contains("listn"),
        "{err}"
    );
}

/// 32 bytes in base64, as `openssl rand -base64 32` prints them.
const STORAGE_KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// The config inside a Kubernetes example, with its mount paths moved into `dir`.
fn example_config(example: &str, dir: &std::path::Path) -> String {
    let yaml =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(example))
            .unwrap();
    let block: Vec<&str> = yaml
        .lines()
        .skip_while(|l| l.trim() != "config.toml: |")
        .skip(1)
        .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
        .map(|l| l.get(4..).unwrap_or(""))
        .collect();
    assert!(!block.is_empty(), "no config.toml in {example}");
    let d = dir.display();
    block
        .join("\n")
        .replace("/etc/portcullis-keys/", &format!("{d}/"))
        .replace("/run/portcullis/", &format!("{d}/data/"))
        .replace("/etc/portcullis/config/", &format!("{d}/"))
        .replace("/etc/portcullis/tls/", &format!("{d}/"))
        .replace("/etc/portcullis/", &format!("{d}/"))
        .replace("/data/", &format!("{d}/data/"))
}

#[test]
fn the_kubernetes_examples_configs_pass_check() {
    let pki = Pki::new();
    let (cert, key, _) = pki.leaf(&["legacy.example.com"], 1);
    for example in [
        "examples/kubernetes/sidecar.yaml",
        "examples/kubernetes/tls.yaml",
        "examples/kubernetes/replicas.yaml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("users.toml"), "").unwrap();
        // The Secret of the replicas example (its comment says how to make it).
        std::fs::write(dir.path().join("session-secret"), "x".repeat(64)).unwrap();
        std::fs::write(dir.path().join("storage-key"), STORAGE_KEY_B64).unwrap();
        std::fs::write(dir.path().join("database-password"), "db-password").unwrap();
        std::fs::write(dir.path().join("tls.crt"), &cert).unwrap();
        std::fs::write(dir.path().join("tls.key"), &key).unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, example_config(example, dir.path())).unwrap();
        let out = Command::new(BIN)
            .args(["check", "--config"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary = String::from_utf8_lossy(&out.stdout);
        if example.ends_with("replicas.yaml") {
            assert!(
                summary.contains("storage     postgres://portcullis@db.example.internal:5432/portcullis?sslmode=verify-full (shared by replicas; TLS, certificate verified; revocations within 5s)"),
                "{summary}"
            );
            assert!(!summary.contains("db-password"), "{summary}");
        }
        if example.ends_with("tls.yaml") {
            assert!(summary.contains("(HTTPS (h2, http/1.1))"), "{summary}");
            assert!(
                summary.contains("metrics     http://0.0.0.0:9100/metrics"),
                "{summary}"
            );
        }
    }
}
