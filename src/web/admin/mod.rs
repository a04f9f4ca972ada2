//! `P/admin` and `P/api/admin/…` (DESIGN §4): the operator's page and its JSON twin — users with
//! their factors, devices, lockouts and last sign-in; reset MFA, clear a lockout, revoke a device,
//! end all sessions, disable a user; the security overview and the audit trail.
//!
//! Who may: members of `[admin] groups` with a full two-factor session. Everyone else gets 403
//! (401 or the sign-in page without a session), and the page is linked only for admins.
//!
//! # Why this surface does not widen what the protected app can do
//!
//! Our pages share the protected app's origin. A script in the app — an XSS hole in a legacy app
//! is the expected case, not the exotic one — runs with the admin's cookies and can send any
//! same-origin request. The cookies are `HttpOnly`, so it cannot lift the session; what it could
//! do is *use* it: read the admin page, or submit its forms. Each way in is closed on its own:
//!
//! 1. **Reading the page or its tokens.** `GET P/admin…` is served only to a top-level navigation:
//!    when the browser sends Fetch Metadata, it must say `Sec-Fetch-Mode: navigate` and
//!    `Sec-Fetch-Dest: document` ([`navigation`]). A `fetch()`/XHR says `cors` or `same-origin`
//!    and `empty`, an `<iframe>` says `iframe`, and a page cannot forge these headers (they are
//!    forbidden request headers); a service worker's navigation preload (which hands the page to
//!    the worker) is refused too. A window the app opens itself is severed by
//!    `Cross-Origin-Opener-Policy: same-origin` with `Cross-Origin-Embedder-Policy: require-corp`:
//!    the browser keeps two documents in one browsing context group only when their policies are
//!    equal, and together these make the policy "same-origin-plus-COEP" — unlike the app's
//!    (none, or `same-origin` alone as Django and helmet send by default) — so `window.open`
//!    returns no handle on our page (checked in Chromium, tests/it/browser/admin.rs). Framing is
//!    refused by `frame-ancestors 'none'`. A navigation of the app's own tab to `P/admin` unloads
//!    the app's script, and our pages run no script at all (`default-src 'none'`).
//! 2. **Forging a form.** The admin forms carry a CSRF token of their own ([`form_token`]), bound
//!    to the session and derived under another label than the token of the sign-in and account
//!    pages, so a token read from `P/login` or `P/account` (which a script *can* fetch) is worth
//!    nothing here. The POST must also be a navigation, pass the provenance check of every form
//!    ([`crate::web::csrf`]), and — for every action — the fresh-factor rule below.
//! 3. **The JSON API** is for scripts outside a browser (curl, an operator's automation with a
//!    session cookie). It refuses every request that carries Fetch Metadata ([`from_browser`]):
//!    browsers send it on every request in a secure context, and our admin page needs no API.
//!    Its state-changing calls also need `Content-Type: application/json` and our `Origin`.
//! 4. **Every action needs a fresh second factor**: a code proved less than `[admin]
//!    fresh_factor` ago in this session (at sign-in, or at the page's confirmation step), or
//!    proved by the request itself. A trusted device is not a proof. So even a way around 1–3
//!    would find nothing to do unless the admin had typed a code within minutes.
//! 5. **No secrets in any answer**: no password hash, TOTP secret, backup code, device cookie
//!    or sent code is read for these pages; device ids only name records (the device cookie is
//!    signed with a key the gateway keeps). The CSV export neutralises cells that a spreadsheet
//!    would run as a formula (a user name typed at a failed sign-in is attacker-chosen).
//!
//! What is left, and why the fresh factor matters:
//! - Fetch Metadata is sent only to secure contexts (`https://`, and `http://localhost`). Behind a
//!   plain-`http` `public_url` elsewhere, a script can read the pages and the API (the users, their
//!   devices' addresses, the events) and only the fresh-factor rule guards the actions; the
//!   config check warns about such a `public_url`.
//! - An app that is itself cross-origin isolated (COOP `same-origin` *and* COEP) shares our
//!   policy, so a window it opens is not severed.
//! - A service worker the app registered for `/` sees every navigation under it, ours included,
//!   and can read what it forwards. Registering one needs a script served from the origin (an
//!   upload, a JSONP endpoint), not only an injected one.
//!
//! In each case an action still needs a code the admin typed within `[admin] fresh_factor`.
//!
//! Every action is audited with the target as the event's user and the admin's name in its
//! detail ("by admin alice"), refused ones too.

mod actions;
pub mod api;
pub mod confirm;
mod events;
pub mod page;
mod users;

use axum::response::Response;
use http::header::{HeaderMap, HeaderValue};
use http::StatusCode;

use crate::app::App;
use crate::auth::session::{Claims, Verified};

pub use actions::Action;

/// Is `claims`' user in `[admin] groups`?
pub fn is_admin(app: &App, user: &crate::auth::users::User) -> bool {
    app.config.admin.includes(&user.groups)
}

/// A Fetch Metadata header's value; `Err` when it is sent more than once or is not text.
fn fetch_metadata<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ()> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (None, _) => Ok(None),
        (Some(v), None) => v.to_str().map(Some).map_err(|_| ()),
        (Some(_), Some(_)) => Err(()),
    }
}

/// A top-level navigation of a browser tab, or a client that sends no Fetch Metadata at all
/// (a script outside a browser). See point 1 of the module doc.
pub(crate) fn navigation(headers: &HeaderMap) -> bool {
    // A service worker's navigation preload: its response goes to the worker's script.
    if headers.contains_key("service-worker-navigation-preload") {
        return false;
    }
    let mode = fetch_metadata(headers, "sec-fetch-mode");
    let dest = fetch_metadata(headers, "sec-fetch-dest");
    matches!(
        (mode, dest),
        (Ok(None), Ok(None)) | (Ok(Some("navigate")), Ok(Some("document")))
    )
}

