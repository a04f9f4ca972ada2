//! The per-request entry point: every request the listeners accept comes through [`Gateway::handle`].
//!
//! Order matters and is the same for every request:
//! 1. refuse ambiguous framing (request smuggling) and ambiguous paths — before any decision;
//! 2. the gateway's own pages and API under the prefix;
//! 3. otherwise: session → decision engine → forward (or login / 403).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::response::Response;
use axum::Router;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Request, StatusCode};
use hyper::body::Incoming;
use serde_json::json;
use tower::ServiceExt;

use crate::app::{now, App};
use crate::config::Policy;
use crate::i18n::Locale;
use crate::metrics::RequestOutcome;
use crate::policy::{path, Decision, RequestFacts, Subject};
use crate::proxy::headers;
use crate::proxy::{ForwardError, Origin};
use crate::web::cookies::CookieJar;
use crate::web::{self, ClientIp};

/// Serves one listener's requests. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    app: Arc<App>,
    router: Router,
    /// Upstream origin per location (by position), for locations that name their own.
    origins: Arc<Vec<Option<Origin>>>,
    /// How long the body of a request to our own pages may take (see [`web::deadline`]).
    body_deadline: std::time::Duration,
}

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Where a request goes after the synchronous checks.
enum Step<'g> {
    /// Answered by the gateway (refusal, login redirect…), with the log outcome.
    Answer(Reply, RequestOutcome),
    /// One of the gateway's own pages or API endpoints.
    Own(Request<Incoming>),
    /// To the upstream, with what the answer needs afterwards.
    Forward(Forward<'g>, Pending<'g>),
}

type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What is left to await for a request: nothing, an own page, or the upstream's answer.
enum Exchange<'a> {
    Done(Reply, RequestOutcome),
    Own(Boxed<'a, Response>),
    Upstream(
        Boxed<'a, Result<http::Response<Incoming>, ForwardError>>,
        Pending<'a>,
    ),
}

/// A request ready for the upstream.
struct Forward<'g> {
    req: Request<Incoming>,
    origin: &'g Origin,
}

/// What the client's answer needs once the upstream has replied.
struct Pending<'g> {
    /// The upstream the request went to: redirects to its own address are rewritten.
    origin: &'g Origin,
    client_upgrade: Option<hyper::upgrade::OnUpgrade>,
    refreshed: Option<Arc<str>>,
    html: bool,
    outcome: RequestOutcome,
}

