//! A read-side observer that spots requests carrying both `Transfer-Encoding` and
//! `Content-Length` (RFC 9112 §6.1), which hyper resolves silently (TE wins, CL is dropped
//! from the parsed headers) before the gateway could refuse them.
//!
//! It follows the message framing of the inbound byte stream — head, then a Content-Length or
//! chunked body — and raises a per-connection flag when a head is ambiguous. The gateway answers
//! any request on a flagged connection with 400 and closes it. It never changes a byte; when the
//! stream stops making sense to it (hyper will reject such input anyway) it stops watching.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Heads larger than this are hyper's to refuse (431); the observer stops watching.
const MAX_HEAD: usize = 64 * 1024;

#[derive(Debug)]
enum State {
    /// Accumulating a request head until the blank line.
    Head(Vec<u8>),
    /// Skipping a Content-Length body.
    Body(u64),
    /// Reading a chunk-size line.
    ChunkSize(Vec<u8>),
    /// Skipping chunk data, then its CRLF.
    ChunkData(u64),
    /// Reading trailer lines after the last chunk, until an empty line.
    Trailers(Vec<u8>),
    /// Not watching any more (upgrade, nonsense, or already flagged).
    Off,
}

/// Wraps a connection's IO; `flag` is raised when an ambiguous head is seen.
pub struct Observed<T> {
    inner: T,
    state: State,
    flag: Arc<AtomicBool>,
}

impl<T> Observed<T> {
    pub fn new(inner: T) -> (Observed<T>, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        let io = Observed {
            inner,
            state: State::Head(Vec::new()),
            flag: flag.clone(),
        };
        (io, flag)
    }

    fn observe(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (state, used) = step(
                std::mem::replace(&mut self.state, State::Off),
                bytes,
                &self.flag,
            );
            self.state = state;
            bytes = &bytes[used.min(bytes.len())..];
            if matches!(self.state, State::Off) {
                return;
            }
        }
    }
}

/// Consumes a prefix of `bytes`; returns the next state and how much was used.
fn step(state: State, bytes: &[u8], flag: &AtomicBool) -> (State, usize) {
    match state {
        State::Head(mut head) => {
            // The usual case: the whole head arrived in this read. Look at it in place.
            if head.is_empty() {
                if let Some((end, fields)) = scan_head(bytes) {
                    return (fields.next_state(flag), end);
                }
            }
            // Empty lines before a request line are tolerated (RFC 9112 §2.2).
            let start = head.len();
            head.extend_from_slice(bytes);
            // Resume where the last read stopped (less the 3 bytes a "\r\n\r\n" can straddle):
            // rescanning from 0 would cost O(n²) for a head dribbled in byte by byte.
            let Some(end) = find_blank_line(&head, start.saturating_sub(3)) else {
                return if head.len() > MAX_HEAD {
                    (State::Off, bytes.len())
                } else {
                    (State::Head(head), bytes.len())
                };
            };
            let used = end.saturating_sub(start);
            match scan_head(&head[..end]) {
                Some((_, fields)) => (fields.next_state(flag), used),
                // Cannot happen (the blank line is there); if it did, refuse rather than guess.
                None => {
                    flag.store(true, Ordering::Relaxed);
                    (State::Off, used)
                }
            }
        }
        State::Body(n) => {
            let take = n.min(bytes.len() as u64);
            let rest = n - take;
            (
                if rest == 0 {
                    State::Head(Vec::new())
                } else {
                    State::Body(rest)
                },
                take as usize,
            )
        }
        State::ChunkSize(mut line) => match bytes.iter().position(|b| *b == b'\n') {
            None => {
                line.extend_from_slice(bytes);
                (
                    if line.len() > 4096 {
                        State::Off
                    } else {
                        State::ChunkSize(line)
                    },
                    bytes.len(),
                )
            }
            Some(i) => {
                line.extend_from_slice(&bytes[..i]);
                let text = String::from_utf8_lossy(&line);
                let size = text.split(';').next().unwrap_or("").trim();
                match u64::from_str_radix(size, 16) {
                    Ok(0) => (State::Trailers(Vec::new()), i + 1),
                    // data, then CRLF
                    Ok(n) => (State::ChunkData(n.saturating_add(2)), i + 1),
                    Err(_) => (State::Off, i + 1),
                }
            }
        },
        State::ChunkData(n) => {
            let take = n.min(bytes.len() as u64);
            let rest = n - take;
            (
                if rest == 0 {
                    State::ChunkSize(Vec::new())
                } else {
                    State::ChunkData(rest)
                },
                take as usize,
            )
        }
        State::Trailers(mut line) => match bytes.iter().position(|b| *b == b'\n') {
            None => {
                line.extend_from_slice(bytes);
                (
                    if line.len() > MAX_HEAD {
                        State::Off
                    } else {
                        State::Trailers(line)
                    },
                    bytes.len(),
                )
            }
            Some(i) => {
                line.extend_from_slice(&bytes[..i]);
                let empty = line.iter().all(|b| *b == b'\r');
                (
                    if empty {
                        State::Head(Vec::new())
                    } else {
                        State::Trailers(Vec::new())
                    },
                    i + 1,
                )
            }
        },
        State::Off => (State::Off, bytes.len()),
    }
}

