//! The pages in a real Chromium, as a person uses them: typing, clicking, the back button, a
//! phone screen, JavaScript off, a screen reader's view (axe-core).
//!
//! Chromium is driven over WebDriver by chromedriver (Debian packages `chromium` and
//! `chromium-driver`), through the `fantoccini` crate. Why a Rust WebDriver client rather than
//! Playwright: these tests live in the one integration binary and use its fixtures (the gateway
//! in-process on an ephemeral port, the recording upstream, nginx from the forward-auth tests,
//! TOTP codes from the harness), so a flow and what the upstream saw are asserted side by side;
//! Chromium's own WebDriver server needs no browser download and no second test runner. The
//! only npm package is axe-core, a script injected into each page (`package.json` here).
//!
//! Every test starts its own chromedriver on a free port, in its own process group, so that a
//! failing test leaves no browser behind. Screenshots of every page, desktop and phone, go to
//! `target/tmp/screenshots/<test>/` for a reviewer to look at.

mod account;
mod admin;
mod branding;
mod cross_site;
mod deployments;
mod https;
mod i18n;
mod pages;
mod passkeys;
mod replicas;
mod sign_in;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::harness::*;

/// The screen a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// A 1280 × 900 desktop window.
    Desktop,
    /// A 390 × 844 phone screen (CSS px, 3× density, touch), as chromedriver's mobile emulation.
    Phone,
}

impl Device {
    fn name(self) -> &'static str {
        match self {
            Device::Desktop => "desktop",
            Device::Phone => "phone",
        }
    }
}

/// A headless Chromium with its chromedriver; both end with the value.
pub struct Browser {
    pub client: Client,
    driver: Child,
    shots: PathBuf,
    pub device: Device,
}

/// How long a page may take to show what a step expects.
const STEP: Duration = Duration::from_secs(15);

/// The languages of the person at the browser: its interface (`--lang`) and what it asks sites
/// for (`intl.accept_languages`, sent as `Accept-Language`).
const ENGLISH: &str = "en-US,en";

/// Flags every run needs. `--no-sandbox` only as root (CI), where Chromium's sandbox cannot
/// start; the network flags stop Chromium calling home, which a closed network refuses.
fn chromium_args(device: Device, languages: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "--headless=new",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--password-store=basic",
    ]
    .map(String::from)
    .to_vec();
    let first = languages.split(',').next().unwrap_or("en-US");
    args.push(format!("--lang={first}"));
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        args.push("--no-sandbox".into());
    }
    if device == Device::Desktop {
        args.push("--window-size=1280,900".into());
    }
    args
}

fn chromium_binary() -> Option<String> {
    if let Ok(b) = std::env::var("CHROME_BIN") {
        return Some(b);
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
    .map(str::to_owned)
}

/// Starts chromedriver on a port of its choosing and returns it with that port; fails with
/// what it printed when it does not start.
fn start_chromedriver() -> (Child, u16) {
    try_chromedriver()
        .unwrap_or_else(|printed| panic!("chromedriver did not start; it printed:\n{printed}"))
}

fn try_chromedriver() -> Result<(Child, u16), String> {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new("chromedriver")
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log.reopen().unwrap()))
        // Its own process group: Drop ends chromedriver and every Chromium process it started.
        .process_group(0)
        .spawn()
        .expect(
            "chromedriver must be installed (Debian packages chromium and chromium-driver; \
             .ci/run installs them)",
        );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let port = lines.by_ref().map_while(Result::ok).find_map(|l| {
        let port = l
            .split("started successfully on port ")
            .nth(1)
            .and_then(|p| p.trim_end_matches('.').trim().parse().ok());
        printed.push(l);
        port
    });
    match port {
        Some(port) => {
            // Keep reading what it prints so that it never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            Ok((child, port))
        }
        None => {
            let _ = child.kill();
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            let stderr = std::fs::read_to_string(log.path()).unwrap_or_default();
            Err(format!("{}\n{stderr}\n({status})", printed.join("\n")))
        }
    }
}

impl Browser {
    /// A desktop Chromium with JavaScript on.
    pub async fn open(test: &str) -> Browser {
        Browser::with(test, Device::Desktop, true).await
    }

    /// A Chromium on `device`, with page JavaScript on or off. Checks that the setting took.
    pub async fn with(test: &str, device: Device, javascript: bool) -> Browser {
        Browser::launch(test, device, javascript, &[], ENGLISH).await
    }

    /// A Chromium on `device` whose person reads `languages` (`"de-DE,de"`, first preferred):
    /// its interface language and its `Accept-Language`. Checks that the setting took.
    pub async fn speaking(test: &str, device: Device, languages: &str) -> Browser {
        let b = Browser::launch(test, device, true, &[], languages).await;
        let asked = b
            .eval("return navigator.languages.join(',');", vec![])
            .await;
        assert_eq!(asked, json!(languages), "the browser's languages");
        b
    }

