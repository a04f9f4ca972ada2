//! DESIGN §4 (CSRF) and §8 (redirect safety).

use crate::harness::*;

/// GETs the login page and returns (csrf cookie, csrf form token).
async fn login_page(gw: &Gateway) -> (String, String) {
    let r = gw
        .client()
        .get(gw.url("/.portcullis/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portcullis_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body = r.text().await.unwrap();
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, token)
}

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

#[tokio::test]
async fn the_login_form_signs_in_and_redirects_to_rd() {
    let gw = Gateway::start().await;
    let (csrf, token) = login_page(&gw).await;
    let r = gw
        .client()
        .post(gw.url("/.portcullis/login"))
        .header("cookie", &csrf)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &token),
            ("rd", "/app/x?y=1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/app/x?y=1");
    assert!(session_cookie(&r).is_some());
}

#[tokio::test]
async fn a_login_form_post_without_its_csrf_token_is_refused() {
    let gw = Gateway::start().await;
    let (csrf, token) = login_page(&gw).await;
    let cases = [
        ("no token, no cookie", None, None),
        ("cookie but no token", Some(csrf.as_str()), None),
        ("token but no cookie", None, Some(token.as_str())),
        (
            "token of another cookie",
            Some("portcullis_csrf=someone-elses"),
            Some(token.as_str()),
        ),
    ];
    for (what, cookie, tok) in cases {
        let mut fields = vec![("username", "alice"), ("password", PASSWORD)];
        if let Some(t) = tok {
            fields.push(("csrf", t));
        }
        let mut req = gw
            .client()
            .post(gw.url("/.portcullis/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&fields));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 403, "{what}");
        assert!(session_cookie(&r).is_none(), "{what}");
    }
    // And a valid token from a cross-site page is refused too.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/login"))
        .header("cookie", &csrf)
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &token),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// The provenance headers of a form POST as browsers send them, and whether it must pass.
const FORM_PROVENANCE: [(Option<&str>, Option<&str>, bool); 10] = [
    // Chromium and Firefox on our pages (Referrer-Policy: same-origin).
    (Some("same-origin"), Some("http://gateway.test"), true),
    // The same browsers when a proxy in front serves our pages with no-referrer.
    (Some("same-origin"), Some("null"), true),
    // Scripted clients.
    (None, None, true),
    // Another site's page, with and without its own no-referrer policy.
    (Some("cross-site"), Some("https://evil.example"), false),
    (Some("cross-site"), Some("null"), false),
    // A sibling subdomain.
    (Some("same-site"), Some("http://x.gateway.test"), false),
    // A browser without Fetch Metadata: null is a sandboxed frame or a no-referrer page.
    (None, Some("null"), false),
    (None, Some("https://evil.example"), false),
    // Contradictions fail closed.
    (Some("same-origin"), Some("https://evil.example"), false),
    (Some("same-origin?"), Some("http://gateway.test"), false),
];

#[tokio::test]
async fn the_login_form_accepts_what_browsers_send_from_our_page_and_refuses_other_sites() {
    let gw = Gateway::start().await;
    let (csrf, token) = login_page(&gw).await;
    for (site, origin, allowed) in FORM_PROVENANCE {
        let mut req = gw
            .client()
            .post(gw.url("/.portcullis/login"))
            .header("cookie", &csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("username", "alice"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]));
        if let Some(s) = site {
            req = req.header("sec-fetch-site", s);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        let case = format!("Sec-Fetch-Site {site:?}, Origin {origin:?}");
        if allowed {
            assert_eq!(r.status(), 303, "{case}");
            assert!(session_cookie(&r).is_some(), "{case}");
        } else {
            assert_eq!(r.status(), 403, "{case}");
            assert!(session_cookie(&r).is_none(), "{case}");
            assert!(
                r.text().await.unwrap().contains("Request refused"),
                "{case}"
            );
        }
    }
}

#[tokio::test]
async fn the_logout_form_and_the_api_follow_the_same_provenance_rule() {
    let gw = Gateway::start().await;
    let (csrf, token) = login_page(&gw).await;
    for (site, origin, allowed) in FORM_PROVENANCE {
        let session = gw.login("alice").await;
        let mut form_post = gw
            .client()
            .post(gw.url("/.portcullis/logout"))
            .header("cookie", format!("{csrf}; {session}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &token)]));
        let mut api_post = gw
            .client()
            .post(gw.url("/.portcullis/api/logout"))
            .header("cookie", &session)
            .header("content-type", "application/json");
        if let Some(s) = site {
            form_post = form_post.header("sec-fetch-site", s);
            api_post = api_post.header("sec-fetch-site", s);
        }
        if let Some(o) = origin {
            form_post = form_post.header("origin", o);
            api_post = api_post.header("origin", o);
        }
        let case = format!("Sec-Fetch-Site {site:?}, Origin {origin:?}");
        let (f, a) = (
            form_post.send().await.unwrap(),
            api_post.send().await.unwrap(),
        );
        assert_eq!(f.status(), if allowed { 303 } else { 403 }, "form: {case}");
        assert_eq!(a.status(), if allowed { 204 } else { 403 }, "api: {case}");
        // A refused logout leaves the session working.
        let still = gw
            .client()
            .get(gw.url("/.portcullis/api/session"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(still.status(), if allowed { 401 } else { 200 }, "{case}");
    }
}

#[tokio::test]
async fn our_pages_keep_their_urls_out_of_other_sites_referer_but_not_our_own_origin() {
    let gw = Gateway::start().await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/login?rd=%2Fprivate%3Ftoken%3Dx"))
        .send()
        .await
        .unwrap();
    // Not no-referrer: under that policy browsers send `Origin: null` on our own form posts.
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("name=\"referrer\""),
        "no meta tag overriding the header"
    );
}

#[tokio::test]
async fn cross_site_or_non_json_api_calls_are_refused() {
    let gw = Gateway::start().await;
    let body = serde_json::json!({"username": "alice", "password": PASSWORD}).to_string();
    let post = || {
        gw.client()
            .post(gw.url("/.portcullis/api/login"))
            .body(body.clone())
    };
    let r = post()
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = post()
        .header("content-type", "application/json")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = post()
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = post()
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = post()
        .header("content-type", "application/json")
        .header("origin", "http://gateway.test")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "same-origin JSON works");
}

#[tokio::test]
async fn malformed_api_bodies_get_400_not_5xx() {
    let gw = Gateway::start().await;
    for body in [
        "",
        "{",
        "[]",
        "{\"username\": 1, \"password\": 2}",
        "{\"username\":\"a\"}",
        "\u{0}",
    ] {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body:?}");
    }
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("content-type", "application/json")
        .body(vec![b'a'; 100_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

fn payloads() -> Vec<String> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/testdata/openredirects.txt"
    );
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert!(
        lines.len() >= 500,
        "{file} has only {} payloads",
        lines.len()
    );
    lines
}

#[tokio::test]
async fn every_open_redirect_payload_lands_on_root_after_login() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    let mut accepted = Vec::new();
    for p in payloads() {
        // The file's lines are URL-encoded query values: send each as the raw rd value.
        let r = gw
            .client()
            .get(format!(
                "{}?rd={}",
                gw.url("/.portcullis/login"),
                p.replace(' ', "%20").replace('#', "%23")
            ))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap_or("?").to_owned());
        if r.status() != 302 || location.as_deref() != Some("/") {
            accepted.push(format!("{p} → {} {location:?}", r.status()));
        }
    }
    assert!(
        accepted.is_empty(),
        "{} payloads not refused:\n{}",
        accepted.len(),
        accepted.join("\n")
    );
}

#[tokio::test]
async fn logout_refuses_foreign_redirects_too() {
    let gw = Gateway::start().await;
    let (csrf, token) = login_page(&gw).await;
    for (rd, expected) in [
        ("https://evil.example/", "/.portcullis/login"),
        ("/bye", "/bye"),
        ("//evil.example", "/.portcullis/login"),
    ] {
        let r = gw
            .client()
            .post(gw.url("/.portcullis/logout"))
            .header("cookie", &csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &token), ("rd", rd)]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], expected, "{rd}");
    }
}

