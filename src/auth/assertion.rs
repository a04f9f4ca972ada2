//! The signed identity assertion (DESIGN §3 `[identity] jwt_header`): a short-lived JWT signed
//! with Ed25519 (RFC 8037 "EdDSA") on every forwarded request, so that an upstream can verify
//! who the user is instead of trusting a plain header. Public keys are served as a JWK Set
//! (RFC 7517) at `P/jwks.json`.
//!
//! Rotation: move `jwt.key` to `jwt.previous.key` in the data directory and restart; a new key is
//! generated and the previous one stays published for [`PREVIOUS_KEY_GRACE`], so tokens signed
//! just before the restart still verify.

use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Lifetime of an assertion (DESIGN: at most 5 minutes).
pub const ASSERTION_TTL: u64 = 300;
/// How long a previous key stays in the JWK Set after rotation.
pub const PREVIOUS_KEY_GRACE: Duration = Duration::from_secs(24 * 3600);

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}: not an Ed25519 private key (PKCS#8, PEM or base64 DER)")]
    Invalid(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot generate a key")]
    Generate,
}

/// One public key as a JWK.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Jwk {
    pub kty: &'static str,
    pub crv: &'static str,
    pub x: String,
    pub kid: String,
    pub alg: &'static str,
    #[serde(rename = "use")]
    pub use_: &'static str,
}

/// The claims of an assertion.
#[derive(Debug, Clone, Serialize)]
pub struct AssertionClaims<'a> {
    pub iss: &'a str,
    pub aud: &'a str,
    pub sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub groups: &'a [String],
    pub amr: Vec<&'static str>,
    pub iat: u64,
    pub exp: u64,
    pub jti: String,
}

pub struct Signer {
    key: EncodingKey,
    kid: String,
    jwks: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn jwk(public: &[u8]) -> Jwk {
    let kid = B64.encode(&Sha256::digest(public)[..12]);
    Jwk {
        kty: "OKP",
        crv: "Ed25519",
        x: B64.encode(public),
        kid,
        alg: "EdDSA",
        use_: "sig",
    }
}

/// PKCS#8 DER from PEM ("-----BEGIN PRIVATE KEY-----") or plain base64.
fn der_from_text(text: &str) -> Option<Vec<u8>> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

/// RFC 8410 §7 PKCS#8 v1 (what `openssl genpkey -algorithm ed25519` writes and every library
/// reads) from ring's v2 document, which also carries the public key.
fn pkcs8_v1(v2: &[u8]) -> Option<Vec<u8>> {
    const V1_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    // v2: 30 53 02 01 01 30 05 06 03 2b 65 70 04 22 04 20 <seed:32> a1 23 03 21 00 <public:32>
    let seed = v2.get(16..48)?;
    let mut der = V1_PREFIX.to_vec();
    der.extend_from_slice(seed);
    Some(der)
}

fn pair(der: &[u8], what: &str) -> Result<Ed25519KeyPair, KeyError> {
    Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|_| KeyError::Invalid(what.to_owned()))
}

