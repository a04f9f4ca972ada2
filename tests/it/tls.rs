//! DESIGN §3 `[server] tls_*` and `[upstream]` TLS: HTTPS listeners (h2 and http/1.1 by ALPN),
//! certificate rotation, and https upstreams, with a CA and certificates made at test time.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::*;

/// The names the gateway's certificate carries.
const NAMES: &[&str] = &["gateway.test", "127.0.0.1"];

/// A gateway on HTTPS with a leaf of `pki` (serial 1); `public_url` is https://gateway.test.
async fn https_gateway(pki: &Pki, mut setup: Setup) -> Gateway {
    let (cert, key, _) = pki.leaf(NAMES, 1);
    setup.files.push(("tls.crt".into(), cert));
    setup.files.push(("tls.key".into(), key));
    setup
        .extra
        .push_str("tls_cert = \"tls.crt\"\ntls_key = \"tls.key\"\n");
    setup
        .public_url
        .get_or_insert_with(|| "https://gateway.test".into());
    Gateway::with(setup).await
}

fn base(gw: &Gateway) -> String {
    format!("https://gateway.test:{}", gw.addr.port())
}

/// A TLS connection offering `alpn`, trusting only `pki`'s CA: the stream and the
/// certificate the server showed (DER).
async fn connect(
    addr: SocketAddr,
    pki: &Pki,
    alpn: &[&[u8]],
) -> (
    tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
    Vec<u8>,
) {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(pki.ca_pem().as_bytes()).unwrap())
        .unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("gateway.test").unwrap();
    let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap();
    let cert = stream.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    (stream, cert)
}

/// One HTTP/1.1 request on an open stream; returns the response head and body as text.
async fn exchange<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    s: &mut S,
    request: &str,
) -> String {
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 16384];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test]
async fn h2_is_negotiated_by_alpn_and_the_whole_sign_in_works_over_it() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let (_, cert) = connect(gw.addr, &pki, &[b"h2", b"http/1.1"]).await;
    assert_eq!(
        cert,
        pki_leaf_der(&gw),
        "the configured certificate is served"
    );
    let (s, _) = connect(gw.addr, &pki, &[b"h2", b"http/1.1"]).await;
    assert_eq!(s.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));

    let client = pki.client(gw.addr);
    let base = base(&gw);
    // The protected app sends a browser to sign in, over h2.
    let r = client.get(format!("{base}/app")).send().await.unwrap();
    assert_eq!(r.version(), http::Version::HTTP_2);
    assert_eq!(r.status(), 401);
    // Password, enrolment, then the app, all over h2; the cookies are __Host- and Secure.
    let r = client
        .post(format!("{base}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.version(), r.status().as_u16()),
        (http::Version::HTTP_2, 200)
    );
    let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with("__Host-portcullis_session=") && set_cookie.contains("; Secure"),
        "{set_cookie}"
    );
    let half = session_cookie(&r).unwrap();
    let (cookie, _, _) = enrol_with(&client, &base, &half).await;
    let mut req = client
        .get(format!("{base}/app/page?x=1"))
        .header("cookie", &cookie);
    // Every spoofed identity field (h2 sends names in lower case; `_` variants included).
    for name in [
        "remote-user",
        "remote_user",
        "x-forwarded-user",
        "x_forwarded_user",
        "remote-groups",
        "x-portcullis-jwt-assertion",
    ] {
        req = req.header(name, "root");
    }
    let r = req.send().await.unwrap();
    assert_eq!(
        (r.version(), r.status().as_u16()),
        (http::Version::HTTP_2, 200)
    );
    let seen = gw.upstream.last();
    assert_eq!(seen.path_and_query, "/app/page?x=1");
    assert_eq!(seen.header("remote-user"), Some("alice"));
    assert!(
        seen.headers.iter().all(|(_, v)| v != "root"),
        "a spoofed value arrived: {:?}",
        seen.headers
    );
    // The upstream gets the client's host (from :authority) and learns the client used https.
    assert_eq!(
        seen.header("host"),
        Some(format!("gateway.test:{}", gw.addr.port()).as_str())
    );
    assert_eq!(seen.header("x-forwarded-proto"), Some("https"));
}