impl Gateway {
    /// `body_deadline`: see [`web::deadline::BODY_DEADLINE`].
    pub fn new(app: Arc<App>, body_deadline: std::time::Duration) -> Gateway {
        let origins = app
            .engine
            .locations()
            .iter()
            .map(|l| l.upstream.as_ref().and_then(|u| app.upstream.origin(u)))
            .collect();
        Gateway {
            router: web::router(app.clone()),
            app,
            origins: Arc::new(origins),
            body_deadline,
        }
    }

    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Handles one request and writes the one log line for it.
    /// `ambiguous_framing`: the connection carried a request with both Content-Length and
    /// Transfer-Encoding (seen by the server's framing observer).
    ///
    /// Everything up to the upstream exchange runs synchronously, when hyper calls the service
    /// ([`Gateway::route`]); the returned future carries only what is awaited (the exchange, in
    /// a box) and logged. hyper moves that future around for every request, byte for byte.
    pub fn handle(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        ambiguous_framing: bool,
    ) -> impl std::future::Future<Output = Reply> + Send + '_ {
        // The clock and the counter are read only when the request line will be written.
        let started = tracing::enabled!(tracing::Level::INFO).then(Instant::now);
        let id = started.map_or(0, |_| REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed));
        let method = req.method().clone();
        let peer = peer.ip().to_canonical();
        let known = self.client_ip(peer, req.headers());
        // Unreadable X-Forwarded-For: logged as coming from the proxy itself.
        let client = known.unwrap_or(peer);
        let (path, exchange) = {
            let (path, step) = match known {
                Some(client) => self.route(req, peer, client, ambiguous_framing),
                None => {
                    tracing::warn!(%peer, "unreadable X-Forwarded-For from a trusted proxy");
                    let r = plain_error(StatusCode::BAD_REQUEST, "unreadable X-Forwarded-For");
                    (None, Step::Answer(local(r), RequestOutcome::Refused))
                }
            };
            let at = path.as_deref().unwrap_or("/");
            let exchange = match step {
                Step::Answer(response, outcome) => Exchange::Done(response, outcome),
                Step::Own(req) => {
                    Exchange::Own(Box::pin(self.own(req, at.to_owned(), peer, client)))
                }
                Step::Forward(Forward { req, origin }, pending) => {
                    Exchange::Upstream(Box::pin(self.app.upstream.send(origin, req, at)), pending)
                }
            };
            (path, exchange)
        };
        // Only what is awaited and logged is carried in the future.
        async move {
            let (response, outcome) = match exchange {
                Exchange::Done(response, outcome) => (response, outcome),
                Exchange::Own(own) => (local(own.await), RequestOutcome::Gateway),
                Exchange::Upstream(sent, pending) => {
                    let sending = Instant::now();
                    self.answer(sent.await, pending, sending)
                }
            };
            self.app.metrics.request(outcome);
            tracing::info!(
                request_id = id,
                client = %client,
                method = %method,
                path = path.as_deref().unwrap_or("-"),
                status = response.status().as_u16(),
                outcome = outcome.as_str(),
                latency_us = started.map_or(0, |t| t.elapsed().as_micros() as u64),
                "request"
            );
            response
        }
    }

    /// Framing and path checks, then the gateway's own pages or the decision for the rest.
    /// Returns the normalised path (None when the request was refused before it had one).
    fn route<'g>(
        &'g self,
        mut req: Request<Incoming>,
        peer: IpAddr,
        client: IpAddr,
        framing_flagged: bool,
    ) -> (Option<String>, Step<'g>) {
        if req.version() == http::Version::HTTP_2 {
            if let Err(why) = authority_as_host(&mut req) {
                let r = plain_error(StatusCode::BAD_REQUEST, why);
                return (None, Step::Answer(local(r), RequestOutcome::Refused));
            }
        }
        let seen = Glance::of(req.headers());
        // RFC 9110 §7.2: Host is uri-host and port, nothing else. `user@admin.example.com` or
        // `admin.example.com#.x` would match no `host` location here, yet an upstream that
        // parses it as a URL reads admin.example.com.
        if seen
            .host
            .as_ref()
            .is_some_and(|h| !headers::is_valid_host(h.as_bytes()))
        {
            let r = plain_error(StatusCode::BAD_REQUEST, "bad Host");
            return (None, Step::Answer(local(r), RequestOutcome::Refused));
        }
        if framing_flagged || seen.ambiguous_framing() {
            let r = plain_error(StatusCode::BAD_REQUEST, "ambiguous message framing");
            return (None, Step::Answer(local(r), RequestOutcome::Refused));
        }
        let path = match self.app.engine.normalize(req.uri().path()) {
            Ok(p) => p,
            Err(e) => {
                let r = plain_error(StatusCode::BAD_REQUEST, &format!("bad request path: {e}"));
                return (None, Step::Answer(local(r), RequestOutcome::Refused));
            }
        };
        if path::has_prefix(&path, self.app.prefix()) {
            if path.contains(path::ENCODED_SLASH) {
                let r = plain_error(StatusCode::BAD_REQUEST, "bad request path: encoded slash");
                return (None, Step::Answer(local(r), RequestOutcome::Refused));
            }
            return (Some(path), Step::Own(req));
        }
        let step = self.protected(req, seen, &path, peer, client);
        (Some(path), step)
    }

    /// The gateway's own pages and API, routed on the normalised path.
    async fn own(
        &self,
        req: Request<Incoming>,
        path: String,
        peer: IpAddr,
        client: IpAddr,
    ) -> Response {
        if req.method() == http::Method::POST && is_limited(&path[self.app.prefix().len()..]) {
            if let Err(wait) = self.app.per_ip.check(client) {
                web::record(
                    &self.app,
                    crate::audit::Kind::RateLimited,
                    crate::audit::Outcome::Failure,
                    None,
                    client,
                    req.headers(),
                    Some(&path[self.app.prefix().len()..]),
                );
                let lang = web::page_locale(&self.app, req.headers());
                return too_many(&self.app.pages, wait, lang);
            }
        }
        // A replica that cannot vouch for its revocations answers a caller who holds a session
        // with 503 on our pages too (the API's "who am I" must not say "signed out"); sign-out
        // and the probes still work.
        let own = &path[self.app.prefix().len()..];
        if self.app.store.revocations_stale()
            && !matches!(own, "/logout" | "/api/logout" | "/healthz" | "/readyz")
            && !own.starts_with("/logo/")
            && CookieJar::get(req.headers(), &self.app.cookies.session).is_ok_and(|c| c.is_some())
        {
            let lang = web::page_locale(&self.app, req.headers());
            return web::stale_page(&self.app, lang);
        }
        let (mut parts, body) = req.into_parts();
        let pq = match parts.uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        match pq.parse() {
            Ok(uri) => parts.uri = uri,
            Err(_) => return plain_error(StatusCode::BAD_REQUEST, "bad request target"),
        }
        parts.extensions.insert(ClientIp(client));
        parts.extensions.insert(web::PeerIp(peer));
        let body = web::deadline::Deadline::new(body, self.body_deadline);
        let req = Request::from_parts(parts, Body::new(body));
        let mut response = match self.router.clone().oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        web::harden(response.headers_mut());
        response
    }

    /// Everything outside the prefix: decide, then either answer or prepare the request for
    /// the upstream (headers cleaned, identity set).
    fn protected<'g>(
        &'g self,
        mut req: Request<Incoming>,
        seen: Glance,
        path: &str,
        peer: IpAddr,
        client: IpAddr,
    ) -> Step<'g> {
        let app = &self.app;
        // Two Host headers: which one would the upstream route on? Refuse rather than guess.
        if seen.hosts > 1 {
            let r = plain_error(StatusCode::BAD_REQUEST, "more than one Host header");
            return Step::Answer(local(r), RequestOutcome::Refused);
        }
        let host = request_host(&req, seen.host.as_ref());
        let facts = RequestFacts {
            path,
            method: req.method(),
            host: host.as_deref(),
            client,
        };
        let ev = evaluate(app, &facts, req.headers());
        if !app.engine.admits_encoded_slash(&facts, ev.location) {
            let r = plain_error(StatusCode::BAD_REQUEST, "bad request path: encoded slash");
            return Step::Answer(local(r), RequestOutcome::Refused);
        }
        let (session, user) = (ev.session, ev.user);
        let html = seen.html;
        match ev.decision {
            Decision::Forbidden => {
                let lang = html.then(|| app.pages.locale(req.headers()));
                let page = self.forbidden(lang, session.is_some());
                return Step::Answer(local(page), RequestOutcome::Denied);
            }
            Decision::Login => {
                return Step::Answer(local(self.login(&req, path, html)), RequestOutcome::Login)
            }
            Decision::SecondFactor => {
                let r = self.second_factor(&req, path, html);
                return Step::Answer(local(r), RequestOutcome::SecondFactor);
            }
            Decision::Unavailable => {
                let lang = html.then(|| app.pages.locale(req.headers()));
                let r = web::stale_page(app, lang);
                return Step::Answer(local(r), RequestOutcome::Unavailable);
            }
            Decision::Bypass | Decision::Allow => {}
        }

        // Only WebSocket may switch protocols: an `h2c` or other tunnel would carry later
        // requests past the decision engine.
        let upgrade = seen.upgrade
            && headers::is_upgrade(req.headers())
            && req
                .headers()
                .get(header::UPGRADE)
                .is_some_and(|u| u.as_bytes().eq_ignore_ascii_case(b"websocket"));
        let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut req));
        let trusted = self.is_trusted(peer);
        let host_value = seen.host;
        let h = req.headers_mut();
        headers::remove_hop_by_hop(h, upgrade);
        let stripped = app.identity.strip(h);
        if !stripped.is_empty() {
            tracing::debug!(headers = ?stripped, "removed client identity headers");
        }
        headers::strip_cookies(h, CookieJar::is_ours);
        // Every listener speaks HTTPS when a certificate is configured, none otherwise.
        let proto = if app.config.server.tls_cert.is_some() {
            "https"
        } else {
            "http"
        };
        headers::set_forwarded(h, client, trusted, proto, host_value.as_ref());
        let origin = ev
            .location
            .and_then(|l| self.origins.get(l.index.wrapping_sub(1)))
            .and_then(Option::as_ref)
            .unwrap_or_else(|| app.upstream.default_origin());
        if ev.decision == Decision::Allow {
            if let (Some(v), Some(u)) = (&session, &user) {
                set_identity(app, h, &v.claims, u, origin.audience(), now());
            }
        }
        Step::Forward(
            Forward { req, origin },
            Pending {
                origin,
                client_upgrade,
                refreshed: session.and_then(|v| v.refreshed),
                html,
                outcome: if ev.decision == Decision::Allow {
                    RequestOutcome::Forwarded
                } else {
                    RequestOutcome::Bypass
                },
            },
        )
    }

    /// The client's answer from the upstream's (or from the failure to get one).
    /// `sending`: when the request went upstream, for the response-time histogram.
    fn answer(
        &self,
        sent: Result<http::Response<Incoming>, ForwardError>,
        pending: Pending<'_>,
        sending: Instant,
    ) -> (Reply, RequestOutcome) {
        let mut upstream = match sent {
            Ok(r) => r,
            Err(e) => {
                // The request went upstream with its headers: the page is in the default
                // language (keeping Accept-Language aside would cost every forwarded request).
                let lang = pending.html.then(|| self.app.pages.default_locale());
                let page = upstream_error(&self.app.pages, e, lang);
                return (local(page), RequestOutcome::UpstreamError);
            }
        };
        self.app.metrics.upstream_response(sending.elapsed());
        self.app.mark_upstream_seen();
        if upstream.status() == StatusCode::SWITCHING_PROTOCOLS {
            if let Some(client_side) = pending.client_upgrade {
                tunnel(client_side, hyper::upgrade::on(&mut upstream));
            }
        } else {
            headers::remove_hop_by_hop(upstream.headers_mut(), false);
        }
        // The application must not be able to plant or replace the gateway's own cookies.
        strip_our_set_cookies(upstream.headers_mut());
        // Nor send the browser to its private address (nginx's default proxy_redirect).
        if self.app.config.upstream.rewrite_redirects {
            pending
                .origin
                .rewrite_redirects(upstream.headers_mut(), &self.app.issuer);
        }
        let mut response = upstream.map(ReplyBody::Upstream);
        if let Some(fresh) = &pending.refreshed {
            web::set_cookie(&mut response, self.app.cookies.refreshed_session(fresh));
        }
        (response, pending.outcome)
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.app
            .config
            .server
            .trusted_proxies
            .iter()
            .any(|n| n.contains(&ip))
    }

    /// The peer, or — when the peer is a trusted proxy — the right-most untrusted address in
    /// its `X-Forwarded-For` chain (entries further left could have been written by anyone).
    fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        // IPv4 clients of a dual-stack listener arrive as ::ffff:a.b.c.d.
        let peer = peer.to_canonical();
        if !self.is_trusted(peer) {
            return Some(peer);
        }
        let chain: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in chain.iter().rev() {
            // An unreadable hop is refused: falling back to the proxy's own address would let
            // every client pass as the proxy (and match its `networks`).
            let ip = parse_hop(hop.trim())?.to_canonical();
            if !self.is_trusted(ip) {
                return Some(ip);
            }
        }
        Some(peer)
    }

    fn login(&self, req: &Request<Incoming>, path: &str, html: bool) -> Response {
        let rd = original_target(req, path);
        let login = web::login_path(self.app.prefix(), &rd);
        if html {
            return web::redirect(StatusCode::FOUND, &login);
        }
        let origin = self
            .app
            .config
            .server
            .public_url
            .origin()
            .ascii_serialization();
        web::json(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "authentication_required", "login_url": format!("{origin}{login}")}),
        )
    }

    fn second_factor(&self, req: &Request<Incoming>, path: &str, html: bool) -> Response {
        let rd = original_target(req, path);
        let mfa = format!("{}/mfa?rd={}", self.app.prefix(), web::encode_query(&rd));
        if html {
            return web::redirect(StatusCode::FOUND, &mfa);
        }
        let origin = self
            .app
            .config
            .server
            .public_url
            .origin()
            .ascii_serialization();
        web::json(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "second_factor_required", "login_url": format!("{origin}{mfa}")}),
        )
    }

    /// The 403 answer: a page in `html`'s language, or JSON (`None`); when `signed_in`, the page
    /// links to the account page, where someone signed in as the wrong person sees who and can
    /// sign out.
    fn forbidden(&self, html: Option<Locale>, signed_in: bool) -> Response {
        if let Some(lang) = html {
            let body = self.app.pages.render(
                "message.html",
                lang,
                minijinja::context! {
                    heading => lang.t("error-access-denied"),
                    message => lang.t("error-no-access"),
                    account_link => signed_in,
                },
            );
            let mut r = web::html(StatusCode::FORBIDDEN, body);
            web::harden(r.headers_mut());
            r
        } else {
            web::error(StatusCode::FORBIDDEN, "forbidden")
        }
    }
}

