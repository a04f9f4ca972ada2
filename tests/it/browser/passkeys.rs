//! Passkeys in Chromium, with its virtual authenticator standing in for a laptop's fingerprint
//! reader: set up at enrolment, used as the second factor, several per user, removal, a
//! passwordless sign-in, and the attacks — another user's credential, a replayed assertion, a
//! cloned authenticator whose counter goes back.

use super::sign_in::expect_app;
use super::*;

/// Two factors everywhere, passkeys offered; the browser reaches the gateway as `localhost`.
fn with_passkeys(passwordless: bool) -> Setup {
    Setup {
        mfa_required: true,
        public_url: Some("http://localhost".into()),
        mfa_extra: format!(
            "methods = [\"totp\", \"webauthn\", \"backup_code\"]\n[mfa.webauthn]\npasswordless = {passwordless}\n"
        ),
        ..Setup::default()
    }
}

/// Signs in with the password and sets up a passkey named `name` at enrolment; returns the
/// backup codes shown once.
async fn enrol_passkey(b: &Browser, gw: &Gateway, user: &str, name: &str) -> Vec<String> {
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(b, user).await;
    b.expect_heading("Set up two-step verification").await;
    assert_no_problems(&b.check_page("passkeys-enroll").await);
    b.type_into("#passkey-name", name).await;
    b.press("Set up a passkey").await;
    b.expect_heading("Save your backup codes").await;
    let codes = b.texts("ul.codes li").await;
    assert_eq!(codes.len(), 10, "{codes:?}");
    b.press("I saved them — continue").await;
    expect_app(b, gw, "/app", user).await;
    codes
}

/// `P/api/session` as the browser's session cookie answers it.
async fn session_of(b: &Browser, gw: &Gateway) -> serde_json::Value {
    gw.client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", b.cookie("portcullis_session").await.unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn sign_out(b: &Browser, gw: &Gateway) {
    b.goto(&gw.localhost_url("/.portcullis/logout")).await;
    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
}

/// The password, then the passkey on the second-factor page.
async fn sign_in_with_passkey(b: &Browser, gw: &Gateway, user: &str) {
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(b, user).await;
    b.expect_heading("Two-step verification").await;
    b.press("Use your passkey or security key").await;
}

#[tokio::test]
async fn a_passkey_set_up_at_enrolment_is_the_second_factor_and_a_second_one_replaces_it() {
    let gw = Gateway::for_browser(with_passkeys(false)).await;
    let b = Browser::open("passkeys").await;
    let laptop = b.add_authenticator().await;
    let codes = enrol_passkey(&b, &gw, "alice", "Laptop").await;
    let laptop_credential = b.authenticator_credentials(&laptop).await.remove(0);
    let session = session_of(&b, &gw).await;
    assert_eq!(session["factors"], serde_json::json!(["pwd", "hwk"]));

    // Another day: the password, then the passkey.
    sign_out(&b, &gw).await;
    sign_in_with_passkey(&b, &gw, "alice").await;
    expect_app(&b, &gw, "/app", "alice").await;

    // A second passkey, on a security key, from the account page; proved with a backup code.
    b.goto(&gw.localhost_url("/.portcullis/account")).await;
    b.expect_heading("Your account").await;
    assert_no_problems(&b.check_page("passkeys-account").await);
    let text = b.text().await;
    assert!(text.contains("Passkeys and security keys: 1"), "{text}");
    assert!(text.contains("Laptop"), "{text}");
    b.click("input[value=add_passkey]").await;
    b.type_into("#new-passkey-name", "YubiKey").await;
    // No app: no app code is asked for; a backup code (or the passkey) is the proof.
    assert!(!b.text().await.contains("Code from your authenticator app"));
    b.type_into("#backup-code", &codes[0]).await;
    b.press("Continue").await;
    b.expect_heading("Add a passkey").await;
    assert_no_problems(&b.check_page("passkeys-add").await);
    // The laptop holds a credential of alice's already (it is excluded): the key is another
    // authenticator.
    b.remove_authenticator(&laptop).await;
    let yubikey = b.add_authenticator().await;
    b.press("Create the passkey").await;
    b.expect_heading("Your account").await;
    let text = b.text().await;
    assert!(text.contains("The passkey “YubiKey” was added."), "{text}");
    assert!(text.contains("Passkeys and security keys: 2"), "{text}");

    // Remove the laptop's passkey, confirming with the security key.
    let radio = b
        .eval(
            "return [...document.querySelectorAll('input[name=action]')].find(i => i.parentElement.textContent.includes('Laptop')).value",
            vec![],
        )
        .await;
    b.click(&format!("input[value='{}']", radio.as_str().unwrap()))
        .await;
    let before = b.cookie("portcullis_session").await.unwrap();
    b.press("Confirm with a passkey instead").await;
    b.expect_heading("Your account").await;
    let text = b.text().await;
    assert!(text.contains("The passkey “Laptop” was removed."), "{text}");
    // Sessions from before the removal (a lost laptop's) end; this browser goes on.
    let old = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &before)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    assert_eq!(session_of(&b, &gw).await["user"], "alice");
    // The key is now alice's only factor: it stays (without it the password alone would
    // enrol a new one).
    let radio = b
        .eval(
            "return [...document.querySelectorAll('input[name=action]')].find(i => i.parentElement.textContent.includes('YubiKey')).value",
            vec![],
        )
        .await;
    b.click(&format!("input[value='{}']", radio.as_str().unwrap()))
        .await;
    b.press("Confirm with a passkey instead").await;
    b.expect_heading("Your account").await;
    let text = b.text().await;
    assert!(
        text.contains("This passkey is your only second factor"),
        "{text}"
    );
    assert!(text.contains("Passkeys and security keys: 1"), "{text}");
    assert!(text.contains("Passkeys and security keys: 1"), "{text}");
    let events = audit_until(&gw, "alice", |e| e["kind"] == "passkey_removed").await;
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "passkey_added" && e["detail"] == "YubiKey"),
        "{events:?}"
    );

    // The laptop's removed credential, presented anyway (by a script: the page asks for the
    // key's only), is refused; the key still signs in.
    sign_out(&b, &gw).await;
    b.add_credential(&yubikey, laptop_credential.clone()).await;
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    let statuses = b
        .eval_async(
            ASSERT_TWICE,
            vec![serde_json::json!(base64url(&laptop_credential))],
        )
        .await;
    assert_eq!(
        statuses,
        serde_json::json!([401, 401]),
        "a removed credential"
    );
    b.press("Use your passkey or security key").await;
    expect_app(&b, &gw, "/app", "alice").await;
}

