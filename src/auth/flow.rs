//! The login flow as an explicit state machine:
//!
//! ```text
//! (no session) --password ok--> Authenticated            (no second factor needed, grace period,
//!                                                          or a trusted device of this user)
//!                           \-> MfaRequired   (half)     (user has an authenticator)
//!                           \-> EnrollmentRequired (half) (user must enrol first)
//! (half) --second factor ok--> Authenticated (new session id)
//! ```
//!
//! Every failure has one answer, whatever the cause (unknown user, wrong password, disabled
//! account), so the answer tells an attacker nothing. Failures of any factor count against the
//! account across sessions and IPs; at `max_failures` it is locked, and while locked even the
//! right password or code gets the lockout answer. Only a complete sign-in resets the count: a
//! correct password that still needs a code does not (else N-1 guesses per login, forever).

use std::net::IpAddr;
use std::sync::Arc;

use crate::app::{blocking, App};
use crate::audit::{Event, Kind, Outcome};
use crate::auth::hasher::Busy;
use crate::auth::mfa::Factors;
use crate::auth::sent_codes::{Channel, SentCodes};
use crate::auth::session::{Claims, Factor};
use crate::auth::users::User;
use crate::config::MfaMethod;
use crate::metrics::AuthResult;
use crate::store::{Attempter, Consumed, LockoutPolicy};

// The denials, as message keys (`locales/*/main.ftl`): each reads the same whatever the cause.

/// The one message for every failed sign-in.
pub const INVALID_CREDENTIALS: &str = "invalid-credentials";
/// The message for a wrong first code while enrolling (there are no backup codes yet).
pub const INVALID_ENROL_CODE: &str = "invalid-enrol-code";
/// The one message for every failed code from the app: wrong, expired or already used read the
/// same (saying "used" would confirm a stolen code was right).
pub const INVALID_CODE: &str = "invalid-code";
/// The one message for every failed backup code.
pub const INVALID_BACKUP_CODE: &str = "invalid-backup-code";

/// The one message for every refused passkey: unknown, another user's, replayed, blocked.
pub const INVALID_PASSKEY: &str = "invalid-passkey";

/// The message key for a failed second factor of `method` (a name from a form or the API).
pub fn invalid_code_message(method: &str) -> &'static str {
    match method {
        "backup_code" => INVALID_BACKUP_CODE,
        "webauthn" => INVALID_PASSKEY,
        _ => INVALID_CODE,
    }
}
/// Lockouts never last longer than this (DESIGN §3 `[limits] lockout`).
const LOCKOUT_CAP: u64 = 3600;

#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Full session; nothing more to prove.
    Authenticated(Claims),
    /// Half session; a second factor must follow.
    MfaRequired(Claims),
    /// Half session; the user must enrol a second factor first.
    EnrollmentRequired(Claims),
    Invalid,
    /// Locked out; the same answer whatever the password. `trusted_device`: the lockout of the
    /// trusted device this browser holds (its own failures), not the account's.
    Locked {
        retry_after: u64,
        trusted_device: bool,
    },
}

impl LoginOutcome {
    pub fn claims(&self) -> Option<&Claims> {
        match self {
            LoginOutcome::Authenticated(c)
            | LoginOutcome::MfaRequired(c)
            | LoginOutcome::EnrollmentRequired(c) => Some(c),
            LoginOutcome::Invalid | LoginOutcome::Locked { .. } => None,
        }
    }
}

/// The result of a second-factor attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorOutcome {
    Accepted(Factor),
    Invalid,
    Locked { retry_after: u64 },
}

/// Why the flow could not give an answer at all (never shown in detail to the client).
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("store: {0}")]
    Store(String),
}

impl From<crate::app::BlockingError> for FlowError {
    fn from(e: crate::app::BlockingError) -> Self {
        FlowError::Store(e.0)
    }
}

/// A sign-in attempt as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The device cookie, if the browser sent one.
    pub device: Option<&'a str>,
    pub ip: IpAddr,
}

/// Does policy oblige this user to use a second factor?
pub fn mfa_required_for(app: &App, user: &User) -> bool {
    app.config.mfa.required_for(&user.groups)
}

