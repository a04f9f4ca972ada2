//! The second-factor pages: `P/mfa` (verify) and `P/enroll` (TOTP enrolment, backup codes once).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use crate::app::{blocking, now, App};
use crate::audit::{Kind, Outcome};
use crate::auth::flow::{self, invalid_code_message, FactorOutcome, INVALID_ENROL_CODE};
use crate::auth::mfa::{Enrolment, Factors};
use crate::auth::session::{Factor, Verified};
use crate::config::MfaMethod;
use crate::web::api::remember;
use crate::web::login::locked_message;
use crate::web::login::{
    forbidden_form, form_is_genuine, session_cookie, step_path, with_csrf, RdQuery,
};
use crate::web::{
    current_session, html, login_path, pages, qr, record, redirect, set_cookie, unavailable_page,
    ClientIp,
};

#[derive(Default, Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    rd: String,
    #[serde(default)]
    remember_device: String,
}

fn bad_request(app: &App) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        app.pages.render(
            "message.html",
            context! { heading => "Bad request", message => "The form could not be read.", alert => true },
        ),
    )
}

/// The session, or a redirect to the login page.
fn session_or_login(app: &App, headers: &HeaderMap, rd: &str) -> Result<Verified, Response> {
    current_session(app, headers, now())
        .ok_or_else(|| redirect(StatusCode::FOUND, &login_path(app.prefix(), rd)))
}

async fn enrolled(app: &Arc<App>, user: &str) -> Option<bool> {
    if app
        .users()
        .get(user)
        .is_some_and(|u| flow::has_sent_code_factor(app, u))
    {
        return Some(true);
    }
    let user = user.to_owned();
    blocking(app, move |app| Factors::is_enrolled(&app.store, &user))
        .await
        .ok()
}

/// The second-factor page; `method` is the form an `error` belongs to (its field is marked, and
/// the backup-code form is shown open).
fn render_mfa(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    user: &str,
    rd: &str,
    (method, error): (&str, &str),
) -> Response {
    let backup = app.config.mfa.methods.contains(&MfaMethod::BackupCode);
    let remember_for = app
        .config
        .trusted_devices
        .enabled
        .then(|| pages::spoken_duration(app.devices.lifetime()));
    with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "mfa.html",
            context! { csrf, rd, user, method, error, backup, remember_for },
        )
    })
}

/// GET P/mfa
pub async fn mfa_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<RdQuery>,
) -> Response {
    let rd = app.redirects.validate(&q.rd).unwrap_or_default();
    let v = match session_or_login(&app, &headers, &rd) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if v.claims.has_second_factor() {
        // Already proved (a reloaded or Back-restored page): nothing to ask, go on.
        return redirect(StatusCode::FOUND, if rd.is_empty() { "/" } else { &rd });
    }
    match enrolled(&app, &v.claims.sub).await {
        Some(true) => render_mfa(&app, &headers, StatusCode::OK, &v.claims.sub, &rd, ("", "")),
        Some(false) => redirect(
            StatusCode::FOUND,
            &step_path(
                &app,
                "enroll",
                Some(&rd).filter(|r| !r.is_empty()).map(|r| r.as_str()),
            ),
        ),
        None => unavailable_page(&app),
    }
}

/// POST P/mfa
pub async fn mfa_submit(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(f) = serde_urlencoded::from_bytes::<CodeForm>(&body) else {
        return bad_request(&app);
    };
    if !form_is_genuine(&app, &headers, &f.csrf) {
        return forbidden_form(&app);
    }
    let rd = app.redirects.validate(&f.rd);
    let v = match session_or_login(&app, &headers, rd.as_deref().unwrap_or("")) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if v.claims.has_second_factor() {
        // A form left open from before the second factor was proved: not a guess to count.
        return redirect(StatusCode::SEE_OTHER, rd.as_deref().unwrap_or("/"));
    }
    let t = now();
    let method = if f.method.is_empty() {
        "totp"
    } else {
        f.method.as_str()
    };
    match flow::check_second_factor(&app, &v.claims.sub, method, &f.code, t).await {
        Ok(FactorOutcome::Accepted(factor)) => {
            record(
                &app,
                Kind::FactorSucceeded,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(method),
            );
            let claims = flow::step_up(&app, &v.claims, factor, t).await;
            let mut r = redirect(StatusCode::SEE_OTHER, rd.as_deref().unwrap_or("/"));
            set_cookie(&mut r, session_cookie(&app, &claims));
            if !f.remember_device.is_empty() {
                remember(&app, &mut r, &v.claims.sub, ip, &headers, t).await;
            }
            r
        }
        Ok(FactorOutcome::Locked { retry_after }) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some("locked"),
            );
            render_mfa(
                &app,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                &v.claims.sub,
                rd.as_deref().unwrap_or(""),
                (method, &locked_message(retry_after)),
            )
        }
        Ok(FactorOutcome::Invalid) => {
            record(
                &app,
                Kind::FactorFailed,
                Outcome::Failure,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some(method),
            );
            render_mfa(
                &app,
                &headers,
                StatusCode::UNAUTHORIZED,
                &v.claims.sub,
                rd.as_deref().unwrap_or(""),
                (method, invalid_code_message(method)),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "second factor check failed");
            unavailable_page(&app)
        }
    }
}

