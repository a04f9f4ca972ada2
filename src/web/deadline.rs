//! A deadline for the request bodies of the gateway's own pages and API.
//!
//! Their bodies are small forms and JSON documents that handlers read whole before answering.
//! Without a bound, a client that sends the head of a POST and then nothing (or one byte now and
//! then) holds its connection — and over HTTP/2 keeps the connection counted as busy — for as
//! long as it likes, without signing in. The whole body must arrive within the deadline; a
//! later one is an error, which the extractors answer with a 4xx.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame, SizeHint};

/// Longest time a whole request body of our own pages may take to arrive.
pub const BODY_DEADLINE: Duration = Duration::from_secs(30);

/// `inner`, failing once `deadline` has passed before its last frame.
pub struct Deadline<B> {
    inner: B,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<B> Deadline<B> {
    pub fn new(inner: B, within: Duration) -> Deadline<B> {
        Deadline {
            inner,
            deadline: Box::pin(tokio::time::sleep(within)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct TooSlow;

impl<B> Body for Deadline<B>
where
    B: Body + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = B::Data;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(TooSlow)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A body that never yields a frame.
    struct Silent;

    impl Body for Silent {
        type Data = hyper::body::Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
            Poll::Pending
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_arrives_fails_at_the_deadline_and_not_before() {
        let started = tokio::time::Instant::now();
        let r = Deadline::new(Silent, Duration::from_secs(30))
            .collect()
            .await;
        assert!(r.is_err());
        assert_eq!(started.elapsed(), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_arrives_in_time_is_read_whole() {
        let body = http_body_util::Full::new(hyper::body::Bytes::from_static(b"user=alice"));
        let r = Deadline::new(body, Duration::from_secs(30)).collect().await;
        assert_eq!(&r.unwrap().to_bytes()[..], b"user=alice");
    }
}
