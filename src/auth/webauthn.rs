//! Passkeys and security keys (W3C WebAuthn Level 2, through `webauthn-rs`).
//!
//! A ceremony has two halves. `start_*` makes the options the browser passes to
//! `navigator.credentials.create()` / `.get()` and stores the challenge state under a random
//! ceremony id ([`crate::store::Store::put_ceremony`]); `finish_*` takes that state back
//! exactly once ([`crate::store::Store::take_ceremony`], so an assertion cannot be replayed,
//! §13.4.3) and verifies the browser's answer against it: origin, relying party id, challenge,
//! signature, user presence and verification, and the allowed credentials (so another user's
//! credential is refused). Then the store checks that the signature counter went up (§6.1.1):
//! when it did not, the credential is marked as possibly cloned, refused from then on, and the
//! caller audits it.
//!
//! `[mfa.webauthn] user_verification`: `required` uses `webauthn-rs`'s passkey flow (UV
//! required), `preferred` its security-key flow (UV preferred), `discouraged` the security-key
//! flow with presence only. With `passwordless = true` registrations always require user
//! verification and ask for a discoverable credential, which then signs in alone: it proves
//! possession of the key (`hwk`) and the user's PIN or biometric (`user`), two factors.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::*;

use crate::auth::users::User;
use crate::config::{Config, UserVerification};
use crate::store::records::{CeremonyV1, PasskeyRecordV1};
use crate::store::{PasskeyUse, Store, StoreError};

/// The longest credential name kept.
pub const MAX_NAME: usize = 64;

/// The largest browser answer read (an attestation with certificates is a few KiB).
pub const MAX_RESPONSE: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The answer does not verify, or its ceremony is unknown, used, expired or another
    /// user's; the text is for logs only.
    #[error("passkey refused: {0}")]
    Refused(String),
    /// The credential's signature counter went back: it is now blocked.
    #[error(
        "passkey {id} of {user}: the signature counter went back (cloned authenticator suspected)"
    )]
    CloneSuspected {
        user: String,
        id: String,
        name: String,
    },
    /// The user has no usable credential to assert with.
    #[error("no passkey registered")]
    NoCredentials,
    /// This credential is registered already.
    #[error("this passkey is registered already")]
    Duplicate,
}

fn refused(why: impl std::fmt::Display) -> PasskeyError {
    PasskeyError::Refused(why.to_string())
}

/// The challenge state of a ceremony, as stored.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "snake_case")]
enum State {
    PasskeyRegistration(PasskeyRegistration),
    SecurityKeyRegistration(SecurityKeyRegistration),
    PasskeyAuthentication(PasskeyAuthentication),
    SecurityKeyAuthentication(SecurityKeyAuthentication),
    Discoverable(DiscoverableAuthentication),
}

/// What the browser sends back to finish an assertion: the ceremony and the
/// `PublicKeyCredential` (as JSON, binary fields base64url).
#[derive(Debug, Deserialize)]
pub struct Answer {
    pub ceremony: String,
    pub credential: serde_json::Value,
}

impl Answer {
    /// Reads the `{"ceremony","credential"}` text a page's script puts in the form's `code`.
    pub fn parse(text: &str) -> Result<Answer, PasskeyError> {
        if text.len() > MAX_RESPONSE {
            return Err(refused("answer too large"));
        }
        serde_json::from_str(text).map_err(|e| refused(format!("unreadable answer: {e}")))
    }
}

/// A verified assertion.
#[derive(Debug, Clone)]
pub struct Asserted {
    pub user: String,
    /// The credential id (base64url).
    pub id: String,
    pub name: String,
}

/// Options for the browser and the id of the ceremony they belong to.
#[derive(Debug, Serialize)]
pub struct Started {
    pub ceremony: String,
    /// `{"publicKey": …}`, binary fields base64url.
    pub options: serde_json::Value,
}

pub struct Passkeys {
    webauthn: Webauthn,
    uv_required: bool,
    passwordless: bool,
    /// Seconds a ceremony may take (`[mfa] challenge_timeout`).
    timeout: u64,
}

impl std::fmt::Debug for Passkeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passkeys")
            .field("uv_required", &self.uv_required)
            .field("passwordless", &self.passwordless)
            .finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn new_ceremony_id() -> String {
    let mut id = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut id);
    b64(&id)
}