/// Sign-in, second-factor and enrolment POSTs (relative to the prefix): the per-IP limit applies.
fn is_limited(rel: &str) -> bool {
    matches!(
        rel,
        "/login"
            | "/mfa"
            | "/mfa/send"
            | "/enroll"
            | "/api/login"
            | "/api/mfa"
            | "/api/mfa/send"
            | "/api/enroll/totp"
            | "/api/enroll/totp/confirm"
            | "/api/backup-codes"
            | "/api/mfa/disable"
            | "/account/factors"
            | "/account/mfa-off"
            | "/account/send-code"
            | "/account/passkeys"
            | "/api/webauthn/challenge"
            | "/api/webauthn/register"
            | "/api/webauthn/register/finish"
    )
}

/// 429 with `Retry-After` (RFC 6585 §4): a page in `html`'s language, or JSON (`None`).
fn too_many(pages: &web::pages::Pages, wait: u64, html: Option<Locale>) -> Response {
    let mut r = if let Some(lang) = html {
        let body = pages.render(
            "message.html",
            lang,
            minijinja::context! {
                heading => lang.t("error-too-many-requests"),
                message => lang.t_with("error-too-many-from-network", &[("seconds", wait.into())]),
                alert => true,
            },
        );
        web::html(StatusCode::TOO_MANY_REQUESTS, body)
    } else {
        web::json(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({"error": "rate_limited", "retry_after": wait}),
        )
    };
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    web::harden(r.headers_mut());
    r
}

