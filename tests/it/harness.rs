//! Fixtures that read like prose: `Upstream::start()`, `Gateway::with(...)`, `gw.login("alice")`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use portcullis::config::{self, MapEnv};
use portcullis::server::Server;

/// The password every fixture user has.
pub const PASSWORD: &str = "correct horse battery staple";

/// What the upstream saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    #[allow(dead_code)] // kept for failure messages (Debug)
    pub method: String,
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body_len: u64,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A real HTTP/1.1 upstream that records every request and answers 200 with its path.
/// `/slow` waits 3 s before answering; `/ws` accepts an upgrade and echoes bytes; a path ending
/// in `/to-self` answers 302 to its own address, built from the `Host` it received.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    scheme: &'static str,
}

impl Upstream {
    pub async fn start() -> Upstream {
        Upstream::serve(None).await
    }

    /// The same upstream over HTTPS with this certificate and key (PEM).
    pub async fn start_tls(cert_pem: &str, key_pem: &str) -> Upstream {
        use rustls::pki_types::pem::PemObject;
        let certs = rustls::pki_types::CertificateDer::pem_slice_iter(cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
        Upstream::serve(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await
    }

    async fn serve(tls: Option<tokio_rustls::TlsAcceptor>) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| answer(req, log.clone()));
                    let builder = http1::Builder::new();
                    let _ = match tls {
                        None => {
                            builder
                                .serve_connection(TokioIo::new(stream), svc)
                                .with_upgrades()
                                .await
                        }
                        Some(tls) => {
                            let Ok(stream) = tls.accept(stream).await else {
                                return;
                            };
                            builder
                                .serve_connection(TokioIo::new(stream), svc)
                                .with_upgrades()
                                .await
                        }
                    };
                });
            }
        });
        Upstream { addr, seen, scheme }
    }

    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    pub fn last(&self) -> Seen {
        self.requests().pop().expect("upstream saw no request")
    }

    /// The latest request for exactly `path_and_query` (a browser also fetches /favicon.ico).
    pub fn latest(&self, path_and_query: &str) -> Option<Seen> {
        self.requests()
            .into_iter()
            .rev()
            .find(|s| s.path_and_query == path_and_query)
    }
}

