//! Forward-auth (DESIGN §4): `GET P/auth` for nginx `auth_request`, Caddy `forward_auth` and
//! Traefik's ForwardAuth middleware. The same decision engine as the reverse proxy, answered as
//! a status: 200 (with identity headers), 401/302 (with `Location:` the login page), 403.
//!
//! The original request is read from `X-Original-URL` + `X-Original-Method` (nginx) or
//! `X-Forwarded-Proto/-Host/-Uri/-Method` (Traefik, Caddy) — only from peers in
//! `trusted_proxies`: anyone else could describe any request they liked.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};
use serde_json::json;

use crate::app::{now, App};
use crate::gateway::{evaluate, set_identity};
use crate::metrics::RequestOutcome;
use crate::policy::{Decision, RequestFacts};
use crate::proxy::headers::{is_valid_host, strip_cookies};
use crate::web::cookies::CookieJar;
use crate::web::{encode_query, error, json, set_cookie, ClientIp, PeerIp};

/// The request the proxy is asking about.
struct Original {
    method: Method,
    host: Option<String>,
    path: String,
    query: Option<String>,
    /// Caddy and Traefik can follow a 302 for browsers; nginx `auth_request` needs 401.
    redirects: bool,
}

fn header<'h>(h: &'h HeaderMap, name: &str) -> Option<&'h str> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn original(h: &HeaderMap) -> Option<Original> {
    if let Some(url) = header(h, "x-original-url") {
        let method = header(h, "x-original-method").unwrap_or("GET");
        // nginx sends `$scheme://$http_host$request_uri`: the client's Host, as typed, then the
        // request target. The path is cut from the text itself, after the authority — never at
        // the length of a parsed and normalised origin (`Host: 1` parses as 0.0.0.1, six
        // characters longer, which once shifted `/admin/secret` to `/secret`). The authority must
        // be a plain host and port; the host decided on is the one the app receives.
        let (host, target) = match strip_http_scheme(url) {
            Some(rest) => {
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let (authority, target) = rest.split_at(end);
                if !is_valid_host(authority.as_bytes()) {
                    return None;
                }
                let target = if target.starts_with('/') {
                    target.to_owned()
                } else {
                    format!("/{target}")
                };
                (Some(authority.to_owned()), target)
            }
            None if url.starts_with('/') => (
                header(h, "x-forwarded-host").map(str::to_owned),
                url.to_owned(),
            ),
            None => return None,
        };
        let (path, query) = split(&target);
        return Some(Original {
            method: method.parse().ok()?,
            host,
            path,
            query,
            redirects: false,
        });
    }
    let uri = header(h, "x-forwarded-uri")?;
    let method = header(h, "x-forwarded-method").unwrap_or("GET");
    let host = header(h, "x-forwarded-host").map(str::to_owned);
    let (path, query) = split(uri);
    Some(Original {
        method: method.parse().ok()?,
        host,
        path,
        query,
        redirects: true,
    })
}

/// What follows `http://` or `https://` (any case).
fn strip_http_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(rest)
}

fn split(target: &str) -> (String, Option<String>) {
    let target = target.split('#').next().unwrap_or(target);
    match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    }
}

