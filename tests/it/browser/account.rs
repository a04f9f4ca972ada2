//! The account page by hand: new backup codes, a new authenticator, forgetting a device and
//! signing out everywhere.

use super::sign_in::{expect_app, two_factors};
use super::*;

#[tokio::test]
async fn the_account_page_renews_codes_replaces_the_app_forgets_devices_and_signs_out_everywhere() {
    let gw = Gateway::for_browser(two_factors()).await;
    let (_, old_key, old_codes) = gw.enrol("alice").await;
    let b = Browser::open("account").await;
    b.goto(&gw.url("/.portcullis/account")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.type_into("#code", &totp_code(&old_key, 1)).await;
    b.click("#remember-totp").await;
    b.press("Verify").await;
    b.expect_heading("Your account").await;
    let text = b.text().await;
    assert!(text.contains("Backup codes left: 10"), "{text}");
    assert!(text.contains("this device"), "{text}");

    // "Continue" with nothing typed, more often than the lockout allows: a slip, not a guess.
    for _ in 0..6 {
        b.press("Continue").await;
        b.expect_heading("Your account").await;
        let text = b.text().await;
        assert!(
            text.contains("Type the code from your authenticator app, or a backup code."),
            "{text}"
        );
    }

    // New backup codes, proved with a backup code.
    b.press("Use a backup code instead").await;
    b.type_into("#backup-code", &old_codes[0]).await;
    b.press("Continue").await;
    b.expect_heading("Save your backup codes").await;
    assert!(b
        .text()
        .await
        .contains("Your previous backup codes no longer work."));
    let new_codes = b.texts("ul.codes li").await;
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|c| !old_codes.contains(c)));
    b.press("I saved them — continue").await;
    b.expect_heading("Your account").await;
    assert!(b.text().await.contains("Backup codes left: 10"));

    // An old code died with the renewal.
    b.press("Use a backup code instead").await;
    b.type_into("#backup-code", &old_codes[1]).await;
    b.press("Continue").await;
    b.expect_heading("Your account").await;
    assert!(b
        .text()
        .await
        .contains("That backup code is not valid, or it was already used."));

    // A new authenticator app.
    b.press("Set up a new authenticator app").await;
    b.press("Use a backup code instead").await;
    b.type_into("#backup-code", &new_codes[0]).await;
    b.press("Continue").await;
    b.expect_heading("Set up two-step verification").await;
    let text = b.text().await;
    assert!(
        text.contains("the old app's codes and your old backup codes stop working"),
        "{text}"
    );
    // Changing one's mind keeps the current app.
    b.press("Cancel: keep the current app").await;
    b.expect_heading("Your account").await;
    b.press("Set up a new authenticator app").await;
    b.press("Use a backup code instead").await;
    b.type_into("#backup-code", &new_codes[1]).await;
    b.press("Continue").await;
    let (new_key, _) = enrol(&b).await;
    assert_ne!(new_key, old_key);
    b.press("I saved them — continue").await;
    b.expect_heading("Your account").await;
    assert!(b.text().await.contains("Authenticator app: active since"));

    // Forget this device.
    b.press("Forget this device").await;
    b.expect_heading("Your account").await;
    assert!(b.text().await.contains("No trusted devices."));

    // Sign out everywhere: this browser and any other session are signed out.
    let elsewhere = gw.password("alice").await.1;
    b.press("Sign out everywhere").await;
    b.expect_heading("Sign in").await;
    let r = gw
        .client()
        .get(gw.url("/.portcullis/api/session"))
        .header("cookie", &elsewhere)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "another session ended too");
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    // The device was forgotten, so the code is asked for again.
    b.expect_heading("Two-step verification").await;
    b.type_into("#code", &totp_code(&new_key, 1)).await;
    b.press("Verify").await;
    expect_app(&b, &gw, "/app", "alice").await;
}

#[tokio::test]
async fn a_user_whom_no_policy_requires_turns_two_step_verification_off_on_the_account_page() {
    let gw = Gateway::for_browser(Setup::default()).await;
    // Not required: alice signs in with her password and adds an authenticator app herself.
    let (status, full) = gw.password("alice").await;
    assert_eq!(status, "authenticated");
    let (_, key, codes) = enrol_with(&gw.client(), &format!("http://{}", gw.addr), &full).await;
    let b = Browser::open("turn_off").await;
    b.goto(&gw.url("/.portcullis/account")).await;
    sign_in(&b, "alice").await;
    b.expect_heading("Two-step verification").await;
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.press("Verify").await;
    b.expect_heading("Your account").await;
    assert_no_problems(&b.check_page("account-turn-off").await);
    b.type_into("#off-password", PASSWORD).await;
    b.press("A backup code").await;
    b.type_into("#off-code", &codes[0]).await;
    b.press("Turn off two-step verification").await;
    b.expect_heading("Your account").await;
    let text = b.text().await;
    assert!(text.contains("Authenticator app: not set up"), "{text}");
    assert!(!text.contains("Turn off two-step verification"), "{text}");
    // Signed out and in again: the password alone.
    b.press("Sign out").await;
    b.goto(&gw.url("/app")).await;
    sign_in(&b, "alice").await;
    super::sign_in::expect_app(&b, &gw, "/app", "alice").await;
}