pub fn lockout_policy(app: &App) -> LockoutPolicy {
    LockoutPolicy {
        max_failures: app.config.limits.max_failures,
        base: app.config.limits.lockout.as_secs(),
        cap: LOCKOUT_CAP,
    }
}

/// Whose failures count and which lockout applies (owned, to cross into the blocking pool);
/// see [`Attempter`].
#[derive(Debug, Clone)]
enum Who {
    /// Any client without a trusted device of the account: the user name as typed.
    Account(String),
    /// The browser holding the trusted device with this id.
    Device(String),
}

impl Who {
    /// The key of its [`crate::auth::limits::AttemptGate`].
    fn gate_key(&self) -> String {
        match self {
            Who::Account(u) => format!("account:{u}"),
            Who::Device(id) => format!("device:{id}"),
        }
    }

    fn attempter(&self) -> Attempter<'_> {
        match self {
            Who::Account(u) => Attempter::Account(u),
            Who::Device(id) => Attempter::Device(id),
        }
    }
}

/// Counts a failed factor of `who` (signing in as `user`); when this failure locks it out, the
/// seconds until it opens, so that the person who made it reads the lockout now rather than at
/// the next attempt. The lockout is audited with its kind (account or trusted device).
async fn fail(app: &Arc<App>, user: &str, who: &Who, now: u64) -> Result<Option<u64>, FlowError> {
    let (w, policy) = (who.clone(), lockout_policy(app));
    let locked_until = blocking(app, move |app| {
        app.store.record_failure(w.attempter(), now, policy)
    })
    .await?;
    if let Some(until) = locked_until {
        app.metrics.locked_out();
        crate::notices::notify_without_browser(app, user, crate::notices::Notice::LockedOut);
        let whose = match who {
            Who::Account(_) => "account".to_owned(),
            Who::Device(id) => format!("trusted device {id}"),
        };
        app.audit.record(
            crate::audit::Event::new(
                now,
                crate::audit::Kind::LockedOut,
                crate::audit::Outcome::Info,
            )
            .with_user(user)
            .with_detail(&format!(
                "{whose} until {}",
                humantime::format_rfc3339_seconds(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(until)
                )
            )),
        );
    }
    Ok(locked_until.map(|until| until.saturating_sub(now)))
}

async fn locked(app: &Arc<App>, who: &Who, now: u64) -> Result<Option<u64>, FlowError> {
    let w = who.clone();
    Ok(
        blocking(app, move |app| app.store.locked_until(w.attempter(), now))
            .await?
            .map(|t| t - now),
    )
}

async fn succeed(app: &Arc<App>, who: &Who) -> Result<(), FlowError> {
    let w = who.clone();
    Ok(blocking(app, move |app| app.store.clear_failures(w.attempter())).await?)
}