/// The relying party id: `[mfa.webauthn] rp_id`, or `public_url`'s host.
fn rp_id(config: &Config) -> String {
    config
        .mfa
        .webauthn
        .rp_id
        .clone()
        .or_else(|| config.server.public_url.host_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Passkeys {
    /// The relying party of `config`, or `None` when `[mfa] methods` does not list
    /// "webauthn".
    ///
    /// Errors: an `rp_id` that is not `public_url`'s host or a parent domain of it (WebAuthn
    /// §5.1.3), in words for the config check.
    pub fn from_config(config: &Config) -> Result<Option<Passkeys>, String> {
        if !config
            .mfa
            .methods
            .contains(&crate::config::MfaMethod::Webauthn)
        {
            return Ok(None);
        }
        let w = &config.mfa.webauthn;
        let rp = rp_id(config);
        let origin = &config.server.public_url;
        // The name a passkey manager shows beside the credential: the operator's title, or
        // the site's host when the title is the default "Sign in".
        let rp_name = match config.ui.title.as_str() {
            "" | "Sign in" => origin.host_str().unwrap_or(&rp).to_owned(),
            title => title.to_owned(),
        };
        let webauthn = WebauthnBuilder::new(&rp, origin)
            .and_then(|b| {
                b.rp_name(&rp_name)
                    .timeout(config.mfa.challenge_timeout)
                    .danger_set_user_presence_only_security_keys(
                        w.user_verification == UserVerification::Discouraged && !w.passwordless,
                    )
                    .build()
            })
            .map_err(|e| {
                format!("relying party id \"{rp}\" does not fit public_url {origin} ({e}): it must be its host or a parent domain of it")
            })?;
        Ok(Some(Passkeys {
            webauthn,
            uv_required: w.user_verification == UserVerification::Required || w.passwordless,
            passwordless: w.passwordless,
            timeout: config.mfa.challenge_timeout.as_secs().max(1),
        }))
    }

    /// May a discoverable passkey sign in alone?
    pub fn passwordless(&self) -> bool {
        self.passwordless
    }

    fn put(&self, store: &Store, rec: CeremonyV1, state: &State) -> Result<String, PasskeyError> {
        let id = new_ceremony_id();
        let rec = CeremonyV1 {
            state: serde_json::to_value(state).map_err(refused)?,
            ..rec
        };
        store.put_ceremony(&id, &rec)?;
        Ok(id)
    }

    /// A ceremony record for `purpose` and `user`, expiring with `challenge_timeout`.
    fn ceremony(&self, purpose: &str, user: Option<&str>, now: u64) -> CeremonyV1 {
        CeremonyV1 {
            purpose: purpose.to_owned(),
            user: user.map(str::to_owned),
            state: serde_json::Value::Null,
            user_handle: None,
            session: None,
            first: false,
            expires: now + self.timeout,
        }
    }

    /// Takes the ceremony `id` for `purpose` and `user` (`None`: passwordless), once.
    fn take(
        &self,
        store: &Store,
        id: &str,
        purpose: &str,
        user: Option<&str>,
        now: u64,
    ) -> Result<(State, CeremonyV1), PasskeyError> {
        let mut rec = store
            .take_ceremony(id, now)?
            .ok_or_else(|| refused("unknown, used or expired ceremony"))?;
        if rec.purpose != purpose || rec.user.as_deref() != user {
            return Err(refused("the ceremony belongs to another step or user"));
        }
        let state = serde_json::from_value(rec.state.take()).map_err(refused)?;
        Ok((state, rec))
    }

    /// The user's usable credentials (not blocked), with the latest counters.
    fn credentials(
        store: &Store,
        user: &str,
    ) -> Result<Vec<(String, PasskeyRecordV1, Credential)>, PasskeyError> {
        let mut out = Vec::new();
        for (id, rec) in store.passkeys(user)? {
            if rec.clone_suspected.is_some() {
                continue;
            }
            match serde_json::from_value::<Credential>(rec.credential.clone()) {
                Ok(mut cred) => {
                    cred.counter = rec.counter;
                    out.push((id, rec, cred));
                }
                Err(e) => tracing::warn!(user, id, error = %e, "unreadable passkey skipped"),
            }
        }
        Ok(out)
    }

    /// Starts registering a new credential for `user`: its other credentials are excluded,
    /// so one authenticator is registered once. `session` is the only session that may finish
    /// it; `first`: the user has no factor yet (no proof was asked), so the registration dies
    /// if they get one meanwhile.
    pub fn start_registration(
        &self,
        store: &Store,
        user: &User,
        session: &str,
        first: bool,
        now: u64,
    ) -> Result<Started, PasskeyError> {
        let existing = store.passkeys(&user.name)?;
        let handle = existing
            .first()
            .and_then(|(_, r)| Uuid::parse_str(&r.user_handle).ok())
            .unwrap_or_else(Uuid::new_v4);
        let exclude: Vec<CredentialID> = existing
            .iter()
            .filter_map(|(_, r)| serde_json::from_value::<Credential>(r.credential.clone()).ok())
            .map(|c| c.cred_id)
            .collect();
        let exclude = (!exclude.is_empty()).then_some(exclude);
        let display = user.display_name.as_deref().unwrap_or(&user.name);
        let (mut options, state) = if self.uv_required {
            let (ccr, st) = self
                .webauthn
                .start_passkey_registration(handle, &user.name, display, exclude)
                .map_err(refused)?;
            (ccr, State::PasskeyRegistration(st))
        } else {
            let (ccr, st) = self
                .webauthn
                .start_securitykey_registration(handle, &user.name, display, exclude, None, None)
                .map_err(refused)?;
            (ccr, State::SecurityKeyRegistration(st))
        };
        // No hint: let the browser offer the phone, this device and security keys alike.
        options.public_key.hints = None;
        let mut options = serde_json::to_value(&options).map_err(refused)?;
        if !self.uv_required {
            // Chromium refuses a credProtect of "user verification required" beside
            // userVerification "preferred" (NotSupportedError): without verification required
            // the extension is not ours to ask for.
            if let Some(ext) = options
                .pointer_mut("/publicKey/extensions")
                .and_then(|e| e.as_object_mut())
            {
                ext.remove("credentialProtectionPolicy");
                ext.remove("enforceCredentialProtectionPolicy");
            }
        }
        if self.passwordless {
            // A discoverable credential, so that it can later sign in without a user name.
            if let Some(sel) = options
                .pointer_mut("/publicKey/authenticatorSelection")
                .and_then(|s| s.as_object_mut())
            {
                sel.insert("residentKey".into(), "required".into());
                sel.insert("requireResidentKey".into(), true.into());
            }
        }
        let rec = CeremonyV1 {
            user_handle: Some(handle.to_string()),
            session: Some(session.to_owned()),
            first,
            ..self.ceremony("register", Some(&user.name), now)
        };
        let ceremony = self.put(store, rec, &state)?;
        Ok(Started { ceremony, options })
    }

    /// Finishes a registration: verifies the browser's `RegisterPublicKeyCredential` and
    /// stores the credential named `name`. Returns its id. Refused when `session` is not the
    /// one that started it, or when it was started as a first factor and the user is
    /// `enrolled` now.
    #[allow(clippy::too_many_arguments)] // the ceremony, who finishes it, and what they send
    pub fn finish_registration(
        &self,
        store: &Store,
        user: &str,
        session: &str,
        enrolled: bool,
        ceremony: &str,
        name: &str,
        credential: &serde_json::Value,
        now: u64,
    ) -> Result<String, PasskeyError> {
        let (state, rec) = self.take(store, ceremony, "register", Some(user), now)?;
        if rec.session.as_deref() != Some(session) {
            return Err(refused("the registration was started by another session"));
        }
        if rec.first && enrolled {
            return Err(refused(
                "the registration was started without a factor, and the user has one now",
            ));
        }
        let handle = rec.user_handle;
        let reg: RegisterPublicKeyCredential =
            serde_json::from_value(credential.clone()).map_err(refused)?;
        let cred: Credential = match &state {
            State::PasskeyRegistration(st) => self
                .webauthn
                .finish_passkey_registration(&reg, st)
                .map(Credential::from),
            State::SecurityKeyRegistration(st) => self
                .webauthn
                .finish_securitykey_registration(&reg, st)
                .map(Credential::from),
            _ => return Err(refused("not a registration ceremony")),
        }
        .map_err(refused)?;
        let handle = handle.ok_or_else(|| refused("registration without a user handle"))?;
        let id = b64(&cred.cred_id);
        let rec = PasskeyRecordV1 {
            user: user.to_owned(),
            name: clean_name(name),
            user_handle: handle,
            counter: cred.counter,
            credential: serde_json::to_value(&cred).map_err(refused)?,
            created: now,
            last_used: None,
            clone_suspected: None,
        };
        if !store.add_passkey(&id, &rec)? {
            return Err(PasskeyError::Duplicate);
        }
        Ok(id)
    }

    /// Starts an assertion: with `user`, over their credentials (the second factor); without,
    /// for any discoverable credential (a passwordless sign-in).
    pub fn start_assertion(
        &self,
        store: &Store,
        user: Option<&str>,
        now: u64,
    ) -> Result<Started, PasskeyError> {
        let (options, state, purpose) = match user {
            Some(user) => {
                let creds: Vec<Credential> = Self::credentials(store, user)?
                    .into_iter()
                    .map(|(_, _, c)| c)
                    .collect();
                if creds.is_empty() {
                    return Err(PasskeyError::NoCredentials);
                }
                if self.uv_required {
                    let keys: Vec<Passkey> = creds.into_iter().map(Passkey::from).collect();
                    let (rcr, st) = self
                        .webauthn
                        .start_passkey_authentication(&keys)
                        .map_err(refused)?;
                    (rcr, State::PasskeyAuthentication(st), "second_factor")
                } else {
                    let keys: Vec<SecurityKey> = creds.into_iter().map(SecurityKey::from).collect();
                    let (mut rcr, st) = self
                        .webauthn
                        .start_securitykey_authentication(&keys)
                        .map_err(refused)?;
                    rcr.public_key.hints = None;
                    (rcr, State::SecurityKeyAuthentication(st), "second_factor")
                }
            }
            None => {
                let (mut rcr, st) = self
                    .webauthn
                    .start_discoverable_authentication()
                    .map_err(refused)?;
                // A button the user presses, not autofill: a modal request.
                rcr.mediation = None;
                (rcr, State::Discoverable(st), "passwordless")
            }
        };
        let ceremony = self.put(store, self.ceremony(purpose, user, now), &state)?;
        Ok(Started {
            ceremony,
            options: serde_json::to_value(&options).map_err(refused)?,
        })
    }

    /// Finishes an assertion started by [`Passkeys::start_assertion`] with the same `user`.
    /// Returns the user and credential it proved.
    pub fn finish_assertion(
        &self,
        store: &Store,
        user: Option<&str>,
        answer: &Answer,
        now: u64,
    ) -> Result<Asserted, PasskeyError> {
        let purpose = if user.is_some() {
            "second_factor"
        } else {
            "passwordless"
        };
        let (state, _) = self.take(store, &answer.ceremony, purpose, user, now)?;
        let pkc: PublicKeyCredential =
            serde_json::from_value(answer.credential.clone()).map_err(refused)?;
        let id = b64(pkc.get_credential_id());
        let rec = store
            .passkey(&id)?
            .ok_or_else(|| refused("unknown credential"))?;
        if user.is_some_and(|u| u != rec.user) {
            return Err(refused("another user's credential"));
        }
        if rec.clone_suspected.is_some() {
            return Err(refused("credential blocked (counter went back before)"));
        }
        let mut cred: Credential =
            serde_json::from_value(rec.credential.clone()).map_err(refused)?;
        cred.counter = rec.counter;
        let verified = match state {
            State::PasskeyAuthentication(st) => {
                self.webauthn.finish_passkey_authentication(&pkc, &st)
            }
            State::SecurityKeyAuthentication(st) => {
                self.webauthn.finish_securitykey_authentication(&pkc, &st)
            }
            State::Discoverable(st) => {
                let (handle, _) = self
                    .webauthn
                    .identify_discoverable_authentication(&pkc)
                    .map_err(refused)?;
                if handle.to_string() != rec.user_handle {
                    return Err(refused("user handle does not match the credential"));
                }
                self.webauthn
                    .finish_discoverable_authentication_v2(&pkc, st, &cred)
            }
            _ => return Err(refused("not an assertion ceremony")),
        };
        let counter = match verified {
            Ok(result) => result.counter(),
            // webauthn-rs saw the counter go back against the state: the store decides the
            // same with 0, below the stored counter it compared with.
            Err(WebauthnError::CredentialPossibleCompromise) => 0,
            Err(e) => return Err(refused(e)),
        };
        match store.use_passkey(&rec.user, &id, counter, now)? {
            PasskeyUse::Accepted => Ok(Asserted {
                user: rec.user,
                id,
                name: rec.name,
            }),
            PasskeyUse::CounterWentBack => Err(PasskeyError::CloneSuspected {
                user: rec.user,
                id,
                name: rec.name,
            }),
            PasskeyUse::Refused => Err(refused("credential removed or blocked meanwhile")),
        }
    }
}

/// A credential name as kept: trimmed, control characters dropped, at most [`MAX_NAME`]
/// characters; "Passkey" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    if name.is_empty() {
        "Passkey".to_owned()
    } else {
        name
    }
}