/// Drops the upstream's `Set-Cookie` fields that name one of the gateway's cookies. Read as
/// bytes: a field that is not text (obs-text in an attribute) is still looked at, not waved through.
fn strip_our_set_cookies(h: &mut HeaderMap) {
    let ours = |v: &HeaderValue| {
        web::cookies::pairs(v.as_bytes())
            .next()
            .is_some_and(|first| CookieJar::is_ours(first.name))
    };
    if !h.get_all(header::SET_COOKIE).iter().any(ours) {
        return;
    }
    let kept: Vec<HeaderValue> = h
        .get_all(header::SET_COOKIE)
        .iter()
        .filter(|v| !ours(v))
        .cloned()
        .collect();
    h.remove(header::SET_COOKIE);
    for v in kept {
        h.append(header::SET_COOKIE, v);
    }
}

/// An `X-Forwarded-For` hop: an address, optionally with a port ("1.2.3.4:5", "[::1]:5").
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// What the decision engine concluded for one request, with the session it used.
pub struct Evaluation<'a> {
    pub decision: Decision,
    pub location: Option<&'a crate::config::Location>,
    pub session: Option<crate::auth::session::Verified>,
    pub user: Option<std::sync::Arc<crate::auth::users::User>>,
}

/// Session → decision engine, shared by the reverse proxy and forward-auth (DESIGN §1).
pub fn evaluate<'a>(app: &'a App, facts: &RequestFacts<'_>, headers: &HeaderMap) -> Evaluation<'a> {
    // Bypass and deny need no identity: no token work, and no refreshed cookie on
    // (possibly cached) public responses.
    let needs_session = app
        .engine
        .matching(facts)
        .is_none_or(|l| !matches!(l.policy, Policy::Bypass | Policy::Deny));
    let users = app.users();
    let session = needs_session
        .then(|| web::session_of(app, &users, headers, now()))
        .flatten();
    if session.is_some() && app.store.revocations_stale() {
        return Evaluation {
            decision: Decision::Unavailable,
            location: None,
            session: None,
            user: None,
        };
    }
    let user = session.as_ref().map(|v| v.user.clone());
    let subject = session.as_ref().map(|v| Subject {
        claims: &v.claims,
        groups: user.as_ref().map_or(&[][..], |u| &u.groups[..]),
    });
    let verdict = app.engine.decide(facts, subject);
    Evaluation {
        decision: verdict.decision,
        location: verdict.location,
        session,
        user,
    }
}

