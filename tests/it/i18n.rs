//! Languages (DESIGN §3 `[ui] locales`, `default_locale`): each page in the language the
//! browser's `Accept-Language` asks for among those offered, else the default; e-mails sent
//! for a request in its language, notices without one in the default.

use crate::harness::*;

/// The page at `path` as a browser whose `Accept-Language` is `languages` (none: `None`).
async fn page(gw: &Gateway, path: &str, languages: Option<&str>) -> reqwest::Response {
    let mut request = gw
        .client()
        .get(gw.url(path))
        .header("accept", "text/html,application/xhtml+xml");
    if let Some(l) = languages {
        request = request.header("accept-language", l);
    }
    request.send().await.unwrap()
}

async fn login_text(gw: &Gateway, languages: Option<&str>) -> String {
    let r = page(gw, "/.portcullis/login", languages).await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

fn with_ui(ui: &str) -> Setup {
    Setup {
        extra_tables: format!("[ui]\n{ui}\n"),
        ..Setup::default()
    }
}

#[tokio::test]
async fn the_login_page_is_in_german_for_a_german_browser() {
    let gw = Gateway::start().await;
    let r = page(&gw, "/.portcullis/login", Some("de-CH,de;q=0.9,en;q=0.8")).await;
    assert_eq!(r.status(), 200);
    let vary = r.headers()["vary"].to_str().unwrap().to_owned();
    let text = r.text().await.unwrap();
    assert!(text.contains("<html lang=\"de\" dir=\"ltr\">"), "{text}");
    assert!(text.contains("<title>Anmelden</title>"), "{text}");
    assert!(text.contains("<h1>Anmelden</h1>"), "{text}");
    assert!(text.contains(">Benutzername</label>"), "{text}");
    assert!(text.contains(">Passwort</label>"), "{text}");
    assert!(
        text.contains("<button type=\"submit\">Anmelden</button>"),
        "{text}"
    );
    assert!(
        !text.contains("User name") && !text.contains("Sign in"),
        "{text}"
    );
    assert!(
        vary.to_ascii_lowercase().contains("accept-language"),
        "{vary}"
    );
}

#[tokio::test]
async fn the_login_page_is_in_japanese_for_a_japanese_browser() {
    let gw = Gateway::start().await;
    let text = login_text(&gw, Some("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7")).await;
    assert!(text.contains("<html lang=\"ja\" dir=\"ltr\">"), "{text}");
    assert!(text.contains("<h1>サインイン</h1>"), "{text}");
    assert!(text.contains(">ユーザー名</label>"), "{text}");
    assert!(text.contains(">パスワード</label>"), "{text}");
}

#[tokio::test]
async fn an_unknown_language_or_none_gets_the_default_language() {
    let gw = Gateway::start().await;
    for languages in [Some("xx"), Some("tlh, xx-YY;q=0.5"), None] {
        let text = login_text(&gw, languages).await;
        assert!(
            text.contains("<html lang=\"en\" dir=\"ltr\">"),
            "{languages:?}"
        );
        assert!(text.contains(">User name</label>"), "{languages:?}");
    }

    // A French default: the same requests get French.
    let gw = Gateway::start_with_ui("default_locale = \"fr\"").await;
    for languages in [Some("xx"), None, Some("*")] {
        let text = login_text(&gw, languages).await;
        assert!(
            text.contains("<html lang=\"fr\" dir=\"ltr\">"),
            "{languages:?}"
        );
        assert!(text.contains("<h1>Connexion</h1>"), "{languages:?}: {text}");
        assert!(text.contains(">Nom d’utilisateur</label>"), "{languages:?}");
    }
    // ... and a browser asking for English still gets English.
    let text = login_text(&gw, Some("en-US,en;q=0.9")).await;
    assert!(text.contains(">User name</label>"), "{text}");
}

#[tokio::test]
async fn only_the_languages_the_operator_offers_are_used() {
    let gw = Gateway::start_with_ui("locales = [\"en\", \"de\"]").await;
    let text = login_text(&gw, Some("ja, fr;q=0.9, de;q=0.5")).await;
    assert!(text.contains("<html lang=\"de\""), "{text}");
    let text = login_text(&gw, Some("ja, fr;q=0.9")).await;
    assert!(text.contains("<html lang=\"en\""), "{text}");
}

#[tokio::test]
async fn every_kind_of_page_says_it_varies_by_language() {
    let gw = Gateway::start().await;
    // A page of ours that is not a form, and a refusal for a protected path.
    for path in ["/.portcullis/nothing-here", "/secret"] {
        let r = page(&gw, path, Some("pl")).await;
        let vary = r.headers()["vary"].to_str().unwrap().to_owned();
        assert!(vary.contains("Accept-Language"), "{path}: {vary}");
        let text = r.text().await.unwrap();
        assert!(text.contains("<html lang=\"pl\""), "{path}: {text}");
    }
    let r = page(&gw, "/.portcullis/nothing-here", Some("pl")).await;
    assert!(r.text().await.unwrap().contains("<h1>Nie znaleziono</h1>"));
    // JSON answers do not depend on the language and keep their machine codes.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("accept-language", "de")
        .json(&serde_json::json!({"username": "alice", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("vary").is_none());
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_credentials");
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_the_browsers_language() {
    let gw = Gateway::start().await;
    let r = page(&gw, "/.portcullis/login", Some("es-ES,es;q=0.9")).await;
    let csrf = cookie_named(&r, "portcullis_csrf").unwrap();
    let body = r.text().await.unwrap();
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap()
        .to_owned();
    let r = gw
        .client()
        .post(gw.url("/.portcullis/login"))
        .header("cookie", &csrf)
        .header("accept-language", "es-ES,es;q=0.9")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("username", "alice"),
                ("password", "wrong"),
                ("csrf", &token),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("El nombre de usuario o la contraseña no son correctos."),
        "{text}"
    );
}

#[tokio::test]
async fn an_operators_template_can_use_the_catalogs_too() {
    let gw = Gateway::with(Setup {
        files: vec![(
            "tpl/login.html".into(),
            "{% extends \"base.html\" %}{% block content %}<h1>ACME</h1><p>{{ t(\"login-username\") }}</p>{% endblock %}".into(),
        )],
        extra_tables: "[ui]\ntemplates_dir = \"tpl\"\n".into(),
        ..Setup::default()
    })
    .await;
    let text = login_text(&gw, Some("nl")).await;
    assert!(text.contains("<p>Gebruikersnaam</p>"), "{text}");
    assert!(text.contains("<html lang=\"nl\""), "{text}");
}

/// The text of a delivered message: its subject and every text part, decoded (quoted-printable,
/// base64, RFC 2047 encoded words), so that words in any language can be read.
fn decoded(message: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut out = String::new();
    let unfolded = message.replace("\r\n ", " ").replace("\r\n\t", " ");
    if let Some(subject) = unfolded.lines().find_map(|l| l.strip_prefix("Subject: ")) {
        // Adjacent encoded words join without the space between them (RFC 2047 §6.2).
        let (mut bytes, mut after_encoded) = (Vec::new(), false);
        for word in subject.split(' ') {
            let lower = word.to_ascii_lowercase();
            let inner = word.get(10..word.len().saturating_sub(2)).unwrap_or("");
            if lower.starts_with("=?utf-8?b?") {
                bytes.extend(b64.decode(inner).unwrap());
                after_encoded = true;
            } else if lower.starts_with("=?utf-8?q?") {
                bytes.extend(quoted_printable(&inner.replace('_', " ")).into_bytes());
                after_encoded = true;
            } else {
                if after_encoded {
                    bytes.push(b' ');
                }
                bytes.extend(word.as_bytes());
                bytes.push(b' ');
                after_encoded = false;
            }
        }
        out.push_str(&String::from_utf8_lossy(&bytes));
        out.push('\n');
    }
    // Each MIME part: its head, a blank line, its body, up to the next boundary line.
    for part in message.split("\r\n--").skip(1) {
        let Some((head, body)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let head = head.to_ascii_lowercase();
        if head.contains("content-transfer-encoding: base64") {
            let joined: String = body.split_whitespace().collect();
            if let Ok(bytes) = b64.decode(joined) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        } else if head.contains("content-transfer-encoding: quoted-printable") {
            out.push_str(&quoted_printable(body));
        } else if head.contains("content-type: text/") {
            out.push_str(body);
        }
        out.push('\n');
    }
    out
}

fn quoted_printable(text: &str) -> String {
    let soft = text.replace("=\r\n", "").replace("=\n", "");
    let mut bytes = Vec::new();
    let raw = soft.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            if let Some(b) = std::str::from_utf8(&raw[i + 1..(i + 3).min(raw.len())])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn gateway_mailing(mail: &MailServer, ui: &str) -> Gateway {
    Gateway::with(Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[ui]\n{ui}\n\n[smtp]\nurl = \"smtp://127.0.0.1:{}\"\nfrom = \"no-reply@gateway.test\"\ntimeout = \"2s\"\n",
            mail.port
        ),
        ..Setup::default()
    })
    .await
}

#[tokio::test]
async fn a_code_e_mail_is_in_the_language_of_the_request_that_asked_for_it() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, "").await;
    let (_, half) = gw.password("alice").await;
    for (n, languages) in [(1, "de-DE,de;q=0.9"), (2, "ja")] {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/mfa/send"))
            .header("cookie", &half)
            .header("accept-language", languages)
            .json(&serde_json::json!({"method": "email"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202, "{languages}");
        let message = mail.wait_for(n).await.remove(n - 1);
        let text = decoded(&message);
        match n {
            1 => {
                assert!(
                    text.contains("Ihr Anmeldecode für gateway.test"),
                    "the subject: {text}"
                );
                assert!(
                    text.contains("Er ist 10 Minuten gültig und nur einmal verwendbar."),
                    "{text}"
                );
                assert!(
                    text.contains(
                        "Niemand von gateway.test wird Sie jemals nach diesem Code fragen."
                    ),
                    "{text}"
                );
                assert!(text.contains("<html lang=\"de\" dir=\"ltr\">"), "{text}");
            }
            _ => {
                assert!(text.contains("gateway.test のサインイン コード"), "{text}");
                assert!(
                    text.contains("有効期間は 10 分で、1 回だけ使えます。"),
                    "{text}"
                );
                assert!(text.contains("<html lang=\"ja\" dir=\"ltr\">"), "{text}");
            }
        }
        assert!(!text.contains("sign-in code"), "{text}");
    }
}

#[tokio::test]
async fn a_notice_without_a_browser_is_in_the_default_language() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, "default_locale = \"it\"").await;
    // Five wrong passwords lock alice out; the lockout notice is nobody's request, whatever
    // language the guesser's client asks for.
    for _ in 0..5 {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/login"))
            .header("accept-language", "ja")
            .json(&serde_json::json!({"username": "alice", "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert!(matches!(r.status().as_u16(), 401 | 429), "{}", r.status());
    }
    let message = mail.wait_for(1).await.remove(0);
    let text = decoded(&message);
    assert!(
        text.contains("Il tuo account è stato bloccato dopo accessi non riusciti"),
        "{text}"
    );
    assert!(text.contains("<html lang=\"it\""), "{text}");
}

impl Gateway {
    /// A gateway with these lines in `[ui]`.
    async fn start_with_ui(ui: &str) -> Gateway {
        Gateway::with(with_ui(ui)).await
    }
}

#[tokio::test]
async fn the_operators_title_is_said_in_every_language_and_the_default_in_each() {
    let gw = Gateway::start_with_ui("title = \"ACME Intranet\"").await;
    let text = login_text(&gw, Some("de")).await;
    assert!(text.contains("<h1>ACME Intranet</h1>"), "{text}");
    assert!(text.contains(">Benutzername</label>"), "{text}");
    // DESIGN's example spells the default out: still each language's own words.
    let gw = Gateway::start_with_ui("title = \"Sign in\"").await;
    let text = login_text(&gw, Some("zh-CN")).await;
    assert!(text.contains("<h1>登录</h1>"), "{text}");
    assert!(text.contains("<html lang=\"zh\""), "{text}");
}
