//! The pages in another language, as a person whose browser speaks it meets them: a German
//! browser signs in, sets up an authenticator and proves a code, all in German; German and
//! Japanese pages pass the page checks (axe-core, labels, keypads, focus; on a phone, no
//! sideways scrolling and 44 px tap targets) with their longer or wider words.

use super::sign_in::{expect_app, two_factors};
use super::*;

/// `<html lang>` of the page shown now.
async fn page_language(b: &Browser) -> String {
    let lang = b
        .eval("return document.documentElement.lang;", vec![])
        .await;
    lang.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_german_browser_signs_in_sets_up_an_app_and_proves_a_code_in_german() {
    let gw = Gateway::for_browser(two_factors()).await;
    let b = Browser::speaking("i18n_german", Device::Desktop, "de-DE,de").await;
    let mut problems = Vec::new();

    b.goto(&gw.url("/reports?q=1")).await;
    b.expect_heading("Anmelden").await;
    assert_eq!(page_language(&b).await, "de");
    problems.extend(b.check_page("login").await);
    b.type_into("#username", "alice").await;
    b.type_into("#password", PASSWORD).await;
    b.press("Anmelden").await;

    b.expect_heading("Zwei-Faktor-Authentifizierung einrichten")
        .await;
    problems.extend(b.check_page("enroll").await);
    let key: String = b
        .value_of("#secret")
        .await
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    b.type_into("#code", &totp_code(&key, 0)).await;
    b.press("Aktivieren").await;
    b.expect_heading("Backup-Codes sichern").await;
    problems.extend(b.check_page("backup-codes").await);
    b.press("Gespeichert – weiter").await;
    expect_app(&b, &gw, "/reports?q=1", "alice").await;

    // Another day: the password, then a code from the app, on the German second-factor page.
    b.drop_cookie("portcullis_session").await;
    b.goto(&gw.url("/reports?q=1")).await;
    b.expect_heading("Anmelden").await;
    b.type_into("#username", "alice").await;
    b.type_into("#password", PASSWORD).await;
    b.press("Anmelden").await;
    b.expect_heading("Zwei-Faktor-Authentifizierung").await;
    let text = b.text().await;
    assert!(
        text.contains("Angemeldet als alice.") && text.contains("Dieses Gerät 30 Tage lang merken"),
        "{text}"
    );
    b.type_into("#code", "000000").await;
    b.press("Bestätigen").await;
    b.expect_text("Dieser Code ist ungültig.").await;
    problems.extend(b.check_page("mfa-error").await);
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.press("Bestätigen").await;
    expect_app(&b, &gw, "/reports?q=1", "alice").await;

    b.goto(&gw.url("/.portcullis/account")).await;
    b.expect_heading("Ihr Konto").await;
    problems.extend(b.check_page("account").await);
    b.press("Abmelden").await;
    b.expect_heading("Anmelden").await;
    assert_no_problems(&problems);
}

/// The pages a person meets on a first and a second sign-in, checked in `languages` on a phone:
/// `headings` are the login, enrolment, backup-code, second-factor and account headings, and
/// `buttons` the sign-in, activate, continue and verify buttons, in that language.
async fn pages_on_a_phone(test: &str, languages: &str, headings: [&str; 5], buttons: [&str; 4]) {
    let gw = Gateway::for_browser(two_factors()).await;
    let b = Browser::speaking(test, Device::Phone, languages).await;
    let [login, enroll, codes, mfa, account] = headings;
    let [sign_in, activate, saved, verify] = buttons;
    let mut problems = Vec::new();

    b.goto(&gw.url("/app")).await;
    b.expect_heading(login).await;
    problems.extend(b.check_page("login").await);
    b.type_into("#username", "alice").await;
    b.type_into("#password", "not the password").await;
    b.press(sign_in).await;
    b.expect_heading(login).await;
    problems.extend(b.check_page("login-error").await);
    b.type_into("#password", PASSWORD).await;
    b.press(sign_in).await;

    b.expect_heading(enroll).await;
    problems.extend(b.check_page("enroll").await);
    let key: String = b
        .value_of("#secret")
        .await
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    b.type_into("#code", &totp_code(&key, 0)).await;
    b.press(activate).await;
    b.expect_heading(codes).await;
    problems.extend(b.check_page("backup-codes").await);
    b.press(saved).await;
    expect_app(&b, &gw, "/app", "alice").await;

    b.goto(&gw.url("/.portcullis/account")).await;
    b.expect_heading(account).await;
    problems.extend(b.check_page("account").await);

    b.drop_cookie("portcullis_session").await;
    b.goto(&gw.url("/app")).await;
    b.expect_heading(login).await;
    b.type_into("#username", "alice").await;
    b.type_into("#password", PASSWORD).await;
    b.press(sign_in).await;
    b.expect_heading(mfa).await;
    problems.extend(b.check_page("mfa").await);
    b.type_into("#code", &totp_code(&key, 1)).await;
    b.press(verify).await;
    expect_app(&b, &gw, "/app", "alice").await;
    assert_no_problems(&problems);
}

#[tokio::test]
async fn german_pages_pass_the_page_checks_on_a_phone() {
    pages_on_a_phone(
        "i18n_german_phone",
        "de-DE,de",
        [
            "Anmelden",
            "Zwei-Faktor-Authentifizierung einrichten",
            "Backup-Codes sichern",
            "Zwei-Faktor-Authentifizierung",
            "Ihr Konto",
        ],
        [
            "Anmelden",
            "Aktivieren",
            "Gespeichert – weiter",
            "Bestätigen",
        ],
    )
    .await;
}

#[tokio::test]
async fn japanese_pages_pass_the_page_checks_on_a_phone() {
    pages_on_a_phone(
        "i18n_japanese_phone",
        "ja-JP,ja",
        [
            "サインイン",
            "2 段階認証を設定",
            "バックアップコードを保存してください",
            "2 段階認証",
            "アカウント",
        ],
        ["サインイン", "有効にする", "保存しました。続ける", "確認"],
    )
    .await;
}
