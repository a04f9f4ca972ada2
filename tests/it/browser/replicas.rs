//! A person in Chromium across two replicas on one PostgreSQL: signed in through one, served by
//! the other; the page a replica shows while it cannot vouch for revocations; back by itself.

use super::*;
use crate::pg::Postgres;
use crate::replicas::{many_users, replica};

#[tokio::test]
async fn a_browser_signed_in_on_one_replica_is_served_by_another_and_told_to_retry_while_the_store_is_silent(
) {
    let pg = Postgres::start();
    let users = many_users();
    let (port_a, port_b) = (free_port(), free_port());
    let public = format!("http://127.0.0.1:{port_a}");
    let mut gws = Vec::new();
    for port in [port_a, port_b] {
        let mut setup = replica(&pg.url(), "1s", "", &users);
        setup.listen = Some(format!("127.0.0.1:{port}"));
        setup.public_url = Some(public.clone());
        gws.push(Gateway::with(setup).await);
    }
    let (a, b_gw) = (&gws[0], &gws[1]);
    let b = Browser::open("replicas").await;
    b.goto(&a.url("/reports")).await;
    sign_in(&b, "alice").await;
    enrol(&b).await;
    b.press("I saved them — continue").await;
    super::sign_in::expect_app(&b, a, "/reports", "alice").await;

    // The same browser (cookies are not kept apart by port) on the other replica.
    b.goto(&b_gw.url("/reports")).await;
    super::sign_in::expect_app(&b, b_gw, "/reports", "alice").await;

    let pg = tokio::task::spawn_blocking(move || {
        pg.stop();
        pg
    })
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        b.goto(&b_gw.url("/reports")).await;
        if b.text().await.contains("Try again in a moment") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B never said to retry"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    b.expect_heading("Try again in a moment").await;
    b.expect_text("cannot confirm your session").await;
    assert_no_problems(&b.check_page("stale-replica").await);
    let status = b
        .eval(
            "return performance.getEntriesByType('navigation')[0].responseStatus",
            vec![],
        )
        .await;
    assert_eq!(status, 503);

    let mut pg = pg;
    let _pg = tokio::task::spawn_blocking(move || {
        pg.start_again();
        pg
    })
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        b.goto(&b_gw.url("/reports")).await;
        if b.text().await.contains("upstream saw /reports") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "B never recovered");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    super::sign_in::expect_app(&b, b_gw, "/reports", "alice").await;
}
