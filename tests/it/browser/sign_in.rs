//! Signing in as a person does: a deep link, enrolment, codes, backup codes, a trusted device,
//! a lockout, two tabs and the back button, and all of it with JavaScript off.

use super::*;

/// Two factors for every path, as in the demo.
pub fn two_factors() -> Setup {
    Setup {
        mfa_required: true,
        ..Setup::default()
    }
}

const DEEP_LINK: &str = "/reports/q3?year=2026";

/// Waits for the upstream's page for `path_and_query` and checks what the app was told.
pub async fn expect_app(b: &Browser, gw: &Gateway, path_and_query: &str, user: &str) {
    b.expect_text(&format!("upstream saw {path_and_query} "))
        .await;
    assert_eq!(b.path().await, path_and_query);
    // The browser may fetch /favicon.ico on its own after the page: find the page's request.
    let seen = gw
        .upstream
        .latest(path_and_query)
        .expect("the upstream saw the page");
    assert_eq!(seen.header("remote-user"), Some(user));
    assert!(
        seen.header("cookie")
            .is_none_or(|c| !c.contains("portcullis_")),
        "the gateway's cookies never reach the app: {:?}",
        seen.header("cookie")
    );
}

/// A deep link → login → enrolment with the key read off the page → backup codes once → the
/// deep link with its query; then, as on another day, a sign-in with a code from the app; then
/// sign out from the account page.
async fn deep_link_enrolment_and_a_second_sign_in(b: &Browser) {
    let gw = Gateway::for_browser(two_factors()).await;
    b.goto(&gw.url(&format!("{DEEP_LINK}#totals"))).await;
    b.expect_heading("Sign in").await;
    let at = b.url().await;
    assert_eq!(at.path(), "/.portcullis/login");
    let rd = at.query_pairs().find(|(k, _)| k == "rd").map(|(_, v)| v);
    assert_eq!(rd.as_deref(), Some(DEEP_LINK));
    sign_in(b, "alice").await;
    let (key, codes) = enrol(b).await;
    b.press("I saved them — continue").await;
    expect_app(b, &gw, DEEP_LINK, "alice").await;

    // The codes were shown once: going back does not show them again.
    b.client.back().await.unwrap();
    let source = b.client.source().await.unwrap_or_default();
    for c in &codes {
        assert!(
            !source.contains(c.as_str()),
            "backup code shown again after Back"
        );
    }

    // Another day: the browser was closed (its session cookie is gone).
    b.drop_cookie("portcullis_session").await;
    b.goto(&gw.url(DEEP_LINK)).await;
    sign_in(b, "alice").await;
    b.expect_heading("Two-step verification").await;
    // The step after the enrolment's: each time step is accepted once.
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.press("Verify").await;
    expect_app(b, &gw, DEEP_LINK, "alice").await;

    // The code and enrolment pages, reached again by Back, a reload or a bookmark once the
    // second factor is proved, ask for nothing and go on to where the person was going.
    let rd = "?rd=%2Freports%2Fq3%3Fyear%3D2026";
    for step in ["mfa", "enroll"] {
        b.goto(&gw.url(&format!("/.portcullis/{step}{rd}"))).await;
        expect_app(b, &gw, DEEP_LINK, "alice").await;
    }

    b.goto(&gw.url("/.portcullis/account")).await;
    b.expect_heading("Your account").await;
    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
    b.goto(&gw.url(DEEP_LINK)).await;
    b.expect_heading("Sign in").await;
    assert!(!b
        .cookie_names()
        .await
        .iter()
        .any(|c| c == "portcullis_session"));
}

#[tokio::test]
async fn a_deep_link_leads_through_sign_in_and_enrolment_back_to_itself() {
    let b = Browser::open("deep_link").await;
    deep_link_enrolment_and_a_second_sign_in(&b).await;
}

#[tokio::test]
async fn password_and_authenticator_sign_in_works_with_javascript_off() {
    let b = Browser::with("javascript_off", Device::Desktop, false).await;
    deep_link_enrolment_and_a_second_sign_in(&b).await;
}

