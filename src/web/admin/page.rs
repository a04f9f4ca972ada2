//! `P/admin`: the operator's pages, server-rendered and without script (DESIGN §4).
//!
//! - `GET P/admin?q=&page=&period=24h|7d`: the security overview and the users, searchable and paged;
//! - `GET P/admin/users/NAME`: one user, their factors and devices, and the actions;
//! - `GET P/admin/events?user=&kind=&outcome=&since=`: recent security events, and their export
//!   as `P/admin/events.csv` / `P/admin/events.json` (plain links: a navigation, like the page);
//! - `POST P/admin/act`: an action, in [`super::confirm`].

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use minijinja::context;
use serde::Deserialize;

use super::actions::Action;
use super::events::{EventFilter, EventQuery};
use super::users::{search, UserRow};
use super::{form_token, is_admin, isolate, navigation};
use crate::app::{blocking, now, App};
use crate::audit::Kind;
use crate::auth::session::Verified;
use crate::i18n::Locale;
use crate::web::account::readable_time;
use crate::web::login::{csrf_nonce, step_path};
use crate::web::{encode_query, html, login_path, redirect, set_cookie, unavailable_page};

/// Users per page.
const PER_PAGE: usize = 25;
/// Events shown on the page (the export holds up to [`super::events::MAX_EVENTS`]).
const EVENTS_SHOWN: usize = 100;

pub(super) fn admin_path(app: &App) -> String {
    format!("{}/admin", app.prefix())
}

pub(super) fn user_path(app: &App, user: &str) -> String {
    format!("{}/admin/users/{}", app.prefix(), encode_query(user))
}

/// A page's answer with the admin headers.
fn page(status: StatusCode, body: String) -> Response {
    let mut r = html(status, body);
    isolate(&mut r);
    r
}

/// A message page with the admin headers: `heading` and `text`, already in `lang`.
pub(super) fn message(
    app: &App,
    lang: Locale,
    status: StatusCode,
    heading: &str,
    text: &str,
) -> Response {
    page(
        status,
        app.pages.render(
            "message.html",
            lang,
            context! { heading, message => text, alert => true },
        ),
    )
}

/// "No such user" in `lang`.
pub(super) fn no_such_user(app: &App, lang: Locale) -> Response {
    message(
        app,
        lang,
        StatusCode::NOT_FOUND,
        &lang.t("admin-no-such-user"),
        &lang.t("admin-no-such-user-text"),
    )
}

/// The caller's session when it may see the admin pages; otherwise the answer to give: the
/// sign-in or second-factor step for a navigation without a full session, 403 for the rest.
pub(super) fn admin_session(
    app: &App,
    headers: &HeaderMap,
    here: &str,
) -> Result<Verified, Response> {
    let lang = Some(app.pages.locale(headers));
    if !navigation(headers) {
        return Err(super::forbidden(
            app,
            lang,
            "navigation_required",
            "admin-navigation-required",
        ));
    }
    let v = match crate::web::current_session(app, headers, now()) {
        None => return Err(redirect(StatusCode::FOUND, &login_path(app.prefix(), here))),
        Some(v) if v.claims.half => {
            return Err(redirect(
                StatusCode::FOUND,
                &step_path(app, "mfa", Some(here)),
            ))
        }
        Some(v) => v,
    };
    if !is_admin(app, &v.user) {
        return Err(super::forbidden(app, lang, "forbidden", "error-no-access"));
    }
    if !v.claims.has_second_factor() {
        return Err(super::forbidden(
            app,
            lang,
            "second_factor_required",
            "admin-needs-mfa",
        ));
    }
    Ok(v)
}

/// Renders an admin template with the admin form token (setting the CSRF cookie when new) and
/// what every admin page shows: who is signed in and until when actions need no new code.
pub(super) fn render(
    app: &App,
    headers: &HeaderMap,
    v: &Verified,
    status: StatusCode,
    template: &str,
    ctx: minijinja::Value,
) -> Response {
    let lang = app.pages.locale(headers);
    let (nonce, new_nonce) = csrf_nonce(app, headers);
    let csrf = form_token(app, &nonce, &v.claims);
    let t = now();
    let fresh_until = super::factor_is_fresh(app, v, t)
        .then(|| v.claims.fat)
        .flatten()
        .map(|at| readable_time(at + app.config.admin.fresh_factor.as_secs()));
    let fresh_for = lang.duration(app.config.admin.fresh_factor.as_secs());
    let max_failures = app.config.limits.max_failures;
    let common = context! {
        csrf, admin => v.claims.sub, fresh_until, fresh_for, max_failures, wide => true,
    };
    let mut r = page(
        status,
        app.pages
            .render(template, lang, context! { ..common, ..ctx }),
    );
    if new_nonce {
        set_cookie(&mut r, app.cookies.set(&app.cookies.csrf, &nonce, None));
    }
    r
}