/// Index just past the first "\r\n\r\n" (or "\n\n") after any leading empty lines.
fn find_blank_line(head: &[u8], from: usize) -> Option<usize> {
    let skip = head
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    let body = &head[skip..];
    let from = from.saturating_sub(skip).min(body.len());
    memchr::memchr_iter(b'\n', &body[from..]).find_map(|i| {
        let rest = &body[from + i + 1..];
        if rest.first() == Some(&b'\n') {
            Some(skip + from + i + 2)
        } else if rest.starts_with(b"\r\n") {
            Some(skip + from + i + 3)
        } else {
            None
        }
    })
}

/// What a head's fields say about the body after it.
#[derive(Debug, Default, PartialEq)]
struct Framing {
    has_te: bool,
    chunked: bool,
    has_cl: bool,
    length: Option<u64>,
    upgrade: bool,
}

/// One pass over a head: the index just past its blank line (as [`find_blank_line`]) and its
/// framing fields; None while the head is incomplete. This runs for every request, so it
/// looks no further into a line than its first byte unless the name could be one it needs.
fn scan_head(buf: &[u8]) -> Option<(usize, Framing)> {
    let skip = buf
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    let mut fields = Framing::default();
    // The request line.
    let mut newline = skip + memchr::memchr(b'\n', &buf[skip..])?;
    loop {
        let start = newline + 1;
        match buf.get(start..)? {
            [b'\n', ..] => return Some((start + 1, fields)),
            [b'\r', b'\n', ..] => return Some((start + 2, fields)),
            _ => {}
        }
        let end = memchr::memchr(b'\n', &buf[start..]).map(|i| start + i);
        let line = &buf[start..end.unwrap_or(buf.len())];
        // transfer-encoding, content-length, upgrade: any case, maybe after blanks.
        if let Some(b't' | b'T' | b'c' | b'C' | b'u' | b'U') = line.trim_ascii_start().first() {
            fields.read(line);
        }
        newline = end?;
    }
}

