//! The validation context: knows the file, the positions of its keys and the
//! environment, and turns a problem with a key into a one-line [`ConfigError`].

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::duration::parse_duration;
use super::error::{io_reason, suggest, ConfigError, ErrorKind};
use super::position::{line_col, table_name, Index};
use super::secret::{trim_newline, Secret, SecretSource};
use super::Env;

/// Keys and tables the parser knows but the gateway does not implement yet (DESIGN §3).
/// Setting one is accepted and named in a startup warning. Shrink this as features land.
/// `(table, None)` means the whole table.
pub(crate) const NOT_BUILT: &[(&str, Option<&str>)] = &[];

/// The longest duration any key accepts.
const MAX_DURATION: Duration = Duration::from_secs(100 * 365 * 86_400);

pub(crate) struct Ctx<'a> {
    pub file: String,
    pub text: &'a str,
    pub index: Index,
    pub base_dir: PathBuf,
    pub env: &'a dyn Env,
    /// Warnings about valid but doubtful values, in file order of the checks.
    pub warnings: std::cell::RefCell<Vec<String>>,
}

impl Ctx<'_> {
    fn pos(&self, offset: Option<usize>) -> Option<(usize, usize)> {
        offset.map(|o| line_col(self.text, o))
    }

    /// `invalid value for key "k" in [table]: msg`, pointing at the value.
    pub fn invalid(&self, path: &[&str], msg: impl Display) -> ConfigError {
        let (key, table) = split(path);
        ConfigError::new(
            ErrorKind::InvalidValue,
            &self.file,
            self.pos(self.index.value_start(path)),
            format!("invalid value for key \"{key}\" in {}: {msg}", name(table)),
        )
    }

    /// `missing key "k" in [table]`, pointing at the table header when there is one.
    pub fn missing(&self, table: &[&str], key: &str) -> ConfigError {
        let at = self.pos(self.index.value_start(table)).map(|(l, _)| (l, 1));
        ConfigError::new(
            ErrorKind::MissingKey,
            &self.file,
            at,
            format!("missing key \"{key}\" in {}", name(table)),
        )
    }

    /// A duration key; `allow_zero` only where zero means "off" (e.g. `grace_period`).
    pub fn duration(
        &self,
        path: &[&str],
        raw: Option<&str>,
        default: Duration,
        allow_zero: bool,
    ) -> Result<Duration, ConfigError> {
        let Some(raw) = raw else { return Ok(default) };
        let (key, table) = split(path);
        let bad = |why: &str| {
            ConfigError::new(
                ErrorKind::InvalidValue,
                &self.file,
                self.pos(self.index.value_start(path)),
                format!(
                    "invalid duration \"{raw}\" for key \"{key}\" in {}{why}",
                    name(table)
                ),
            )
        };
        match parse_duration(raw) {
            None => Err(bad(" (use e.g. \"30s\", \"15m\", \"12h\", \"30d\")")),
            Some(d) if d.is_zero() && !allow_zero => Err(bad(": must be more than zero")),
            // Times are added to "now" in seconds: nothing longer than a century is meant.
            Some(d) if d > MAX_DURATION => Err(bad(": longer than 100 years")),
            Some(d) => Ok(d),
        }
    }

    /// A path, relative to the config file's directory unless absolute.
    pub fn path(&self, raw: Option<&str>, default: &str) -> PathBuf {
        self.resolve(raw.unwrap_or(default))
    }

    pub fn opt_path(&self, raw: Option<&str>) -> Option<PathBuf> {
        raw.map(|r| self.resolve(r))
    }

    fn resolve(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// A secret from `env_var` (wins), `{key}_file` or inline `key`, in that order.
    pub fn secret(
        &self,
        table: &[&str],
        key: &str,
        inline: Option<&str>,
        file: Option<&str>,
        env_var: &str,
    ) -> Result<Option<(Secret, SecretSource)>, ConfigError> {
        let file_key = format!("{key}_file");
        if inline.is_some() && file.is_some() {
            let path = [table, &[file_key.as_str()]].concat();
            return Err(self.invalid(
                &path,
                format!("set only one of \"{key}\" and \"{file_key}\""),
            ));
        }
        if let Some(v) = self.env.var(env_var).filter(|v| !v.is_empty()) {
            let bytes = trim_newline(v.into_bytes());
            return Ok(Some((
                Secret::new(bytes),
                SecretSource::Env(env_var.to_owned()),
            )));
        }
        if let Some(f) = file {
            let path = self.resolve(f);
            let key_path = [table, &[file_key.as_str()]].concat();
            let bytes = std::fs::read(&path).map_err(|e| {
                ConfigError::new(
                    ErrorKind::Read,
                    &self.file,
                    self.pos(self.index.value_start(&key_path)),
                    format!(
                        "cannot read secret file for \"{file_key}\" in {}: {}: {}",
                        name(table),
                        path.display(),
                        io_reason(&e)
                    ),
                )
            })?;
            return Ok(Some((
                Secret::new(trim_newline(bytes)),
                SecretSource::File(path),
            )));
        }
        Ok(inline.map(|v| (Secret::new(v.as_bytes().to_vec()), SecretSource::Inline)))
    }

    /// A PEM file of CA certificates: resolved against the config's directory and read now, so
    /// that an unreadable, empty or certificate-less file is a config error, never a silent fall
    /// back to the system roots.
    pub fn ca_file(
        &self,
        path: &[&str],
        raw: Option<&str>,
    ) -> Result<Option<PathBuf>, ConfigError> {
        self.pem_file(path, raw, "-----BEGIN CERTIFICATE-----", "PEM certificate")
    }

    /// A PEM file resolved against the config's directory and read now: unreadable, or without
    /// a block whose first line contains `marker`, is a config error naming the key. (Whether
    /// its contents are usable is checked where they are used.)
    pub fn pem_file(
        &self,
        path: &[&str],
        raw: Option<&str>,
        marker: &str,
        what: &str,
    ) -> Result<Option<PathBuf>, ConfigError> {
        let Some(raw) = raw else { return Ok(None) };
        let file = self.resolve(raw);
        let text = std::fs::read(&file).map_err(|e| {
            self.invalid(
                path,
                format!("cannot read {}: {}", file.display(), io_reason(&e)),
            )
        })?;
        if !text.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            return Err(self.invalid(path, format!("{} holds no {what}", file.display())));
        }
        Ok(Some(file))
    }

    /// Records a warning about the value at `path`: `file:line:1: msg`.
    pub fn warn(&self, path: &[&str], msg: impl Display) {
        let at = match self.pos(self.index.value_start(path)) {
            Some((l, _)) => format!("{}:{l}:1", self.file),
            None => self.file.clone(),
        };
        self.warnings.borrow_mut().push(format!("{at}: {msg}"));
    }

    /// One warning per key or table of a feature that is not built yet (see [`NOT_BUILT`]).
    pub fn not_built_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (table, key) in NOT_BUILT {
            let mut path: Vec<&str> = table.split('.').collect();
            if let Some(k) = key {
                path.push(k);
            }
            let Some(entry) = self.index.get(&path) else {
                continue;
            };
            let offset = entry
                .key_span
                .as_ref()
                .or(entry.value_span.as_ref())
                .map(|s| s.start);
            let what = match key {
                Some(k) => format!("\"{k}\" in [{table}]"),
                None => format!("[{table}]"),
            };
            let at = match self.pos(offset) {
                Some((l, _)) => format!("{}:{l}:1", self.file),
                None => self.file.clone(),
            };
            out.push(format!("{at}: {what} is accepted but not implemented yet"));
        }
        out
    }

    /// Turn a serde error from `toml` into our one-line form.
    pub fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        let msg = err.message();
        let span = err.span();
        let offset = span.as_ref().map(|s| s.start);
        if msg.starts_with("unknown field `") {
            let names: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
            let field = names.first().copied().unwrap_or("?");
            let known = names.get(1..).unwrap_or(&[]);
            let entry = span.as_ref().and_then(|s| self.index.by_key_span(s));
            let parent: Vec<String> = entry
                .map(|e| e.path[..e.path.len().saturating_sub(1)].to_vec())
                .unwrap_or_default();
            let is_table = entry.is_none_or(|e| e.is_table);
            let hint = suggest(field, known);
            if parent.is_empty() && !is_table {
                let mut m = format!("unknown key \"{field}\" at the top level (keys belong in a table such as [server])");
                if let Some(h) = hint {
                    m.push_str(&format!("; did you mean [{h}]?"));
                }
                return ConfigError::new(ErrorKind::UnknownKey, &self.file, self.pos(offset), m);
            }
            if is_table {
                let prefix: String = parent.iter().map(|p| format!("{p}.")).collect();
                let mut m = format!("unknown table [{prefix}{field}]");
                if let Some(h) = hint {
                    m.push_str(&format!("; did you mean [{prefix}{h}]?"));
                }
                // Point at the start of the `[header]` line.
                let at = self.pos(offset).map(|(l, c)| {
                    let line = self.text.lines().nth(l - 1).unwrap_or("");
                    match line.trim_start().starts_with('[') {
                        true => (l, line.len() - line.trim_start().len() + 1),
                        false => (l, c),
                    }
                });
                return ConfigError::new(ErrorKind::UnknownTable, &self.file, at, m);
            }
            let mut m = format!("unknown key \"{field}\" in {}", table_name(&parent));
            if let Some(h) = hint {
                m.push_str(&format!("; did you mean \"{h}\"?"));
            }
            return ConfigError::new(ErrorKind::UnknownKey, &self.file, self.pos(offset), m);
        }
        let pretty = prettify(msg);
        let entry = span.as_ref().and_then(|s| self.index.by_value_span(s));
        let m = match entry {
            Some(e) => {
                let (key, table) = e
                    .path
                    .split_last()
                    .map_or(("?", &[][..]), |(k, t)| (k.as_str(), t));
                let hint = if key == "location" && pretty.contains("a list") {
                    " (write [[location]], with double brackets)"
                } else {
                    ""
                };
                format!(
                    "invalid value for key \"{key}\" in {}: {pretty}{hint}",
                    table_name(table)
                )
            }
            None => pretty,
        };
        ConfigError::new(ErrorKind::InvalidValue, &self.file, self.pos(offset), m)
    }
}

/// Serde's wording, in words an operator uses.
fn prettify(msg: &str) -> String {
    let mut m = msg.to_owned();
    for ty in ["u8", "u16", "u32", "u64", "usize", "i64"] {
        m = m.replace(&format!("expected {ty}"), "expected an integer");
    }
    m = m.replace("a sequence", "a list");
    if let Some(i) = m.find("expected struct ") {
        m.replace_range(i.., "expected a table");
    }
    m
}

fn split<'p>(path: &'p [&'p str]) -> (&'p str, &'p [&'p str]) {
    path.split_last().map_or(("?", &[][..]), |(k, t)| (*k, t))
}

fn name(table: &[&str]) -> String {
    table_name(&table.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}