/// Sets the identity headers, and the signed assertion when configured, from verified state.
pub fn set_identity(
    app: &App,
    h: &mut HeaderMap,
    claims: &crate::auth::session::Claims,
    user: &crate::auth::users::User,
    default_audience: &str,
    now: u64,
) {
    app.identity.set(h, user.header_values());
    let (Some(signer), Some(name)) = (&app.assertion, &app.identity.assertion) else {
        return;
    };
    let token = signer.sign(&crate::auth::assertion::AssertionClaims {
        iss: &app.issuer,
        aud: app
            .config
            .identity
            .jwt_audience
            .as_deref()
            .unwrap_or(default_audience),
        sub: &claims.sub,
        email: user.email.as_deref(),
        name: user.display_name.as_deref(),
        groups: &user.groups,
        amr: claims.amr.iter().map(|f| f.as_str()).collect(),
        iat: now,
        exp: now + crate::auth::assertion::ASSERTION_TTL,
        jti: crate::auth::session::new_session_id(),
    });
    if let Ok(v) = HeaderValue::from_str(&token) {
        h.insert(name.clone(), v);
    }
}

/// Path and query as the client asked (with the normalised path), for `rd`.
fn original_target(req: &Request<Incoming>, path: &str) -> String {
    match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    }
}

/// RFC 9113 §8.3.1: an HTTP/2 request names its host in `:authority`, and a `Host` field sent
/// beside it must name the same. The gateway decides on `Host`, as over HTTP/1.1, so it is set
/// from `:authority` when absent (and forwarded like a client's own `Host`); a request whose
/// two names differ is refused — the policy and the upstream must not see two hosts.
fn authority_as_host(req: &mut Request<Incoming>) -> Result<(), &'static str> {
    let Some(authority) = req.uri().authority() else {
        return Ok(());
    };
    match req.headers().get(header::HOST) {
        Some(h)
            if h.as_bytes()
                .eq_ignore_ascii_case(authority.as_str().as_bytes()) =>
        {
            Ok(())
        }
        Some(_) => Err("Host and :authority name different hosts"),
        None => {
            let v = HeaderValue::from_str(authority.as_str()).map_err(|_| "bad :authority")?;
            req.headers_mut().insert(header::HOST, v);
            Ok(())
        }
    }
}

