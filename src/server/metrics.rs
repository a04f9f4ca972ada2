//! The `metrics_listen` listener: `GET /metrics` in OpenMetrics text, nothing else. It is
//! separate from the public listeners so that the figures (how many sign-ins fail, how many
//! accounts are locked) are seen only by whoever can reach that address — by default nobody.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http::{header, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::Live;
use crate::app::now;

/// A scrape's whole request head must arrive within this.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `listener` until `stopped`.
pub(super) async fn serve(
    listener: TcpListener,
    live: Arc<Live>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            conn = listener.accept() => {
                let Ok((stream, _)) = conn else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let live = live.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| answer(live.clone(), req));
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEADER_READ_TIMEOUT)
                        .keep_alive(false)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = stopped.changed() => return,
        }
    }
}

async fn answer(
    live: Arc<Live>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let reply = |status: StatusCode, content_type: &'static str, body: String| {
        let mut r = Response::new(Full::new(Bytes::from(body)));
        *r.status_mut() = status;
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static(content_type),
        );
        r
    };
    if req.uri().path() != "/metrics" {
        return Ok(reply(
            StatusCode::NOT_FOUND,
            "text/plain",
            "not found\n".into(),
        ));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Ok(reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain",
            "only GET\n".into(),
        ));
    }
    let app = live.app();
    let store = app.store.clone();
    let t = now();
    // A store that cannot answer leaves the gauge at its last value; the rest is still served.
    let active = tokio::task::spawn_blocking(move || store.lockouts(t))
        .await
        .ok()
        .and_then(Result::ok)
        .map(|l| l.len());
    Ok(reply(
        StatusCode::OK,
        crate::metrics::CONTENT_TYPE,
        app.metrics.encode(active),
    ))
}