    /// A desktop Chromium that trusts the certificate whose SubjectPublicKeyInfo has this
    /// SHA-256 (base64): a test CA's leaf, as if it were publicly trusted.
    pub async fn trusting(test: &str, spki_sha256: &str) -> Browser {
        let flag = format!("--ignore-certificate-errors-spki-list={spki_sha256}");
        Browser::launch(test, Device::Desktop, true, &[flag], ENGLISH).await
    }

    async fn launch(
        test: &str,
        device: Device,
        javascript: bool,
        extra: &[String],
        languages: &str,
    ) -> Browser {
        let (driver, port) = start_chromedriver();
        let mut args = chromium_args(device, languages);
        args.extend_from_slice(extra);
        let mut options = json!({ "args": args });
        if let Some(b) = chromium_binary() {
            options["binary"] = json!(b);
        }
        options["prefs"] = json!({ "intl.accept_languages": languages });
        if !javascript {
            options["prefs"]["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        if device == Device::Phone {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36",
                "clientHints": { "platform": "Android", "mobile": true },
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("Chromium did not start through chromedriver: {e}"));
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots")
            .join(test);
        std::fs::create_dir_all(&shots).unwrap();
        let b = Browser {
            client,
            driver,
            shots,
            device,
        };
        // The page's own scripts run, or not, as asked: a data: page that retitles itself.
        b.client
            .goto("data:text/html,<title>off</title><script>document.title='on'</script>")
            .await
            .unwrap();
        let title = b.client.title().await.unwrap();
        assert_eq!(
            title == "on",
            javascript,
            "page JavaScript should be {}",
            if javascript { "on" } else { "off" }
        );
        b
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("could not open {url}: {e}"));
    }