/// The Host the client addressed, lowercase and without port.
fn request_host<'r>(
    req: &'r Request<Incoming>,
    host: Option<&'r HeaderValue>,
) -> Option<std::borrow::Cow<'r, str>> {
    let raw = host
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())?;
    let host = if let Some(rest) = raw.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        raw.rsplit_once(':').map_or(raw, |(h, _)| h)
    };
    // "admin.example.com." is the same name to DNS and to most upstreams.
    let host = host.trim_end_matches('.');
    Some(if host.bytes().any(|b| b.is_ascii_uppercase()) {
        host.to_ascii_lowercase().into()
    } else {
        host.into()
    })
}

/// What the gateway needs to know of a request's fields, from one pass over them: looking
/// each up by name would hash it again, several times per request.
#[derive(Default)]
struct Glance {
    /// The first `Host`, and how many there are.
    host: Option<HeaderValue>,
    hosts: usize,
    transfer_encodings: usize,
    /// The first `Transfer-Encoding` is exactly `chunked`.
    chunked: bool,
    content_lengths: usize,
    /// The first `Accept` asks for HTML (DESIGN §4).
    html: bool,
    accept_seen: bool,
    upgrade: bool,
}

impl Glance {
    fn of(headers: &HeaderMap) -> Glance {
        let mut g = Glance::default();
        for (name, value) in headers {
            if *name == header::HOST {
                g.hosts += 1;
                if g.host.is_none() {
                    g.host = Some(value.clone());
                }
            } else if *name == header::TRANSFER_ENCODING {
                g.transfer_encodings += 1;
                if g.transfer_encodings == 1 {
                    g.chunked = value.as_bytes().eq_ignore_ascii_case(b"chunked");
                }
            } else if *name == header::CONTENT_LENGTH {
                g.content_lengths += 1;
            } else if *name == header::ACCEPT {
                if !g.accept_seen {
                    g.accept_seen = true;
                    g.html = value.to_str().is_ok_and(|a| a.contains("text/html"));
                }
            } else if *name == header::UPGRADE {
                g.upgrade = true;
            }
        }
        g
    }

