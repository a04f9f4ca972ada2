//! `POST P/admin/act`: an admin action from the pages. The first POST answers with a
//! confirmation step that names the user and asks for a code when the session's last one is
//! older than `[admin] fresh_factor`; the confirmed POST does it and returns to the user's page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use super::actions::{self, Action, ActionError, By};
use super::page::{admin_path, admin_session, message, no_such_user, render, user_page, user_path};
use super::{form_token, isolate, prove, Proof};
use crate::app::{now, App};
use crate::audit::Outcome;
use crate::auth::flow::invalid_code_message;
use crate::auth::session::Verified;
use crate::web::cookies::CookieJar;
use crate::web::login::{locked_message, session_cookie};
use crate::web::{login_path, redirect, set_cookie, unavailable_page, ClientIp};

#[derive(Debug, Default, Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    device: String,
    /// The user's name again, from the confirmation step.
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    backup_code: String,
}

/// A form of the admin pages: a navigation, from our origin, with the admin form token.
fn genuine(app: &App, headers: &HeaderMap, v: &Verified, token: &str) -> bool {
    let nonce = CookieJar::get(headers, &app.cookies.csrf).ok().flatten();
    let expected = nonce.map(|n| form_token(app, n, &v.claims));
    let token_ok = expected.is_some_and(|e| {
        use subtle::ConstantTimeEq;
        !token.is_empty() && bool::from(e.as_bytes().ct_eq(token.as_bytes()))
    });
    token_ok && app.check_provenance(headers)
}

/// POST P/admin/act
pub async fn act(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = serde_urlencoded::from_bytes::<ActForm>(&body).unwrap_or_default();
    let action = match f.action.as_str() {
        "device-revoke" => Some(Action::DeviceRevoke(f.device.clone())),
        other => Action::parse(other),
    };
    // A refusal of a signed-in caller is audited with who they are: who tried what.
    let refused = |caller: &str, why: &str| {
        if let Some(action) = &action {
            let by = By {
                admin: caller,
                ip,
                headers: &headers,
            };
            actions::audit(&app, action, &f.user, by, Outcome::Failure, why);
        }
    };
    let v = match admin_session(&app, &headers, &admin_path(&app)) {
        Ok(v) => v,
        Err(r) => {
            if let Some(caller) = crate::web::current_session(&app, &headers, now()) {
                if !caller.claims.half {
                    refused(&caller.claims.sub, "refused: not allowed the admin page");
                }
            }
            return r;
        }
    };
    let lang = app.pages.locale(&headers);
    if !genuine(&app, &headers, &v, &f.csrf) {
        refused(&v.claims.sub, "refused: the form token is not this page's");
        return crate::web::login::forbidden_form(&app, lang);
    }
    let Some(action) = action.clone() else {
        return message(
            &app,
            lang,
            StatusCode::BAD_REQUEST,
            &lang.t("admin-not-understood"),
            &lang.t("admin-unknown-action"),
        );
    };
    if app.users().get(&f.user).is_none() {
        refused(&v.claims.sub, "no such user");
        return no_such_user(&app, lang);
    }
    let needs_code = !super::factor_is_fresh(&app, &v, now());
    if f.confirm != f.user {
        // The first press of a button, or a confirmation for another user: ask, naming them.
        return confirm(
            &app,
            &headers,
            &v,
            &f,
            &action,
            needs_code,
            StatusCode::OK,
            "",
        );
    }
    let by = By {
        admin: &v.claims.sub,
        ip,
        headers: &headers,
    };
    let (method, code) = match (f.backup_code.trim(), f.method.as_str()) {
        ("", m) => (m, f.code.as_str()),
        (backup, _) => ("backup_code", backup),
    };
    // Each refusal: (status, why for the audit trail, what the page says).
    let refused = match prove(&app, &v, method, code, now()).await {
        Proof::Fresh(reissued) => Ok(reissued),
        Proof::Stale => Err((
            StatusCode::FORBIDDEN,
            "fresh factor required",
            lang.t("admin-code-first"),
        )),
        Proof::Invalid => Err((
            StatusCode::UNAUTHORIZED,
            "wrong code",
            lang.t(invalid_code_message(method)),
        )),
        Proof::Locked { retry_after } => Err((
            StatusCode::TOO_MANY_REQUESTS,
            "admin locked out",
            locked_message(lang, retry_after),
        )),
        Proof::Unavailable => return unavailable_page(&app, lang),
    };
    let reissued = match refused {
        Ok(reissued) => reissued,
        Err((status, why, message)) => {
            actions::audit(&app, &action, &f.user, by, Outcome::Failure, why);
            return confirm(&app, &headers, &v, &f, &action, true, status, &message);
        }
    };
    let done = actions::perform(&app, &action, &f.user, by).await;
    let own_sessions_end = f.user == v.claims.sub && action.ends_sessions();
    let mut r = match done {
        Ok(()) if own_sessions_end => {
            // Their own sessions ended with it: back to the sign-in page.
            redirect(
                StatusCode::SEE_OTHER,
                &login_path(app.prefix(), &admin_path(&app)),
            )
        }
        Ok(()) => redirect(
            StatusCode::SEE_OTHER,
            &format!("{}?done={}", user_path(&app, &f.user), action.segment()),
        ),
        Err(ActionError::NoSuchDevice) => {
            return user_page(
                &app,
                &headers,
                &v,
                &f.user,
                StatusCode::NOT_FOUND,
                "",
                &lang.t("admin-device-gone"),
            )
            .await
        }
        Err(ActionError::NoSuchUser) => return no_such_user(&app, lang),
        Err(e) => {
            tracing::error!(error = %e, "admin action failed");
            return unavailable_page(&app, lang);
        }
    };
    if let (Some(claims), false) = (reissued, own_sessions_end) {
        set_cookie(&mut r, session_cookie(&app, &claims));
    }
    isolate(&mut r);
    r
}

/// The confirmation step: the question naming the user, what follows, and a code field when
/// the session's last code is too old.
#[allow(clippy::too_many_arguments)]
fn confirm(
    app: &Arc<App>,
    headers: &HeaderMap,
    v: &Verified,
    f: &ActForm,
    action: &Action,
    needs_code: bool,
    status: StatusCode,
    error: &str,
) -> Response {
    let lang = app.pages.locale(headers);
    let ctx = context! {
        question => action.question(lang, &f.user),
        consequence => lang.t(action.consequence()),
        action => action.segment(),
        user => f.user,
        device => f.device,
        yourself => f.user == v.claims.sub,
        needs_code, error,
        back => user_path(app, &f.user),
        danger => matches!(action, Action::MfaReset | Action::Disable),
    };
    render(app, headers, v, status, "admin_confirm.html", ctx)
}
