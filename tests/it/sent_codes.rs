//! E-mail and SMS codes end to end (DESIGN §6): a real SMTP server (aiosmtpd) and a local
//! server speaking the Twilio Messages API.

use std::time::Duration;

use crate::harness::*;

/// Two factors required; e-mail codes through `mail`, with `extra` lines in `[smtp]`.
async fn gateway_mailing(mail: &MailServer, url: &str, extra: &str) -> Gateway {
    let _ = mail;
    Gateway::with(Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[smtp]\nurl = \"{url}\"\nfrom = \"Portcullis <no-reply@gateway.test>\"\ntimeout = \"2s\"\n{extra}\n"
        ),
        ..Setup::default()
    })
    .await
}

async fn send(gw: &Gateway, cookie: &str, body: serde_json::Value) -> reqwest::Response {
    gw.client()
        .post(gw.url("/.portcullis/api/mfa/send"))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_emailed_code_signs_in_once_and_goes_only_to_the_users_own_address() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;
    // Nothing enrolled yet: a code sent to the users file's address enrols e-mail.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let half = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "enrollment_required");
    assert_eq!(body["methods"], serde_json::json!(["email"]));

    // An address in the request is ignored.
    let r = send(&gw, &half, serde_json::json!({"method": "email", "to": "mallory@evil.example", "email": "mallory@evil.example"})).await;
    assert_eq!(r.status(), 202);
    let sent: serde_json::Value = r.json().await.unwrap();
    assert_eq!(sent["to"], "a***@example.com");
    let messages = mail.wait_for(1).await;
    let m = &messages[0];
    assert!(m.starts_with("X-Envelope-To: alice@example.com\r\n"), "{m}");
    assert!(!m.contains("mallory"), "{m}");
    assert!(
        m.contains("Nobody from gateway.test will ever ask you for this code"),
        "{m}"
    );
    assert!(
        m.contains("sign in as alice") && m.contains("127.0.0.1"),
        "{m}"
    );
    assert!(m.contains("text/plain") && m.contains("text/html"), "{m}");
    let code = code_in(m);

    let r = gw.mfa(&half, "email", &code).await;
    assert_eq!(r.status(), 200);
    // E-mail is alice's second factor now; the used code is refused in another session.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let half = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "mfa_required");
    assert_eq!(body["methods"], serde_json::json!(["email"]));
    assert_eq!(gw.mfa(&half, "email", &code).await.status(), 401);
}

#[tokio::test]
async fn a_resend_kills_the_old_code_and_wrong_codes_use_up_the_new_one() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(
        &mail,
        &format!("smtp://127.0.0.1:{}", mail.port),
        "[mfa.email]\nmax_attempts = 2",
    )
    .await;
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let old = code_in(&mail.wait_for(1).await[0]);
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let new = code_in(&mail.wait_for(2).await[1]);
    assert_ne!(old, new, "one in a million: run again");
    assert_eq!(
        gw.mfa(&half, "email", &old).await.status(),
        401,
        "the old code died"
    );
    // max_attempts = 2: the second wrong one kills the new code, so the right one is refused.
    assert_eq!(gw.mfa(&half, "email", "000000").await.status(), 401);
    assert_eq!(gw.mfa(&half, "email", &new).await.status(), 401);
    // A new code works again.
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let third = code_in(&mail.wait_for(3).await[2]);
    assert_eq!(gw.mfa(&half, "email", &third).await.status(), 200);
}

#[tokio::test]
async fn sends_per_hour_are_limited_with_retry_after() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;
    let (_, half) = gw.password("alice").await;
    for _ in 0..3 {
        assert_eq!(
            send(&gw, &half, serde_json::json!({"method": "email"}))
                .await
                .status(),
            202
        );
    }
    let r = send(&gw, &half, serde_json::json!({"method": "email"})).await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&wait), "{wait}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_many_codes");
    assert_eq!(mail.wait_for(3).await.len(), 3);
}

