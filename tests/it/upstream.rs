//! DESIGN §7: upstream failures and streaming.

use crate::harness::*;

#[tokio::test]
async fn upstream_down_gives_502_without_internals() {
    // A port nothing listens on: bind, read the port, close.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let gw = Gateway::with(Setup {
        upstream_url: Some(format!("http://{dead}")),
        ..Setup::default()
    })
    .await;
    for accept in ["text/html", "application/json"] {
        let r = gw
            .client()
            .get(gw.url("/public/x"))
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 502);
        let body = r.text().await.unwrap();
        for leak in [
            "127.0.0.1",
            &dead.port().to_string(),
            "refused",
            "error trying",
            "hyper",
            "os error",
        ] {
            assert!(!body.contains(leak), "502 page leaks {leak:?}: {body}");
        }
    }
}

#[tokio::test]
async fn slow_upstream_gives_504() {
    let gw = Gateway::start().await; // [upstream] timeout = "1s"; /slow answers after 3 s
    let r = gw
        .client()
        .get(gw.url("/public/../slow"))
        .send()
        .await
        .unwrap();
    // /public/../slow normalises to /slow (one_factor): anonymous → 401 without touching upstream.
    assert_eq!(r.status(), 401);
    let cookie = gw.login("alice").await;
    let started = std::time::Instant::now();
    let r = gw
        .client()
        .get(gw.url("/slow"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 504);
    assert!(started.elapsed() < std::time::Duration::from_millis(2900));
    assert!(!r.text().await.unwrap().contains("127.0.0.1"));
}

#[tokio::test]
async fn websocket_upgrade_passes_only_after_authorisation() {
    let gw = Gateway::start().await;
    let handshake = |cookie: &str| {
        format!(
            "GET /ws HTTP/1.1\r\nHost: g\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{cookie}\r\n"
        )
    };
    let answer = gw.raw(handshake("").as_bytes()).await;
    assert_eq!(status_of(&answer), 401, "{answer}");
    assert_eq!(gw.upstream.count(), 0);

    let cookie = gw.login("alice").await;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    s.write_all(handshake(&format!("Cookie: {cookie}\r\n")).as_bytes())
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).to_string();
    assert_eq!(status_of(&head), 101, "{head}");
    assert_eq!(gw.upstream.last().header("remote-user"), Some("alice"));
    s.write_all(b"ping through the tunnel").await.unwrap();
    let mut echoed = vec![0u8; 23];
    tokio::time::timeout(std::time::Duration::from_secs(5), s.read_exact(&mut echoed))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&echoed, b"ping through the tunnel");
}

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let gw = Gateway::start().await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = gw
        .client()
        .get(gw.url("/.portcullis/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let gw = Gateway::with(Setup {
        upstream_url: Some(format!("http://{dead}")),
        ..Setup::default()
    })
    .await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
}

/// An upstream that keeps connections alive only briefly (nginx's `keepalive_timeout`, a load
/// balancer's idle timeout): each connection answers one request, then is closed while idle.
/// The next request must go out on a new connection, not fail on the dead one.
#[tokio::test]
async fn a_kept_alive_connection_the_upstream_closed_is_not_reused() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let body = "short-lived";
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(response.as_bytes()).await;
                // Kept alive as far as the gateway knows, then closed while idle.
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            });
        }
    });
    let gw = Gateway::with(Setup {
        upstream_url: Some(format!("http://{addr}")),
        ..Setup::default()
    })
    .await;
    for round in 1..=3 {
        let r = gw.client().get(gw.url("/public/x")).send().await.unwrap();
        assert_eq!(r.status(), 200, "request {round}");
        assert_eq!(r.text().await.unwrap(), "short-lived");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "one connection per request"
    );
}

/// GETs `path` and returns (Location, Content-Location, Refresh).
async fn redirect_headers(gw: &Gateway, path: &str) -> [String; 3] {
    let r = gw.client().get(gw.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 302, "{path}");
    ["location", "content-location", "refresh"].map(|h| r.headers()[h].to_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_apps_redirect_to_its_own_address_is_sent_to_public_url_instead() {
    let other = Upstream::start().await;
    let locations = format!(
        "[[location]]\npath = \"/other\"\npolicy = \"bypass\"\nupstream = \"{}\"\n[[location]]\npath = \"/\"\npolicy = \"bypass\"\n",
        other.url()
    );
    let gw = Gateway::with(Setup {
        upstream_extra: "preserve_host = false".into(),
        locations: locations.clone(),
        ..Setup::default()
    })
    .await;
    // The main upstream, and a location's own: each one's address becomes public_url's.
    for path in ["/app/to-self", "/other/to-self"] {
        assert_eq!(
            redirect_headers(&gw, path).await,
            [
                "http://gateway.test/next?x=1#top",
                "http://gateway.test/doc",
                "0; url=http://gateway.test/later",
            ],
            "{path}"
        );
    }

    // rewrite_redirects = false passes them through as the app wrote them.
    let gw = Gateway::with(Setup {
        upstream_extra: "preserve_host = false\nrewrite_redirects = false".into(),
        locations,
        ..Setup::default()
    })
    .await;
    let up = gw.upstream.addr;
    assert_eq!(
        redirect_headers(&gw, "/app/to-self").await,
        [
            format!("http://{up}/next?x=1#top"),
            format!("http://{up}/doc"),
            format!("0; url=http://{up}/later"),
        ]
    );
}