    /// The address bar's path and query (no fragment).
    pub async fn path(&self) -> String {
        let u = self.client.current_url().await.unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        }
    }

    pub async fn url(&self) -> url::Url {
        self.client.current_url().await.unwrap()
    }

    /// What a person reads on the page.
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the page's `h1` reads `heading`; fails with what the page shows instead.
    pub async fn expect_heading(&self, heading: &str) {
        self.expect_heading_of(&[heading]).await;
    }

    /// Waits until the page's `h1` reads one of `headings` and returns it.
    pub async fn expect_heading_of<'a>(&self, headings: &[&'a str]) -> &'a str {
        let deadline = Instant::now() + STEP;
        loop {
            if let Ok(h1) = self.client.find(Locator::Css("h1")).await {
                if let Ok(t) = h1.text().await {
                    if let Some(h) = headings.iter().find(|h| **h == t.trim()) {
                        return h;
                    }
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "expected the page {headings:?} ({:?}); at {} the page reads:\n{}",
                    self.device,
                    self.url().await,
                    self.text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's text contains `text` (for the upstream's plain-text answers).
    pub async fn expect_text(&self, text: &str) {
        let deadline = Instant::now() + STEP;
        loop {
            let now = self.text().await;
            if now.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "expected \"{text}\" at {}; the page reads:\n{now}",
                    self.url().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks into the field and types, as a person does (clearing what was there).
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = match self.client.find(Locator::Css(css)).await {
            Ok(f) => f,
            Err(e) => panic!("no field {css} at {}: {e}", self.url().await),
        };
        field.click().await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks the visible button or link whose text is `label`; a button or link is followed
    /// until the next page has loaded, a `<summary>` or `<label>` just toggles.
    pub async fn press(&self, label: &str) {
        let xpath = format!(
            "//*[self::button or self::a or self::summary or self::label][normalize-space()='{label}']"
        );
        let candidates = self
            .client
            .find_all(Locator::XPath(&xpath))
            .await
            .unwrap_or_default();
        for el in candidates {
            if el.is_displayed().await.unwrap_or(false) {
                let tag = el.tag_name().await.unwrap_or_default().to_ascii_lowercase();
                let navigates = tag == "button" || tag == "a";
                if navigates {
                    self.mark_page().await;
                }
                el.click().await.unwrap();
                if navigates {
                    self.wait_for_next_page(label).await;
                }
                return;
            }
        }
        panic!(
            "no visible \"{label}\" at {}; the page reads:\n{}",
            self.url().await,
            self.text().await
        );
    }

    /// Marks the document shown now, so that a new one can be told from it.
    async fn mark_page(&self) {
        self.eval("window.__portcullisPrevious = true;", vec![])
            .await;
    }

    /// Waits until a new document has replaced the marked one and has loaded.
    async fn wait_for_next_page(&self, after: &str) {
        let deadline = Instant::now() + STEP;
        loop {
            let state = self
                .client
                .execute(
                    "return window.__portcullisPrevious === true ? 'same' : document.readyState;",
                    vec![],
                )
                .await;
            if matches!(
                state.as_ref().ok().and_then(Value::as_str),
                Some("complete")
            ) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after pressing \"{after}\" (at {})",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Clicks the element `css` (a checkbox, a link by id).
    pub async fn click(&self, css: &str) {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.click().await.unwrap(),
            Err(e) => panic!("no {css} at {}: {e}", self.url().await),
        }
    }

    /// The `value` of a field.
    pub async fn value_of(&self, css: &str) -> String {
        let el = self.client.find(Locator::Css(css)).await.unwrap();
        el.prop("value").await.unwrap().unwrap_or_default()
    }

    /// The texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(el.text().await.unwrap().trim().to_owned());
        }
        out
    }

    /// Forgets one cookie of 127.0.0.1, as a browser does with a session cookie when it closes
    /// (through DevTools: WebDriver's cookie commands reach only the page shown now).
    pub async fn drop_cookie(&self, name: &str) {
        self.client
            .issue_cmd(Cdp::new(
                "Network.deleteCookies",
                json!({ "name": name, "domain": "127.0.0.1" }),
            ))
            .await
            .unwrap();
    }

    /// The names of every cookie the browser holds.
    pub async fn cookie_names(&self) -> Vec<String> {
        self.cookies().await.into_iter().map(|(n, _)| n).collect()
    }

    /// `name=value` of a cookie the browser holds, as a `Cookie` header would carry it.
    pub async fn cookie(&self, name: &str) -> Option<String> {
        self.cookies()
            .await
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(n, v)| format!("{n}={v}"))
    }

    async fn cookies(&self) -> Vec<(String, String)> {
        self.cookie_records()
            .await
            .iter()
            .filter_map(|c| {
                Some((
                    c["name"].as_str()?.to_owned(),
                    c["value"].as_str()?.to_owned(),
                ))
            })
            .collect()
    }

    /// Every cookie the browser holds, as CDP describes it (`name`, `secure`, `httpOnly`, …).
    pub async fn cookie_records(&self) -> Vec<Value> {
        let all = self
            .client
            .issue_cmd(Cdp::new("Storage.getCookies", json!({})))
            .await
            .unwrap();
        all["cookies"].as_array().cloned().unwrap_or_default()
    }

    /// Runs a script in the page (even with page JavaScript off) and returns its value.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Runs an asynchronous script in the page: it ends by calling its last argument with
    /// the value to return.
    pub async fn eval_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute_async(script, args).await.unwrap()
    }

    /// Adds a virtual platform authenticator (CTAP2, user verification by "biometric" that
    /// always succeeds, presence simulated) through DevTools; returns its id. Chromium uses
    /// it for every WebAuthn request of this tab, as a person's laptop would.
    pub async fn add_authenticator(&self) -> String {
        self.cdp("WebAuthn.enable", json!({ "enableUI": false }))
            .await;
        let added = self
            .cdp(
                "WebAuthn.addVirtualAuthenticator",
                json!({ "options": {
                    "protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
                    "hasUserVerification": true, "isUserVerified": true,
                    "automaticPresenceSimulation": true,
                } }),
            )
            .await;
        added["authenticatorId"].as_str().unwrap().to_owned()
    }

    /// From the next page on, the browser has no WebAuthn (as an old or locked-down one).
    pub async fn without_webauthn(&self) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete window.PublicKeyCredential" }),
        )
        .await;
    }

    /// Takes the authenticator away (the laptop is gone).
    pub async fn remove_authenticator(&self, id: &str) {
        self.cdp(
            "WebAuthn.removeVirtualAuthenticator",
            json!({ "authenticatorId": id }),
        )
        .await;
    }

    /// The credentials an authenticator holds, with their private keys and signature counts
    /// (DevTools `WebAuthn.Credential`).
    pub async fn authenticator_credentials(&self, id: &str) -> Vec<Value> {
        let got = self
            .cdp("WebAuthn.getCredentials", json!({ "authenticatorId": id }))
            .await;
        got["credentials"].as_array().cloned().unwrap_or_default()
    }

    /// Puts a credential (e.g. one copied from another authenticator) into an authenticator.
    pub async fn add_credential(&self, id: &str, credential: Value) {
        self.cdp(
            "WebAuthn.addCredential",
            json!({ "authenticatorId": id, "credential": credential }),
        )
        .await;
    }

    async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp::new(cmd, params))
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Saves a full-page screenshot as `<name>.<device>.png` in this test's folder.
    pub async fn screenshot(&self, name: &str) {
        let shot = self
            .client
            .issue_cmd(Cdp::new(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true }),
            ))
            .await
            .unwrap();
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .unwrap();
        let path = self
            .shots
            .join(format!("{name}.{}.png", self.device.name()));
        std::fs::write(&path, png).unwrap();
    }

    /// Everything a person needs of the page now shown, as a list of problems (empty when
    /// fine): a screenshot is saved as `name`; axe-core's serious and critical violations;
    /// labels, `autocomplete` and `inputmode` of every field; a visible keyboard focus; and on a
    /// phone, no sideways scrolling and 44 px tap targets.
    pub async fn check_page(&self, name: &str) -> Vec<String> {
        self.screenshot(name).await;
        let mut problems: Vec<String> = Vec::new();
        let checks = self
            .eval(
                include_str!("page_checks.js"),
                vec![json!(self.device == Device::Phone)],
            )
            .await;
        problems.extend(
            checks
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(str::to_owned)),
        );
        problems.extend(self.axe().await);
        problems.extend(self.focus_problem().await);
        problems
            .into_iter()
            .map(|p| format!("{name} ({}): {p}", self.device.name()))
            .collect()
    }

    /// axe-core's violations of impact serious or critical, one line each.
    pub async fn axe(&self) -> Vec<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/it/browser/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}. Install it with `npm ci --prefix tests/it/browser` (.ci/run does)",
                path.display()
            )
        });
        self.eval(&format!("{source}\n;return true;"), vec![]).await;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(
                   (r) => done(r.violations.map((v) => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }))),
                   (e) => done([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .unwrap();
        // AXE_REPORT=1 prints every violation, minor and moderate too, for a reviewer.
        if std::env::var_os("AXE_REPORT").is_some() {
            for v in found.as_array().into_iter().flatten() {
                eprintln!(
                    "axe {} {}: {} ({})",
                    self.url().await,
                    v["impact"],
                    v["id"],
                    v["help"]
                );
            }
        }
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| {
                format!(
                    "axe {} ({}): {} at {}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    v["nodes"]
                )
            })
            .collect()
    }

    /// Tabs to the next control, as a keyboard user does, and checks that focus is drawn.
    async fn focus_problem(&self) -> Option<String> {
        let body = self.client.find(Locator::Css("body")).await.ok()?;
        body.send_keys("\u{E004}").await.ok()?; // the Tab key
        let seen = self
            .eval(
                "const el = document.activeElement; const s = getComputedStyle(el);
                 return [el.tagName, s.outlineStyle, parseFloat(s.outlineWidth) || 0];",
                vec![],
            )
            .await;
        let tag = seen[0].as_str().unwrap_or("?");
        let (style, width) = (
            seen[1].as_str().unwrap_or("none"),
            seen[2].as_f64().unwrap_or(0.0),
        );
        if tag == "BODY" {
            // Fine only on a page with nothing to focus (a message without links or forms).
            let focusable = self
                .eval(
                    "return document.querySelectorAll('a[href], button, input:not([type=hidden]), summary').length;",
                    vec![],
                )
                .await;
            return (focusable.as_u64() != Some(0)).then(|| "Tab focuses nothing".into());
        }
        (style == "none" || width < 2.0).then(|| {
            format!("keyboard focus on <{tag}> is not visible (outline {style} {width}px)")
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole process group: chromedriver and every Chromium process it started.
        // SAFETY: kill has no memory preconditions; a stale group id at worst fails with ESRCH.
        unsafe {
            libc::kill(-(self.driver.id() as i32), libc::SIGKILL);
        }
        let _ = self.driver.wait();
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    body: String,
}

impl Cdp {
    fn new(cmd: &str, params: Value) -> Cdp {
        Cdp {
            body: json!({ "cmd": cmd, "params": params }).to_string(),
        }
    }
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Signs in on the login page shown now: user name, the fixtures' password, "Sign in".
pub async fn sign_in(b: &Browser, user: &str) {
    sign_in_with(b, user, PASSWORD).await;
}

pub async fn sign_in_with(b: &Browser, user: &str, password: &str) {
    b.expect_heading("Sign in").await;
    b.type_into("#username", user).await;
    b.type_into("#password", password).await;
    b.press("Sign in").await;
}

/// On the enrolment page shown now: reads the key as a person copies it into an app, types the
/// app's code, and returns the key (base32, spaces removed) with the backup codes shown next.
pub async fn enrol(b: &Browser) -> (String, Vec<String>) {
    b.expect_heading("Set up two-step verification").await;
    let key: String = b
        .value_of("#secret")
        .await
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(key.len() >= 32, "a key of at least 160 bits: {key}");
    b.type_into("#code", &totp_code(&key, 0)).await;
    b.press("Activate").await;
    b.expect_heading("Save your backup codes").await;
    let codes = b.texts("ul.codes li").await;
    assert_eq!(codes.len(), 10, "{codes:?}");
    (key, codes)
}

/// Asserts that `problems` is empty, listing them all when not.
pub fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