/// DevTools gives a credential id in base64; pages and the API use base64url.
fn base64url(credential: &serde_json::Value) -> String {
    credential["credentialId"]
        .as_str()
        .unwrap()
        .replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .to_owned()
}

#[tokio::test]
async fn a_cloned_authenticator_whose_counter_goes_back_is_refused_audited_and_blocks_the_passkey()
{
    let gw = Gateway::for_browser(with_passkeys(false)).await;
    let b = Browser::open("passkeys-clone").await;
    let laptop = b.add_authenticator().await;
    enrol_passkey(&b, &gw, "alice", "Laptop").await;
    // A copy of the key as it is now (its counter at registration).
    let copy = b.authenticator_credentials(&laptop).await;
    assert_eq!(copy.len(), 1);
    // The genuine laptop signs twice more: the counter is now above the copy's.
    for _ in 0..2 {
        sign_out(&b, &gw).await;
        sign_in_with_passkey(&b, &gw, "alice").await;
        expect_app(&b, &gw, "/app", "alice").await;
    }
    let genuine = b.authenticator_credentials(&laptop).await;
    b.remove_authenticator(&laptop).await;
    let clone = b.add_authenticator().await;
    b.add_credential(&clone, copy[0].clone()).await;
    sign_out(&b, &gw).await;
    sign_in_with_passkey(&b, &gw, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.expect_text("That passkey could not be verified.").await;
    let events = audit_until(&gw, "alice", |e| e["kind"] == "passkey_clone_suspected").await;
    let suspected = events
        .iter()
        .find(|e| e["kind"] == "passkey_clone_suspected")
        .unwrap();
    assert!(
        suspected["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Laptop")),
        "{suspected}"
    );
    // From now on even the genuine laptop is refused: the credential is blocked, and the
    // page no longer offers it.
    b.remove_authenticator(&clone).await;
    let back = b.add_authenticator().await;
    b.add_credential(&back, genuine[0].clone()).await;
    // Every session of alice ended with the block (the copy may have opened some).
    b.goto(&gw.localhost_url("/app")).await;
    b.expect_heading("Sign in").await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    let text = b.text().await;
    assert!(!text.contains("Use your passkey or security key"), "{text}");
    assert!(text.contains("Use a backup code"), "{text}");
}

