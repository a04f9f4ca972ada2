//! The store's rules, run the same way on both backends (redb and a real PostgreSQL), and the
//! single-use rules raced across several PostgreSQL handles — each its own pool, as each
//! replica has.

use portcullis::audit::{Event, Kind, Outcome, Retention};
use portcullis::store::records::{CeremonyV1, DeviceRecordV1, PasskeyRecordV1, TotpRecordV1};
use portcullis::store::seal::Sealed;
use portcullis::store::{Attempter, CodeRules, Consumed, Issued, LockoutPolicy, PasskeyUse, Store};

use crate::pg::Postgres;

fn totp(replaces: bool) -> TotpRecordV1 {
    TotpRecordV1 {
        secret: Sealed {
            kid: "k".into(),
            nonce: "n".into(),
            ct: "c".into(),
        },
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        created: 1,
        last_step: 0,
        replaces,
        session: None,
    }
}

fn device(user: &str, last_used: u64) -> DeviceRecordV1 {
    DeviceRecordV1 {
        user: user.into(),
        created: 1,
        last_used,
        expires: 100,
        user_agent: "ua".into(),
        ip: "127.0.0.1".into(),
        epoch: 0,
        pwf: "f".into(),
    }
}

fn passkey(user: &str, name: &str, created: u64) -> PasskeyRecordV1 {
    PasskeyRecordV1 {
        user: user.into(),
        name: name.into(),
        user_handle: "h".into(),
        credential: serde_json::json!({"cred_id": name}),
        counter: 5,
        created,
        last_used: None,
        clone_suspected: None,
    }
}

fn ceremony(user: Option<&str>, expires: u64) -> CeremonyV1 {
    CeremonyV1 {
        purpose: "second_factor".into(),
        user: user.map(str::to_owned),
        state: serde_json::json!({"kind": "x"}),
        user_handle: None,
        session: None,
        first: false,
        expires,
    }
}

/// The passkey rules: ids unique across users, counters only going up, a clone blocked for
/// good, ceremonies taken once and never after they expire, a reset taking them all.
fn passkey_rules(s: &Store) {
    assert!(s.add_passkey("k1", &passkey("pat", "Laptop", 10)).unwrap());
    assert!(s.add_passkey("k2", &passkey("pat", "YubiKey", 20)).unwrap());
    assert!(
        !s.add_passkey("k1", &passkey("quinn", "Stolen", 30))
            .unwrap(),
        "an id registered to anyone is refused"
    );
    let names = |user: &str| {
        s.passkeys(user)
            .unwrap()
            .into_iter()
            .map(|(id, p)| format!("{id}={}", p.name))
            .collect::<Vec<_>>()
    };
    assert_eq!(names("pat"), ["k1=Laptop", "k2=YubiKey"]);
    assert!(names("quinn").is_empty());
    assert_eq!(s.passkey("k1").unwrap().unwrap().user, "pat");
    assert!(s.passkey("nope").unwrap().is_none());
    assert_eq!(
        s.passkey_users().unwrap().into_iter().collect::<Vec<_>>(),
        ["pat"]
    );
    assert!(s.enrolled_users().unwrap().contains("pat"));

    assert_eq!(
        s.use_passkey("pat", "k1", 6, 100).unwrap(),
        PasskeyUse::Accepted
    );
    let k1 = s.passkey("k1").unwrap().unwrap();
    assert_eq!((k1.counter, k1.last_used), (6, Some(100)));
    assert_eq!(
        s.use_passkey("quinn", "k1", 7, 101).unwrap(),
        PasskeyUse::Refused,
        "another user's credential"
    );
    assert_eq!(
        s.use_passkey("pat", "k1", 6, 102).unwrap(),
        PasskeyUse::CounterWentBack,
        "the same counter twice"
    );
    let k1 = s.passkey("k1").unwrap().unwrap();
    assert_eq!((k1.counter, k1.clone_suspected), (6, Some(102)));
    assert_eq!(
        s.use_passkey("pat", "k1", 99, 103).unwrap(),
        PasskeyUse::Refused,
        "blocked for good"
    );
    assert!(!s.remove_passkey("quinn", "k2").unwrap(), "not quinn's");
    assert!(s.remove_passkey("pat", "k2").unwrap());
    assert!(!s.remove_passkey("pat", "k2").unwrap());

    s.put_ceremony("c1", &ceremony(Some("pat"), 500)).unwrap();
    s.put_ceremony("c2", &ceremony(None, 200)).unwrap();
    assert_eq!(
        s.take_ceremony("c1", 400).unwrap().unwrap().user.as_deref(),
        Some("pat")
    );
    assert!(s.take_ceremony("c1", 400).unwrap().is_none(), "taken once");
    assert!(
        s.take_ceremony("c2", 200).unwrap().is_none(),
        "expired at its time"
    );
    s.put_ceremony("c3", &ceremony(None, 300)).unwrap();
    s.put_ceremony("c4", &ceremony(None, 900)).unwrap();
    s.purge_expired(300).unwrap();
    assert!(s.take_ceremony("c3", 0).unwrap().is_none(), "purged");
    assert!(s.take_ceremony("c4", 0).unwrap().is_some());

    s.reset_mfa("pat", 0).unwrap();
    assert!(s.passkeys("pat").unwrap().is_empty(), "a reset takes them");
}