/// Checks a user name and password. Unknown users cost one argon2 verification too.
pub async fn password_step(
    app: &Arc<App>,
    a: Attempt<'_>,
    now: u64,
) -> Result<LoginOutcome, FlowError> {
    // Bound the work an attacker can ask for; real passwords are far shorter.
    if a.password.is_empty()
        || a.password.len() > 1024
        || a.username.is_empty()
        || a.username.len() > 256
    {
        let _ = app.hasher.verify(None, String::new()).await?;
        app.metrics.auth("password", AuthResult::Failure);
        return Ok(LoginOutcome::Invalid);
    }
    let user = app.users().get(a.username).cloned();
    // OWASP "device cookies" (DESIGN §3 [limits]): a browser presenting a live trusted device of
    // this account answers only for its own failures, so that failures from other clients (a
    // script guessing, or trying to lock the user out) cannot lock it out. Anyone else shares
    // the account's count; unknown names are counted too, so a lockout tells nothing about who
    // exists. An invalid, foreign or revoked device cookie is no device at all.
    let device = trusted_device(app, a.username, user.as_deref(), a.device, now).await?;
    let who = match &device {
        Some(id) => Who::Device(id.clone()),
        None => Who::Account(a.username.to_owned()),
    };
    let trusted = device.is_some();
    // Check, verify and count as one step per account or device: see AttemptGate.
    let _turn = app.attempts.enter(who.gate_key()).await;
    if let Some(retry_after) = locked(app, &who, now).await? {
        app.metrics.auth("password", AuthResult::Locked);
        return Ok(LoginOutcome::Locked {
            retry_after,
            trusted_device: trusted,
        });
    }
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = app.hasher.verify(hash, a.password.to_owned()).await?;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            app.metrics.auth("password", AuthResult::Failure);
            return Ok(match fail(app, a.username, &who, now).await? {
                Some(retry_after) => LoginOutcome::Locked {
                    retry_after,
                    trusted_device: trusted,
                },
                None => LoginOutcome::Invalid,
            });
        }
    };
    app.metrics.auth("password", AuthResult::Success);
    let name = user.name.clone();
    let enrolled = enrolled(app, &user).await?;
    let first_login = blocking(app, move |app| app.store.first_login(&name, now)).await?;
    let sessions = &app.sessions;
    if enrolled {
        if let Some(device) = device {
            // The device's own count starts over; the account's stays for other clients.
            succeed(app, &who).await?;
            let id = device.clone();
            blocking(app, move |app| app.store.touch_device(&id, now)).await?;
            app.metrics.auth("trusted_device", AuthResult::Success);
            tracing::info!(event = "device_used", user = %user.name, device = %device, "trusted device skipped the second factor");
            note_sign_in(app, &user.name, now).await;
            let claims = sessions.start(&user, true, now);
            return Ok(LoginOutcome::Authenticated(sessions.step_up(
                &claims,
                Factor::Device,
                now,
            )));
        }
        return Ok(LoginOutcome::MfaRequired(sessions.start(&user, true, now)));
    }
    if !mfa_required_for(app, &user) {
        succeed(app, &who).await?;
        note_sign_in(app, &user.name, now).await;
        return Ok(LoginOutcome::Authenticated(
            sessions.start(&user, false, now),
        ));
    }
    let grace_until = first_login + app.config.mfa.grace_period.as_secs();
    if now < grace_until {
        succeed(app, &who).await?;
        note_sign_in(app, &user.name, now).await;
        return Ok(LoginOutcome::Authenticated(sessions.start_with(
            &user,
            false,
            Some(grace_until),
            now,
        )));
    }
    Ok(LoginOutcome::EnrollmentRequired(
        sessions.start(&user, true, now),
    ))
}

/// The id of a live trusted device of the account `name` named by the device cookie. `user` is
/// the account when it exists: an unknown name goes through the same work (the token's MAC, a
/// store read on the blocking pool) so that the time taken tells nothing about who exists.
async fn trusted_device(
    app: &Arc<App>,
    name: &str,
    user: Option<&User>,
    token: Option<&str>,
    now: u64,
) -> Result<Option<String>, FlowError> {
    let Some(token) = token.filter(|_| app.config.trusted_devices.enabled) else {
        return Ok(None);
    };
    let (name, token) = (name.to_owned(), token.to_owned());
    let epoch = app.sessions.epoch(&name);
    let pwf = app
        .sessions
        .password_fingerprint(user.map_or("", |u| u.password_hash.as_str()));
    let exists = user.is_some();
    let found = blocking(app, move |app| {
        app.devices
            .recognise(&app.store, &token, &name, epoch, &pwf, now)
    })
    .await?;
    Ok(found.filter(|_| exists))
}

/// Remembers the device a second factor was just proved on; returns the cookie value.
pub async fn trust_device(
    app: &Arc<App>,
    user_name: &str,
    ip: IpAddr,
    user_agent: &str,
    now: u64,
) -> Result<Option<String>, FlowError> {
    let Some(user) = app.users().get(user_name).cloned() else {
        return Ok(None);
    };
    let epoch = app.sessions.epoch(&user.name);
    let pwf = app.sessions.password_fingerprint(&user.password_hash);
    let ua = user_agent.to_owned();
    let token = blocking(app, move |app| {
        let ip = ip.to_string();
        app.devices.trust(
            &app.store,
            &user,
            epoch,
            pwf,
            crate::auth::devices::Seen {
                ip: &ip,
                user_agent: &ua,
            },
            now,
        )
    })
    .await?;
    app.audit.record(
        crate::audit::Event::new(
            now,
            crate::audit::Kind::DeviceTrusted,
            crate::audit::Outcome::Success,
        )
        .with_user(user_name)
        .with_ip(ip)
        .with_user_agent(Some(user_agent)),
    );
    Ok(Some(token))
}

