//! RFC 9112 §6: ambiguous framing gets 400 and nothing reaches upstream; huge heads get 431.

use crate::harness::*;

const ATTEMPTS: &[(&str, &str)] = &[
    (
        "CL + TE",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: g\r\n\r\n",
    ),
    (
        "TE + CL",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n",
    ),
    (
        "two different lengths",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello",
    ),
    (
        "two lengths in one field",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: 5, 40\r\n\r\nhello",
    ),
    ("Content-Length: +5", "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: +5\r\n\r\nhello"),
    ("Content-Length: -1", "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: -1\r\n\r\nhello"),
    ("Content-Length: 0x5", "POST /public/a HTTP/1.1\r\nHost: g\r\nContent-Length: 0x5\r\n\r\nhello"),
    (
        "TE: chunked, identity",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "TE: identity",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: identity\r\n\r\nhello",
    ),
    (
        "TE twice",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "TE with space before colon",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "obsolete line folding",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "bad chunk size",
        "POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
];

#[tokio::test]
async fn smuggling_attempts_get_400_and_nothing_reaches_upstream() {
    let gw = Gateway::start().await;
    let mut failures = Vec::new();
    for (what, request) in ATTEMPTS {
        let before = gw.upstream.count();
        let answer = gw.raw(request.as_bytes()).await;
        let status = status_of(&answer);
        let reached = gw.upstream.count() - before;
        if status != 400 || reached != 0 {
            failures.push(format!(
                "{what}: status {status}, upstream saw {reached}\n{answer}"
            ));
        }
        // Only one response: a second one would mean the tail was parsed as a new request.
        if answer.matches("HTTP/1.1 ").count() > 1 {
            failures.push(format!("{what}: more than one response\n{answer}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[tokio::test]
async fn a_clean_chunked_request_still_works() {
    let gw = Gateway::start().await;
    let answer = gw
        .raw(b"POST /public/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        .await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert_eq!(gw.upstream.last().body_len, 5);
}

#[tokio::test]
async fn oversized_headers_get_431() {
    let gw = Gateway::start().await;
    let big = "a".repeat(100 * 1024);
    let answer = gw
        .raw(format!("GET /public/a HTTP/1.1\r\nHost: g\r\nX-Big: {big}\r\n\r\n").as_bytes())
        .await;
    assert_eq!(
        status_of(&answer),
        431,
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(gw.upstream.count(), 0);
}
