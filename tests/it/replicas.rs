//! DESIGN §10: several replicas on one PostgreSQL. Every single-use rule and every revocation
//! holds across replicas; a replica that cannot hear the store fails closed and recovers by
//! itself.

use std::time::{Duration, Instant};

use crate::harness::{cli, totp_code, users_toml, Gateway, Setup, PASSWORD};
use crate::pg::Postgres;

const BIN: &str = env!("CARGO_BIN_EXE_portcullis");
/// The keys every replica shares (DESIGN §10): the session secret and the storage key.
const SESSION_SECRET: &str = "replica-shared-session-secret-0123456789";
const STORAGE_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// A replica's setup: two-factor everywhere, the shared store (redb when `url` is empty) and
/// keys, and `users` (every replica reads the same users file, as operators ship one).
pub fn replica(url: &str, staleness: &str, limits: &str, users: &str) -> Setup {
    Setup {
        mfa_required: true,
        locations: String::new(),
        storage: format!(
            "{}revocation_staleness = \"{staleness}\"\nencryption_key = \"{STORAGE_KEY}\"\n",
            if url.is_empty() {
                String::new()
            } else {
                format!("url = \"{url}\"\n")
            }
        ),
        extra_tables: format!("[session]\nsecret = \"{SESSION_SECRET}\"\n"),
        limits: format!("per_ip = \"10000/min\"\n{limits}"),
        files: vec![("users.toml".into(), users.to_owned())],
        ..Setup::default()
    }
}

/// The fixture users plus user01…user30, all with the fixture password.
pub fn many_users() -> String {
    let hash = portcullis::auth::password::hash(PASSWORD).unwrap();
    let mut s = users_toml();
    for i in 1..=30 {
        s.push_str(&format!(
            "[[user]]\nname = \"user{i:02}\"\npassword = \"{hash}\"\nemail = \"user{i:02}@example.com\"\n\n"
        ));
    }
    s
}

struct Cluster {
    pg: Postgres,
    replicas: Vec<Gateway>,
}

impl Cluster {
    async fn start(n: usize, staleness: &str, limits: &str) -> Cluster {
        Cluster::start_with(n, staleness, limits, "").await
    }

    /// With `server` lines added to `[server]`.
    async fn start_with(n: usize, staleness: &str, limits: &str, server: &str) -> Cluster {
        let pg = Postgres::start();
        let users = many_users();
        let mut replicas = Vec::new();
        for _ in 0..n {
            let mut setup = replica(&pg.url(), staleness, limits, &users);
            setup.extra = server.to_owned();
            replicas.push(Gateway::with(setup).await);
        }
        Cluster { pg, replicas }
    }
}