#[tokio::test]
async fn a_backup_code_and_remember_this_device_then_only_the_password_next_time() {
    let gw = Gateway::for_browser(two_factors()).await;
    let (_, _, codes) = gw.enrol("alice").await;
    let b = Browser::open("trusted_device").await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    let text = b.text().await;
    assert!(
        text.contains("Remember this device for 30 days"),
        "the choice names its lifetime:\n{text}"
    );
    b.press("Use a backup code").await;
    b.type_into("#backup-code", "aaaaa-bbbbb").await;
    b.press("Verify backup code").await;
    b.expect_text("That backup code is not valid, or it was already used.")
        .await;
    // The backup-code form is shown open again, with the error.
    b.type_into("#backup-code", &codes[0].to_uppercase().replace('-', " "))
        .await;
    b.click("#remember-backup").await;
    b.press("Verify backup code").await;
    expect_app(&b, &gw, "/app", "alice").await;
    assert!(b
        .cookie_names()
        .await
        .iter()
        .any(|c| c == "portcullis_device"));

    // The browser closes (session cookie gone); the device cookie stays for 30 days.
    b.drop_cookie("portcullis_session").await;
    b.goto(&gw.url("/app")).await;
    // The password is still asked for ...
    sign_in(&b, "alice").await;
    // ... and the code is not.
    expect_app(&b, &gw, "/app", "alice").await;

    b.goto(&gw.url("/.portcullis/account")).await;
    b.expect_heading("Your account").await;
    assert!(b.text().await.contains("this device"));
}

#[tokio::test]
async fn wrong_codes_lock_the_account_and_the_page_says_for_how_long() {
    let gw = Gateway::for_browser(two_factors()).await;
    let (_, secret, _) = gw.enrol("alice").await;
    let b = Browser::open("lockout").await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    let mut attempts = 0;
    loop {
        attempts += 1;
        assert!(attempts <= 5, "still not locked after 5 wrong codes");
        b.type_into("#code", "000000").await;
        b.press("Verify").await;
        b.expect_heading("Two-step verification").await;
        let text = b.text().await;
        if text.contains("Too many failed attempts. Try again in 5 minutes.") {
            break;
        }
        assert!(text.contains("That code is not valid."), "{text}");
    }
    b.screenshot("mfa-locked").await;
    // While locked, the right code gets the same answer.
    b.type_into("#code", &totp_code(&secret, 1)).await;
    b.press("Verify").await;
    b.expect_text("Too many failed attempts.").await;
    b.goto(&gw.url("/app")).await;
    b.expect_heading("Two-step verification").await;
}

#[tokio::test]
async fn a_login_form_left_open_in_another_tab_or_reached_with_back_still_signs_in() {
    let gw = Gateway::for_browser(Setup::default()).await;
    let b = Browser::open("two_tabs").await;
    b.goto(&gw.url("/one")).await;
    b.expect_heading("Sign in").await;
    let first = b.client.window().await.unwrap();
    let second = b.client.new_window(true).await.unwrap().handle;
    b.client.switch_to_window(second).await.unwrap();
    b.goto(&gw.url("/two")).await;
    sign_in(&b, "alice").await;
    expect_app(&b, &gw, "/two", "alice").await;

    // The first tab's form was rendered before the other tab signed in.
    b.client.switch_to_window(first).await.unwrap();
    sign_in(&b, "alice").await;
    expect_app(&b, &gw, "/one", "alice").await;

    // Back to the login form: restored (then it still works) or reloaded (then it goes on).
    b.client.back().await.unwrap();
    let deadline = Instant::now() + STEP;
    loop {
        let text = b.text().await;
        assert!(!text.contains("Request refused"), "{text}");
        if text.contains("upstream saw /one") {
            break;
        }
        if b.client.find(Locator::Css("#password")).await.is_ok() {
            sign_in(&b, "alice").await;
            expect_app(&b, &gw, "/one", "alice").await;
            break;
        }
        assert!(
            Instant::now() < deadline,
            "after Back the page reads:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_second_factor_enrolment_and_logout_pages_sign_out_and_end_the_session_on_the_server() {
    let gw = Gateway::for_browser(two_factors()).await;
    let (_, gw_secret, _) = gw.enrol("admin").await;
    let b = Browser::open("sign_out").await;
    // alice has no authenticator yet: the enrolment page; admin has one: the code page.
    for (user, page, path) in [
        (
            "alice",
            "Set up two-step verification",
            "/.portcullis/enroll",
        ),
        ("admin", "Two-step verification", "/.portcullis/mfa"),
    ] {
        b.goto(&gw.url("/app")).await;
        sign_in(&b, user).await;
        b.expect_heading(page).await;
        assert!(b.text().await.contains(&format!("Signed in as {user}.")));
        let session = b
            .cookie("portcullis_session")
            .await
            .expect("a half session");
        b.press("Sign out").await;
        b.expect_heading("Sign in").await;
        assert_eq!(b.cookie("portcullis_session").await, None, "{page}");
        // The token is dead on the server too, not only forgotten by the browser.
        let r = gw
            .client()
            .get(gw.url(path))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            302,
            "{page}: a revoked half session opens nothing"
        );
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to.starts_with("/.portcullis/login"), "{page}: sent to {to}");
        b.goto(&gw.url("/app")).await;
        b.expect_heading("Sign in").await;
    }
    // An application's own "sign out" link can point at P/logout: a page with the button.
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "admin").await;
    b.type_into("#code", &totp_code(&gw_secret, 1)).await;
    b.press("Verify").await;
    expect_app(&b, &gw, "/app", "admin").await;
    b.goto(&gw.url("/.portcullis/logout")).await;
    b.expect_heading("Sign out").await;
    assert!(b.text().await.contains("Signed in as admin."));
    b.press("Sign out").await;
    b.expect_heading("Sign in").await;
    assert_eq!(b.cookie("portcullis_session").await, None);
}