#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    period: String,
}

/// A user as a row of the page, in `lang`.
fn shown(app: &App, lang: Locale, row: &UserRow, you: &str) -> minijinja::Value {
    let methods: Vec<String> = row
        .methods
        .iter()
        .map(|m| {
            let name = lang.t(match m.method {
                "totp" => "admin-method-totp",
                "webauthn" => "admin-method-webauthn",
                "email" => "admin-method-email",
                _ => "admin-method-sms",
            });
            match m.enrolled_at {
                Some(at) => lang.t_with(
                    "admin-method-since",
                    &[("method", name.into()), ("since", readable_time(at).into())],
                ),
                None => name,
            }
        })
        .collect();
    let devices: Vec<minijinja::Value> = row
        .devices
        .iter()
        .map(|d| {
            context! {
                id => d.id, user_agent => d.user_agent, ip => d.ip,
                browser => crate::auth::sending::browser_label(lang, &d.user_agent),
                last_used => readable_time(d.last_used), created => readable_time(d.created),
            }
        })
        .collect();
    context! {
        user => row.user,
        href => user_path(app, &row.user),
        display_name => row.display_name,
        groups => row.groups.join(", "),
        disabled => row.disabled,
        methods,
        backup_codes_left => row.backup_codes_left,
        devices,
        device_count => row.devices.len(),
        locked_until => row.locked_until.map(readable_time),
        last_sign_in => row.last_sign_in.map(readable_time),
        you => row.user == you,
    }
}