const POLICY: LockoutPolicy = LockoutPolicy {
    max_failures: 3,
    base: 300,
    cap: 3600,
};

const RULES: CodeRules = CodeRules {
    ttl: 600,
    max_attempts: 3,
    max_sends_per_hour: 2,
};

/// Every rule of the interface, as one script; both backends must give the same answers.
fn rules(s: &Store) {
    // Revocations and epochs.
    s.revoke_session("old", 10).unwrap();
    s.revoke_session("new", 1000).unwrap();
    assert_eq!(s.bump_user_epoch("alice").unwrap(), 1);
    assert_eq!(s.bump_user_epoch("alice").unwrap(), 2);
    assert_eq!(s.purge_expired(500).unwrap(), 1);
    assert_eq!(s.revoked_sessions().unwrap(), vec![("new".into(), 1000)]);
    assert_eq!(s.user_epochs().unwrap(), vec![("alice".into(), 2)]);
    assert!(s.is_ready());

    // TOTP: activation, steps used once, never replaced from a half session.
    assert!(
        !s.confirm_totp("bob", 1, &[], 0, false).unwrap(),
        "nothing pending"
    );
    s.put_pending_totp("bob", &totp(false)).unwrap();
    assert_eq!(s.pending_totp("bob").unwrap(), Some(totp(false)));
    assert!(s
        .confirm_totp("bob", 100, &[[1; 32], [2; 32]], 5, false)
        .unwrap());
    assert_eq!(s.pending_totp("bob").unwrap(), None);
    assert_eq!(s.totp("bob").unwrap().unwrap().last_step, 100);
    assert!(
        !s.accept_totp_step("bob", 100).unwrap(),
        "the confirming step is used"
    );
    assert!(s.accept_totp_step("bob", 101).unwrap());
    assert!(!s.accept_totp_step("bob", 101).unwrap());
    assert!(!s.accept_totp_step("bob", 99).unwrap());
    assert!(!s.accept_totp_step("nobody", 500).unwrap());
    assert_eq!(s.totp("bob").unwrap().unwrap().last_step, 101);
    s.put_pending_totp("bob", &totp(false)).unwrap();
    assert!(
        !s.confirm_totp("bob", 200, &[], 0, true).unwrap(),
        "a plain pending never replaces"
    );
    s.put_pending_totp("bob", &totp(true)).unwrap();
    assert!(
        !s.confirm_totp("bob", 200, &[], 0, false).unwrap(),
        "not without a fresh factor"
    );
    assert_eq!(
        s.backup_codes_left("bob").unwrap(),
        2,
        "a refused confirmation changes nothing"
    );
    assert!(
        s.pending_totp("bob").unwrap().is_some(),
        "and keeps the pending enrolment"
    );
    assert!(s.confirm_totp("bob", 200, &[[3; 32]], 0, true).unwrap());
    assert_eq!(s.totp("bob").unwrap().unwrap().last_step, 200);
    assert!(!s.totp("bob").unwrap().unwrap().replaces);
    assert_eq!(
        s.enrolled_users().unwrap().into_iter().collect::<Vec<_>>(),
        ["bob"]
    );

    // Backup codes.
    assert!(
        !s.consume_backup_code("bob", &[1; 32]).unwrap(),
        "the old set is dead"
    );
    assert!(s.consume_backup_code("bob", &[3; 32]).unwrap());
    assert!(!s.consume_backup_code("bob", &[3; 32]).unwrap());
    s.replace_backup_codes("bob", &[[4; 32], [5; 32]], 9)
        .unwrap();
    s.replace_backup_codes("bobby", &[[4; 32]], 9).unwrap();
    assert!(
        !s.consume_backup_code("bobby", &[5; 32]).unwrap(),
        "codes are per user"
    );
    assert_eq!(s.backup_codes_left("bob").unwrap(), 2);

    // Channels and first logins.
    assert!(s.enrol_channel("bob", "email", 7).unwrap());
    assert!(!s.enrol_channel("bob", "email", 8).unwrap());
    assert_eq!(s.channel_enrolled("bob", "email").unwrap(), Some(7));
    assert_eq!(s.channel_enrolled("bob", "sms").unwrap(), None);
    assert_eq!(s.first_login("bob", 10).unwrap(), 10);
    assert_eq!(s.first_login("bob", 20).unwrap(), 10);
    assert_eq!(s.first_login_times().unwrap().get("bob"), Some(&10));
    assert!(
        !s.first_login_times().unwrap().contains_key("nobody"),
        "reading records nothing"
    );
    assert_eq!(
        s.enrolled_users().unwrap().into_iter().collect::<Vec<_>>(),
        ["bob"],
        "bob proved an e-mail code"
    );
    // The last complete sign-in: the later time wins, whatever order they are recorded in.
    assert_eq!(s.last_sign_in("bob").unwrap(), None);
    s.note_sign_in("bob", 30).unwrap();
    s.note_sign_in("bob", 25).unwrap();
    assert_eq!(s.last_sign_in("bob").unwrap(), Some(30));
    s.note_sign_in("bob", 40).unwrap();
    assert_eq!(s.last_sign_in("bob").unwrap(), Some(40));

    // Sent codes.
    assert_eq!(
        s.issue_code("bob", "email", "h1", 0, RULES).unwrap(),
        Issued::Issued
    );
    assert_eq!(
        s.issue_code("bob", "email", "h2", 10, RULES).unwrap(),
        Issued::Issued
    );
    assert_eq!(
        s.issue_code("bob", "email", "h3", 30, RULES).unwrap(),
        Issued::RateLimited { retry_after: 3570 }
    );
    assert_eq!(
        s.consume_code("bob", "email", "h1", 31).unwrap(),
        Consumed::Refused,
        "a resend kills the old code"
    );
    assert_eq!(
        s.consume_code("bob", "sms", "h2", 31).unwrap(),
        Consumed::Refused,
        "codes are per channel"
    );
    assert_eq!(
        s.consume_code("bob", "email", "h2", 32).unwrap(),
        Consumed::Accepted
    );
    assert_eq!(
        s.consume_code("bob", "email", "h2", 33).unwrap(),
        Consumed::Refused
    );
    assert_eq!(
        s.issue_code("bob", "sms", "x", 100, RULES).unwrap(),
        Issued::Issued
    );
    for wrong in ["a", "b"] {
        assert_eq!(
            s.consume_code("bob", "sms", wrong, 101).unwrap(),
            Consumed::Refused
        );
    }
    assert_eq!(
        s.consume_code("bob", "sms", "c", 101).unwrap(),
        Consumed::Refused
    );
    assert_eq!(
        s.consume_code("bob", "sms", "x", 101).unwrap(),
        Consumed::Refused,
        "attempts ran out"
    );
    assert_eq!(
        s.issue_code("bob", "sms", "y", 200, RULES).unwrap(),
        Issued::Issued
    );
    assert_eq!(
        s.consume_code("bob", "sms", "y", 801).unwrap(),
        Consumed::Refused,
        "expired"
    );
    assert_eq!(
        s.issue_code("bob", "sms", "z", 4000, RULES).unwrap(),
        Issued::Issued
    );
    s.withdraw_code("bob", "sms", "other").unwrap();
    assert_eq!(
        s.consume_code("bob", "sms", "z", 4001).unwrap(),
        Consumed::Accepted,
        "withdrawing another code"
    );
    assert_eq!(
        s.issue_code("bob", "sms", "w", 4002, RULES).unwrap(),
        Issued::Issued
    );
    s.withdraw_code("bob", "sms", "w").unwrap();
    assert_eq!(
        s.consume_code("bob", "sms", "w", 4003).unwrap(),
        Consumed::Refused
    );

    // Devices and lockouts.
    s.put_device("d1", &device("bob", 5)).unwrap();
    s.put_device("d2", &device("carol", 6)).unwrap();
    s.put_device("d3", &device("bob", 7)).unwrap();
    s.touch_device("d1", 50).unwrap();
    let ids: Vec<String> = s
        .devices(Some("bob"))
        .unwrap()
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(ids, vec!["d1", "d3"], "most recently used first");
    assert_eq!(s.device("d1").unwrap().unwrap().last_used, 50);
    assert_eq!(s.devices(None).unwrap().len(), 3);
    assert!(!s.revoke_device("d2", Some("bob")).unwrap(), "not bob's");
    assert!(s.revoke_device("d3", Some("bob")).unwrap());
    let account = Attempter::Account("bob");
    let d1 = Attempter::Device("d1");
    assert_eq!(s.record_failure(account, 0, POLICY).unwrap(), None);
    assert_eq!(s.record_failure(account, 0, POLICY).unwrap(), None);
    assert_eq!(s.record_failure(account, 0, POLICY).unwrap(), Some(300));
    assert_eq!(s.locked_until(account, 10).unwrap(), Some(300));
    assert_eq!(s.locked_until(account, 300).unwrap(), None);
    assert_eq!(s.locked_until(Attempter::Account("d1"), 10).unwrap(), None);
    let mut ends = Vec::new();
    for round in 1..=5u64 {
        let t = 1000 * round;
        s.record_failure(account, t, POLICY).unwrap();
        s.record_failure(account, t, POLICY).unwrap();
        ends.push(s.record_failure(account, t, POLICY).unwrap().unwrap() - t);
    }
    assert_eq!(
        ends,
        vec![600, 1200, 2400, 3600, 3600],
        "doubling up to the cap"
    );
    for _ in 0..3 {
        s.record_failure(d1, 6000, POLICY).unwrap();
    }
    assert_eq!(
        s.lockouts(6001).unwrap(),
        vec![
            ("bob".into(), 5000 + 3600),
            ("bob (trusted device d1)".into(), 6300)
        ]
    );
    s.clear_lockouts("bob").unwrap();
    assert_eq!(s.lockouts(6001).unwrap(), vec![]);
    s.record_failure(account, 7000, POLICY).unwrap();
    s.clear_failures(account).unwrap();
    assert_eq!(
        s.record_failure(account, 7000, POLICY).unwrap(),
        None,
        "a success resets the count"
    );
    assert_eq!(s.purge_lockouts(7000 + 86_400).unwrap(), 1);
    assert_eq!(s.purge_devices(100).unwrap(), 2);

    // Reset forgets everything of bob only, and ends his sessions.
    s.put_device("d4", &device("bob", 1)).unwrap();
    s.put_device("d5", &device("carol", 1)).unwrap();
    assert_eq!(s.reset_mfa("bob", 0).unwrap(), 1);
    assert!(s.totp("bob").unwrap().is_none());
    assert_eq!(s.backup_codes_left("bob").unwrap(), 0);
    assert_eq!(s.backup_codes_left("bobby").unwrap(), 1);
    assert_eq!(s.channel_enrolled("bob", "email").unwrap(), None);
    assert!(s.device("d4").unwrap().is_none());
    assert!(s.device("d5").unwrap().is_some());
    assert_eq!(s.turn_mfa_off("bob", 0).unwrap(), 2);

    // Audit: recording order, filters, retention.
    let ev = |t: u64, u: &str| Event::new(t, Kind::LoginFailed, Outcome::Failure).with_user(u);
    s.append_audit(&[ev(50, "a"), ev(50, "b"), ev(40, "c"), ev(60, "a")])
        .unwrap();
    let users = |v: Vec<Event>| v.into_iter().filter_map(|e| e.user).collect::<Vec<_>>();
    assert_eq!(
        users(s.audit_events(None, 0, 10).unwrap()),
        vec!["a", "b", "c", "a"]
    );
    assert_eq!(
        users(s.audit_events(None, 45, 10).unwrap()),
        vec!["a", "b", "a"]
    );
    assert_eq!(users(s.audit_events(Some("a"), 0, 1).unwrap()), vec!["a"]);
    assert_eq!(
        s.audit_events(Some("a"), 0, 1).unwrap()[0].time,
        60,
        "the newest"
    );
    let keep_two = Retention {
        max_age_secs: 1000,
        max_events: 2,
    };
    assert_eq!(s.purge_audit(100, keep_two).unwrap(), 2);
    assert_eq!(users(s.audit_events(None, 0, 10).unwrap()), vec!["c", "a"]);
    let by_age = Retention {
        max_age_secs: 50,
        max_events: 100,
    };
    assert_eq!(
        s.purge_audit(150, by_age).unwrap(),
        2,
        "both older than 150 - 50"
    );
    assert!(s.audit_events(None, 0, 10).unwrap().is_empty());
}