fn host_only(host: &str) -> String {
    let h = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// The request's `Cookie` headers without the gateway's own cookies, as one value; empty when
/// nothing is left, so that a proxy copying it replaces the client's header with nothing.
fn application_cookies(request: &HeaderMap) -> HeaderValue {
    let mut cookies = HeaderMap::new();
    for v in request.get_all(header::COOKIE) {
        cookies.append(header::COOKIE, v.clone());
    }
    strip_cookies(&mut cookies, CookieJar::is_ours);
    cookies
        .remove(header::COOKIE)
        .unwrap_or(HeaderValue::from_static(""))
}

/// GET P/auth
pub async fn auth(
    State(app): State<Arc<App>>,
    axum::Extension(PeerIp(peer)): axum::Extension<PeerIp>,
    axum::Extension(ClientIp(client)): axum::Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    if !app
        .config
        .server
        .trusted_proxies
        .iter()
        .any(|n| n.contains(&peer))
    {
        tracing::warn!(peer = %peer, "forward-auth request from a peer outside trusted_proxies");
        app.metrics.forward_auth(RequestOutcome::Refused);
        return error(StatusCode::FORBIDDEN, "untrusted_peer");
    }
    // Anything unreadable is a denial, never a pass.
    let Some(o) = original(&headers) else {
        app.metrics.forward_auth(RequestOutcome::Refused);
        return error(StatusCode::FORBIDDEN, "no_original_request");
    };
    let Ok(path) = app.engine.normalize(&o.path) else {
        app.metrics.forward_auth(RequestOutcome::Refused);
        return error(StatusCode::FORBIDDEN, "bad_request_path");
    };
    let host = o.host.as_deref().map(host_only);
    let facts = RequestFacts {
        path: &path,
        method: &o.method,
        host: host.as_deref(),
        client,
    };
    let ev = evaluate(&app, &facts, &headers);
    if !app.engine.admits_encoded_slash(&facts, ev.location) {
        app.metrics.forward_auth(RequestOutcome::Refused);
        return error(StatusCode::FORBIDDEN, "bad_request_path");
    }
    let target = match &o.query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let origin = app.config.server.public_url.origin().ascii_serialization();
    let html = crate::web::wants_html(&headers);
    app.metrics.forward_auth(match ev.decision {
        Decision::Allow => RequestOutcome::Forwarded,
        Decision::Bypass => RequestOutcome::Bypass,
        Decision::Forbidden => RequestOutcome::Denied,
        Decision::Login => RequestOutcome::Login,
        Decision::SecondFactor => RequestOutcome::SecondFactor,
        Decision::Unavailable => RequestOutcome::Unavailable,
    });
    match ev.decision {
        Decision::Allow | Decision::Bypass => {
            let mut r = Response::new(axum::body::Body::empty());
            // Every identity header is answered, empty when there is no identity: proxies that
            // copy "the auth response's header" must overwrite a client's copy with nothing (Caddy
            // before 2.7 even copies its placeholder text for a header that is missing).
            for name in app.identity.names() {
                r.headers_mut()
                    .insert(name.clone(), HeaderValue::from_static(""));
            }
            // DESIGN §5: the gateway's cookies are for the gateway. The proxy copies this
            // `Cookie` onto the request it forwards (nginx `auth_request_set`, Caddy
            // `copy_headers`, Traefik `authResponseHeaders`), so the application receives the
            // client's cookies without ours, however many and however spelt.
            r.headers_mut()
                .insert(header::COOKIE, application_cookies(&headers));
            if let (Decision::Allow, Some(v), Some(u)) = (ev.decision, &ev.session, &ev.user) {
                set_identity(
                    &app,
                    r.headers_mut(),
                    &v.claims,
                    u,
                    app.upstream.default_origin().audience(),
                    now(),
                );
                if let Some(fresh) = &v.refreshed {
                    set_cookie(&mut r, app.cookies.refreshed_session(fresh));
                }
            }
            r
        }
        Decision::Forbidden => error(StatusCode::FORBIDDEN, "forbidden"),
        Decision::Unavailable => {
            let lang = html.then(|| app.pages.locale(&headers));
            crate::web::stale_page(&app, lang)
        }
        Decision::Login | Decision::SecondFactor => {
            let (step, code) = if ev.decision == Decision::Login {
                ("login", "authentication_required")
            } else {
                ("mfa", "second_factor_required")
            };
            let location = format!(
                "{origin}{}/{step}?rd={}",
                app.prefix(),
                encode_query(&target)
            );
            let mut r = if o.redirects && html {
                let mut r = Response::new(axum::body::Body::empty());
                *r.status_mut() = StatusCode::FOUND;
                r
            } else {
                json(
                    StatusCode::UNAUTHORIZED,
                    &json!({"error": code, "login_url": location}),
                )
            };
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
    }
}

/// GET P/jwks.json
pub async fn jwks(State(app): State<Arc<App>>) -> Response {
    match &app.assertion {
        Some(signer) => {
            let mut r = Response::new(axum::body::Body::from(signer.jwks().to_owned()));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jwk-set+json"),
            );
            r
        }
        None => json(StatusCode::OK, &json!({"keys": []})),
    }
}
