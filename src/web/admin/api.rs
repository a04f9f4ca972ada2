//! `P/api/admin/…` (DESIGN §4): the admin page's data and actions as JSON, for scripts outside a
//! browser (see the module doc of [`super`] for why browsers are refused).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::actions::{self, Action, ActionError, By};
use super::events::{to_csv, EventFilter, EventQuery};
use super::users::{search, UserRow};
use super::{from_browser, is_admin, prove, Proof};
use crate::app::{blocking, now, App};
use crate::audit::Outcome;
use crate::auth::session::Verified;
use crate::web::login::session_cookie;
use crate::web::{csrf, current_session, error, json, set_cookie, ClientIp};

/// The most users one answer lists.
const MAX_USERS: usize = 1000;

fn refused(status: StatusCode, code: &str) -> Response {
    let mut r = error(status, code);
    super::isolate(&mut r);
    r
}

/// The caller's session when it may use the admin API: not a browser, signed in with two
/// factors, in `[admin] groups`.
fn admin(app: &App, headers: &HeaderMap) -> Result<Verified, Response> {
    if from_browser(headers) {
        return Err(refused(StatusCode::FORBIDDEN, "browser_request_refused"));
    }
    let Some(v) = current_session(app, headers, now()) else {
        return Err(refused(StatusCode::UNAUTHORIZED, "authentication_required"));
    };
    if v.claims.half {
        return Err(refused(StatusCode::UNAUTHORIZED, "second_factor_required"));
    }
    if !is_admin(app, &v.user) {
        return Err(refused(StatusCode::FORBIDDEN, "forbidden"));
    }
    if !v.claims.has_second_factor() {
        return Err(refused(StatusCode::FORBIDDEN, "second_factor_required"));
    }
    Ok(v)
}

fn answer(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut r = json(status, body);
    super::isolate(&mut r);
    r
}

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: usize,
    #[serde(default)]
    limit: Option<usize>,
}

/// GET P/api/admin/users?q=&offset=&limit= → the matching users in name order (at most
/// `limit`, default 100, up to 1000), with `X-Total-Count` the number of matches.
pub async fn users(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<UsersQuery>,
) -> Response {
    if let Err(r) = admin(&app, &headers) {
        return r;
    }
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_USERS);
    let loaded = blocking(&app, move |app| {
        let users = app.users();
        let (total, page) = search(&users, &q.q, q.offset, limit);
        let t = now();
        let rows = page
            .into_iter()
            .map(|u| UserRow::load(&app.store, u, t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, crate::store::StoreError>((total, rows))
    })
    .await;
    let Ok((total, rows)) = loaded else {
        return refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    };
    let mut r = answer(StatusCode::OK, &json!(rows));
    r.headers_mut()
        .insert("x-total-count", HeaderValue::from(total));
    r
}

/// An action's body: an optional second factor proved with the request.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
}