/// GET P/admin
pub async fn overview(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<OverviewQuery>,
) -> Response {
    let v = match admin_session(&app, &headers, &admin_path(&app)) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let week = q.period == "7d";
    // Any page past the last shows the last; huge numbers cannot overflow.
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let query = q.q.clone();
    let loaded = blocking(&app, move |app| {
        let t = now();
        let since = t.saturating_sub(if week { 7 * 86_400 } else { 86_400 });
        let users = app.users();
        let stats = crate::stats::overview(&app.store, &users, &app.config.mfa, since, t)?;
        let (total, found) = search(&users, &query, (page_no - 1) * PER_PAGE, PER_PAGE);
        // Past the last page: the last one.
        let last = total.div_ceil(PER_PAGE).max(1);
        let (page_no, found) = if page_no > last {
            (
                last,
                search(&users, &query, (last - 1) * PER_PAGE, PER_PAGE).1,
            )
        } else {
            (page_no, found)
        };
        let rows = found
            .into_iter()
            .map(|u| UserRow::load(&app.store, u, t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, crate::store::StoreError>((stats, total, rows, page_no))
    })
    .await;
    let lang = app.pages.locale(&headers);
    let Ok((stats, total, rows, page_no)) = loaded else {
        return unavailable_page(&app, lang);
    };
    let pages = total.div_ceil(PER_PAGE).max(1);
    let rows: Vec<_> = rows
        .iter()
        .map(|r| shown(&app, lang, r, &v.claims.sub))
        .collect();
    // In the order a sign-in takes them.
    const STEPS: [&str; 7] = [
        "password",
        "trusted_device",
        "totp",
        "backup_code",
        "webauthn",
        "email",
        "sms",
    ];
    let mut steps: Vec<_> = stats.sign_ins.iter().collect();
    steps.sort_by_key(|(step, _)| STEPS.iter().position(|s| s == step).unwrap_or(STEPS.len()));
    let sign_ins: Vec<_> = steps
        .into_iter()
        .map(|(step, r)| {
            let key = match step.as_str() {
                "password" => Some("admin-step-password"),
                "trusted_device" => Some("admin-step-trusted-device"),
                "totp" => Some("admin-step-totp"),
                "backup_code" => Some("admin-step-backup-code"),
                "webauthn" => Some("admin-step-webauthn"),
                "email" => Some("admin-step-email"),
                "sms" => Some("admin-step-sms"),
                _ => None,
            };
            let label = key.map_or_else(|| step.clone(), |k| lang.t(k));
            context! { label, success => r.success, failure => r.failure, locked => r.locked }
        })
        .collect();
    let codes: Vec<_> = stats
        .codes
        .iter()
        .map(|(channel, c)| context! { channel, sent => c.sent, failed => c.failed })
        .collect();
    let grace = stats.grace.as_ref().map(|g| {
        let inside: Vec<_> = g
            .inside
            .iter()
            .map(|(user, ends)| {
                context! { user, href => user_path(&app, user), ends => readable_time(*ends) }
            })
            .collect();
        context! { inside, not_started => g.not_started, ended => g.ended }
    });
    let e = &stats.enrolment;
    let ctx = context! {
        week, q_encoded => encode_query(&q.q), q => q.q, page => page_no, pages, total, rows, sign_ins, codes, grace,
        lockouts => stats.lockouts,
        users_active => e.users, users_disabled => e.disabled, enrolled => e.enrolled,
        adoption => format!("{:.0}%", e.share * 100.0),
        truncated => stats.truncated,
        prev => (page_no > 1).then(|| page_no - 1),
        next => (page_no < pages).then(|| page_no + 1),
    };
    render(&app, &headers, &v, StatusCode::OK, "admin.html", ctx)
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// GET P/admin/users/NAME, with `?done=ACTION` after an action: the notice of what was done.
pub async fn user(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let v = match admin_session(&app, &headers, &user_path(&app, &name)) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let lang = app.pages.locale(&headers);
    let notice = match q.done.as_str() {
        "device-revoke" => Action::DeviceRevoke(String::new()).done(lang, &name),
        other => Action::parse(other)
            .map(|a| a.done(lang, &name))
            .unwrap_or_default(),
    };
    user_page(&app, &headers, &v, &name, StatusCode::OK, &notice, "").await
}

pub(super) async fn user_page(
    app: &Arc<App>,
    headers: &HeaderMap,
    v: &Verified,
    name: &str,
    status: StatusCode,
    notice: &str,
    error: &str,
) -> Response {
    let lang = app.pages.locale(headers);
    let Some(person) = app.users().get(name).cloned() else {
        return no_such_user(app, lang);
    };
    let loaded = blocking(app, move |app| UserRow::load(&app.store, &person, now())).await;
    let Ok(row) = loaded else {
        return unavailable_page(app, lang);
    };
    let ctx = context! { u => shown(app, lang, &row, &v.claims.sub), notice, error };
    render(app, headers, v, status, "admin_user.html", ctx)
}

/// GET P/admin/events
pub async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<EventQuery>,
) -> Response {
    let here = format!("{}/admin/events", app.prefix());
    let v = match admin_session(&app, &headers, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let lang = app.pages.locale(&headers);
    let (filter, error) = match EventFilter::parse(&q, now(), EVENTS_SHOWN) {
        Ok(f) => (f, String::new()),
        Err(why) => (
            EventFilter::last_day(now(), EVENTS_SHOWN),
            lang.t_with(
                "admin-filter-not-applied",
                &[("why", why.words(lang).into())],
            ),
        ),
    };
    let f = EventFilter {
        limit: EVENTS_SHOWN,
        ..filter.clone()
    };
    let Ok(events) = blocking(&app, move |app| f.load(&app.store)).await else {
        return unavailable_page(&app, lang);
    };
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            context! {
                time => readable_time(e.time), kind => e.kind.as_str(), outcome => e.outcome.as_str(),
                user => e.user, ip => e.ip, detail => e.detail,
            }
        })
        .collect();
    let export = format!(
        "user={}&admin={}&kind={}&outcome={}&since={}",
        encode_query(&q.user),
        encode_query(&q.admin),
        encode_query(&q.kind),
        encode_query(&q.outcome),
        encode_query(&q.since)
    );
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let ctx = context! {
        rows, export, kinds, error,
        user => q.user, by => q.admin, kind => q.kind, outcome => q.outcome, since => q.since,
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(&app, &headers, &v, status, "admin_events.html", ctx)
}

/// GET P/admin/events.csv, P/admin/events.json: the filtered events as a download.
pub async fn export(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<EventQuery>,
) -> Response {
    let here = format!("{}/admin/events", app.prefix());
    if let Err(r) = admin_session(&app, &headers, &here) {
        return r;
    }
    let lang = app.pages.locale(&headers);
    let format = match file.as_str() {
        "events.csv" => "csv",
        "events.json" => "json",
        _ => {
            return message(
                &app,
                lang,
                StatusCode::NOT_FOUND,
                &lang.t("error-not-found"),
                &lang.t("error-not-found-text"),
            )
        }
    };
    let filter = match EventFilter::parse(&q, now(), super::events::MAX_EVENTS) {
        Ok(f) => f,
        Err(why) => {
            let heading = lang.t("admin-filter-not-understood");
            return message(
                &app,
                lang,
                StatusCode::BAD_REQUEST,
                &heading,
                &why.words(lang),
            );
        }
    };
    let mut r = super::api::export(&app, &filter, format).await;
    if format == "json" {
        r.headers_mut().insert(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"portcullis-events.json\""),
        );
    }
    r
}