/// Did a browser send this (any Fetch Metadata header present)? See point 3 of the module doc.
pub(crate) fn from_browser(headers: &HeaderMap) -> bool {
    [
        "sec-fetch-site",
        "sec-fetch-mode",
        "sec-fetch-dest",
        "sec-fetch-user",
    ]
    .iter()
    .any(|h| headers.contains_key(*h))
}

/// The admin forms' CSRF token: the cookie nonce and the session id under a key of their own.
pub(crate) fn form_token(app: &App, nonce: &str, claims: &Claims) -> String {
    let key = crate::web::csrf::purpose_key(&app.csrf_key, b"portcullis admin forms");
    crate::web::csrf::token_for(&key, &format!("{nonce}\0{}", claims.sid))
}

/// Headers of every admin page and answer, on top of [`crate::web::harden`]: a window the
/// protected app opens on them is put in another browsing context group (point 1).
pub(crate) fn isolate(r: &mut Response) {
    crate::web::harden(r.headers_mut());
    r.headers_mut().insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    // With COEP the policy is "same-origin-plus-COEP": an app that sends COOP same-origin
    // itself (Django's and helmet's default) still has another one (point 1).
    r.headers_mut().insert(
        "cross-origin-embedder-policy",
        HeaderValue::from_static("require-corp"),
    );
    r.headers_mut().insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
}

/// Has this session proved a second factor recently enough for an admin action?
pub(crate) fn factor_is_fresh(app: &App, v: &Verified, now: u64) -> bool {
    v.claims
        .factor_proved_within(app.config.admin.fresh_factor.as_secs(), now)
}

/// Where an admin stands for an action: see [`prove`].
#[derive(Debug)]
pub(crate) enum Proof {
    /// Fresh; with the re-issued session to set when the request itself proved a code.
    Fresh(Option<Claims>),
    /// No code given, and the last one is older than `[admin] fresh_factor`.
    Stale,
    /// The code given was wrong (it counted towards the admin's lockout).
    Invalid,
    Locked {
        retry_after: u64,
    },
    Unavailable,
}

/// A code given with the request (`method`, `code`; an empty code is none) is checked as a
/// second factor of the admin — counted towards their lockout like any other — and dates the
/// fresh factor anew; without one, the session's last proof must be within `[admin]
/// fresh_factor`.
pub(crate) async fn prove(
    app: &std::sync::Arc<App>,
    v: &Verified,
    method: &str,
    code: &str,
    now: u64,
) -> Proof {
    use crate::auth::flow::{check_second_factor, FactorOutcome};
    let code = code.trim();
    if code.is_empty() {
        return if factor_is_fresh(app, v, now) {
            Proof::Fresh(None)
        } else {
            Proof::Stale
        };
    }
    let method = if method.is_empty() { "totp" } else { method };
    match check_second_factor(app, &v.claims.sub, method, code, now).await {
        Ok(FactorOutcome::Accepted(factor)) => {
            Proof::Fresh(Some(app.sessions.reproved(&v.claims, factor, now)))
        }
        Ok(FactorOutcome::Invalid) => Proof::Invalid,
        Ok(FactorOutcome::Locked { retry_after }) => Proof::Locked { retry_after },
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            Proof::Unavailable
        }
    }
}

/// "Not allowed" for the admin surface, as a page in `html`'s language (saying the message
/// `message_key`) or as JSON with `code` (`None`).
pub(crate) fn forbidden(
    app: &App,
    html: Option<crate::i18n::Locale>,
    code: &str,
    message_key: &str,
) -> Response {
    let mut r = if let Some(lang) = html {
        crate::web::html(
            StatusCode::FORBIDDEN,
            app.pages.render(
                "message.html",
                lang,
                minijinja::context! {
                    heading => lang.t("admin-not-allowed"),
                    message => lang.t(message_key),
                    alert => true,
                    account_link => true,
                },
            ),
        )
    } else {
        crate::web::error(StatusCode::FORBIDDEN, code)
    };
    isolate(&mut r);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_a_top_level_navigation_or_a_client_without_fetch_metadata_is_a_navigation() {
        assert!(navigation(&headers(&[])));
        assert!(navigation(&headers(&[
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-dest", "document"),
        ])));
        for (mode, dest) in [
            ("cors", "empty"),
            ("same-origin", "empty"),
            ("navigate", "iframe"),
            ("navigate", "embed"),
            ("no-cors", "script"),
        ] {
            let h = headers(&[("sec-fetch-mode", mode), ("sec-fetch-dest", dest)]);
            assert!(!navigation(&h), "{mode} {dest}");
        }
        // Half of the pair, or a header sent twice, is not a navigation either.
        assert!(!navigation(&headers(&[("sec-fetch-mode", "navigate")])));
        assert!(!navigation(&headers(&[
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-dest", "document"),
        ])));
    }

    #[test]
    fn any_fetch_metadata_header_marks_a_browser() {
        assert!(!from_browser(&headers(&[("origin", "https://a.example")])));
        for h in [
            "sec-fetch-site",
            "sec-fetch-mode",
            "sec-fetch-dest",
            "sec-fetch-user",
            "Sec-Fetch-Site",
        ] {
            let mut m = HeaderMap::new();
            m.insert(
                http::header::HeaderName::from_bytes(h.as_bytes()).unwrap(),
                HeaderValue::from_static("x"),
            );
            assert!(from_browser(&m), "{h}");
        }
    }
}