async fn answer(
    mut req: Request<Incoming>,
    log: Arc<Mutex<Vec<Seen>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let headers = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let method = req.method().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    if req.uri().path() == "/ws" {
        log.lock().unwrap().push(Seen {
            method,
            path_and_query,
            headers,
            body_len: 0,
        });
        let on = hyper::upgrade::on(&mut req);
        tokio::spawn(async move {
            if let Ok(up) = on.await {
                let mut io = TokioIo::new(up);
                let mut buf = [0u8; 1024];
                while let Ok(n) = io.read(&mut buf).await {
                    if n == 0 || io.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        });
        let mut r = Response::new(Full::new(Bytes::new()));
        *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        r.headers_mut()
            .insert("connection", "upgrade".parse().unwrap());
        r.headers_mut()
            .insert("upgrade", "websocket".parse().unwrap());
        return Ok(r);
    }
    if req.uri().path() == "/opener" {
        return Ok(opener_page());
    }
    if req.uri().path() == "/slow" {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    if req.uri().path().ends_with("/to-self") {
        // As most frameworks do: absolute redirects built from the Host received.
        let host = req
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_owned();
        log.lock().unwrap().push(Seen {
            method,
            path_and_query,
            headers,
            body_len: 0,
        });
        let mut r = Response::new(Full::new(Bytes::new()));
        *r.status_mut() = StatusCode::FOUND;
        for (name, value) in [
            ("location", format!("http://{host}/next?x=1#top")),
            ("content-location", format!("http://{host}/doc")),
            ("refresh", format!("0; url=http://{host}/later")),
        ] {
            r.headers_mut().insert(name, value.parse().unwrap());
        }
        return Ok(r);
    }
    // Count the body as it streams, without keeping it.
    let mut body = req.into_body();
    let mut body_len = 0u64;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(f) => body_len += f.data_ref().map_or(0, |d| d.len() as u64),
            Err(_) => break,
        }
    }
    log.lock().unwrap().push(Seen {
        method,
        path_and_query: path_and_query.clone(),
        headers,
        body_len,
    });
    let mut r = Response::new(Full::new(Bytes::from(format!(
        "upstream saw {path_and_query} ({body_len} bytes)"
    ))));
    r.headers_mut()
        .insert("content-type", "text/plain".parse().unwrap());
    Ok(r)
}

/// A page of the protected app whose script (an XSS hole) tries to reach the admin page with
/// the signed-in admin's cookies: with `fetch()`, and in a window it opens. It sends
/// `Cross-Origin-Opener-Policy: same-origin` itself, as Django and helmet do by default. When
/// done, `#out` reads "done: …" with what it got; "token" means it read an admin form token.
fn opener_page() -> Response<Full<Bytes>> {
    const PAGE: &str = r#"<!doctype html><html lang="en"><title>app</title><p id="out">waiting</p><script>
const out = document.getElementById('out');
const report = [];
const target = '/.portcullis/admin/users/alice';
fetch(target).then((r) => r.text().then((t) => report.push('fetch ' + r.status + (t.includes('name="csrf"') ? ' token' : ''))));
const w = window.open(target);
let n = 0;
const tick = setInterval(() => {
  n += 1;
  let seen;
  try {
    const field = w && !w.closed && w.document && w.document.querySelector('input[name=csrf]');
    seen = w === null ? 'no window' : w.closed ? 'window severed' : field ? 'window token' : 'window without token';
  } catch (e) {
    seen = 'window blocked: ' + e.name;
  }
  if (seen === 'window token' || n >= 30) {
    clearInterval(tick);
    report.push(seen);
    out.textContent = 'done: ' + report.join(', ');
  }
}, 100);
</script></html>"#;
    let mut r = Response::new(Full::new(Bytes::from(PAGE)));
    for (name, value) in [
        ("content-type", "text/html; charset=utf-8"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        r.headers_mut().insert(name, value.parse().unwrap());
    }
    r
}

/// A users file with these users, all with [`PASSWORD`]; `admin` is in group `admins`.
pub fn users_toml() -> String {
    let hash = portcullis::auth::password::hash(PASSWORD).unwrap();
    let mut s = String::from("# fixture users\n");
    for (name, groups, disabled, phone) in [
        ("alice", "[\"staff\"]", false, "+15551234567"),
        ("admin", "[\"admins\"]", false, "+15557654321"),
        ("mallory", "[]", true, "+15550000000"),
    ] {
        s.push_str(&format!(
            "[[user]]\nname = \"{name}\"\npassword = \"{hash}\"\nemail = \"{name}@example.com\"\nphone = \"{phone}\"\ndisplay_name = \"{name} example\"\ngroups = {groups}\ndisabled = {disabled}\n\n"
        ));
    }
    s
}

/// Default locations for tests: a bypass area, an admins-only area, a denied one, and
/// everything else one_factor (this version has no second factor).
pub const LOCATIONS: &str = r#"
[[location]]
path = "/public"
policy = "bypass"

[[location]]
path = "/admin"
groups = ["admins"]
policy = "one_factor"

[[location]]
path = "/secret"
policy = "deny"

[[location]]
path = "/mfa-only"
policy = "two_factor"

[[location]]
path = "/"
policy = "one_factor"
"#;

/// A running gateway in this process, with its own data directory.
pub struct Gateway {
    pub server: Server,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub upstream: Upstream,
}

#[derive(Clone)]
pub struct Setup {
    /// `[server] listen` (default 127.0.0.1:0).
    pub listen: Option<String>,
    pub extra: String,
    /// Lines added to the `[mfa]` table.
    pub mfa_extra: String,
    /// `[server] public_url` (default http://gateway.test).
    pub public_url: Option<String>,
    /// Lines added to the `[upstream]` table.
    pub upstream_extra: String,
    /// Whole tables added to the config (e.g. `[trusted_devices]`).
    pub extra_tables: String,
    /// The `[limits]` table (tests default to a generous per-IP limit: they all come from 127.0.0.1).
    pub limits: String,
    pub locations: String,
    pub mfa_required: bool,
    pub upstream_url: Option<String>,
    /// Files written into the gateway's directory before it starts: (name, contents).
    pub files: Vec<(String, String)>,
    /// Connection timeouts (default: the product's).
    pub timeouts: portcullis::server::Timeouts,
    /// Lines added to the `[storage]` table (e.g. a PostgreSQL `url`).
    pub storage: String,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            listen: None,
            extra: String::new(),
            mfa_extra: String::new(),
            upstream_extra: String::new(),
            limits: "per_ip = \"1000/min\"".into(),
            extra_tables: String::new(),
            public_url: None,
            locations: LOCATIONS.to_owned(),
            mfa_required: false,
            upstream_url: None,
            files: Vec::new(),
            timeouts: Default::default(),
            storage: String::new(),
        }
    }
}