#[tokio::test]
async fn a_dead_or_silent_mail_server_answers_503_within_the_timeout() {
    // Nothing listens on one port; the other accepts connections and never says a word.
    let dead = free_port();
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    for port in [dead, silent_port] {
        let gw = Gateway::with(Setup {
            mfa_required: true,
            mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
            extra_tables: format!(
                "[smtp]\nurl = \"smtp://127.0.0.1:{port}\"\nfrom = \"no-reply@gateway.test\"\ntimeout = \"1s\"\n"
            ),
            ..Setup::default()
        })
        .await;
        let (_, half) = gw.password("alice").await;
        let started = std::time::Instant::now();
        let r = send(&gw, &half, serde_json::json!({"method": "email"})).await;
        assert_eq!(r.status(), 503, "port {port}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "delivery_failed");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        // A failed send still counts toward max_sends_per_hour (a slow server may deliver it
        // late): two more are tried, then 429.
        for expected in [503, 503, 429] {
            let r = send(&gw, &half, serde_json::json!({"method": "email"})).await;
            assert_eq!(r.status(), expected);
        }
        // No attempt was spent: the account is not locked.
        assert_eq!(gw.password("alice").await.0, "enrollment_required");
    }
}

#[tokio::test]
async fn mail_goes_over_starttls_with_auth_to_a_server_whose_certificate_was_made_now() {
    let mail = MailServer::start(MailOptions {
        starttls: true,
        auth: Some(("mailer", "s3cret")),
    })
    .await;
    let ca = mail.cert.clone().unwrap();
    let gw = gateway_mailing(
        &mail,
        &format!("smtp://127.0.0.1:{}?tls=required", mail.port),
        &format!(
            "ca_file = \"{}\"\nusername = \"mailer\"\npassword = \"s3cret\"",
            ca.display()
        ),
    )
    .await;
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let m = &mail.wait_for(1).await[0];
    assert!(m.contains("X-Tls: yes") && m.contains("X-Auth: yes"), "{m}");
    assert_eq!(gw.mfa(&half, "email", &code_in(m)).await.status(), 200);
}

/// `[sms]` pointing at `provider`; SMS is the only code method.
async fn gateway_texting(provider: &SmsProvider) -> Gateway {
    Gateway::with(Setup {
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"sms\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[sms]\naccount_sid = \"AC123\"\nauth_token = \"tok3n\"\nfrom = \"+15550001111\"\napi_base = \"http://{}\"\n",
            provider.addr
        ),
        ..Setup::default()
    })
    .await
}

#[tokio::test]
async fn a_texted_code_signs_in_through_the_twilio_messages_api() {
    let provider = SmsProvider::start(SmsMode::Accept).await;
    let gw = gateway_texting(&provider).await;
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let half = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "enrollment_required");
    assert_eq!(body["methods"], serde_json::json!(["sms"]));
    let r = send(
        &gw,
        &half,
        serde_json::json!({"method": "sms", "to": "+15559999999"}),
    )
    .await;
    assert_eq!(r.status(), 202);
    let sent: serde_json::Value = r.json().await.unwrap();
    assert_eq!(sent["to"], "+1******4567");
    let requests = provider.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.path, "/2010-04-01/Accounts/AC123/Messages.json");
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode("AC123:tok3n");
    assert_eq!(
        req.authorization.as_deref(),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        req.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        req.field("To"),
        Some("+15551234567"),
        "the users file's number, never the request's"
    );
    assert_eq!(req.field("From"), Some("+15550001111"));
    let text = req.field("Body").unwrap();
    assert!(text.contains("sign-in code for alice"), "{text}");
    let code: String = text.chars().take(6).collect();
    assert_eq!(gw.mfa(&half, "sms", &code).await.status(), 200);
    // The send and the verification are audited by method, the code nowhere.
    let events = audit_until(&gw, "alice", |e| {
        e["kind"] == "factor_succeeded" && e["detail"] == "sms"
    })
    .await;
    assert!(events
        .iter()
        .any(|e| e["kind"] == "code_sent" && e["detail"] == "sms to +1******4567"));
    assert!(!serde_json::to_string(&events).unwrap().contains(&code));
}

#[tokio::test]
async fn a_failing_or_silent_sms_provider_answers_503_spends_no_attempt_and_is_audited() {
    for mode in [SmsMode::Fail, SmsMode::Hang] {
        let provider = SmsProvider::start(mode).await;
        let gw = gateway_texting(&provider).await;
        let (_, half) = gw.password("alice").await;
        let started = std::time::Instant::now();
        let r = send(&gw, &half, serde_json::json!({"method": "sms"})).await;
        assert_eq!(r.status(), 503, "{mode:?}");
        assert!(
            started.elapsed() < Duration::from_secs(7),
            "{mode:?}: {:?}",
            started.elapsed()
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "delivery_failed");
        if mode == SmsMode::Fail {
            // Sends count toward max_sends_per_hour even when refused: no pumping through a
            // provider that fails or answers late.
            for expected in [503, 503, 429] {
                let r = send(&gw, &half, serde_json::json!({"method": "sms"})).await;
                assert_eq!(r.status(), expected);
            }
            assert_eq!(provider.requests().len(), 3);
            // No attempt spent either: the account is not locked.
            assert_eq!(gw.password("alice").await.0, "enrollment_required");
        }
        let events = audit_until(&gw, "alice", |e| e["kind"] == "code_not_sent").await;
        let failed = events
            .iter()
            .find(|e| e["kind"] == "code_not_sent")
            .unwrap();
        assert_eq!(failed["outcome"], "failure");
        let detail = failed["detail"].as_str().unwrap();
        assert!(detail.starts_with("sms to +1******4567: "), "{detail}");
    }
}

