//! Branding without recompiling (DESIGN §3 `[ui]`): a logo served by the gateway with a long
//! cache, and templates of `templates_dir` replacing the built-in ones, checked at load and
//! reloaded with the config.

use crate::harness::*;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" fill="#c0392b"/></svg>"##;

const LOGIN: &str = r#"{% extends "base.html" %}
{% block title %}ACME sign-in{% endblock %}
{% block content %}
<h1>Welcome to ACME</h1>
<form method="post" action="{{ prefix }}/login">
  <input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="rd" value="{{ rd }}">
  <label for="username">ACME login</label>
  <input id="username" name="username" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
{% endblock %}
"#;

pub fn branded() -> Setup {
    Setup {
        files: vec![
            ("logo.svg".into(), LOGO.into()),
            ("tpl/login.html".into(), LOGIN.into()),
        ],
        extra_tables: "[ui]\ntitle = \"ACME\"\nlogo_file = \"logo.svg\"\ntemplates_dir = \"tpl\"\n"
            .into(),
        ..Setup::default()
    }
}

/// The logo's URL as the page names it (`&#x2f;` is how the pages escape `/`).
pub fn logo_url(page: &str) -> String {
    let needle = "<img class=\"logo\" src=\"";
    let at = page.find(needle).expect("a logo") + needle.len();
    page[at..].split('"').next().unwrap().replace("&#x2f;", "/")
}

#[tokio::test]
async fn the_login_page_is_the_operators_template_with_the_operators_logo() {
    let gw = Gateway::with(branded()).await;
    let page = gw
        .client()
        .get(gw.url("/.portcullis/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Welcome to ACME</h1>"), "{page}");
    assert!(page.contains("<title>ACME sign-in</title>"), "{page}");
    let url = logo_url(&page);
    assert!(
        url.starts_with("/.portcullis/logo/") && url.ends_with(".svg"),
        "{url}"
    );
    // Every other page keeps the built-in template, with the logo.
    let r = gw
        .client()
        .get(gw.url("/.portcullis/nothing-here"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(logo_url(&r.text().await.unwrap()), url);

    let r = gw.client().get(gw.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(r.text().await.unwrap(), LOGO);
    // Another version (a page from before a logo change): the current logo, not cached.
    let r = gw
        .client()
        .get(gw.url("/.portcullis/logo/0000000000000000.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-cache");
    // The pages allow images from their own origin.
    let r = gw
        .client()
        .get(gw.url("/.portcullis/login"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("img-src 'self' data:"));
    assert_eq!(r.headers()["cache-control"], "no-store");

    // A sign-in through the operator's form works as through ours.
    let (status, _) = gw.password("alice").await;
    assert_eq!(status, "authenticated");
}

#[tokio::test]
async fn a_broken_override_fails_check_with_its_file_and_line_and_a_fixed_one_is_reloaded() {
    let gw = Gateway::with(branded()).await;
    let dir = gw.dir.path().to_owned();
    let (code, out) = cli(&dir, &["check"]);
    assert_eq!(code, 0, "{out}");

    std::fs::write(
        dir.join("tpl/login.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ title </h1>\n{% endblock %}\n",
    )
    .unwrap();
    let (code, out) = cli(&dir, &["check"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("tpl/login.html:3"), "{out}");
    assert!(
        out.contains("config.toml:") && out.contains("\"templates_dir\""),
        "{out}"
    );
    // The running gateway refuses that reload and keeps serving the last good one.
    // (Off the runtime: the gateway in this process answers the command on it.)
    let reload =
        |dir: std::path::PathBuf| tokio::task::spawn_blocking(move || cli(&dir, &["reload"]));
    let (code, out) = reload(dir.clone()).await.unwrap();
    assert_ne!(code, 0, "{out}");
    let login = |gw: &Gateway| {
        let c = gw.client();
        let url = gw.url("/.portcullis/login");
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(login(&gw).await.contains("Welcome to ACME"));

    std::fs::write(
        dir.join("tpl/login.html"),
        LOGIN.replace("Welcome to ACME", "Welcome back to ACME"),
    )
    .unwrap();
    let (code, out) = reload(dir.clone()).await.unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(login(&gw).await.contains("Welcome back to ACME"));
}

#[tokio::test]
async fn an_email_template_override_is_what_the_user_receives() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = Gateway::with(Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        files: vec![(
            "tpl/mail/code.txt".into(),
            "ACME sign-in code for {{ user }}: {{ code }} (valid {{ valid_for }}).\n".into(),
        )],
        extra_tables: format!(
            "[ui]\ntemplates_dir = \"tpl\"\n\n[smtp]\nurl = \"smtp://127.0.0.1:{}\"\nfrom = \"no-reply@gateway.test\"\ntimeout = \"2s\"\n",
            mail.port
        ),
        ..Setup::default()
    })
    .await;
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "enrollment_required");
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa/send"))
        .header("cookie", &half)
        .json(&serde_json::json!({"method": "email"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let message = mail.wait_for(1).await.remove(0);
    let line = message
        .lines()
        .find(|l| l.starts_with("ACME sign-in code for alice: "))
        .unwrap_or_else(|| panic!("the override's text: {message}"));
    let code = &line["ACME sign-in code for alice: ".len()..][..6];
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{line}");
    assert_eq!(
        line,
        format!("ACME sign-in code for alice: {code} (valid 10 minutes).")
    );
    // The HTML part is still the built-in one, with the same code.
    assert!(message.contains("Your sign-in code is"), "{message}");
    assert!(message.contains(code), "{message}");
}