/// The DER of the certificate the gateway was started with.
fn pki_leaf_der(gw: &Gateway) -> Vec<u8> {
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(gw.dir.path().join("tls.crt")).unwrap();
    rustls::pki_types::CertificateDer::from_pem_slice(&pem)
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn http1_over_tls_still_works_and_is_watched_for_ambiguous_framing() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let (mut s, _) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
    assert_eq!(s.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    let answer = exchange(
        &mut s,
        "GET /public/page HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    // The same smuggling rule as on plain HTTP/1.1: CL + TE is refused before the upstream.
    let (mut s, _) = connect(gw.addr, &pki, &[]).await;
    let before = gw.upstream.count();
    let answer = exchange(
        &mut s,
        "POST /public/x HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /public/smuggled HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 400, "{answer}");
    assert_eq!(gw.upstream.count(), before, "nothing reached the upstream");
}

#[tokio::test]
async fn websocket_upgrade_works_over_tls_after_authorisation() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let client = pki.client(gw.addr);
    let r = client
        .post(format!("{}/.portcullis/api/login", base(&gw)))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&r).unwrap();
    // Browsers open WebSockets on an http/1.1 connection (no RFC 8441 CONNECT is offered).
    let (mut s, _) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
    let head = exchange(
        &mut s,
        &format!("GET /ws HTTP/1.1\r\nHost: gateway.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: {cookie}\r\n\r\n"),
    )
    .await;
    assert_eq!(status_of(&head), 101, "{head}");
    assert_eq!(gw.upstream.last().header("remote-user"), Some("alice"));
    s.write_all(b"ping over tls").await.unwrap();
    let mut echoed = vec![0u8; 13];
    tokio::time::timeout(std::time::Duration::from_secs(5), s.read_exact(&mut echoed))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&echoed, b"ping over tls");
}