/// The enrolment page. `replacing`: a signed-in user replacing an active authenticator (from
/// the account page), who is told what stops working and can cancel.
#[allow(clippy::too_many_arguments)] // one per thing the page shows
fn render_enroll(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    user: &str,
    e: &Enrolment,
    rd: &str,
    replacing: bool,
    error: &str,
) -> Response {
    let uri = app.factors.uri(e, user);
    let qr_svg = qr::svg(&uri, qr::LABEL).unwrap_or_default();
    let secret = e.secret.grouped();
    let digits = e.params.digits;
    let cancel = if rd.is_empty() { "/" } else { rd };
    with_csrf(app, headers, status, |csrf| {
        app.pages.render(
            "enroll.html",
            context! { csrf, rd, user, error, uri, qr_svg, secret, digits, replacing, cancel },
        )
    })
}

/// Starts or resumes an enrolment; None with a response when the page can't be shown.
async fn enrolment(app: &Arc<App>, v: &Verified, rd: &str) -> Result<Enrolment, Response> {
    let started = flow::start_enrolment(app, &v.claims, now()).await;
    match started {
        Ok(Some(e)) => Ok(e),
        // Never let a half session replace an active authenticator: verify it instead.
        Ok(None) => Err(redirect(
            StatusCode::FOUND,
            &step_path(app, "mfa", Some(rd).filter(|r| !r.is_empty())),
        )),
        Err(e) => {
            tracing::error!(error = %e, "enrolment failed");
            Err(unavailable_page(app))
        }
    }
}

/// GET P/enroll
pub async fn enroll_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<RdQuery>,
) -> Response {
    let rd = app.redirects.validate(&q.rd).unwrap_or_default();
    let v = match session_or_login(&app, &headers, &rd) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match enrolment(&app, &v, &rd).await {
        Ok(e) => {
            let replacing = v.claims.has_second_factor();
            let user = &v.claims.sub;
            render_enroll(&app, &headers, StatusCode::OK, user, &e, &rd, replacing, "")
        }
        Err(r) => r,
    }
}

/// POST P/enroll
pub async fn enroll_submit(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(f) = serde_urlencoded::from_bytes::<CodeForm>(&body) else {
        return bad_request(&app);
    };
    if !form_is_genuine(&app, &headers, &f.csrf) {
        return forbidden_form(&app);
    }
    let rd = app.redirects.validate(&f.rd).unwrap_or_default();
    let v = match session_or_login(&app, &headers, &rd) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = now();
    let (user, code) = (v.claims.sub.clone(), f.code.clone());
    let may_replace = v.claims.has_second_factor();
    let confirmed = blocking(&app, move |app| {
        app.factors
            .confirm_enrolment(&app.store, &user, &code, t, may_replace)
    })
    .await;
    match confirmed {
        Ok(Some(codes)) => {
            record(
                &app,
                Kind::Enrolled,
                Outcome::Success,
                Some(&v.claims.sub),
                ip,
                &headers,
                Some("totp"),
            );
            let claims = flow::step_up(&app, &v.claims, Factor::Otp, t).await;
            let next = if rd.is_empty() { "/".to_owned() } else { rd };
            // A replaced authenticator took its backup codes with it.
            let replaced = may_replace;
            let mut r = html(
                StatusCode::OK,
                app.pages
                    .render("backup_codes.html", context! { codes, next, replaced }),
            );
            set_cookie(&mut r, session_cookie(&app, &claims));
            r
        }
        Ok(None) => match enrolment(&app, &v, &rd).await {
            Ok(e) => render_enroll(
                &app,
                &headers,
                StatusCode::UNAUTHORIZED,
                &v.claims.sub,
                &e,
                &rd,
                may_replace,
                INVALID_ENROL_CODE,
            ),
            Err(r) => r,
        },
        Err(e) => {
            tracing::error!(error = %e, "enrolment confirmation failed");
            unavailable_page(&app)
        }
    }
}
