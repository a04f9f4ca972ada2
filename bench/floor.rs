//! The floor for `bench/run.sh`: the smallest reverse proxy on the stack Portcullis is built on
//! (hyper's HTTP/1 server and connection-level client, tokio's single-threaded scheduler,
//! mimalloc), with no checks at all. The distance between this and Portcullis is what the
//! gateway's own work costs; the distance between this and nginx is the stack's.
//!
//! Usage: `bench-floor LISTEN UPSTREAM` (both `host:port`). Not a product: no timeouts, no header
//! hygiene, no error pages.

use std::cell::RefCell;
use std::rc::Rc;

use hyper::body::Incoming;
use hyper::client::conn::http1 as client;
use hyper::server::conn::http1 as server;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Pool = Rc<RefCell<Vec<client::SendRequest<Incoming>>>>;

async fn forward(
    pool: Pool,
    upstream: Rc<str>,
    req: http::Request<Incoming>,
) -> anyhow::Result<http::Response<Incoming>> {
    let ready = {
        let mut idle = pool.borrow_mut();
        idle.retain(|s| !s.is_closed());
        let at = idle.iter().position(|s| s.is_ready());
        at.map(|i| idle.swap_remove(i))
    };
    let mut sender = match ready {
        Some(s) => s,
        None => {
            let stream = TcpStream::connect(&*upstream).await?;
            stream.set_nodelay(true)?;
            let (s, conn) = client::Builder::new()
                .handshake(TokioIo::new(stream))
                .await?;
            tokio::task::spawn_local(conn);
            s
        }
    };
    let response = sender.send_request(req).await?;
    pool.borrow_mut().push(sender);
    Ok(response)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(listen), Some(upstream)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: bench-floor LISTEN UPSTREAM");
    };
    let upstream: Rc<str> = upstream.into();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let listener = TcpListener::bind(&listen).await?;
        let pool: Pool = Rc::default();
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            let (pool, upstream) = (pool.clone(), upstream.clone());
            tokio::task::spawn_local(async move {
                let service = service_fn(move |req| forward(pool.clone(), upstream.clone(), req));
                let _ = server::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}