/// Which second factor a request names, if this gateway offers it.
pub fn method(app: &App, name: &str) -> Option<MfaMethod> {
    let m = MfaMethod::ALL.into_iter().find(|m| m.as_str() == name)?;
    app.config.mfa.methods.contains(&m).then_some(m)
}

/// The second factors `user` can prove now, in `[mfa] methods` order: the authenticator app
/// when enrolled, e-mail and SMS where the users file has the address or number, backup codes
/// while some are left.
pub async fn user_methods(app: &Arc<App>, user: &User) -> Result<Vec<MfaMethod>, FlowError> {
    let name = user.name.clone();
    let status = blocking(app, move |app| Factors::status(&app.store, &name)).await?;
    Ok(app
        .config
        .mfa
        .methods
        .iter()
        .copied()
        .filter(|m| match m {
            MfaMethod::Totp => status.totp == "active",
            MfaMethod::BackupCode => status.backup_codes_left > 0,
            MfaMethod::Webauthn => status.passkeys > 0,
            // Offered whether enrolled or not: the way back in when the phone is lost, and
            // the way to enrol (proving a code enrols the channel).
            MfaMethod::Email | MfaMethod::Sms => Channel::from_method(*m)
                .is_some_and(|c| crate::auth::sending::destination(app, user, c).is_some()),
        })
        .collect())
}

/// When `user`'s account is locked at `now`, the seconds until it opens.
pub async fn account_locked(
    app: &Arc<App>,
    user: &str,
    now: u64,
) -> Result<Option<u64>, FlowError> {
    locked(app, &Who::Account(user.to_owned()), now).await
}

/// The e-mail and SMS channels the operator lists and the users file has an address or number
/// for (DESIGN §6): codes may be sent over them, to sign in or to enrol.
pub fn offered_channels(app: &App, user: &User) -> Vec<Channel> {
    [Channel::Email, Channel::Sms]
        .into_iter()
        .filter(|c| crate::auth::sending::destination(app, user, *c).is_some())
        .collect()
}

/// Has `user` enrolled a second factor: an authenticator app, a passkey (even a blocked one),
/// or e-mail or SMS codes over a channel the users file still names? Backup codes alone do
/// not count: they come with a factor. Without one, a sign-in asks to enrol.
pub async fn enrolled(app: &Arc<App>, user: &User) -> Result<bool, FlowError> {
    let channels = offered_channels(app, user);
    let name = user.name.clone();
    Ok(blocking(app, move |app| {
        Ok::<_, crate::store::StoreError>(
            Factors::is_enrolled(&app.store, &name)?
                || enrolled_channel(&app.store, &name, &channels)?,
        )
    })
    .await?)
}

