use crate::harness::*;

#[tokio::test]
async fn signed_in_user_reaches_upstream_with_identity_headers() {
    let gw = Gateway::start().await;
    let cookie = gw.login("alice").await;
    let r = gw
        .client()
        .get(gw.url("/hello?x=1"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let seen = gw.upstream.last();
    assert_eq!(seen.path_and_query, "/hello?x=1");
    assert_eq!(seen.header("remote-user"), Some("alice"));
    assert_eq!(seen.header("remote-email"), Some("alice@example.com"));
    assert_eq!(seen.header("remote-groups"), Some("staff"));
    assert_eq!(
        seen.header("cookie"),
        None,
        "the gateway's cookie must not reach upstream"
    );
}