#[tokio::test]
async fn a_deep_link_whose_query_carries_a_url_is_where_sign_in_lands() {
    let gw = Gateway::start().await;
    for deep in [
        "/app/share?link=https%3A%2F%2Fexample.org%2Fdoc",
        "/app/share?link=https%3A%2F%2Fexample.org%2Fdoc&from=%5C%5Cfiles",
    ] {
        // The protected page sends a browser to the login page with the deep link as rd ...
        let r = gw
            .client()
            .get(gw.url(deep))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{deep}");
        let login = r.headers()["location"].to_str().unwrap().to_owned();
        // ... whose form carries it ...
        let page = gw.client().get(gw.url(&login)).send().await.unwrap();
        let csrf = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("portcullis_csrf="))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body = page.text().await.unwrap();
        let field = |name: &str| {
            body.split(&format!("name=\"{name}\" value=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                // minijinja's HTML escapes, undone as a browser does.
                .replace("&#x2f;", "/")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        };
        assert_eq!(field("rd"), deep);
        // ... and signing in lands on it, query intact.
        let r = gw
            .client()
            .post(gw.url("/.portcullis/login"))
            .header("cookie", &csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("username", "alice"),
                ("password", PASSWORD),
                ("csrf", &field("csrf")),
                ("rd", &field("rd")),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{deep}");
        assert_eq!(r.headers()["location"], deep);
    }
}

#[tokio::test]
async fn own_origin_redirects_are_honoured() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    for (rd, expected) in [
        ("/app", "/app"),
        ("http%3A%2F%2Fgateway.test%2Fx", "http://gateway.test/x"),
    ] {
        let r = gw
            .client()
            .get(format!("{}?rd={rd}", gw.url("/.portcullis/login")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(r.headers()["location"], expected);
    }
}