/// Each message's `Subject`, unfolded (RFC 5322 §2.2.3: a long field continues on lines that
/// start with white space).
fn subjects(messages: &[String]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| {
            let mut lines = m.lines().skip_while(|l| !l.starts_with("Subject: "));
            let mut subject = lines.next()?.strip_prefix("Subject: ")?.to_owned();
            for more in lines.take_while(|l| l.starts_with([' ', '\t'])) {
                subject.push_str(more);
            }
            Some(subject)
        })
        .collect()
}

#[tokio::test]
async fn a_user_sees_their_status_turns_mfa_off_with_password_and_code_and_is_told_by_mail() {
    let mail = MailServer::start(MailOptions::default()).await;
    // Not required by policy for alice (required = false, no required_groups).
    let gw = Gateway::with(Setup {
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[smtp]\nurl = \"smtp://127.0.0.1:{}\"\nfrom = \"no-reply@gateway.test\"\n",
            mail.port
        ),
        ..Setup::default()
    })
    .await;
    // Not required: the password signs alice in; she adds e-mail codes, then an app.
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "authenticated");
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let r = gw
        .mfa(&half, "email", &code_in(&mail.wait_for(1).await[0]))
        .await;
    let full = session_cookie(&r).unwrap();
    let (cookie, secret, codes) =
        enrol_with(&gw.client(), &format!("http://{}", gw.addr), &full).await;
    // A trusted device, to see it go when MFA is turned off.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa"))
        .header("cookie", &gw.password("alice").await.1)
        .json(&serde_json::json!({"method": "backup_code", "code": codes[1], "remember_device": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let status: serde_json::Value = gw
        .client()
        .get(gw.url("/.portcullis/api/mfa/status"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["required"], false);
    let methods: Vec<&str> = status["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["totp", "email", "backup_code"]);
    assert!(status["methods"][0]["enrolled_at"].as_u64().is_some());
    assert!(status["methods"][0]["last_used_at"].as_u64().is_some());
    assert_eq!(
        status["backup_codes_left"], 9,
        "one went on the trusted device"
    );
    assert_eq!(status["email"], "a***@example.com");
    assert_eq!(status["phone"], serde_json::Value::Null);

    // New backup codes: a notice.
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/backup-codes"))
        .header("cookie", &cookie)
        .json(&serde_json::json!({"method": "backup_code", "code": codes[0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let new_codes: serde_json::Value = r.json().await.unwrap();

    let elsewhere = gw.password("alice").await.1;
    let disable = |password: &str, method: &str, code: &str| {
        gw.client()
            .post(gw.url("/.portcullis/api/mfa/disable"))
            .header("cookie", &cookie)
            .json(&serde_json::json!({"password": password, "method": method, "code": code}))
            .send()
    };
    assert_eq!(
        disable("wrong", "totp", &totp_code(&secret, 1))
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        disable(PASSWORD, "totp", "000000").await.unwrap().status(),
        401
    );
    let r = disable(PASSWORD, "totp", &totp_code(&secret, 1))
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let fresh = session_cookie(&r).expect("the caller keeps a session");
    // Every other session ended; the password alone now signs in, e-mail codes too are off.
    let session = |c: String| {
        let gw = &gw;
        async move {
            gw.client()
                .get(gw.url("/.portcullis/api/session"))
                .header("cookie", c)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(session(elsewhere).await, 401);
    assert_eq!(session(fresh.clone()).await, 200);
    // Her trusted devices went with it.
    let devices: serde_json::Value = gw
        .client()
        .get(gw.url("/.portcullis/api/devices"))
        .header("cookie", &fresh)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(devices, serde_json::json!({"devices": []}));
    assert_eq!(gw.password("alice").await.0, "authenticated");

    // Notices: e-mail codes set up, an app set up, new backup codes, a trusted device, turned
    // off — and no code or secret in any.
    let messages = mail.wait_for(6).await;
    let subjects = subjects(&messages);
    for want in [
        "gateway.test: Codes by e-mail were set up as your second step",
        "gateway.test: A device was set to skip the second step",
        "gateway.test: An authenticator app was set up for your account",
        "gateway.test: New backup codes were made; the old ones no longer work",
        "gateway.test: Two-step verification was turned off",
    ] {
        assert!(
            subjects.iter().any(|s| s == want),
            "{want} not in {subjects:?}"
        );
    }
    let all = messages.join("\n");
    for secretish in codes
        .iter()
        .map(String::as_str)
        .chain(
            new_codes["backup_codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap()),
        )
        .chain([secret.as_str(), PASSWORD])
    {
        assert!(!all.contains(secretish), "a notice contains {secretish:?}");
    }
}

#[tokio::test]
async fn turning_mfa_off_is_refused_where_policy_requires_it() {
    for setup in [
        Setup {
            mfa_required: true,
            ..Setup::default()
        },
        Setup {
            mfa_extra: "required_groups = [\"staff\"]".into(),
            ..Setup::default()
        },
        Setup {
            extra_tables: "[mfa.self_service]\nallow_disable = false\n".into(),
            ..Setup::default()
        },
    ] {
        let gw = Gateway::with(setup).await;
        // Required: enrolment at sign-in; not required: an app added with a full session.
        let (cookie, secret, _) = match gw.password("alice").await {
            (s, full) if s == "authenticated" => {
                enrol_with(&gw.client(), &format!("http://{}", gw.addr), &full).await
            }
            _ => gw.enrol("alice").await,
        };
        let r = gw
            .client()
            .post(gw.url("/.portcullis/api/mfa/disable"))
            .header("cookie", &cookie)
            .json(&serde_json::json!({"password": PASSWORD, "method": "totp", "code": totp_code(&secret, 1)}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "mfa_required_by_policy");
        assert_eq!(gw.password("alice").await.0, "mfa_required");
    }
}

#[tokio::test]
async fn a_code_appears_in_neither_the_log_nor_the_database_file() {
    let mail = MailServer::start(MailOptions::default()).await;
    let upstream = Upstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let setup = Setup {
        listen: Some(format!("127.0.0.1:{port}")),
        mfa_required: true,
        mfa_extra: "methods = [\"totp\", \"email\", \"backup_code\"]".into(),
        extra_tables: format!(
            "[smtp]\nurl = \"smtp://127.0.0.1:{}\"\nfrom = \"no-reply@gateway.test\"\n",
            mail.port
        ),
        ..Setup::default()
    };
    let config = write_config(dir.path(), &upstream.url(), &setup);
    let log = std::fs::File::create(dir.path().join("gateway.log")).unwrap();
    let gateway = Proc(
        std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["serve", "--config"])
            .arg(&config)
            .env("RUST_LOG", "debug")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, "the gateway").await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/.portcullis/api/login"))
        .json(&serde_json::json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let half = session_cookie(&r).unwrap();
    let r = client
        .post(format!("{base}/.portcullis/api/mfa/send"))
        .header("cookie", &half)
        .json(&serde_json::json!({"method": "email"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let code = code_in(&mail.wait_for(1).await[0]);
    let verify = |c: String| {
        client
            .post(format!("{base}/.portcullis/api/mfa"))
            .header("cookie", &half)
            .json(&serde_json::json!({"method": "email", "code": c}))
            .send()
    };
    // A wrong guess first (a failure is logged), then the right code.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(verify(wrong.into()).await.unwrap().status(), 401);
    assert_eq!(verify(code.clone()).await.unwrap().status(), 200);
    drop(gateway); // SIGTERM: the log and the database are complete
    let log = std::fs::read_to_string(dir.path().join("gateway.log")).unwrap();
    assert!(log.contains("request"), "the log was written: {log}");
    assert!(!log.contains(&code), "the code is in the log");
    let db = std::fs::read(dir.path().join("data/portcullis.redb")).unwrap();
    assert!(
        !db.windows(code.len()).any(|w| w == code.as_bytes()),
        "the code is in the database file"
    );
}

#[tokio::test]
async fn a_code_sent_before_an_operators_reset_is_dead_after_it() {
    // After a SIM swap or a lost mailbox: reset, and nothing sent before counts.
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;
    let (_, half) = gw.password("alice").await;
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let code = code_in(&mail.wait_for(1).await[0]);
    let config = gw.dir.path().join("config.toml");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["mfa", "reset", "alice", "--config"])
            .arg(config)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, half) = gw.password("alice").await;
    assert_eq!(gw.mfa(&half, "email", &code).await.status(), 401);
}

#[tokio::test]
async fn after_email_me_a_code_the_page_asks_for_that_code_and_folds_the_app_away() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;
    gw.enrol("alice").await;
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "mfa_required");
    let r = gw
        .client()
        .get(gw.url("/.portcullis/mfa"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    let csrf_cookie = cookie_named(&r, "portcullis_csrf").unwrap();
    let page = r.text().await.unwrap();
    let token = {
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..].split('"').next().unwrap().to_owned()
    };
    // Before: the app's code is asked for first, and e-mail is offered.
    assert!(!page.contains("<summary>Use your authenticator app</summary>"));
    let r = gw
        .client()
        .post(gw.url("/.portcullis/mfa/send"))
        .header("cookie", format!("{half}; {csrf_cookie}"))
        .form(&[("csrf", token.as_str()), ("method", "email")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("We sent a code to a***@example.com"),
        "{page}"
    );
    // After: the e-mailed code's field is the one open; the app is behind a summary.
    let folded = page
        .find("<summary>Use your authenticator app</summary>")
        .expect("the app folded away");
    let app_field = page.find("id=\"code\"").unwrap();
    let email_field = page.find("id=\"code-email\"").unwrap();
    assert!(folded < app_field, "the app's field is inside the details");
    let before = &page[..email_field];
    let (opened, closed) = (before.rfind("<details"), before.rfind("</details>"));
    assert!(
        opened.is_none() || closed > opened,
        "the e-mail field is not folded"
    );
    let _ = mail.wait_for(1).await;
}

/// A user whose second factor is e-mailed codes: the password alone must not enrol an app
/// instead (that would make the password enough), on the page or through the API.
#[tokio::test]
async fn a_half_session_of_a_user_with_email_codes_cannot_enrol_an_app_instead() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;
    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "enrollment_required");
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let code = code_in(&mail.wait_for(1).await[0]);
    assert_eq!(gw.mfa(&half, "email", &code).await.status(), 200);

    let (status, half) = gw.password("alice").await;
    assert_eq!(status, "mfa_required");
    let r = gw.post_api("enroll/totp", &half).await;
    assert_eq!(r.status(), 409, "{}", r.text().await.unwrap());
    let r = gw
        .client()
        .get(gw.url("/.portcullis/enroll"))
        .header("cookie", &half)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/.portcullis/mfa"),
        "{:?}",
        r.headers()["location"]
    );
}

/// A trusted device stands in for the second factor at sign-in; it proves nothing fresh: such
/// a session of an e-mail-codes user may not add an authenticator app (and get new backup
/// codes with it). And a pending enrolment belongs to the session that started it: another
/// session (the password alone) cannot choose the secret.
#[tokio::test]
async fn a_trusted_device_session_cannot_add_an_app_and_a_pending_secret_stays_with_its_session() {
    let mail = MailServer::start(MailOptions::default()).await;
    let gw = gateway_mailing(&mail, &format!("smtp://127.0.0.1:{}", mail.port), "").await;

    // Without a factor, two sessions each get their own secret; each confirms only its own.
    let (_, first) = gw.password("alice").await;
    let (_, second) = gw.password("alice").await;
    let secret = |cookie: String| {
        let gw = &gw;
        async move {
            let r = gw.post_api("enroll/totp", &cookie).await;
            assert_eq!(r.status(), 200);
            let body: serde_json::Value = r.json().await.unwrap();
            body["secret"].as_str().unwrap().to_owned()
        }
    };
    let planted = secret(first.clone()).await;
    let own = secret(second.clone()).await;
    assert_ne!(
        planted, own,
        "another session's pending secret is not resumed"
    );
    assert_eq!(
        secret(second.clone()).await,
        own,
        "a reload shows the same one"
    );
    let confirm = |cookie: &str, code: String| {
        gw.client()
            .post(gw.url("/.portcullis/api/enroll/totp/confirm"))
            .header("cookie", cookie)
            .json(&serde_json::json!({"code": code}))
            .send()
    };
    let r = confirm(&second, totp_code(&planted, 0)).await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());

    // Bob (e-mail codes, this browser trusted) signs in by password and device.
    let (_, half) = gw.password("admin").await;
    assert_eq!(
        send(&gw, &half, serde_json::json!({"method": "email"}))
            .await
            .status(),
        202
    );
    let code = code_in(&mail.wait_for(1).await[0]);
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/mfa"))
        .header("cookie", &half)
        .json(&serde_json::json!({"method": "email", "code": code, "remember_device": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let device = cookie_named(&r, "portcullis_device").unwrap();
    let r = gw
        .client()
        .post(gw.url("/.portcullis/api/login"))
        .header("cookie", &device)
        .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let by_device = session_cookie(&r).unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "authenticated", "the device stood in");
    let r = gw.post_api("enroll/totp", &by_device).await;
    assert_eq!(r.status(), 409, "{}", r.text().await.unwrap());
}