#[tokio::test]
async fn an_emailed_code_signs_in_through_the_pages_and_a_dead_mail_server_says_so() {
    let mail = MailServer::start(MailOptions::default()).await;
    let with_mail = |port: u16| {
        Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[smtp]\nurl = \"smtp://127.0.0.1:{port}\"\nfrom = \"no-reply@gateway.test\"\ntimeout = \"2s\"\n"
        ),
        ..Setup::default()
    }
    };
    let gw = Gateway::for_browser(with_mail(mail.port)).await;
    let b = Browser::open("email_code").await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    // Nothing enrolled: an app, or codes by e-mail.
    b.expect_heading("Set up two-step verification").await;
    let mut problems = b.check_page("enroll-with-email").await;
    b.press("Email me a code (a***@example.com)").await;
    b.expect_text("We sent a code to a***@example.com. It works once, for 10 minutes.")
        .await;
    problems.extend(b.check_page("mfa-email-sent").await);
    let code = code_in(&mail.wait_for(1).await[0]);
    b.type_into("#code-email", &code).await;
    b.press("Verify").await;
    expect_app(&b, &gw, "/app", "alice").await;

    // E-mail is her second factor now: the next sign-in offers it first.
    b.drop_cookie("portcullis_session").await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    problems.extend(b.check_page("mfa-email").await);
    b.press("Email me a code (a***@example.com)").await;
    b.type_into("#code-email", &mail.wait_for_codes(2).await[1])
        .await;
    b.press("Verify").await;
    expect_app(&b, &gw, "/app", "alice").await;

    // The mail server is gone: the page says so, and nothing hangs.
    let down = Gateway::for_browser(with_mail(free_port())).await;
    b.goto(&down.url("/app")).await;
    sign_in(&b, "alice").await;
    b.press("Email me a code (a***@example.com)").await;
    b.expect_text("We could not send the code just now.").await;
    problems.extend(b.check_page("mfa-email-failed").await);
    assert_no_problems(&problems);
}

/// A user with an authenticator app asks for a code by e-mail instead: the page then shows the
/// e-mailed code's field alone (the app folds away), with one Verify button, and it signs in.
async fn email_instead_of_the_app(javascript: bool) {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = Gateway::for_browser(Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[smtp]\nurl = \"smtp://127.0.0.1:{}\"\nfrom = \"no-reply@gateway.test\"\ntimeout = \"2s\"\n",
            mail.port
        ),
        ..Setup::default()
    })
    .await;
    gw.enrol("alice").await;
    let name = format!("email_instead_js_{}", if javascript { "on" } else { "off" });
    let b = Browser::with(&name, Device::Desktop, javascript).await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.press("Email me a code (a***@example.com)").await;
    b.expect_text("We sent a code to a***@example.com.").await;
    let shown = b
        .eval(
            "return [...document.querySelectorAll('button, input[type=checkbox]')]
               .filter((e) => e.checkVisibility())
               .map((e) => e.tagName === 'BUTTON' ? e.textContent.trim() : 'checkbox');",
            vec![],
        )
        .await;
    let verify = shown
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| *v == "Verify")
        .count();
    assert_eq!(verify, 1, "one Verify button on the page: {shown}");
    if javascript {
        assert_no_problems(&b.check_page("mfa-email-instead").await);
    }
    // (The first message is the notice that an authenticator was set up.)
    b.type_into("#code-email", &mail.wait_for_codes(1).await[0])
        .await;
    b.press("Verify").await;
    expect_app(&b, &gw, "/app", "alice").await;
}

#[tokio::test]
async fn asking_for_an_emailed_code_instead_of_the_app_leaves_one_form_to_fill() {
    email_instead_of_the_app(true).await;
}

#[tokio::test]
async fn asking_for_an_emailed_code_instead_of_the_app_works_with_javascript_off() {
    email_instead_of_the_app(false).await;
}