    /// RFC 9112 §6.1 and §6.3: a request with both Transfer-Encoding and Content-Length, with
    /// several of either, or with a coding other than chunked, is refused: two parsers
    /// (ours and the upstream's) could frame it differently — request smuggling.
    fn ambiguous_framing(&self) -> bool {
        match self.transfer_encodings {
            0 => self.content_lengths > 1,
            n => self.content_lengths > 0 || n > 1 || !self.chunked,
        }
    }
}

/// A short plain-text error that closes the connection (the client's framing can't be trusted).
fn plain_error(status: StatusCode, message: &str) -> Response {
    let mut r = Response::new(Body::from(format!("{message}\n")));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// 502/504 pages that say what happened and nothing about the upstream: in `html`'s language,
/// or JSON (`None`).
fn upstream_error(pages: &web::pages::Pages, e: ForwardError, html: Option<Locale>) -> Response {
    let status = e.status();
    let (code, heading, text) = match e {
        ForwardError::Unreachable => ("bad_gateway", "error-bad-gateway", "error-app-unreachable"),
        ForwardError::Timeout => (
            "gateway_timeout",
            "error-gateway-timeout",
            "error-app-timeout",
        ),
    };
    if let Some(lang) = html {
        let body = pages.render(
            "message.html",
            lang,
            minijinja::context! { heading => lang.t(heading), message => lang.t(text) },
        );
        let mut r = web::html(status, body);
        web::harden(r.headers_mut());
        r
    } else {
        web::error(status, code)
    }
}

/// Copies bytes both ways between an upgraded client connection and the upstream's.
fn tunnel(client: hyper::upgrade::OnUpgrade, upstream: hyper::upgrade::OnUpgrade) {
    tokio::spawn(async move {
        let (Ok(c), Ok(u)) = (client.await, upstream.await) else {
            return;
        };
        let mut c = hyper_util::rt::TokioIo::new(c);
        let mut u = hyper_util::rt::TokioIo::new(u);
        let _ = tokio::io::copy_bidirectional(&mut c, &mut u).await;
    });
}

/// What the gateway answers: the upstream's response passed through as it arrives, or one of
/// the gateway's own. Not boxed: forwarding is the common case and pays no allocation for it.
pub type Reply = http::Response<ReplyBody>;

pub enum ReplyBody {
    Upstream(Incoming),
    Local(Body),
}

fn local(r: Response) -> Reply {
    r.map(ReplyBody::Local)
}

impl hyper::body::Body for ReplyBody {
    type Data = bytes::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        use std::pin::Pin;
        // Both bodies are Unpin.
        match self.get_mut() {
            ReplyBody::Upstream(b) => Pin::new(b).poll_frame(cx).map_err(Into::into),
            ReplyBody::Local(b) => Pin::new(b).poll_frame(cx).map_err(Into::into),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ReplyBody::Upstream(b) => b.is_end_stream(),
            ReplyBody::Local(b) => b.is_end_stream(),
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            ReplyBody::Upstream(b) => b.size_hint(),
            ReplyBody::Local(b) => b.size_hint(),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// hyper keeps each request's future and moves it while setting it up: every byte of it is
    /// copied per request. It was 3.7 kB before the exchange was boxed and the decision made
    /// synchronous; this keeps it from growing back unnoticed.
    #[test]
    fn the_per_request_future_stays_small() {
        fn future_size<F, Fut>(_: F) -> usize
        where
            F: FnOnce(&'static Gateway, Request<Incoming>) -> Fut,
        {
            std::mem::size_of::<Fut>()
        }
        let peer: SocketAddr = ([127, 0, 0, 1], 1).into();
        let size = future_size(|gw, req| gw.handle(req, peer, false));
        assert!(size <= 512, "Gateway::handle's future is {size} bytes");
    }

    #[test]
    fn the_upstream_cannot_set_our_cookies_even_in_a_field_that_is_not_text() {
        let mut h = HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_bytes(b"portcullis_session=planted; Path=/; x=\xff").unwrap(),
        );
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("app=1; Path=/"),
        );
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static(" __Host-portcullis_device=x; Secure"),
        );
        strip_our_set_cookies(&mut h);
        let left: Vec<_> = h.get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(left, [&HeaderValue::from_static("app=1; Path=/")]);
    }

    fn headers(fields: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in fields {
            h.append(*name, HeaderValue::from_static(value));
        }
        h
    }

    #[test]
    fn one_glance_counts_hosts_and_reads_the_first_accept() {
        let h = headers(&[
            ("accept", "application/json"),
            ("host", "a.example"),
            ("accept", "text/html"),
            ("host", "b.example"),
        ]);
        let g = Glance::of(&h);
        assert_eq!((g.hosts, g.html, g.upgrade), (2, false, false));
        assert_eq!(g.host.unwrap(), "a.example");
        let h = headers(&[("Accept", "text/html,*/*"), ("Upgrade", "websocket")]);
        let g = Glance::of(&h);
        assert!(g.html && g.upgrade && g.host.is_none());
    }

    #[test]
    fn framing_is_ambiguous_with_both_lengths_and_codings_or_several_of_either() {
        let ambiguous =
            |f: &[(&'static str, &'static str)]| Glance::of(&headers(f)).ambiguous_framing();
        assert!(!ambiguous(&[("content-length", "5")]));
        assert!(!ambiguous(&[("transfer-encoding", "Chunked")]));
        assert!(ambiguous(&[
            ("content-length", "5"),
            ("content-length", "5")
        ]));
        assert!(ambiguous(&[
            ("transfer-encoding", "chunked"),
            ("content-length", "5")
        ]));
        assert!(ambiguous(&[
            ("transfer-encoding", "chunked"),
            ("transfer-encoding", "chunked")
        ]));
        assert!(ambiguous(&[("transfer-encoding", "gzip, chunked")]));
    }
}