/// Writes config + users into `dir` and returns the config path.
pub fn write_config(dir: &Path, upstream: &str, setup: &Setup) -> PathBuf {
    let users = dir.join("users.toml");
    if !users.exists() {
        std::fs::write(&users, users_toml()).unwrap();
    }
    let text = format!(
        "[server]\nlisten = \"{listen}\"\npublic_url = \"{public_url}\"\n{extra_server}\n[upstream]\nurl = \"{upstream}\"\ntimeout = \"1s\"\nconnect_timeout = \"1s\"\n{upstream_extra}\n\n[users]\nfile = \"users.toml\"\n\n[storage]\npath = \"data/portcullis.redb\"\n{storage}\n\n{extra_tables}\n[limits]\n{limits}\n\n[mfa]\nrequired = {mfa}\n{mfa_extra}\n{locations}",
        listen = setup.listen.as_deref().unwrap_or("127.0.0.1:0"),
        extra_server = setup.extra,
        mfa = setup.mfa_required,
        mfa_extra = setup.mfa_extra,
        upstream_extra = setup.upstream_extra,
        limits = setup.limits,
        extra_tables = setup.extra_tables,
        public_url = setup.public_url.as_deref().unwrap_or("http://gateway.test"),
        locations = setup.locations,
        storage = setup.storage,
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

impl Gateway {
    pub async fn start() -> Gateway {
        Gateway::with(Setup::default()).await
    }

    pub async fn with(setup: Setup) -> Gateway {
        match Gateway::try_with(setup).await {
            Ok(gw) => gw,
            Err(e) => panic!("the gateway did not start: {e}"),
        }
    }

    /// A gateway on a port chosen before it starts, with `public_url` the address a browser
    /// uses (unless `setup` names another): browsers send it as their `Origin`. A `public_url`
    /// of exactly `http://localhost` gets the port (browsers offer passkeys on localhost, not
    /// on an IP address): open it with [`Gateway::localhost_url`].
    /// A port chosen in advance can be taken by another process before the gateway binds it
    /// (other tests' clients and servers draw from the same range): then another is chosen.
    pub async fn for_browser(setup: Setup) -> Gateway {
        for _ in 0..5 {
            let mut attempt = setup.clone();
            let port = free_port();
            let listen = format!("127.0.0.1:{port}");
            if attempt.public_url.as_deref() == Some("http://localhost") {
                attempt.public_url = Some(format!("http://localhost:{port}"));
            }
            attempt
                .public_url
                .get_or_insert_with(|| format!("http://{listen}"));
            attempt.listen = Some(listen);
            match Gateway::try_with(attempt).await {
                Ok(gw) => return gw,
                Err(portcullis::server::StartError::Bind { .. }) => continue,
                Err(e) => panic!("{e}"),
            }
        }
        panic!("no free port for the gateway after five tries");
    }

    /// As [`Gateway::with`], returning the start error.
    pub async fn try_with(setup: Setup) -> Result<Gateway, portcullis::server::StartError> {
        let upstream = Upstream::start().await;
        let dir = tempfile::tempdir().unwrap();
        let url = setup.upstream_url.clone().unwrap_or_else(|| upstream.url());
        for (name, contents) in &setup.files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        write_config(dir.path(), &url, &setup);
        let config =
            config::load(&dir.path().join("config.toml"), &MapEnv(HashMap::new())).unwrap();
        let server = Server::start_with(config, setup.timeouts).await?;
        let addr = server.addrs[0];
        Ok(Gateway {
            server,
            addr,
            dir,
            upstream,
        })
    }

    /// Starts a gateway on an existing directory (e.g. to restart with the same data).
    pub async fn boot(dir: tempfile::TempDir, upstream: Upstream) -> Gateway {
        Gateway::boot_with(dir, upstream, Default::default()).await
    }

    pub async fn boot_with(
        dir: tempfile::TempDir,
        upstream: Upstream,
        timeouts: portcullis::server::Timeouts,
    ) -> Gateway {
        let config =
            config::load(&dir.path().join("config.toml"), &MapEnv(HashMap::new())).unwrap();
        let server = Server::start_with(config, timeouts).await.unwrap();
        let addr = server.addrs[0];
        Gateway {
            server,
            addr,
            dir,
            upstream,
        }
    }

    /// Stops this gateway and starts a new one on the same data directory and upstream.
    pub async fn restart(self) -> Gateway {
        let Gateway {
            server,
            dir,
            upstream,
            ..
        } = self;
        server.stop();
        server.wait().await;
        Gateway::boot(dir, upstream).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// [`Gateway::url`] by the name `localhost` (see [`Gateway::for_browser`]).
    pub fn localhost_url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    /// A client that neither follows redirects nor keeps cookies.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the JSON API; returns the `Cookie` header value to send.
    pub async fn login(&self, user: &str) -> String {
        self.password(user).await.1
    }

    /// Signs in with the password only; returns (status field, cookie).
    pub async fn password(&self, user: &str) -> (String, String) {
        let r = self
            .client()
            .post(self.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "password of {user} refused");
        let cookie = session_cookie(&r).unwrap_or_else(|| panic!("no session cookie for {user}"));
        let body: serde_json::Value = r.json().await.unwrap();
        (body["status"].as_str().unwrap_or("").to_owned(), cookie)
    }

    /// POST `P/api/{endpoint}` as JSON, without a body, with `cookie`.
    pub async fn post_api(&self, endpoint: &str, cookie: &str) -> reqwest::Response {
        self.client()
            .post(self.url(&format!("/.portcullis/api/{endpoint}")))
            .header("cookie", cookie)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap()
    }

    /// Password, then TOTP enrolment: (full cookie, secret, backup codes).
    pub async fn enrol(&self, user: &str) -> (String, String, Vec<String>) {
        let (status, half) = self.password(user).await;
        assert_eq!(status, "enrollment_required");
        enrol_with(&self.client(), &format!("http://{}", self.addr), &half).await
    }

    /// POST P/api/mfa with a cookie; returns the response.
    pub async fn mfa(&self, cookie: &str, method: &str, code: &str) -> reqwest::Response {
        self.client()
            .post(self.url("/.portcullis/api/mfa"))
            .header("cookie", cookie)
            .json(&serde_json::json!({"method": method, "code": code}))
            .send()
            .await
            .unwrap()
    }

    /// Sends raw bytes on a fresh connection and returns everything the gateway answered.
    pub async fn raw(&self, request: &[u8]) -> String {
        raw(self.addr, request).await
    }
}

/// A certificate authority made at test time, and the certificates it signs.
pub struct Pki {
    ca: rcgen::Certificate,
    ca_key: rcgen::KeyPair,
}

impl Pki {
    pub fn new() -> Pki {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Portcullis test CA");
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca = params.self_signed(&ca_key).unwrap();
        Pki { ca, ca_key }
    }

    pub fn ca_pem(&self) -> String {
        self.ca.pem()
    }

    /// A server certificate for `names` (DNS names or IP addresses) with this serial number:
    /// (certificate PEM, key PEM, certificate DER).
    pub fn leaf(&self, names: &[&str], serial: u64) -> (String, String, Vec<u8>) {
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params.serial_number = Some(rcgen::SerialNumber::from(serial));
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, names[0]);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca, &self.ca_key).unwrap();
        (cert.pem(), key.serialize_pem(), cert.der().to_vec())
    }

    /// A leaf for `names` with the SHA-256 of its SubjectPublicKeyInfo, base64 (what Chromium's
    /// `--ignore-certificate-errors-spki-list` names): (cert PEM, key PEM, SPKI hash).
    pub fn leaf_with_spki_hash(&self, names: &[&str]) -> (String, String, String) {
        use base64::Engine as _;
        use sha2::Digest as _;
        let params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca, &self.ca_key).unwrap();
        let hash = sha2::Sha256::digest(key.public_key_der());
        (
            cert.pem(),
            key.serialize_pem(),
            base64::engine::general_purpose::STANDARD.encode(hash),
        )
    }

    /// A client that trusts this CA, resolves `gateway.test` to `addr` and never follows
    /// redirects; HTTP/2 when the server offers it.
    pub fn client(&self, addr: SocketAddr) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(self.ca_pem().as_bytes()).unwrap())
            .resolve("gateway.test", addr)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }
}