/// POST P/api/admin/users/NAME/ACTION
pub async fn user_action(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    Path((name, segment)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(action) = Action::parse(&segment) else {
        return refused(StatusCode::NOT_FOUND, "not_found");
    };
    act(&app, ip, &headers, &body, &name, action).await
}

/// DELETE P/api/admin/devices/ID
pub async fn revoke_device(
    State(app): State<Arc<App>>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = admin(&app, &headers) {
        return r;
    }
    let lookup = id.clone();
    let owner = blocking(&app, move |app| app.store.device(&lookup)).await;
    match owner {
        Ok(Some(device)) => {
            let user = device.user;
            act(&app, ip, &headers, &body, &user, Action::DeviceRevoke(id)).await
        }
        Ok(None) => {
            if let Ok(v) = admin(&app, &headers) {
                let by = By {
                    admin: &v.claims.sub,
                    ip,
                    headers: &headers,
                };
                let action = Action::DeviceRevoke(id);
                actions::audit(&app, &action, "", by, Outcome::Failure, "no such device");
            }
            refused(StatusCode::NOT_FOUND, "no_such_device")
        }
        Err(_) => refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}

/// The common path of every action: the admin, the request's provenance and body, the fresh
/// factor, then the action; 204 when done.
async fn act(
    app: &Arc<App>,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    body: &[u8],
    target: &str,
    action: Action,
) -> Response {
    let v = match admin(app, headers) {
        Ok(v) => v,
        Err(r) => {
            // A signed-in caller refused here is worth an audit event: who tried what.
            if let Some(caller) = current_session(app, headers, now()) {
                let why = if from_browser(headers) {
                    "refused: sent by a browser"
                } else if !is_admin(app, &caller.user) {
                    "refused: not an admin"
                } else {
                    "refused: no second factor in this session"
                };
                let by = By {
                    admin: &caller.claims.sub,
                    ip,
                    headers,
                };
                actions::audit(app, &action, target, by, Outcome::Failure, why);
            }
            return r;
        }
    };
    if !app.check_provenance(headers) {
        return refused(StatusCode::FORBIDDEN, "cross_site_request");
    }
    if !csrf::is_json(headers) {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type_must_be_json",
        );
    }
    let parsed = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(ActionBody::default())
    } else {
        serde_json::from_slice::<ActionBody>(body)
    };
    let Ok(b) = parsed else {
        return refused(StatusCode::BAD_REQUEST, "invalid_request_body");
    };
    let by = By {
        admin: &v.claims.sub,
        ip,
        headers,
    };
    if app.users().get(target).is_none() {
        actions::audit(app, &action, target, by, Outcome::Failure, "no such user");
        return refused(StatusCode::NOT_FOUND, "no_such_user");
    }
    let t = now();
    let reissued = match prove(app, &v, &b.method, &b.code, t).await {
        Proof::Fresh(reissued) => reissued,
        Proof::Stale => {
            actions::audit(
                app,
                &action,
                target,
                by,
                Outcome::Failure,
                "fresh factor required",
            );
            return refused(StatusCode::FORBIDDEN, "fresh_factor_required");
        }
        Proof::Invalid => {
            actions::audit(app, &action, target, by, Outcome::Failure, "wrong code");
            return refused(StatusCode::UNAUTHORIZED, "invalid_code");
        }
        Proof::Locked { retry_after } => {
            actions::audit(
                app,
                &action,
                target,
                by,
                Outcome::Failure,
                "admin locked out",
            );
            let mut r = crate::web::api::locked(retry_after);
            super::isolate(&mut r);
            return r;
        }
        Proof::Unavailable => return refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    let mut r = match actions::perform(app, &action, target, by).await {
        Ok(()) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            super::isolate(&mut r);
            r
        }
        Err(ActionError::NoSuchUser) => refused(StatusCode::NOT_FOUND, "no_such_user"),
        Err(ActionError::NoSuchDevice) => refused(StatusCode::NOT_FOUND, "no_such_device"),
        Err(e) => {
            tracing::error!(error = %e, "admin action failed");
            refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    // An action on oneself that ends one's own sessions leaves nothing to re-issue.
    if let Some(claims) = reissued {
        if target != v.claims.sub || !action.ends_sessions() {
            set_cookie(&mut r, session_cookie(app, &claims));
        }
    }
    r
}

/// GET P/api/admin/events?user=&kind=&outcome=&since=24h&limit=100&format=json|csv
pub async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<EventQuery>,
) -> Response {
    if let Err(r) = admin(&app, &headers) {
        return r;
    }
    let filter = match EventFilter::parse(&q, now(), 100) {
        Ok(f) => f,
        Err(why) => {
            return answer(
                StatusCode::BAD_REQUEST,
                &json!({"error": "invalid_query", "message": why.to_string()}),
            )
        }
    };
    export(&app, &filter, &q.format).await
}

/// The events of `filter` as JSON or as a CSV attachment.
pub(super) async fn export(app: &Arc<App>, filter: &EventFilter, format: &str) -> Response {
    let f = filter.clone();
    let Ok(events) = blocking(app, move |app| f.load(&app.store)).await else {
        return refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    };
    let mut r = if format == "csv" {
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"portcullis-events.csv\"",
                ),
            ],
            to_csv(&events),
        )
            .into_response()
    } else {
        json(StatusCode::OK, &events)
    };
    super::isolate(&mut r);
    r
}

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    since: String,
}

/// GET P/api/admin/stats?since=7d → the security overview (as `portcullis stats --json`).
pub async fn stats(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<StatsQuery>,
) -> Response {
    if let Err(r) = admin(&app, &headers) {
        return r;
    }
    let t = now();
    let since = match q.since.trim() {
        "" => t.saturating_sub(7 * 86_400),
        s => match crate::audit::parse_since(s, t) {
            Ok(since) => since,
            Err(why) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    &json!({"error": "invalid_query", "message": why.to_string()}),
                )
            }
        },
    };
    let overview = blocking(&app, move |app| {
        crate::stats::overview(&app.store, &app.users(), &app.config.mfa, since, t)
    })
    .await;
    match overview {
        Ok(s) => {
            let mut r = json(StatusCode::OK, &s);
            super::isolate(&mut r);
            r
        }
        Err(_) => refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}
