//! One-line configuration errors: `file:line:column: message`.

use std::fmt;

/// What went wrong, for callers that want to branch on it (the text is for humans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The config file (or a file it names) could not be read.
    Read,
    /// The text is not valid TOML.
    Syntax,
    UnknownKey,
    UnknownTable,
    MissingKey,
    InvalidValue,
}

/// A configuration error. `Display` is always exactly one line, e.g.
/// `config.toml:14:1: unknown key "listn" in [server]; did you mean "listen"?`
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub kind: ErrorKind,
    /// The config file name as the caller gave it.
    pub file: String,
    /// 1-based line and column (in characters), when the error has a place in the file.
    pub position: Option<(usize, usize)>,
    /// The message without the file and position prefix.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(
        kind: ErrorKind,
        file: &str,
        position: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        ConfigError {
            kind,
            file: file.to_owned(),
            position,
            message: one_line(&message.into()),
        }
    }

    /// `cannot read config.toml: No such file or directory`
    pub(crate) fn read(file: &str, err: &std::io::Error) -> Self {
        Self::new(
            ErrorKind::Read,
            file,
            None,
            format!("cannot read {file}: {}", io_reason(err)),
        )
    }

    /// The process exit code for an invalid configuration (DESIGN §2).
    pub fn exit_code(&self) -> i32 {
        2
    }

    pub fn line(&self) -> Option<usize> {
        self.position.map(|(l, _)| l)
    }

    pub fn column(&self) -> Option<usize> {
        self.position.map(|(_, c)| c)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, self.position) {
            // The read message already names the file.
            (ErrorKind::Read, None) => f.write_str(&self.message),
            (_, Some((line, col))) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            (_, None) => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// `No such file or directory (os error 2)` → `No such file or directory`.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Errors are printed on one line; fold anything a library put on several.
fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The closest known name to `unknown`, if one is close enough to be a typo.
pub(crate) fn suggest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}