/// The current TOTP code for a base32 secret with the default parameters (SHA1, 6 digits, 30 s),
/// `offset` steps away from now.
pub fn totp_code(secret_b32: &str, offset: i64) -> String {
    totp_code_at(secret_b32, (current_step() as i64 + offset) as u64)
}

/// The current TOTP time step (30 s).
pub fn current_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

/// The TOTP code of an explicit time step (SHA1, 6 digits, 30 s).
pub fn totp_code_at(secret_b32: &str, step: u64) -> String {
    use portcullis::auth::totp;
    let secret = totp::Secret::from_base32(secret_b32).expect("base32 secret");
    let p = totp::Params {
        algorithm: portcullis::config::TotpAlgorithm::Sha1,
        digits: 6,
        period: 30,
        skew: 1,
    };
    totp::code_at(&secret, &p, step)
}

/// Enrols TOTP with a half-session cookie; returns (full session cookie, secret, backup codes).
pub async fn enrol_with(
    client: &reqwest::Client,
    base: &str,
    half: &str,
) -> (String, String, Vec<String>) {
    let r = client
        .post(format!("{base}/.portcullis/api/enroll/totp"))
        .header("cookie", half)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "enroll/totp");
    let e: serde_json::Value = r.json().await.unwrap();
    let secret = e["secret"].as_str().unwrap().to_owned();
    let r = client
        .post(format!("{base}/.portcullis/api/enroll/totp/confirm"))
        .header("cookie", half)
        .json(&serde_json::json!({"code": totp_code(&secret, 0)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "enroll/totp/confirm");
    let cookie = session_cookie(&r).expect("a full session after enrolment");
    let body: serde_json::Value = r.json().await.unwrap();
    let codes = body["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (cookie, secret, codes)
}

/// `name=value` of the cookie `name` a response sets (not one it deletes), if any.
pub fn cookie_named(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")) && !c.contains("Max-Age=0"))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// `name=value` of the session cookie set by a response, if any.
pub fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("portcullis_session=") && !c.contains("Max-Age=0"))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// Sends raw bytes and reads until the server closes (or 5 s pass).
pub async fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// The status code of the first response in a raw answer.
pub fn status_of(raw: &str) -> u16 {
    raw.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A free loopback port, for a program that must be told its port: from 20000–32767, below the
/// kernel's ephemeral range (32768–60999), from which every outgoing connection of every test
/// takes its port — a port picked there can be taken by a client before its server binds it.
/// Never the same port twice in one run, and only one that binds now.
pub fn free_port() -> u16 {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        let port = rand::Rng::gen_range(&mut rand::thread_rng(), 20_000..32_768u16);
        if given.contains(&port) {
            continue;
        }
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            given.push(port);
            return port;
        }
    }
}

/// A child process (nginx, caddy, the gateway binary) ended when the test ends, pass or fail:
/// SIGTERM first, so that it cleans up as on a real stop (the demo removes its data directory),
/// then SIGKILL if it has not exited within 2 s.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        // A child already waited for is reaped: its pid may belong to another process by now.
        if !matches!(self.0.try_wait(), Ok(None)) {
            return;
        }
        // SAFETY: kill has no memory preconditions; the pid is our own child, not yet reaped
        // (an exited one stays a zombie until waited for), so it cannot name anyone else.
        unsafe {
            libc::kill(self.0.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something accepts connections on 127.0.0.1:`port` (at most 15 s).
pub async fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "{what} did not start on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `portcullis demo` (the real binary) on a free port, with what its banner printed.
pub struct Demo {
    /// `open`: the address to open, `http://localhost:PORT/`.
    pub address: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// Where the demo writes e-mail (`[smtp] url = "file:…"`).
    pub mail: PathBuf,
    _process: Proc,
}

impl Demo {
    pub async fn start() -> Demo {
        use std::io::{BufRead, BufReader};
        let port = free_port();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let process = Proc(child);
        let banner: Vec<String> = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let banner = lines
                .by_ref()
                .map_while(Result::ok)
                .take_while(|l| !l.trim_start().starts_with("data"))
                .collect();
            // Keep reading, as a terminal would.
            std::thread::spawn(move || lines.for_each(drop));
            banner
        })
        .await
        .unwrap();
        let printed = |key: &str| {
            banner
                .iter()
                .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_owned()))
                .unwrap_or_else(|| panic!("the demo prints its {key}: {banner:?}"))
        };
        let demo = Demo {
            address: printed("open"),
            port,
            user: printed("user"),
            password: printed("password"),
            mail: PathBuf::from(printed("mail").split(" (").next().unwrap_or_default()),
            _process: process,
        };
        wait_for_port(port, "the demo").await;
        demo
    }
}