impl Signer {
    /// From a configured key (PEM or base64 PKCS#8), or the key in `data_dir` (generated on
    /// first start, mode 0600), plus a recently retired `jwt.previous.key`.
    pub fn load(
        configured: Option<&[u8]>,
        data_dir: &Path,
        now: SystemTime,
    ) -> Result<Signer, KeyError> {
        let der = match configured {
            Some(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                der_from_text(&text)
                    .ok_or_else(|| KeyError::Invalid("[identity] jwt_key".into()))?
            }
            None => Self::generated(&data_dir.join("jwt.key"))?,
        };
        let current = pair(&der, "jwt key")?;
        let mut keys = vec![jwk(current.public_key().as_ref())];
        let previous = data_dir.join("jwt.previous.key");
        if let Ok(meta) = std::fs::metadata(&previous) {
            let fresh = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|age| age < PREVIOUS_KEY_GRACE);
            let old = std::fs::read_to_string(&previous)
                .ok()
                .and_then(|t| der_from_text(&t));
            if let (true, Some(old)) = (fresh, old) {
                keys.push(jwk(pair(&old, "jwt.previous.key")?.public_key().as_ref()));
            }
        }
        let kid = keys[0].kid.clone();
        let jwks = serde_json::to_string(&serde_json::json!({ "keys": keys })).unwrap_or_default();
        Ok(Signer {
            key: EncodingKey::from_ed_der(&der),
            kid,
            jwks,
        })
    }

    fn generated(path: &Path) -> Result<Vec<u8>, KeyError> {
        if let Ok(text) = std::fs::read_to_string(path) {
            return der_from_text(&text)
                .ok_or_else(|| KeyError::Invalid(path.display().to_string()));
        }
        let rng = ring::rand::SystemRandom::new();
        let v2 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeyError::Generate)?;
        let der = pkcs8_v1(v2.as_ref()).ok_or(KeyError::Generate)?;
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(dir) = path.parent() {
            let _ = crate::store::create_private_dir(dir);
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .and_then(|mut f| f.write_all(pem(&der).as_bytes()))
            .map_err(|source| KeyError::Write {
                path: path.display().to_string(),
                source,
            })?;
        tracing::info!(file = %path.display(), "generated a new assertion signing key");
        Ok(der)
    }

    /// The JWK Set to publish.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn sign(&self, claims: &AssertionClaims<'_>) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    #[derive(serde::Deserialize)]
    struct Back {
        sub: String,
        aud: String,
        exp: u64,
    }

    fn claims(now: u64) -> AssertionClaims<'static> {
        AssertionClaims {
            iss: "https://app.example",
            aud: "http://upstream",
            sub: "alice",
            email: None,
            name: None,
            groups: &[],
            amr: vec!["pwd", "otp"],
            iat: now,
            exp: now + ASSERTION_TTL,
            jti: "j".into(),
        }
    }

    #[test]
    fn a_generated_key_is_private_stable_and_verifies_with_its_published_jwk() {
        let dir = tempfile::tempdir().unwrap();
        let s = Signer::load(None, dir.path(), SystemTime::now()).unwrap();
        let again = Signer::load(None, dir.path(), SystemTime::now()).unwrap();
        assert_eq!(s.kid(), again.kid());
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join("jwt.key"))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let token = s.sign(&claims(now));
        let jwks: serde_json::Value = serde_json::from_str(s.jwks()).unwrap();
        let x = jwks["keys"][0]["x"].as_str().unwrap();
        let key = DecodingKey::from_ed_components(x).unwrap();
        let mut v = Validation::new(Algorithm::EdDSA);
        v.set_audience(&["http://upstream"]);
        let back = jsonwebtoken::decode::<Back>(&token, &key, &v)
            .unwrap()
            .claims;
        assert_eq!(
            (back.sub.as_str(), back.aud.as_str()),
            ("alice", "http://upstream")
        );
        assert!(back.exp - now <= ASSERTION_TTL);
    }

    #[test]
    fn the_generated_key_file_is_standard_pkcs8_v1_pem() {
        let dir = tempfile::tempdir().unwrap();
        Signer::load(None, dir.path(), SystemTime::now()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("jwt.key")).unwrap();
        assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let der = der_from_text(&text).unwrap();
        assert_eq!(der.len(), 48);
        assert!(Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).is_ok());
    }

    #[test]
    fn a_rotated_key_stays_published_for_the_grace_period() {
        let dir = tempfile::tempdir().unwrap();
        let old = Signer::load(None, dir.path(), SystemTime::now()).unwrap();
        std::fs::rename(
            dir.path().join("jwt.key"),
            dir.path().join("jwt.previous.key"),
        )
        .unwrap();
        let new = Signer::load(None, dir.path(), SystemTime::now()).unwrap();
        assert_ne!(old.kid(), new.kid());
        let jwks: serde_json::Value = serde_json::from_str(new.jwks()).unwrap();
        let kids: Vec<&str> = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap())
            .collect();
        assert_eq!(kids, vec![new.kid(), old.kid()]);
        let later = SystemTime::now() + PREVIOUS_KEY_GRACE + Duration::from_secs(1);
        let jwks: serde_json::Value =
            serde_json::from_str(Signer::load(None, dir.path(), later).unwrap().jwks()).unwrap();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    }
}