/// True when `user` enrolled one of `channels` (by proving a code sent over it).
fn enrolled_channel(
    store: &crate::store::Store,
    user: &str,
    channels: &[Channel],
) -> Result<bool, crate::store::StoreError> {
    for c in channels {
        if store.channel_enrolled(user, c.name())?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks a second factor for `user`, counting failures against the account.
pub async fn check_second_factor(
    app: &Arc<App>,
    user: &str,
    method_name: &str,
    code: &str,
    now: u64,
) -> Result<FactorOutcome, FlowError> {
    let who = Who::Account(user.to_owned());
    let _turn = app.attempts.enter(who.gate_key()).await;
    if let Some(retry_after) = locked(app, &who, now).await? {
        app.metrics.auth(method_name, AuthResult::Locked);
        return Ok(FactorOutcome::Locked { retry_after });
    }
    let m = method(app, method_name);
    // Bound the work: a real code is a few characters, a passkey's answer a few KiB.
    let bound = match m {
        Some(MfaMethod::Webauthn) => crate::auth::webauthn::MAX_RESPONSE,
        _ => 64,
    };
    let ok = match m {
        Some(m) if code.len() <= bound => {
            let (name, code) = (user.to_owned(), code.to_owned());
            // Bound to where the code was sent: a code sent to an address or number the users
            // file no longer names is dead.
            let sent_hash = Channel::from_method(m).and_then(|channel| {
                let to = app.users().get(user).and_then(|u| {
                    crate::auth::sending::destination(app, u, channel).map(str::to_owned)
                })?;
                SentCodes::normalize(&code)
                    .map(|c| (channel, app.sent_codes.hash(user, channel, &to, &c)))
            });
            let (ok, enrolled) = blocking(app, move |app| match m {
                MfaMethod::Totp => Ok((
                    app.factors.verify_totp(&app.store, &name, &code, now)?,
                    None,
                )),
                MfaMethod::BackupCode => {
                    Ok((app.factors.use_backup_code(&app.store, &name, &code)?, None))
                }
                MfaMethod::Webauthn => Ok((passkey_proved(app, &name, &code, now)?, None)),
                MfaMethod::Email | MfaMethod::Sms => match sent_hash {
                    Some((channel, hash)) => {
                        let ok = app.store.consume_code(&name, channel.name(), &hash, now)?
                            == Consumed::Accepted;
                        // Proving a code sent over a channel enrols it (DESIGN §6).
                        let new = ok && app.store.enrol_channel(&name, channel.name(), now)?;
                        Ok::<_, crate::auth::mfa::FactorError>((ok, new.then_some(channel)))
                    }
                    // Not six digits: no attempt on the code, but a failure all the same.
                    None => Ok((false, None)),
                },
            })
            .await?;
            if let Some(channel) = enrolled {
                let notice = match channel {
                    Channel::Email => crate::notices::Notice::EmailCodesEnrolled,
                    Channel::Sms => crate::notices::Notice::SmsCodesEnrolled,
                };
                crate::notices::notify_without_browser(app, user, notice);
            }
            ok
        }
        _ => false,
    };
    if !ok {
        app.metrics.auth(method_name, AuthResult::Failure);
        return Ok(match fail(app, user, &who, now).await? {
            Some(retry_after) => FactorOutcome::Locked { retry_after },
            None => FactorOutcome::Invalid,
        });
    }
    succeed(app, &who).await?;
    app.metrics.auth(method_name, AuthResult::Success);
    Ok(FactorOutcome::Accepted(match m {
        Some(MfaMethod::Totp) => Factor::Otp,
        Some(MfaMethod::Email) => Factor::Email,
        Some(MfaMethod::Sms) => Factor::Sms,
        Some(MfaMethod::Webauthn) => Factor::Hwk,
        _ => Factor::Backup,
    }))
}

/// Verifies a passkey's answer (`code`: the `{"ceremony","credential"}` JSON) as `user`'s
/// second factor. A refusal is a plain failure; a counter that went back is also audited, and
/// the credential stays blocked.
fn passkey_proved(
    app: &App,
    user: &str,
    code: &str,
    now: u64,
) -> Result<bool, crate::auth::mfa::FactorError> {
    use crate::auth::webauthn::{Answer, PasskeyError};
    let Some(passkeys) = &app.passkeys else {
        return Ok(false);
    };
    let verdict = Answer::parse(code)
        .and_then(|a| passkeys.finish_assertion(&app.store, Some(user), &a, now));
    match verdict {
        Ok(_) => Ok(true),
        Err(PasskeyError::Store(e)) => Err(e.into()),
        Err(e) => {
            passkey_refused(app, &e, now);
            Ok(false)
        }
    }
}

/// A passwordless sign-in (`[mfa.webauthn] passwordless`): a discoverable passkey with user
/// verification proves possession of the key and the person (amr `hwk` + `user`) and opens a
/// full session alone. `answer` is the page's `{"ceremony","credential"}` JSON. The
/// credential names the user; their account lockout applies and a refusal counts towards it.
/// Returns `Authenticated`, `Invalid` or `Locked`.
pub async fn passwordless_step(
    app: &Arc<App>,
    answer: &str,
    now: u64,
) -> Result<LoginOutcome, FlowError> {
    use crate::auth::webauthn::{Answer, PasskeyError};
    // Off: nothing is looked up, and no account is charged with a failure.
    if !app.passkeys.as_ref().is_some_and(|p| p.passwordless()) {
        return Ok(LoginOutcome::Invalid);
    }
    let Ok(answer) = Answer::parse(answer) else {
        app.metrics.auth("webauthn", AuthResult::Failure);
        return Ok(LoginOutcome::Invalid);
    };
    // Whose credential it claims to be, to apply their lockout before any verification.
    let raw_id = answer
        .credential
        .get("rawId")
        .or_else(|| answer.credential.get("id"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_owned();
    let owner = blocking(app, move |app| app.store.passkey(&raw_id))
        .await?
        .map(|p| p.user);
    let Some(name) = owner else {
        app.metrics.auth("webauthn", AuthResult::Failure);
        return Ok(LoginOutcome::Invalid);
    };
    let who = Who::Account(name.clone());
    let _turn = app.attempts.enter(who.gate_key()).await;
    if let Some(retry_after) = locked(app, &who, now).await? {
        app.metrics.auth("webauthn", AuthResult::Locked);
        return Ok(LoginOutcome::Locked {
            retry_after,
            trusted_device: false,
        });
    }
    let verdict = blocking(app, move |app| {
        let verdict = match &app.passkeys {
            Some(p) if p.passwordless() => p.finish_assertion(&app.store, None, &answer, now),
            _ => Err(PasskeyError::Refused("passwordless sign-in is off".into())),
        };
        if let Err(e) = &verdict {
            passkey_refused(app, e, now);
        }
        Ok::<_, std::convert::Infallible>(verdict)
    })
    .await?;
    let user = match verdict {
        Ok(a) if a.user == name => app.users().get(&a.user).cloned().filter(|u| !u.disabled),
        Ok(_) => None,
        Err(PasskeyError::Store(e)) => return Err(FlowError::Store(e.to_string())),
        Err(_) => None,
    };
    let Some(user) = user else {
        app.metrics.auth("webauthn", AuthResult::Failure);
        return Ok(match fail(app, &name, &who, now).await? {
            Some(retry_after) => LoginOutcome::Locked {
                retry_after,
                trusted_device: false,
            },
            None => LoginOutcome::Invalid,
        });
    };
    succeed(app, &who).await?;
    app.metrics.auth("webauthn", AuthResult::Success);
    let mut claims = app.sessions.start(&user, false, now);
    claims.amr = vec![Factor::Hwk, Factor::User];
    claims.fat = Some(now);
    note_sign_in(app, &user.name, now).await;
    Ok(LoginOutcome::Authenticated(claims))
}

/// Logs why a passkey was refused. A suspected clone (its credential is now blocked) is
/// audited, and every session of the user ends (on every replica): sessions the copy opened
/// before it was caught must not outlive it. Blocks on the store: call from the blocking pool.
pub fn passkey_refused(app: &App, e: &crate::auth::webauthn::PasskeyError, now: u64) {
    if let crate::auth::webauthn::PasskeyError::CloneSuspected { user, id, name } = e {
        tracing::warn!(user, credential = id, "{e}");
        if let Err(e) = app.end_sessions(user) {
            tracing::error!(user, error = %e, "could not end the sessions of a user whose passkey was cloned");
        }
        app.audit.record(
            Event::new(now, Kind::PasskeyCloneSuspected, Outcome::Failure)
                .with_user(user)
                .with_detail(&format!(
                    "\"{name}\" blocked: its signature counter went back"
                )),
        );
    } else {
        tracing::info!(error = %e, "passkey refused");
    }
}

/// May this session enrol a factor? A session that proved a second factor may (replacing one
/// from the account page, adding a passkey); one that did not — a half session, or a
/// password-only one in the grace period — only while the user has no factor at all.
/// Otherwise the password alone would enrol a new factor and stand in for the one the user has
/// (an app, a passkey, e-mail or SMS codes).
pub async fn may_enrol(app: &Arc<App>, claims: &Claims) -> Result<bool, FlowError> {
    if claims.has_second_factor() {
        return Ok(true);
    }
    let Some(user) = app.users().get(&claims.sub).cloned() else {
        return Ok(false);
    };
    Ok(!enrolled(app, &user).await?)
}

/// Starts or resumes a TOTP enrolment for the session's user; `None` when the user already has
/// a factor this session may not replace (see [`may_enrol`]). Only a full session with a
/// second factor may finish a replacement (started on the account page after a fresh code) —
/// never a half session.
pub async fn start_enrolment(
    app: &Arc<App>,
    claims: &Claims,
    now: u64,
) -> Result<Option<crate::auth::mfa::Enrolment>, FlowError> {
    if !may_enrol(app, claims).await? {
        return Ok(None);
    }
    let who = enroller(app, claims, now).await?;
    Ok(blocking(app, move |app| {
        match app
            .factors
            .start_enrolment(&app.store, &who.user, now, who.get())
        {
            Ok(e) => Ok(Some(e)),
            Err(crate::auth::mfa::FactorError::AlreadyEnrolled) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await?)
}

/// What [`crate::auth::mfa::Enroller`] says of a session that enrols an app, owned.
struct EnrollerOf {
    user: String,
    session: String,
    may_replace: bool,
    enrolled: bool,
    fresh: bool,
}

impl EnrollerOf {
    fn get(&self) -> crate::auth::mfa::Enroller<'_> {
        crate::auth::mfa::Enroller {
            session: &self.session,
            may_replace: self.may_replace,
            enrolled: self.enrolled,
            fresh: self.fresh,
        }
    }
}

async fn enroller(app: &Arc<App>, claims: &Claims, now: u64) -> Result<EnrollerOf, FlowError> {
    let enrolled = match app.users().get(&claims.sub).cloned() {
        Some(u) => enrolled(app, &u).await?,
        None => true,
    };
    let window = app.config.mfa.challenge_timeout.as_secs();
    Ok(EnrollerOf {
        user: claims.sub.clone(),
        session: claims.sid.clone(),
        may_replace: claims.has_second_factor(),
        enrolled,
        fresh: claims.factor_proved_within(window, now),
    })
}

/// Activates the session's pending TOTP enrolment with its first code: the backup codes to
/// show once, and whether an active authenticator was replaced. `None` when the code is wrong,
/// nothing is pending for this session, or the session may not enrol (see [`may_enrol`] and
/// [`crate::auth::mfa::Factors::confirm_enrolment`]).
pub async fn confirm_enrolment(
    app: &Arc<App>,
    claims: &Claims,
    code: &str,
    now: u64,
) -> Result<Option<(Vec<String>, bool)>, FlowError> {
    if !may_enrol(app, claims).await? {
        return Ok(None);
    }
    let who = enroller(app, claims, now).await?;
    let code = code.to_owned();
    Ok(blocking(app, move |app| {
        // Whether an active authenticator is being replaced, for the notice.
        let had = app.store.totp(&who.user)?.is_some();
        app.factors
            .confirm_enrolment(&app.store, &who.user, &code, now, who.get())
            .map(|codes| codes.map(|c| (c, had)))
    })
    .await?)
}

/// Steps a session up after a second factor: a new session id, and the old one revoked.
pub async fn step_up(app: &Arc<App>, claims: &Claims, factor: Factor, now: u64) -> Claims {
    let fresh = app.sessions.step_up(claims, factor, now);
    if let Err(e) = app.revoke_session(&claims.sid, claims.exp).await {
        tracing::error!(error = %e, "could not store the revocation of a stepped-up session");
    }
    note_sign_in(app, &claims.sub, now).await;
    fresh
}

/// Records a complete sign-in for the admin page's "last sign-in". Only logged when it
/// cannot be stored: the sign-in itself has succeeded.
async fn note_sign_in(app: &Arc<App>, user: &str, now: u64) {
    let name = user.to_owned();
    if let Err(e) = blocking(app, move |app| app.store.note_sign_in(&name, now)).await {
        tracing::warn!(error = %e, user, "could not record the time of a sign-in");
    }
}

/// What `GET P/api/mfa/status` and the account page show of a user's two-step verification.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MfaOverview {
    /// Does policy oblige this user to use a second factor?
    pub required: bool,
    pub methods: Vec<MethodStatus>,
    pub backup_codes_left: usize,
    /// Masked, when codes may be sent there.
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One method in use: unix times, `null` where unknown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MethodStatus {
    pub method: &'static str,
    pub enrolled_at: Option<u64>,
    pub last_used_at: Option<u64>,
}

/// The user's two-step verification as they may see it.
pub async fn overview(app: &Arc<App>, user: &User) -> Result<MfaOverview, FlowError> {
    let name = user.name.clone();
    let (status, totp, email_at, sms_at, passkeys_at) = blocking(app, move |app| {
        Ok::<_, crate::store::StoreError>((
            Factors::status(&app.store, &name)?,
            app.store.totp(&name)?,
            app.store.channel_enrolled(&name, "email")?,
            app.store.channel_enrolled(&name, "sms")?,
            app.store.passkeys(&name)?.first().map(|(_, p)| p.created),
        ))
    })
    .await?;
    // The methods in use: enrolled ones, in `[mfa] methods` order.
    let methods = user_methods(app, user)
        .await?
        .into_iter()
        .filter_map(|m| {
            let enrolled_at = match m {
                MfaMethod::Totp | MfaMethod::BackupCode => status.enrolled_at,
                MfaMethod::Webauthn => passkeys_at,
                MfaMethod::Email => Some(email_at?),
                MfaMethod::Sms => Some(sms_at?),
            };
            Some(MethodStatus {
                method: m.as_str(),
                enrolled_at,
                last_used_at: match (m, &totp) {
                    (MfaMethod::Totp, Some(t)) if t.last_step > 0 => Some(t.last_step * t.period),
                    _ => None,
                },
            })
        })
        .collect();
    let shown = |c: Channel| {
        crate::auth::sending::destination(app, user, c).map(|d| crate::auth::sending::masked(c, d))
    };
    Ok(MfaOverview {
        required: mfa_required_for(app, user),
        methods,
        backup_codes_left: status.backup_codes_left,
        email: shown(Channel::Email),
        phone: shown(Channel::Sms),
    })
}

/// Why two-step verification could not be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisableOutcome {
    /// Off: a new epoch (every session and trusted device ended).
    Done {
        epoch: u64,
    },
    /// Policy requires it (`[mfa] required` or a `required_groups` membership).
    RequiredByPolicy,
    /// The password or the code was wrong.
    Invalid,
    Locked {
        retry_after: u64,
    },
}

/// Turns two-step verification off for `user`: refused where policy requires it; otherwise
/// needs the password and a fresh second factor (each failure counts toward the lockout).
pub async fn disable_mfa(
    app: &Arc<App>,
    user: &User,
    password: &str,
    method: &str,
    code: &str,
    now: u64,
) -> Result<DisableOutcome, FlowError> {
    // `[mfa.self_service] allow_disable = false` is a policy for everyone.
    if mfa_required_for(app, user) || !app.config.mfa.self_service.allow_disable {
        return Ok(DisableOutcome::RequiredByPolicy);
    }
    if password.is_empty() || password.len() > 1024 {
        return Ok(DisableOutcome::Invalid);
    }
    let who = Who::Account(user.name.clone());
    {
        let _turn = app.attempts.enter(who.gate_key()).await;
        if let Some(retry_after) = locked(app, &who, now).await? {
            return Ok(DisableOutcome::Locked { retry_after });
        }
        let ok = app
            .hasher
            .verify(Some(user.password_hash.clone()), password.to_owned())
            .await?;
        if !ok {
            return Ok(match fail(app, &user.name, &who, now).await? {
                Some(retry_after) => DisableOutcome::Locked { retry_after },
                None => DisableOutcome::Invalid,
            });
        }
    }
    match check_second_factor(app, &user.name, method, code, now).await? {
        FactorOutcome::Accepted(_) => {}
        FactorOutcome::Invalid => return Ok(DisableOutcome::Invalid),
        FactorOutcome::Locked { retry_after } => return Ok(DisableOutcome::Locked { retry_after }),
    }
    let name = user.name.clone();
    let epoch = blocking(app, move |app| app.store.turn_mfa_off(&name, now)).await?;
    app.sessions.set_epoch(&user.name, epoch);
    app.metrics.sessions_revoked(true);
    Ok(DisableOutcome::Done { epoch })
}