impl Framing {
    fn read(&mut self, line: &[u8]) {
        let Some(colon) = memchr::memchr(b':', line) else {
            return;
        };
        let name = line[..colon].trim_ascii();
        let value = line[colon + 1..].trim_ascii();
        match name.len() {
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                self.has_te = true;
                self.chunked = value
                    .rsplit(|b| *b == b',')
                    .next()
                    .is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(b"chunked"));
            }
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                self.has_cl = true;
                self.length = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            7 if name.eq_ignore_ascii_case(b"upgrade") => self.upgrade = true,
            _ => {}
        }
    }

    /// What follows the head, raising the flag on ambiguous framing.
    fn next_state(self, flag: &AtomicBool) -> State {
        if self.has_te && self.has_cl {
            flag.store(true, Ordering::Relaxed);
            return State::Off;
        }
        if self.upgrade {
            // The connection may switch protocols after this request; stop watching.
            return State::Off;
        }
        match (self.has_te, self.chunked, self.has_cl, self.length) {
            (true, true, _, _) => State::ChunkSize(Vec::new()),
            // A non-chunked TE or an unreadable length: hyper refuses these itself.
            (true, false, _, _) | (false, _, true, None) => State::Off,
            (false, _, true, Some(n)) if n > 0 => State::Body(n),
            // No body.
            _ => State::Head(Vec::new()),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Observed<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll {
            if !matches!(this.state, State::Off) {
                this.observe(&buf.filled()[before..]);
            }
        }
        poll
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Observed<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `stream` in pieces of `step` bytes; returns whether the flag went up.
    fn flagged(stream: &[u8], step: usize) -> bool {
        let (mut o, flag) = Observed::new(());
        for piece in stream.chunks(step) {
            o.observe(piece);
        }
        flag.load(Ordering::Relaxed)
    }

    const CLEAN: &[u8] = b"POST /a HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: g\r\n\r\nPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nTrailer: 1\r\n\r\nGET /d HTTP/1.1\r\n\r\n";

    #[test]
    fn clean_keep_alive_streams_are_not_flagged_whatever_the_read_sizes() {
        for step in [1, 2, 3, 7, 64, 4096] {
            assert!(!flagged(CLEAN, step), "step {step}");
        }
    }

    #[test]
    fn te_and_cl_in_one_head_are_flagged_in_either_order() {
        for head in [
            &b"POST / HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX"[..],
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX",
            b"POST / HTTP/1.1\r\ncontent-length: 6\r\ntransfer-encoding: chunked\r\n\r\n",
        ] {
            for step in [1, 5, 4096] {
                assert!(flagged(head, step), "{}", String::from_utf8_lossy(head));
            }
        }
    }

    #[test]
    fn an_ambiguous_request_after_clean_ones_on_the_same_connection_is_flagged() {
        let mut stream = CLEAN.to_vec();
        stream.extend_from_slice(
            b"POST /e HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        );
        for step in [1, 13, 4096] {
            assert!(flagged(&stream, step), "step {step}");
        }
    }

    #[test]
    fn header_names_inside_a_body_are_not_mistaken_for_a_head() {
        let body = b"Transfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n";
        let mut stream =
            format!("POST /a HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        stream.extend_from_slice(body);
        assert!(!flagged(&stream, 4096));
    }

    use proptest::prelude::*;

    /// Heads and bodies from pieces that matter to framing, in any order and case.
    fn stream() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop::sample::select(vec![
            &b"\r\n"[..],
            b"\n",
            b"\r",
            b"GET / HTTP/1.1\r\n",
            b"POST /a HTTP/1.1\n",
            b"Host: g\r\n",
            b"Content-Length: 3\r\n",
            b"content-length:0\r\n",
            b"Transfer-Encoding: chunked\r\n",
            b"TRANSFER-ENCODING : gzip, chunked\n",
            b" Transfer-Encoding: chunked\r\n",
            b"Upgrade: websocket\r\n",
            b"Cookie: a=b\r\n",
            b"abc",
            b"3\r\nabc\r\n0\r\n\r\n",
        ]);
        prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn the_one_pass_scan_ends_heads_where_the_blank_line_search_does(s in stream()) {
            prop_assert_eq!(scan_head(&s).map(|(end, _)| end), find_blank_line(&s, 0));
        }

        #[test]
        fn the_verdict_does_not_depend_on_how_the_stream_is_cut(s in stream(), step in 1usize..40) {
            prop_assert_eq!(flagged(&s, step), flagged(&s, s.len().max(1)));
        }
    }
}
