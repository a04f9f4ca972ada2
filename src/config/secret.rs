//! Secrets: never printed, given inline, as `*_file`, or by environment variable
//! (the environment wins, DESIGN §3).

use std::fmt;

/// Secret bytes. `Debug` prints `Secret(***)`; read the value only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(bytes.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The value as text, when it is UTF-8 (passwords, tokens).
    pub fn expose_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where a secret came from, for `portcullis check` summaries and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Inline,
    File(std::path::PathBuf),
    Env(String),
}

/// Secret files usually end in a newline that is not part of the secret.
pub(crate) fn trim_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    bytes
}