#[tokio::test]
async fn a_discoverable_passkey_signs_in_alone_when_passwordless_is_on() {
    let gw = Gateway::for_browser(with_passkeys(true)).await;
    let b = Browser::open("passkeys-passwordless").await;
    let laptop = b.add_authenticator().await;
    enrol_passkey(&b, &gw, "alice", "Laptop").await;
    let creds = b.authenticator_credentials(&laptop).await;
    assert_eq!(creds[0]["isResidentCredential"], true, "{creds:?}");
    sign_out(&b, &gw).await;
    b.goto(&gw.localhost_url("/app")).await;
    b.expect_heading("Sign in").await;
    assert_no_problems(&b.check_page("passkeys-login").await);
    b.press("Sign in with a passkey").await;
    expect_app(&b, &gw, "/app", "alice").await;
    let session = session_of(&b, &gw).await;
    assert_eq!(session["user"], "alice", "{session}");
    assert_eq!(session["factors"], serde_json::json!(["hwk", "user"]));
}

/// Runs the second-factor ceremony by hand in the page (as a script of the protected app or
/// an attacker's tool could) and posts the same answer to `P/api/mfa` twice; `allow`, when
/// given, replaces the credentials the server allowed. Returns the two statuses.
const ASSERT_TWICE: &str = r#"
const [allow, done] = arguments;
const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const enc = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
(async () => {
  const r = await fetch("/.portcullis/api/webauthn/challenge", {method: "POST",
    headers: {"content-type": "application/json"}, body: JSON.stringify({purpose: "second_factor"})});
  const {ceremony, options: {publicKey: pk}} = await r.json();
  pk.challenge = dec(pk.challenge);
  pk.allowCredentials = (allow ? [{type: "public-key", id: allow}] : pk.allowCredentials);
  for (const c of pk.allowCredentials) c.id = dec(c.id);
  const c = await navigator.credentials.get({publicKey: pk});
  const body = JSON.stringify({method: "webauthn", ceremony, credential: {
    id: c.id, rawId: enc(c.rawId), type: c.type, extensions: {},
    response: {authenticatorData: enc(c.response.authenticatorData), clientDataJSON: enc(c.response.clientDataJSON),
               signature: enc(c.response.signature), userHandle: c.response.userHandle ? enc(c.response.userHandle) : null}}});
  const statuses = [];
  for (let i = 0; i < 2; i++) {
    const a = await fetch("/.portcullis/api/mfa", {method: "POST", headers: {"content-type": "application/json"}, body});
    statuses.push(a.status);
  }
  done(statuses);
})().catch((e) => done(String(e)));
"#;

#[tokio::test]
async fn a_replayed_assertion_and_another_users_credential_are_refused() {
    let gw = Gateway::for_browser(with_passkeys(false)).await;
    let b = Browser::open("passkeys-attacks").await;
    let laptop = b.add_authenticator().await;
    // One laptop holds a passkey of alice's and one of admin's.
    enrol_passkey(&b, &gw, "alice", "Alice's laptop").await;
    sign_out(&b, &gw).await;
    let alice = b.authenticator_credentials(&laptop).await;
    assert_eq!(alice.len(), 1);
    let alice_id = base64url(&alice[0]);
    enrol_passkey(&b, &gw, "admin", "Admin's laptop").await;
    sign_out(&b, &gw).await;
    assert_eq!(b.authenticator_credentials(&laptop).await.len(), 2);

    // Admin, with the password done, presents alice's credential over admin's challenge.
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "admin").await;
    b.expect_heading("Two-step verification").await;
    let statuses = b
        .eval_async(ASSERT_TWICE, vec![serde_json::json!(alice_id)])
        .await;
    assert_eq!(
        statuses,
        serde_json::json!([401, 401]),
        "another user's credential"
    );

    // Admin's own credential: accepted once; the same answer again is refused.
    b.goto(&gw.localhost_url("/.portcullis/mfa")).await;
    b.expect_heading("Two-step verification").await;
    let statuses = b
        .eval_async(ASSERT_TWICE, vec![serde_json::Value::Null])
        .await;
    assert_eq!(
        statuses,
        serde_json::json!([200, 401]),
        "a replayed assertion"
    );
}