/// Runs tests/it/h2_client.py on `cases`; one JSON answer per case.
fn h2_cases(gw: &Gateway, pki: &Pki, cases: &serde_json::Value) -> Vec<serde_json::Value> {
    let ca = gw.dir.path().join("client-ca.pem");
    std::fs::write(&ca, pki.ca_pem()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/h2_client.py");
    let mut child = std::process::Command::new("python3")
        .arg(script)
        .arg("127.0.0.1")
        .arg(gw.addr.port().to_string())
        .arg("gateway.test")
        .arg(&ca)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with h2 is needed (pip install h2; .ci/run installs it)");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cases.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "h2_client.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smuggling_and_malformed_requests_over_h2_never_reach_the_upstream() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let authority = format!("gateway.test:{}", gw.addr.port());
    let req = |path: &str, extra: &[(&str, &str)]| {
        let mut h = vec![
            vec![":method".to_owned(), "POST".to_owned()],
            vec![":scheme".to_owned(), "https".to_owned()],
            vec![":authority".to_owned(), authority.clone()],
            vec![":path".to_owned(), path.to_owned()],
        ];
        for (n, v) in extra {
            h.push(vec![n.to_string(), v.to_string()]);
        }
        h
    };
    let smuggled = "0\r\n\r\nGET /public/smuggled HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    let cases = serde_json::json!([
        // The control: a well-formed request to the bypass location reaches the upstream.
        {"headers": req("/public/control", &[("content-length", "2")]), "data": "ok"},
        // HTTP/1.1 framing fields have no place in h2 (RFC 9113 §8.2.2).
        {"headers": req("/public/te", &[("transfer-encoding", "chunked")]), "data": smuggled},
        {"headers": req("/public/conn", &[("connection", "keep-alive")]), "data": null},
        {"headers": req("/public/upgrade", &[("upgrade", "websocket")]), "data": null},
        // A Content-Length the DATA frames contradict (RFC 9113 §8.1.1).
        {"headers": req("/public/cl", &[("content-length", "5")]), "data": smuggled},
        // CR LF inside a value would split into two fields when written as HTTP/1.1.
        {"headers": req("/public/crlf", &[("x-note", "a\r\nx-forwarded-user: root")]), "data": null},
        {"headers": req("/public/crlf-name", &[("x-note\r\nremote-user", "root")]), "data": null},
        // Upper-case names are malformed in h2 (RFC 9113 §8.2.1).
        {"headers": req("/public/upper", &[("Remote-User", "root")]), "data": null},
        // Two different hosts: the decision must not see one and the upstream another.
        {"headers": req("/public/hosts", &[("host", "admin.example.com")]), "data": null},
        // A request target that is not origin-form.
        {"headers": req("http://evil.example/public/abs", &[]), "data": null},
        // Userinfo in :authority (RFC 9113 §8.3.1 forbids it): an upstream parsing Host as a URL
        // would read the part after '@'.
        {"headers": [[":method", "GET"], [":scheme", "https"], [":authority", "evil@admin.example.com"], [":path", "/public/userinfo"]], "data": null},
    ]);
    let answers = h2_cases(&gw, &pki, &cases);
    assert_eq!(answers.len(), 11, "{answers:?}");
    assert_eq!(answers[0]["status"], 200, "control: {}", answers[0]);
    for (i, a) in answers.iter().enumerate().skip(1) {
        let status = a["status"].as_u64();
        let refused = matches!(status, Some(400..=499))
            || a.get("reset").is_some()
            || a.get("goaway").is_some();
        assert!(refused, "case {i} was not refused: {a}");
    }
    let paths: Vec<String> = gw
        .upstream
        .requests()
        .into_iter()
        .map(|s| s.path_and_query)
        .collect();
    assert_eq!(
        paths,
        vec!["/public/control".to_owned()],
        "only the control arrived"
    );
    assert_eq!(
        answers[8]["body"].as_str().map(str::trim),
        Some("Host and :authority name different hosts")
    );
}