/// A replica as the real binary (to kill or pause), in front of `upstream`: the process, its
/// port and its directory.
async fn binary_replica(
    mut setup: Setup,
    upstream: &str,
) -> (crate::harness::Proc, u16, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::harness::free_port();
    setup.listen = Some(format!("127.0.0.1:{port}"));
    for (name, contents) in &setup.files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    crate::harness::write_config(dir.path(), upstream, &setup);
    let process = crate::harness::Proc(
        std::process::Command::new(BIN)
            .args(["serve", "--config"])
            .arg(dir.path().join("config.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    crate::harness::wait_for_port(port, "a replica").await;
    (process, port, dir)
}

async fn get(gw: &Gateway, path: &str, cookie: &str) -> reqwest::Response {
    gw.client()
        .get(gw.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// Polls `check` every 50 ms until it holds; fails after `limit`. For waiting on an outside
/// event (a database coming back), never for timing a behaviour.
async fn until<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_replica_works_on_all_and_logout_or_reset_reaches_all() {
    let c = Cluster::start(3, "5s", "").await;
    let [a, b, cc] = &c.replicas[..] else {
        unreachable!()
    };
    let (full, _secret, codes) = a.enrol("alice").await;
    for gw in &c.replicas {
        assert_eq!(get(gw, "/app", &full).await.status(), 200);
    }
    assert_eq!(a.post_api("logout", &full).await.status(), 204);
    // The very next request on each other replica.
    assert_eq!(
        get(b, "/app", &full).await.status(),
        401,
        "logout on A reaches B"
    );
    assert_eq!(get(cc, "/app", &full).await.status(), 401, "and C");

    // Round the ring: made on one, signed out on the next, refused at once on the third.
    for (i, code) in codes[1..6].iter().enumerate() {
        let [made, ends, checks] = [i % 3, (i + 1) % 3, (i + 2) % 3].map(|k| &c.replicas[k]);
        let (_, half) = made.password("alice").await;
        let r = made.mfa(&half, "backup_code", code).await;
        assert_eq!(r.status(), 200);
        let cookie = crate::harness::session_cookie(&r).unwrap();
        assert_eq!(get(checks, "/app", &cookie).await.status(), 200);
        assert_eq!(ends.post_api("logout", &cookie).await.status(), 204);
        assert_eq!(
            get(checks, "/app", &cookie).await.status(),
            401,
            "round {i}"
        );
    }

    // A session made on C ends everywhere when an operator resets alice through B's socket.
    let (status, half) = cc.password("alice").await;
    assert_eq!(status, "mfa_required");
    let r = cc.mfa(&half, "backup_code", &codes[0]).await;
    assert_eq!(r.status(), 200);
    let on_c = crate::harness::session_cookie(&r).unwrap();
    assert_eq!(get(a, "/app", &on_c).await.status(), 200);
    let (code, out) = tokio::task::block_in_place(|| cli(b.dir.path(), &["mfa", "reset", "alice"]));
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        get(a, "/app", &on_c).await.status(),
        401,
        "reset on B reaches A"
    );
    assert_eq!(get(cc, "/app", &on_c).await.status(), 401, "and C");
    let (status, _) = a.password("alice").await;
    assert_eq!(
        status, "enrollment_required",
        "the reset is in the shared store"
    );
}

#[tokio::test]
async fn a_totp_code_used_on_one_replica_is_refused_on_another_and_a_backup_code_succeeds_once_across_all(
) {
    let c = Cluster::start(3, "5s", "max_failures = 100\n").await;
    let [a, b, _] = &c.replicas[..] else {
        unreachable!()
    };
    let (_, secret, codes) = a.enrol("alice").await;
    let (_, half_a) = a.password("alice").await;
    let (_, half_b) = b.password("alice").await;
    let code = totp_code(&secret, 1);
    assert_eq!(a.mfa(&half_a, "totp", &code).await.status(), 200);
    let replay = b.mfa(&half_b, "totp", &code).await;
    assert_eq!(replay.status(), 401, "the same step on B is a replay");

    // 30 half sessions spread over the three replicas, then one backup code from all at once.
    let mut halves = Vec::new();
    for i in 0..30 {
        let gw = &c.replicas[i % 3];
        halves.push((i % 3, gw.password("alice").await.1));
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(30));
    let mut tasks = Vec::new();
    for (i, half) in halves {
        let url = c.replicas[i].url("/.portcullis/api/mfa");
        let (code, barrier) = (codes[0].clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            barrier.wait().await;
            client
                .post(url)
                .header("cookie", half)
                .json(&serde_json::json!({"method": "backup_code", "code": code}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 401 || *s == 429),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_through_two_replicas_lock_the_account_on_the_third_and_any_replica_clears_it() {
    let c = Cluster::start(3, "5s", "max_failures = 4\n").await;
    let [a, b, cc] = &c.replicas[..] else {
        unreachable!()
    };
    let wrong = |gw: &Gateway| {
        gw.client()
            .post(gw.url("/.portcullis/api/login"))
            .json(&serde_json::json!({"username": "alice", "password": "wrong"}))
            .send()
    };
    for gw in [a, a, b] {
        assert_eq!(wrong(gw).await.unwrap().status(), 401);
    }
    assert_eq!(
        wrong(b).await.unwrap().status(),
        429,
        "the fourth failure locks"
    );
    let right = cc
        .client()
        .post(cc.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        right.status(),
        429,
        "locked on C by failures made on A and B"
    );
    let (code, out) = tokio::task::block_in_place(|| {
        let (_, listed) = cli(cc.dir.path(), &["lockouts", "list"]);
        assert!(listed.contains("alice"), "{listed}");
        cli(b.dir.path(), &["lockouts", "clear", "alice"])
    });
    assert_eq!(code, 0, "{out}");
    let (status, _) = cc.password("alice").await;
    assert_eq!(
        status, "enrollment_required",
        "cleared through B, open on C"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_cannot_hear_the_store_fails_closed_and_recovers_by_itself() {
    let mut c = Cluster::start_with(2, "1s", "", "trusted_proxies = [\"127.0.0.1/32\"]\n").await;
    let (full, _, _) = c.replicas[0].enrol("alice").await;
    let b = &c.replicas[1];
    assert_eq!(get(b, "/app", &full).await.status(), 200);
    tokio::task::block_in_place(|| c.pg.stop());
    until(Duration::from_secs(10), "B goes stale", || async {
        get(b, "/app", &full).await.status() == 503
    })
    .await;
    let r = get(b, "/app", &full).await;
    assert_eq!(r.headers()["retry-after"], "5");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "store_unavailable");
    let page = b
        .client()
        .get(b.url("/app"))
        .header("cookie", &full)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 503);
    let html = page.text().await.unwrap();
    assert!(html.contains("cannot confirm your session"), "{html}");
    assert!(
        !html.contains("postgres") && !html.contains("127.0.0.1"),
        "no internals: {html}"
    );
    // Forward-auth fails closed the same way.
    let auth = b
        .client()
        .get(b.url("/.portcullis/auth"))
        .header("x-original-url", "http://gateway.test/app")
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(auth.status(), 503);
    assert!(auth.headers().get("remote-user").is_none());
    let ready = b
        .client()
        .get(b.url("/.portcullis/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["revocations"], "stale");
    assert_eq!(ready["store"], false);
    // A sign-in needs the store: a clear 503, not a hang.
    let started = Instant::now();
    let login = b
        .client()
        .post(b.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 503);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["error"], "unavailable", "the store, not a busy hasher");
    assert!(started.elapsed() < Duration::from_secs(15));
    // Our own API does not pretend the session is gone.
    let who = b
        .client()
        .get(b.url("/.portcullis/api/session"))
        .header("cookie", &full)
        .send()
        .await
        .unwrap();
    assert_eq!(who.status(), 503);
    // The sign-out page is still offered (a session that may be revoked can only end there).
    let signout = b
        .client()
        .get(b.url("/.portcullis/logout"))
        .header("cookie", &full)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(signout.status(), 200);
    assert!(signout
        .text()
        .await
        .unwrap()
        .contains("Signed in as alice."));
    // A sign-out that cannot be stored is refused, and the retry after the outage counts:
    // A must not keep a mark of its own that turns the retry into a no-op.
    let a = &c.replicas[0];
    assert_eq!(a.post_api("logout", &full).await.status(), 503);
    tokio::task::block_in_place(|| c.pg.start_again());
    until(
        Duration::from_secs(15),
        "A recovers without a restart",
        || async { get(a, "/app", &full).await.status() == 200 },
    )
    .await;
    until(
        Duration::from_secs(15),
        "B recovers without a restart",
        || async { get(b, "/app", &full).await.status() == 200 },
    )
    .await;
    let ready = b
        .client()
        .get(b.url("/.portcullis/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let (status, _) = b.password("alice").await;
    assert_eq!(
        status, "mfa_required",
        "the enrolment made before the outage is there"
    );
    assert_eq!(a.post_api("logout", &full).await.status(), 204);
    assert_eq!(
        get(b, "/app", &full).await.status(),
        401,
        "the retried sign-out reached B"
    );
}

/// Enrols `user` on `gw`; Some(secret) when the confirmation answered 200.
async fn try_enrol(gw_url: String, user: String) -> Option<String> {
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{gw_url}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .ok()?;
    if r.status() != 200 {
        return None;
    }
    let half = crate::harness::session_cookie(&r)?;
    let r = client
        .post(format!("{gw_url}/.portcullis/api/enroll/totp"))
        .header("cookie", &half)
        .header("content-type", "application/json")
        .send()
        .await
        .ok()?;
    if r.status() != 200 {
        return None;
    }
    let e: serde_json::Value = r.json().await.ok()?;
    let secret = e["secret"].as_str()?.to_owned();
    let r = client
        .post(format!("{gw_url}/.portcullis/api/enroll/totp/confirm"))
        .header("cookie", &half)
        .json(&serde_json::json!({"code": totp_code(&secret, 0)}))
        .send()
        .await
        .ok()?;
    (r.status() == 200).then_some(secret)
}

/// What the shared store says of `user`: (TOTP active, backup codes left).
fn enrolment_of(pg: &Postgres, user: &str) -> (bool, u32) {
    let totp = pg.psql(&format!(
        "SELECT count(*) FROM totp WHERE username = '{user}'"
    ));
    let codes = pg.psql(&format!(
        "SELECT count(*) FROM backup_codes WHERE username = '{user}'"
    ));
    (totp == "1", codes.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_restarted_under_load_answers_5xx_only_while_down_and_loses_no_enrolment() {
    let c = Cluster::start(3, "5s", "").await;
    let (full, _, _) = c.replicas[0].enrol("alice").await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Signed-in traffic on every replica: no store round trip, so no error at all.
    let mut load = Vec::new();
    for gw in &c.replicas {
        let (url, full, stop) = (gw.url("/app"), full.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let s = client
                    .get(&url)
                    .header("cookie", &full)
                    .send()
                    .await
                    .unwrap()
                    .status();
                *statuses.entry(s.as_u16()).or_default() += 1;
            }
            statuses
        }));
    }
    // Enrolments one after another, while PostgreSQL restarts after the third.
    let third = std::sync::Arc::new(tokio::sync::Notify::new());
    let urls: Vec<String> = c.replicas.iter().map(|gw| gw.url("")).collect();
    let enrolments = tokio::spawn({
        let third = third.clone();
        async move {
            let mut done = Vec::new();
            for i in 1..=12 {
                let user = format!("user{i:02}");
                let started = Instant::now();
                done.push((
                    user.clone(),
                    started,
                    try_enrol(urls[i % 3].clone(), user).await,
                ));
                if i == 3 {
                    third.notify_one();
                }
            }
            done
        }
    });
    third.notified().await;
    tokio::task::block_in_place(|| c.pg.restart());
    let restarted = Instant::now();
    let done = enrolments.await.unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in load {
        let statuses = t.await.unwrap();
        assert_eq!(
            statuses.keys().copied().collect::<Vec<_>>(),
            vec![200],
            "{statuses:?}"
        );
    }
    for (user, started, enrolled) in &done {
        let (totp, codes) = enrolment_of(&c.pg, user);
        match enrolled {
            Some(_) => assert!(
                totp && codes == 10,
                "{user}: a confirmed enrolment is kept whole"
            ),
            None => {
                assert!(!totp && codes == 0, "{user}: all or nothing");
                assert!(
                    *started < restarted,
                    "{user}: begun after the restart, yet refused"
                );
            }
        }
    }
    assert!(
        done[..3].iter().all(|d| d.2.is_some()),
        "before the restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_copies_a_stopped_gateways_store_and_its_users_still_need_their_factors() {
    let pg = Postgres::start();
    let users = many_users();
    let single = Gateway::with(replica("", "5s", "", &users)).await;
    let (full, secret, codes) = single.enrol("alice").await;
    let (_, half) = single.password("alice").await;
    assert_eq!(
        single.mfa(&half, "backup_code", &codes[0]).await.status(),
        200
    );
    assert_eq!(single.post_api("logout", &full).await.status(), 204);
    let (_, pending) = single.password("user01").await;
    let r = single.post_api("enroll/totp", &pending).await;
    assert_eq!(r.status(), 200, "user01 is half way through enrolment");
    let dir = single.dir.path().to_owned();

    // While the gateway runs, its store is in use: refused, and PostgreSQL is untouched.
    let url = pg.url();
    let (code, out) = tokio::task::block_in_place(|| cli(&dir, &["migrate", "--to", &url]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("stop the gateway"), "{out}");

    let Gateway {
        server, dir: tmp, ..
    } = single;
    server.stop();
    server.wait().await;
    // user02 has a passkey (as if registered in a browser): it must move too.
    {
        let store =
            portcullis::store::Store::open(&tmp.path().join("data/portcullis.redb")).unwrap();
        let key = portcullis::store::records::PasskeyRecordV1 {
            user: "user02".into(),
            name: "Laptop".into(),
            user_handle: "h".into(),
            credential: serde_json::json!({}),
            counter: 7,
            created: 1,
            last_used: None,
            clone_suspected: None,
        };
        assert!(store.add_passkey("cred-1", &key).unwrap());
    }
    let (code, out) = tokio::task::block_in_place(|| cli(tmp.path(), &["migrate", "--to", &url]));
    assert_eq!(code, 0, "{out}");
    for line in [
        "1  passkeys",
        "1  TOTP enrolments",
        "1  pending TOTP enrolments",
        "9  unused backup codes",
        "3  revoked sessions",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
    assert!(!out.contains("users whose factors"), "{out}");
    let (code, again) = tokio::task::block_in_place(|| cli(tmp.path(), &["migrate", "--to", &url]));
    assert_eq!(code, 0, "{again}");
    assert!(again.contains("nothing copied"), "{again}");
    assert_eq!(
        pg.psql("SELECT count(*) FROM backup_codes"),
        "9",
        "idempotent"
    );

    // A replica on PostgreSQL: the same users, the same factors, the same used codes.
    let gw = Gateway::with(replica(&url, "5s", "", &users)).await;
    assert_eq!(
        get(&gw, "/app", &full).await.status(),
        401,
        "the logout holds"
    );
    let (status, half) = gw.password("alice").await;
    assert_eq!(
        status, "mfa_required",
        "alice still needs her second factor"
    );
    assert_eq!(
        gw.mfa(&half, "backup_code", &codes[0]).await.status(),
        401,
        "a used code stays used"
    );
    let r = gw.mfa(&half, "totp", &totp_code(&secret, 1)).await;
    assert_eq!(
        r.status(),
        200,
        "the sealed secret opens under the same storage key"
    );
    let (status, _) = gw.password("user01").await;
    assert_eq!(status, "enrollment_required");
    let (status, _) = gw.password("user02").await;
    assert_eq!(status, "mfa_required", "user02's passkey came along");
    assert_eq!(
        pg.psql("SELECT username || ' ' || counter FROM passkeys WHERE id = 'cred-1'"),
        "user02 7"
    );
}

#[test]
fn migrate_names_what_is_wrong_and_copies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    crate::harness::write_config(dir.path(), "http://127.0.0.1:9", &Setup::default());
    let (code, out) = cli(
        dir.path(),
        &["migrate", "--to", "postgres://u@127.0.0.1:9/db"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no redb store at"), "{out}");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    drop(portcullis::store::Store::open(&dir.path().join("data/portcullis.redb")).unwrap());
    let (code, out) = cli(dir.path(), &["migrate", "--to", "mysql://u@h/db"]);
    assert_eq!(code, 2, "{out}");
    let port = crate::harness::free_port();
    let (code, out) = cli(
        dir.path(),
        &[
            "migrate",
            "--to",
            &format!("postgres://u:hunter2@127.0.0.1:{port}/db"),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("postgres://u:***@127.0.0.1"), "{out}");
    assert!(!out.contains("hunter2"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_under_load_loses_no_completed_enrolment() {
    let pg = Postgres::start();
    let users = many_users();
    let survivor = Gateway::with(replica(&pg.url(), "5s", "", &users)).await;
    // The replica to kill: the real binary, on the same store and keys.
    let (mut victim, port, _dir) = binary_replica(
        replica(&pg.url(), "5s", "", &users),
        &survivor.upstream.url(),
    )
    .await;
    let base = format!("http://127.0.0.1:{port}");

    // Four clients enrol users 01…20 on the victim; it is killed after the fifth completes.
    let completed = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    let mut clients = Vec::new();
    for c in 0..4 {
        let (base, completed) = (base.clone(), completed.clone());
        clients.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for i in (1 + c..=20).step_by(4) {
                let user = format!("user{i:02}");
                let enrolled = try_enrol(base.clone(), user.clone()).await;
                if enrolled.is_some() {
                    completed.add_permits(1);
                }
                out.push((user, enrolled));
            }
            out
        }));
    }
    drop(completed.acquire_many(5).await.unwrap());
    victim.0.kill().unwrap();
    victim.0.wait().unwrap();
    let mut results = Vec::new();
    for c in clients {
        results.extend(c.await.unwrap());
    }
    let done: Vec<_> = results.iter().filter(|r| r.1.is_some()).collect();
    assert!(done.len() >= 5, "{results:?}");
    assert!(done.len() < 20, "the kill came under load: {results:?}");
    for (user, enrolled) in &results {
        let (totp, codes) = enrolment_of(&pg, user);
        match enrolled {
            Some(secret) => {
                assert!(
                    totp && codes == 10,
                    "{user}: a completed enrolment is kept whole"
                );
                // And the surviving replica asks for it.
                let (_, half) = survivor.password(user).await;
                let r = survivor.mfa(&half, "totp", &totp_code(secret, 1)).await;
                assert_eq!(r.status(), 200, "{user}");
            }
            // Cut off in flight: committed whole (its answer was lost) or not at all.
            None => assert!(
                (totp && codes == 10) || (!totp && codes == 0),
                "{user}: half an enrolment ({totp}, {codes} codes)"
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_paused_while_a_session_is_revoked_refuses_it_the_moment_it_wakes() {
    let pg = Postgres::start();
    let users = many_users();
    let a = Gateway::with(replica(&pg.url(), "1s", "", &users)).await;
    let (b, port, _dir) =
        binary_replica(replica(&pg.url(), "1s", "", &users), &a.upstream.url()).await;
    let on_b = |cookie: String| async move {
        reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/app"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let (full, _, _) = a.enrol("alice").await;
    assert_eq!(on_b(full.clone()).await, 200);

    // B freezes (a long pause, a VM stopped): it can neither acknowledge nor ping.
    let pid = b.0.id() as i32;
    // SAFETY: kill has no memory preconditions; the pid is our own running child.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let started = Instant::now();
    assert_eq!(a.post_api("logout", &full).await.status(), 204);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1),
        "A waited for B until it was surely stale: {waited:?}"
    );
    assert!(waited < Duration::from_secs(4), "and no longer: {waited:?}");
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGCONT) };
    let first = on_b(full.clone()).await;
    assert!(
        first == 503 || first == 401,
        "B woke and accepted a revoked session: {first}"
    );
    until(Duration::from_secs(5), "B hears of the revocation", || {
        let full = full.clone();
        async move { on_b(full).await == 401 }
    })
    .await;
}