/// A real SMTP server (aiosmtpd, `tests/it/mail_server.py`) on a free port; every message it
/// accepts is a file in `dir`.
pub struct MailServer {
    pub port: u16,
    pub dir: tempfile::TempDir,
    /// With STARTTLS: the PEM of the certificate made at start, for the gateway's `ca_file`.
    pub cert: Option<PathBuf>,
    _process: Proc,
}

/// Options of a [`MailServer`].
#[derive(Default)]
pub struct MailOptions {
    pub starttls: bool,
    pub auth: Option<(&'static str, &'static str)>,
}

impl MailServer {
    pub async fn start(options: MailOptions) -> MailServer {
        use std::io::{BufRead, BufReader};
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/mail_server.py");
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(&script)
            .arg(port.to_string())
            .arg(dir.path().join("inbox"));
        std::fs::create_dir_all(dir.path().join("inbox")).unwrap();
        let cert = options.starttls.then(|| dir.path().join("smtp-cert.pem"));
        if let Some(c) = &cert {
            cmd.arg("--starttls").arg(c);
        }
        if let Some((u, p)) = options.auth {
            cmd.arg("--auth").arg(format!("{u}:{p}"));
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd is needed (pip install aiosmtpd; .ci/run installs it)");
        let stdout = child.stdout.take().unwrap();
        let process = Proc(child);
        let ready = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let ok = lines
                .next()
                .and_then(Result::ok)
                .is_some_and(|l| l == "ready");
            std::thread::spawn(move || lines.for_each(drop));
            ok
        })
        .await
        .unwrap();
        assert!(
            ready,
            "the SMTP server did not start (is aiosmtpd installed?)"
        );
        MailServer {
            port,
            dir,
            cert,
            _process: process,
        }
    }

    /// Every message received so far, as raw text, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("inbox"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Waits (at most 10 s) until `n` messages have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} messages arrived",
                m.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl MailServer {
    /// Waits until `n` messages carrying a sign-in code have arrived (notices aside); returns
    /// the codes, oldest first.
    pub async fn wait_for_codes(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let codes: Vec<String> = self
                .messages()
                .iter()
                .filter(|m| m.contains("sign-in code"))
                .map(|m| code_in(m))
                .collect();
            if codes.len() >= n {
                return codes;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} codes arrived",
                codes.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The 6-digit code in a delivered message (quoted-printable soft breaks undone).
pub fn code_in(message: &str) -> String {
    let text = message.replace("=\r\n", "").replace("=\n", "");
    let at = text.find("code is").expect("a code in the message") + "code is".len();
    text[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take(6)
        .collect()
}

/// How the [`SmsProvider`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsMode {
    /// 201 with a message resource, as Twilio does.
    Accept,
    /// 500.
    Fail,
    /// Never answers.
    Hang,
}

/// What the SMS provider was asked to send.
#[derive(Debug, Clone)]
pub struct SmsRequest {
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub form: Vec<(String, String)>,
}

impl SmsRequest {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A local server speaking Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`,
/// form-encoded, Basic auth): the one third-party API the tests stand in for.
#[derive(Clone)]
pub struct SmsProvider {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<SmsRequest>>>,
}

impl SmsProvider {
    pub async fn start(mode: SmsMode) -> SmsProvider {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req: Request<Incoming>| {
                        let log = log.clone();
                        async move {
                            let path = req.uri().path().to_owned();
                            let header = |n: &str| {
                                req.headers()
                                    .get(n)
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_owned)
                            };
                            let (authorization, content_type) =
                                (header("authorization"), header("content-type"));
                            let body = req.into_body().collect().await.unwrap().to_bytes();
                            let form = serde_urlencoded::from_bytes(&body).unwrap_or_default();
                            log.lock().unwrap().push(SmsRequest {
                                path,
                                authorization,
                                content_type,
                                form,
                            });
                            let status = match mode {
                                SmsMode::Accept => StatusCode::CREATED,
                                SmsMode::Fail => StatusCode::INTERNAL_SERVER_ERROR,
                                SmsMode::Hang => {
                                    std::future::pending::<()>().await;
                                    unreachable!()
                                }
                            };
                            let mut r = Response::new(Full::new(Bytes::from_static(
                                br#"{"sid":"SM1","status":"queued"}"#,
                            )));
                            *r.status_mut() = status;
                            Ok::<_, Infallible>(r)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        SmsProvider { addr, seen }
    }

    pub fn requests(&self) -> Vec<SmsRequest> {
        self.seen.lock().unwrap().clone()
    }
}

/// Waits (at most 5 s: events are written by a background task) until `portcullis audit
/// --user USER --json`, run against this gateway's admin socket, lists an event for which
/// `found` is true; returns all events then.
pub async fn audit_until(
    gw: &Gateway,
    user: &str,
    found: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    let config = gw.dir.path().join("config.toml");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (c, u) = (config.clone(), user.to_owned());
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
                .args(["audit", "--user", &u, "--json", "--config"])
                .arg(c)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let events: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).unwrap_or_default();
        if events.iter().any(&found) {
            return events;
        }
        assert!(
            Instant::now() < deadline,
            "no such audit event; got {events:#?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// As [`cli`], with only what the command printed on stdout (JSON, for instance: warnings
/// about the config go to stderr), or stdout and stderr when it failed.
pub fn cli_stdout(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(args)
        .arg("--config")
        .arg(dir.join("config.toml"))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if code != 0 {
        text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    (code, text)
}

/// Starts `portcullis user add NAME --password-stdin` on the config of `dir`, the password
/// ([`PASSWORD`]) already written: wait on the child for its outcome.
pub fn start_user_add(dir: &Path, name: &str) -> std::process::Child {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["user", "add", name, "--password-stdin", "--config"])
        .arg(dir.join("config.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(PASSWORD.as_bytes()).unwrap();
    }
    child
}

/// Runs the real binary with `args` and `--config` of `dir`: (exit code, stdout + stderr).
pub fn cli(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(args)
        .arg("--config")
        .arg(dir.join("config.toml"))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}