#[tokio::test]
async fn a_new_certificate_serves_new_connections_while_open_ones_keep_working() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let (mut old, first) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
    let request = "GET /public/a HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    assert_eq!(status_of(&exchange(&mut old, request).await), 200);

    // An operator (or cert-manager) replaces the pair; SIGHUP makes the gateway read it.
    let (cert, key, second) = pki.leaf(NAMES, 2);
    std::fs::write(gw.dir.path().join("tls.crt"), &cert).unwrap();
    std::fs::write(gw.dir.path().join("tls.key"), &key).unwrap();
    gw.server.reload_certificate();
    let (_, seen) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
    assert_ne!(first, second);
    assert_eq!(seen, second, "a new connection gets the new certificate");
    assert_eq!(
        status_of(&exchange(&mut old, request).await),
        200,
        "the connection opened before the rotation still works"
    );

    // A broken pair (this key belongs to another certificate) is refused; the last good pair
    // keeps serving.
    let (_, other_key, _) = pki.leaf(NAMES, 3);
    let (third_cert, _, _) = pki.leaf(NAMES, 4);
    std::fs::write(gw.dir.path().join("tls.crt"), &third_cert).unwrap();
    std::fs::write(gw.dir.path().join("tls.key"), &other_key).unwrap();
    gw.server.reload_certificate();
    let (mut s, seen) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
    assert_eq!(seen, second, "the refused pair is not served");
    assert_eq!(status_of(&exchange(&mut s, request).await), 200);

    // Without a signal: a changed file is noticed by itself (checked every 2 s).
    let (cert, key, fifth) = pki.leaf(NAMES, 5);
    std::fs::write(gw.dir.path().join("tls.key"), &key).unwrap();
    std::fs::write(gw.dir.path().join("tls.crt"), &cert).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, seen) = connect(gw.addr, &pki, &[b"http/1.1"]).await;
        if seen == fifth {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the changed files were not picked up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_gateway_whose_key_does_not_match_its_certificate_does_not_start() {
    let pki = Pki::new();
    let (cert, _, _) = pki.leaf(NAMES, 1);
    let (_, key, _) = pki.leaf(NAMES, 2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tls.crt"), cert).unwrap();
    std::fs::write(dir.path().join("tls.key"), key).unwrap();
    let setup = Setup {
        extra: "tls_cert = \"tls.crt\"\ntls_key = \"tls.key\"\n".into(),
        public_url: Some("https://gateway.test".into()),
        ..Setup::default()
    };
    write_config(dir.path(), "http://127.0.0.1:9", &setup);
    let config = portcullis::config::load(
        &dir.path().join("config.toml"),
        &portcullis::config::MapEnv::default(),
    )
    .unwrap();
    let e = match portcullis::server::Server::start(config).await {
        Ok(_) => panic!("started with a key of another certificate"),
        Err(e) => e.to_string(),
    };
    assert!(e.starts_with("[server] tls_cert / tls_key:"), "{e}");
    assert!(
        e.contains("the private key does not belong to the certificate"),
        "{e}"
    );
}

/// A gateway in front of an https upstream whose certificate (for `app.internal`) a private
/// CA signed; `upstream_extra` goes into `[upstream]`.
async fn behind_https_upstream(pki: &Pki, upstream_extra: &str) -> (Gateway, Upstream) {
    let (cert, key, _) = pki.leaf(&["app.internal"], 7);
    let upstream = Upstream::start_tls(&cert, &key).await;
    let setup = Setup {
        upstream_url: Some(upstream.url()),
        upstream_extra: upstream_extra.into(),
        files: vec![("upstream-ca.pem".into(), pki.ca_pem())],
        ..Setup::default()
    };
    (Gateway::with(setup).await, upstream)
}

#[tokio::test]
async fn an_https_upstream_is_verified_against_ca_file_and_its_name() {
    let pki = Pki::new();
    let (gw, upstream) = behind_https_upstream(
        &pki,
        "ca_file = \"upstream-ca.pem\"\ntls_server_name = \"app.internal\"",
    )
    .await;
    let r = gw.client().get(gw.url("/public/x")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(upstream.last().path_and_query, "/public/x");
    let cookie = gw.login("alice").await;
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(upstream.last().header("remote-user"), Some("alice"));
}

#[tokio::test]
async fn an_https_upstream_with_the_wrong_name_or_an_unknown_ca_gets_a_502_that_leaks_nothing() {
    let pki = Pki::new();
    for extra in [
        // The certificate is for app.internal; the URL says 127.0.0.1.
        "ca_file = \"upstream-ca.pem\"",
        "ca_file = \"upstream-ca.pem\"\ntls_server_name = \"other.internal\"",
        // The right name, but a CA nobody trusts (the webpki roots only).
        "tls_server_name = \"app.internal\"",
    ] {
        let (gw, upstream) = behind_https_upstream(&pki, extra).await;
        let r = gw
            .client()
            .get(gw.url("/public/x"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 502, "{extra}");
        let body = r.text().await.unwrap();
        for secret in [
            "127.0.0.1",
            "app.internal",
            "certificate",
            "rustls",
            "Unknown",
        ] {
            assert!(!body.contains(secret), "{extra}: the page says {secret:?}");
        }
        assert_eq!(upstream.count(), 0, "{extra}");
    }
}

#[tokio::test]
async fn insecure_skip_verify_connects_anyway_and_says_so_at_every_start() {
    let pki = Pki::new();
    let (gw, upstream) = behind_https_upstream(&pki, "insecure_skip_verify = true").await;
    let r = gw.client().get(gw.url("/public/x")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(upstream.count(), 1);
    let warnings = gw.server.app().config.warnings.join("\n");
    assert!(
        warnings.contains("insecure_skip_verify = true: the upstream's certificate is not checked"),
        "{warnings}"
    );
}

/// Short connection timeouts, so that idleness is seen in a fraction of a second.
fn quick() -> portcullis::server::Timeouts {
    portcullis::server::Timeouts {
        h2_idle: std::time::Duration::from_millis(300),
        h2_close_grace: std::time::Duration::from_millis(200),
        ..Default::default()
    }
}

/// Everything the server sends until it closes the connection (at most `limit`): the types of
/// the HTTP/2 frames, and whether it closed.
async fn frames_until_closed<S: tokio::io::AsyncRead + Unpin>(
    s: &mut S,
    limit: std::time::Duration,
) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut chunk = [0u8; 4096];
        loop {
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await
    .is_ok();
    let mut types = Vec::new();
    let mut at = 0;
    while at + 9 <= buf.len() {
        let len = u32::from_be_bytes([0, buf[at], buf[at + 1], buf[at + 2]]) as usize;
        types.push(buf[at + 3]);
        at += 9 + len;
    }
    (types, closed)
}

const GOAWAY: u8 = 0x7;

#[tokio::test]
async fn an_h2_connection_that_never_sends_its_preface_is_dropped() {
    let pki = Pki::new();
    let gw = https_gateway(
        &pki,
        Setup {
            timeouts: quick(),
            ..Setup::default()
        },
    )
    .await;
    let (mut s, _) = connect(gw.addr, &pki, &[b"h2"]).await;
    assert_eq!(s.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    // Nothing sent: not even the preface, so there is no one to send a GOAWAY to.
    let (_, closed) = frames_until_closed(&mut s, std::time::Duration::from_secs(5)).await;
    assert!(closed, "a silent h2 connection was kept open");
}

#[tokio::test]
async fn an_idle_h2_connection_is_sent_goaway_and_closed_even_when_it_would_answer_pings() {
    let pki = Pki::new();
    let gw = https_gateway(
        &pki,
        Setup {
            timeouts: quick(),
            ..Setup::default()
        },
    )
    .await;
    let (mut s, _) = connect(gw.addr, &pki, &[b"h2"]).await;
    // The client preface and an empty SETTINGS frame, then no stream at all.
    s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let (types, closed) = frames_until_closed(&mut s, std::time::Duration::from_secs(5)).await;
    assert!(types.contains(&GOAWAY), "no GOAWAY: frame types {types:?}");
    assert!(closed, "the idle connection stayed open");
}

#[tokio::test]
async fn an_h2_stream_open_longer_than_the_idle_time_keeps_its_connection() {
    let pki = Pki::new();
    let gw = https_gateway(
        &pki,
        Setup {
            timeouts: quick(),
            locations: "[[location]]\npath = \"/\"\npolicy = \"bypass\"\n".into(),
            ..Setup::default()
        },
    )
    .await;
    // The upstream takes 3 s over /slow, so the gateway's 1 s upstream timeout answers (504):
    // three idle periods after the stream opened, which it stayed open through.
    let started = std::time::Instant::now();
    let r = pki
        .client(gw.addr)
        .get(format!("{}/slow", base(&gw)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.version(), http::Version::HTTP_2);
    assert_eq!(r.status(), 504);
    assert!(started.elapsed() >= quick().h2_idle * 3);
}

#[tokio::test]
async fn plain_http_on_the_https_port_is_told_to_use_https() {
    let pki = Pki::new();
    let gw = https_gateway(&pki, Setup::default()).await;
    let answer = gw
        .raw(b"GET /public/a HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
        .await;
    assert_eq!(status_of(&answer), 400, "{answer}");
    assert!(answer.contains("use https://"), "{answer}");
    assert_eq!(gw.upstream.count(), 0);
    // TLS on the same port still works.
    let r = pki
        .client(gw.addr)
        .get(format!("{}/public/a", base(&gw)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