#[tokio::test]
async fn without_script_or_webauthn_the_page_says_so_and_a_backup_code_still_signs_in() {
    let gw = Gateway::for_browser(with_passkeys(false)).await;
    let codes = {
        let b = Browser::open("passkeys-setup").await;
        b.add_authenticator().await;
        enrol_passkey(&b, &gw, "alice", "Laptop").await
    };
    // The password alone does not open a new enrolment: the passkey must be proved.
    let b = Browser::with("passkeys-no-script", Device::Desktop, false).await;
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.goto(&gw.localhost_url("/.portcullis/enroll")).await;
    b.expect_heading("Two-step verification").await;
    b.goto(&gw.localhost_url("/app")).await;
    b.expect_heading("Two-step verification").await;
    // (The page checks run axe-core, which needs the page's script: see the phone below.)
    b.expect_text("Passkeys need JavaScript, which is off in this browser.")
        .await;
    b.press("Use a backup code").await;
    b.type_into("#backup-code", &codes[0]).await;
    b.press("Verify backup code").await;
    expect_app(&b, &gw, "/app", "alice").await;

    let b = Browser::with("passkeys-no-webauthn", Device::Phone, true).await;
    b.without_webauthn().await;
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.expect_text("This browser cannot use passkeys.").await;
    let disabled = b
        .eval(
            "return document.querySelector('button[data-webauthn]').disabled",
            vec![],
        )
        .await;
    assert_eq!(disabled, true);
    assert_no_problems(&b.check_page("passkeys-mfa-no-webauthn").await);
    b.press("Use a backup code").await;
    b.type_into("#backup-code", &codes[1]).await;
    b.press("Verify backup code").await;
    expect_app(&b, &gw, "/app", "alice").await;
}

/// Starts a registration in the page by hand (as a script could) and keeps its options.
const HOLD_REGISTRATION: &str = r#"
const done = arguments[0];
fetch("/.portcullis/api/webauthn/register", {method: "POST", headers: {"content-type": "application/json"}, body: "{}"})
  .then((r) => r.json().then((j) => { window.held = j; done(r.status); }))
  .catch((e) => done(String(e)));
"#;

/// Answers the held registration with the page's authenticator and returns the answer
/// (for `P/api/webauthn/register/finish`) without sending it.
const ANSWER_HELD: &str = r#"
const done = arguments[0];
const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const enc = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const pk = window.held.options.publicKey;
pk.challenge = dec(pk.challenge); pk.user.id = dec(pk.user.id);
navigator.credentials.create({publicKey: pk}).then((c) => done({ceremony: window.held.ceremony, name: "held", credential: {
  id: c.id, rawId: enc(c.rawId), type: c.type, extensions: {},
  response: {attestationObject: enc(c.response.attestationObject), clientDataJSON: enc(c.response.clientDataJSON)}}}),
  (e) => done(String(e)));
"#;

async fn finish(gw: &Gateway, cookie: &str, answer: &serde_json::Value) -> u16 {
    gw.client()
        .post(gw.url("/.portcullis/api/webauthn/register/finish"))
        .header("cookie", cookie)
        .json(answer)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_registration_started_with_the_password_alone_dies_when_the_user_enrols_and_binds_to_its_session(
) {
    let gw = Gateway::for_browser(with_passkeys(false)).await;
    let b = Browser::open("passkeys-held").await;
    b.add_authenticator().await;

    // Someone with alice's password (no factor yet) starts a registration and holds it...
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Set up two-step verification").await;
    assert_eq!(b.eval_async(HOLD_REGISTRATION, vec![]).await, 200);
    let attacker = b.cookie("portcullis_session").await.unwrap();
    // ...alice sets up her authenticator app meanwhile...
    let (alice, _, _) = gw.enrol("alice").await;
    // ...and the held registration is refused: the password alone adds no factor now.
    let answer = b.eval_async(ANSWER_HELD, vec![]).await;
    assert!(answer.is_object(), "{answer}");
    assert_eq!(finish(&gw, &attacker, &answer).await, 400);
    let status = gw
        .client()
        .get(gw.url("/.portcullis/api/mfa/status"))
        .header("cookie", &alice)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !status.contains("webauthn"),
        "no passkey was added: {status}"
    );

    // A registration is finished only by the session that started it.
    sign_out(&b, &gw).await;
    b.goto(&gw.localhost_url("/app")).await;
    sign_in(&b, "admin").await;
    b.expect_heading("Set up two-step verification").await;
    assert_eq!(b.eval_async(HOLD_REGISTRATION, vec![]).await, 200);
    let answer = b.eval_async(ANSWER_HELD, vec![]).await;
    let (_, other) = gw.password("admin").await;
    assert_eq!(finish(&gw, &other, &answer).await, 400, "another session");
    // The same answer from its own session: the ceremony died with the first try.
    let own = b.cookie("portcullis_session").await.unwrap();
    assert_eq!(finish(&gw, &own, &answer).await, 400, "used once");
    // A fresh one from its own session is the control: it works.
    assert_eq!(b.eval_async(HOLD_REGISTRATION, vec![]).await, 200);
    let answer = b.eval_async(ANSWER_HELD, vec![]).await;
    assert_eq!(finish(&gw, &own, &answer).await, 201);
}
