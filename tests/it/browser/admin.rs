//! The admin page by hand: an admin finds a user and resets their two-step verification by
//! clicking, with the confirmation that names the user and the fresh-factor step, on a desktop
//! and a phone, and with JavaScript off. Every admin page passes the page checks.

use super::sign_in::two_factors;
use super::*;

async fn admin_resets_a_users_mfa_by_clicking(device: Device, javascript: bool) {
    let gw = Gateway::for_browser(two_factors()).await;
    let (alice, _, _) = gw.enrol("alice").await;
    let (_, key, codes) = gw.enrol("admin").await;
    let name = format!(
        "admin_{}_js_{}",
        device.name(),
        if javascript { "on" } else { "off" }
    );
    let b = Browser::with(&name, device, javascript).await;
    let mut problems = Vec::new();
    // axe-core runs as a script of the page's own: only with JavaScript on.
    let check = |page: &'static str| {
        let b = &b;
        async move {
            if javascript {
                b.check_page(page).await
            } else {
                Vec::new()
            }
        }
    };

    // Signed in with a code and "remember this device", then again through the device: the
    // session is full but its last code is not fresh.
    b.goto(&gw.url("/.portcullis/admin")).await;
    sign_in(&b, "admin").await;
    b.expect_heading("Two-step verification").await;
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.click("#remember-totp").await;
    b.press("Verify").await;
    b.expect_heading("Security overview").await;
    assert!(b.text().await.contains("Actions need no new code until"));
    b.goto(&gw.url("/.portcullis/logout")).await;
    b.press("Sign out").await;
    b.goto(&gw.url("/.portcullis/admin")).await;
    sign_in(&b, "admin").await;
    b.expect_heading("Security overview").await;
    let text = b.text().await;
    assert!(text.contains("Each action asks for a code"), "{text}");
    assert!(text.contains("Two-step verification in use"), "{text}");
    problems.extend(check("overview").await);

    b.type_into("#q", "ali").await;
    b.press("Search").await;
    b.expect_text("1 user matching “ali”").await;
    b.press("alice").await;
    b.expect_heading("alice (alice example)").await;
    assert!(b.text().await.contains("authenticator app since"));
    problems.extend(check("user").await);

    b.press("Reset two-step verification").await;
    b.expect_heading("Reset two-step verification of alice?")
        .await;
    problems.extend(check("confirm").await);
    // A wrong code first: refused, asked again.
    b.type_into("#code", "000000").await;
    b.press("Confirm for alice").await;
    b.expect_heading("Reset two-step verification of alice?")
        .await;
    b.expect_text("That code is not valid.").await;
    problems.extend(check("confirm-error").await);
    assert_eq!(
        gw.client()
            .get(gw.url("/app"))
            .header("cookie", &alice)
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "nothing was reset yet"
    );
    b.press("Use a backup code instead").await;
    b.type_into("#backup-code", &codes[0]).await;
    b.press("Confirm for alice").await;
    b.expect_heading("alice (alice example)").await;
    let text = b.text().await;
    assert!(
        text.contains("Two-step verification of alice was reset."),
        "{text}"
    );
    assert!(text.contains("Second factors\nnone"), "{text}");
    assert!(text.contains("Actions need no new code until"), "{text}");

    // Her session ended, and she enrols again at her next sign-in.
    let r = gw
        .client()
        .get(gw.url("/app"))
        .header("cookie", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(gw.password("alice").await.0, "enrollment_required");

    // A script of the protected app (an XSS hole) with the admin's cookies reads nothing: not
    // by fetch(), not in a window it opens, although the app sends the same COOP as ours.
    // On the desktop only: with phone emulation the WebDriver session hung once the page had
    // opened a window.
    if javascript && device == Device::Desktop {
        b.goto(&gw.url("/opener")).await;
        b.expect_text("done:").await;
        let text = b.text().await;
        assert!(!text.contains("token"), "{text}");
        assert!(text.contains("fetch 403"), "{text}");
        assert!(text.contains("window severed"), "{text}");
        b.goto(&gw.url("/.portcullis/admin/users/alice")).await;
    }

    // The events page shows who did it; its export links are plain navigations.
    b.press("Security events").await;
    b.expect_heading("Security events").await;
    b.type_into("#f-user", "alice").await;
    b.press("Show").await;
    b.expect_text("by admin admin").await;
    problems.extend(check("events").await);
    assert_no_problems(&problems);
}

#[tokio::test]
async fn an_admin_resets_a_users_mfa_by_clicking_on_a_desktop() {
    admin_resets_a_users_mfa_by_clicking(Device::Desktop, true).await;
}

#[tokio::test]
async fn an_admin_resets_a_users_mfa_by_clicking_on_a_phone() {
    admin_resets_a_users_mfa_by_clicking(Device::Phone, true).await;
}

#[tokio::test]
async fn an_admin_resets_a_users_mfa_by_clicking_with_javascript_off() {
    admin_resets_a_users_mfa_by_clicking(Device::Desktop, false).await;
}