#[test]
fn every_rule_gives_the_same_answers_on_redb_and_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let redb = Store::open(&dir.path().join("p.redb")).unwrap();
    rules(&redb);
    passkey_rules(&redb);
    let pg = Postgres::start();
    let store = Store::connect(&pg.url(), None).unwrap();
    assert_eq!(store.kind(), "postgres");
    rules(&store);
    passkey_rules(&store);
}

#[test]
fn replicas_starting_together_migrate_once() {
    let pg = Postgres::start();
    let url = pg.url();
    let stores: Vec<Store> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| Store::connect(&url, None).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Each migration applied once: one row per version, the last one included.
    assert_eq!(
        pg.psql("SELECT count(*) || ' ' || count(DISTINCT version) || ' ' || max(version) FROM schema_migrations"),
        "3 3 3"
    );
    stores[0].revoke_session("s", 9).unwrap();
    assert_eq!(stores[3].revoked_sessions().unwrap(), vec![("s".into(), 9)]);
}

/// Runs `f` on `n` threads at once, each with one of `stores` in turn; the answers.
fn race<T: Send>(stores: &[Store], n: usize, f: impl Fn(&Store) -> T + Sync) -> Vec<T> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (store, barrier, f) = (&stores[i % stores.len()], &barrier, &f);
                s.spawn(move || {
                    barrier.wait();
                    f(store)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn single_use_rules_hold_when_raced_across_three_postgresql_pools() {
    let pg = Postgres::start();
    let stores: Vec<Store> = (0..3)
        .map(|_| Store::connect(&pg.url(), None).unwrap())
        .collect();
    let s = &stores[0];
    s.put_pending_totp("alice", &totp(false)).unwrap();
    assert!(s.confirm_totp("alice", 10, &[[7; 32]], 0, false).unwrap());
    s.issue_code(
        "alice",
        "email",
        "h",
        0,
        CodeRules {
            max_attempts: 100,
            ..RULES
        },
    )
    .unwrap();

    let backup = race(&stores, 30, |s| {
        s.consume_backup_code("alice", &[7; 32]).unwrap()
    });
    assert_eq!(
        backup.iter().filter(|ok| **ok).count(),
        1,
        "one backup code, one success"
    );

    let step = race(&stores, 30, |s| s.accept_totp_step("alice", 11).unwrap());
    assert_eq!(
        step.iter().filter(|ok| **ok).count(),
        1,
        "one TOTP step, one success"
    );

    let code = race(&stores, 30, |s| {
        s.consume_code("alice", "email", "h", 1).unwrap()
    });
    assert_eq!(
        code.iter().filter(|c| **c == Consumed::Accepted).count(),
        1,
        "one e-mail code, one success"
    );

    // 30 failures at once against max_failures 10: exactly three lockouts begin, and the
    // count lands on zero — no failure lost or counted twice.
    let policy = LockoutPolicy {
        max_failures: 10,
        base: 60,
        cap: 60,
    };
    let locks = race(&stores, 30, |s| {
        s.record_failure(Attempter::Account("alice"), 5, policy)
            .unwrap()
    });
    assert_eq!(locks.iter().filter(|l| l.is_some()).count(), 3);
    assert_eq!(
        pg.psql("SELECT failures, lockouts FROM lockouts WHERE key = 'alice'"),
        "0|3"
    );

    // Confirmations of one pending enrolment at once: one wins, the codes are its codes.
    s.put_pending_totp("bob", &totp(false)).unwrap();
    let confirms = race(&stores, 10, |s| {
        s.confirm_totp("bob", 3, &[[8; 32]], 0, false).unwrap()
    });
    assert_eq!(confirms.iter().filter(|ok| **ok).count(), 1);
    assert_eq!(s.backup_codes_left("bob").unwrap(), 1);

    // One passkey ceremony taken by one of 30 callers; one counter value accepted once.
    s.put_ceremony("c", &ceremony(Some("alice"), 100)).unwrap();
    let taken = race(&stores, 30, |s| s.take_ceremony("c", 1).unwrap().is_some());
    assert_eq!(
        taken.iter().filter(|t| **t).count(),
        1,
        "one ceremony, one taker"
    );
    s.add_passkey("k", &passkey("alice", "Laptop", 1)).unwrap();
    let used = race(&stores, 30, |s| s.use_passkey("alice", "k", 6, 2).unwrap());
    assert_eq!(
        used.iter().filter(|u| **u == PasskeyUse::Accepted).count(),
        1,
        "one counter value, one success"
    );

    // Sends at once respect the hourly limit exactly.
    let sends = race(&stores, 10, |s| {
        s.issue_code("carol", "sms", "x", 0, RULES).unwrap()
    });
    assert_eq!(sends.iter().filter(|i| **i == Issued::Issued).count(), 2);
}

#[test]
fn a_store_that_cannot_be_reached_answers_unavailable_within_the_deadline() {
    let pg = Postgres::start();
    let store = Store::connect(&pg.url(), None).unwrap();
    drop(pg);
    let started = std::time::Instant::now();
    let e = store.totp("alice").unwrap_err();
    assert!(
        matches!(e, portcullis::store::StoreError::Unavailable(_)),
        "{e}"
    );
    assert!(!store.is_ready());
    assert!(started.elapsed() < portcullis::store::postgres::OP_TIMEOUT * 3);
    let refused = Store::connect(
        &format!(
            "postgres://portcullis@127.0.0.1:{}/postgres",
            crate::harness::free_port()
        ),
        None,
    );
    assert!(matches!(
        refused,
        Err(portcullis::store::StoreError::Unavailable(_))
    ));
}

#[test]
fn urls_are_checked_and_passwords_never_shown() {
    for (url, why) in [
        ("postgres://u@h/db?sslmode=sometimes", "sslmode"),
        (
            "postgres://u@h/db?sslmode=require&sslrootcert=/nonexistent.pem",
            "sslrootcert",
        ),
        ("postgres://u@h/db?bogus=1", "invalid connection string"),
    ] {
        let e = Store::connect(url, None).unwrap_err().to_string();
        assert!(e.contains("[storage] url") && e.contains(why), "{url}: {e}");
    }
    assert_eq!(
        portcullis::store::postgres::redacted("postgres://u:secret@h/db"),
        "postgres://u:***@h/db"
    );
}
