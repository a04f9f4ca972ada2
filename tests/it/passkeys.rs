//! The passkey API over HTTP (the ceremonies themselves run in Chromium, `browser::passkeys`):
//! who may start a registration or an assertion, and what a forged or reused answer gets.

use serde_json::{json, Value};

use crate::harness::*;

fn with_passkeys(passwordless: bool) -> Setup {
    Setup {
        mfa_required: true,
        public_url: Some("https://gateway.test".into()),
        mfa_extra: format!(
            "methods = [\"totp\", \"webauthn\", \"backup_code\"]\n[mfa.webauthn]\npasswordless = {passwordless}\n"
        ),
        ..Setup::default()
    }
}

async fn post(gw: &Gateway, path: &str, cookie: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = gw
        .client()
        .post(gw.url(&format!("/.portcullis/api/{path}")))
        .json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_registration_needs_a_fresh_factor_once_the_user_has_one() {
    let gw = Gateway::with(with_passkeys(false)).await;
    // Alice has no factor yet: her half session may register a first one, with no code.
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "enrollment_required");
    let (code, body) = post(&gw, "webauthn/register", Some(&half), json!({})).await;
    assert_eq!(code, 200, "{body}");
    let pk = &body["options"]["publicKey"];
    assert_eq!(pk["rp"]["id"], "gateway.test");
    assert_eq!(pk["user"]["name"], "alice");
    assert!(
        pk["challenge"].as_str().is_some_and(|c| c.len() >= 43),
        "{pk}"
    );
    assert!(body["ceremony"].as_str().is_some_and(|c| c.len() >= 32));

    // Admin has an authenticator app: a half session may not register, a full one needs a
    // fresh code, and a wrong one counts.
    let (cookie, key, _) = gw.enrol("admin").await;
    let (_, half) = gw.password("admin").await;
    let (code, body) = post(&gw, "webauthn/register", Some(&half), json!({})).await;
    assert_eq!(
        (code, &body["error"]),
        (403, &json!("second_factor_required"))
    );
    let (code, body) = post(&gw, "webauthn/register", Some(&cookie), json!({})).await;
    assert_eq!((code, &body["error"]), (401, &json!("invalid_code")));
    let (code, body) = post(
        &gw,
        "webauthn/register",
        Some(&cookie),
        json!({"method": "totp", "code": totp_code(&key, 1)}),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["options"]["publicKey"]["user"]["name"], "admin");

    // Without a session: nothing.
    let (code, _) = post(&gw, "webauthn/register", None, json!({})).await;
    assert_eq!(code, 401);
}

#[tokio::test]
async fn forged_or_reused_answers_are_refused_and_count_towards_the_lockout() {
    let gw = Gateway::with(with_passkeys(false)).await;
    let (_, half) = gw.password("alice").await;
    let (_, started) = post(&gw, "webauthn/register", Some(&half), json!({})).await;
    let ceremony = started["ceremony"].as_str().unwrap().to_owned();
    let forged = json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
        "response": {"attestationObject": "AAAA", "clientDataJSON": "AAAA"},
    });
    let (code, body) = post(
        &gw,
        "webauthn/register/finish",
        Some(&half),
        json!({"ceremony": ceremony, "credential": forged, "name": "x"}),
    )
    .await;
    assert_eq!((code, &body["error"]), (400, &json!("invalid_passkey")));
    // The ceremony died with its first answer, and an unknown one is no better.
    for ceremony in [ceremony.as_str(), "made-up"] {
        let (code, _) = post(
            &gw,
            "webauthn/register/finish",
            Some(&half),
            json!({"ceremony": ceremony, "credential": forged, "name": "x"}),
        )
        .await;
        assert_eq!(code, 400);
    }

    // A forged assertion as the second factor: a failure like a wrong code, up to the lockout.
    gw.enrol("admin").await;
    let (_, half) = gw.password("admin").await;
    let assertion = json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
        "response": {"authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA"},
    });
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let (code, _) = post(
            &gw,
            "mfa",
            Some(&half),
            json!({"method": "webauthn", "ceremony": "made-up", "credential": assertion}),
        )
        .await;
        statuses.push(code);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
}

#[tokio::test]
async fn challenges_need_a_session_or_passwordless_and_come_only_from_our_origin() {
    let off = Gateway::with(with_passkeys(false)).await;
    let (code, body) = post(
        &off,
        "webauthn/challenge",
        None,
        json!({"purpose": "passwordless"}),
    )
    .await;
    assert_eq!(
        (code, &body["error"]),
        (404, &json!("passwordless_not_enabled"))
    );
    let (code, _) = post(
        &off,
        "webauthn/challenge",
        None,
        json!({"purpose": "second_factor"}),
    )
    .await;
    assert_eq!(code, 401);
    let (_, half) = off.password("alice").await;
    let (code, body) = post(
        &off,
        "webauthn/challenge",
        Some(&half),
        json!({"purpose": "nonsense"}),
    )
    .await;
    assert_eq!((code, &body["error"]), (400, &json!("invalid_purpose")));
    // Alice has no passkey: nothing to assert with.
    let (code, body) = post(
        &off,
        "webauthn/challenge",
        Some(&half),
        json!({"purpose": "second_factor"}),
    )
    .await;
    assert_eq!((code, &body["error"]), (404, &json!("no_passkey")));

    let on = Gateway::with(with_passkeys(true)).await;
    let (code, body) = post(
        &on,
        "webauthn/challenge",
        None,
        json!({"purpose": "passwordless"}),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let pk = &body["options"]["publicKey"];
    assert_eq!(pk["rpId"], "gateway.test");
    assert_eq!(pk["userVerification"], "required");
    assert!(
        body["options"].get("mediation").is_none(),
        "a modal request: {body}"
    );
    // Another site's page cannot ask for one (nor for anything else of the API).
    let r = on
        .client()
        .post(on.url("/.portcullis/api/webauthn/challenge"))
        .header("origin", "https://evil.test")
        .json(&json!({"purpose": "passwordless"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Without "webauthn" in methods there is no passkey API at all.
    let none = Gateway::with(Setup {
        public_url: Some("https://gateway.test".into()),
        ..Setup::default()
    })
    .await;
    let (code, body) = post(
        &none,
        "webauthn/challenge",
        None,
        json!({"purpose": "passwordless"}),
    )
    .await;
    assert_eq!(
        (code, &body["error"]),
        (404, &json!("passkeys_not_enabled"))
    );
}
