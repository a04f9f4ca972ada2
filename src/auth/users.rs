//! The users file (DESIGN §3 "Users file"): `[[user]]` tables loaded into a [`UserDb`], and the
//! in-place edits behind `portcullis user add|passwd|remove|disable` (DESIGN §2).
//!
//! Edits go through `toml_edit` so comments and formatting survive, re-validate the whole result
//! with [`UserDb::parse`] (the server must never see a file it cannot load) and replace the file
//! atomically, so a running server polling it never reads half a file.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml_edit::{Array, ArrayOfTables, DocumentMut, ImDocument, Item, Table, Value};

use super::password;

#[derive(Clone)]
pub struct User {
    pub name: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
    pub disabled: bool,
    pub phone: Option<String>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("name", &self.name)
            .field("password_hash", &"***")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("groups", &self.groups)
            .field("disabled", &self.disabled)
            .field("phone", &self.phone)
            .finish()
    }
}

/// What `portcullis user add` writes.
#[derive(Clone, Default)]
pub struct NewUser {
    pub name: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: no user {name:?}", path.display())]
    NoSuchUser { path: PathBuf, name: String },
    #[error("{}: user {name:?} already exists", path.display())]
    UserExists { path: PathBuf, name: String },
}

/// The loaded users, by name (exact, case-sensitive match), and in file order for listing.
#[derive(Default, Clone, Debug)]
pub struct UserDb {
    by_name: HashMap<String, Arc<User>>,
    in_order: Vec<Arc<User>>,
}

const KEYS: [&str; 7] = [
    "name",
    "password",
    "email",
    "display_name",
    "groups",
    "disabled",
    "phone",
];

impl UserDb {
    /// Read and validate the users file. A missing file is an error; an empty one has no users.
    pub fn load(path: &Path) -> Result<UserDb, UsersError> {
        let text = fs::read_to_string(path).map_err(|source| UsersError::Read {
            path: path.into(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parse and validate `text`; `file` only names the file in errors.
    pub fn parse(text: &str, file: &Path) -> Result<UserDb, UsersError> {
        let doc = ImDocument::parse(text).map_err(|e| {
            let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
            let message = e.message().trim().replace('\n', "; ");
            UsersError::Syntax {
                path: file.into(),
                line,
                column,
                message,
            }
        })?;
        let p = Pos { text, file };
        let mut db = UserDb::default();
        let mut lines: HashMap<String, (usize, String)> = HashMap::new();
        for (key, item) in doc.iter() {
            let line = p.line(doc.key(key).and_then(|k| k.span()));
            if key != "user" {
                return Err(p.err(
                    line,
                    format!("unknown key {key:?}; the users file holds only [[user]] tables"),
                ));
            }
            let Some(tables) = item.as_array_of_tables() else {
                return Err(p.err(line, "users must be written as [[user]] tables".into()));
            };
            for (i, table) in tables.iter().enumerate() {
                let user = parse_user(table, i + 1, &p)?;
                let line = p.line(table.get("name").and_then(Item::span));
                if let Some((first, other)) = lines.get(&user.name.to_lowercase()) {
                    let msg = if *other == user.name {
                        format!("duplicate user {:?} (first on line {first})", user.name)
                    } else {
                        // Upstreams often compare user names case-insensitively; two such
                        // accounts could impersonate each other there.
                        format!(
                            "duplicate user {:?}: differs from {other:?} on line {first} only in case",
                            user.name
                        )
                    };
                    return Err(p.err(line, msg));
                }
                lines.insert(user.name.to_lowercase(), (line, user.name.clone()));
                let user = Arc::new(user);
                db.by_name.insert(user.name.clone(), Arc::clone(&user));
                db.in_order.push(user);
            }
        }
        Ok(db)
    }

    pub fn get(&self, name: &str) -> Option<&Arc<User>> {
        self.by_name.get(name)
    }

    pub fn len(&self) -> usize {
        self.in_order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.in_order.is_empty()
    }

    /// Users in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<User>> {
        self.in_order.iter()
    }
}

/// Where in which file: turns spans into one-line errors.
struct Pos<'a> {
    text: &'a str,
    file: &'a Path,
}

impl Pos<'_> {
    fn line(&self, span: Option<Range<usize>>) -> usize {
        line_col(self.text, span.map_or(0, |s| s.start)).0
    }

    fn err(&self, line: usize, message: String) -> UsersError {
        UsersError::Invalid {
            path: self.file.into(),
            line,
            message,
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn parse_user(table: &Table, index: usize, p: &Pos<'_>) -> Result<User, UsersError> {
    let header = p.line(table.span());
    let Some(name_item) = table.get("name") else {
        return Err(p.err(header, format!("user #{index} has no name")));
    };
    let line = p.line(name_item.span());
    let Some(name) = name_item.as_str() else {
        return Err(p.err(line, format!("user #{index}: name must be a string")));
    };
    if !valid_name(name) {
        return Err(p.err(
            line,
            format!("user #{index}: invalid name {name:?}: use 1 to 64 of A-Z a-z 0-9 . _ @ -"),
        ));
    }
    let mut user = User {
        name: name.to_owned(),
        password_hash: String::new(),
        email: None,
        display_name: None,
        groups: Vec::new(),
        disabled: false,
        phone: None,
    };
    for (key, item) in table.iter() {
        let line = p.line(
            item.span()
                .or_else(|| table.key(key).and_then(|k| k.span())),
        );
        let err = |msg: String| Err(p.err(line, format!("user {name:?}: {msg}")));
        let string = || item.as_str().ok_or(format!("{key} must be a string"));
        let checked = match key {
            "name" => Ok(()),
            // Never echo the value: it may be a plaintext password.
            "password" => string()
                .and_then(check_hash)
                .map(|s| user.password_hash = s),
            "email" => string().and_then(check_email).map(|s| user.email = Some(s)),
            "display_name" => string()
                .and_then(check_display_name)
                .map(|s| user.display_name = Some(s)),
            "phone" => string().and_then(check_phone).map(|s| user.phone = Some(s)),
            "disabled" => item
                .as_bool()
                .map(|b| user.disabled = b)
                .ok_or("disabled must be true or false".into()),
            "groups" => check_groups(item).map(|g| user.groups = g),
            other => Err(match KEYS.iter().find(|k| edit_distance(k, other) <= 2) {
                Some(k) => format!("unknown key {other:?}; did you mean {k:?}?"),
                None => format!("unknown key {other:?}"),
            }),
        };
        if let Err(msg) = checked {
            return err(msg);
        }
    }
    if user.password_hash.is_empty() {
        return Err(p.err(header, format!("user {name:?} has no password")));
    }
    Ok(user)
}

fn check_hash(s: &str) -> Result<String, String> {
    match password::is_supported_hash(s) {
        true => Ok(s.to_owned()),
        false => Err("password is not an argon2id or bcrypt hash".into()),
    }
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b'-'))
}

fn check_email(s: &str) -> Result<String, String> {
    let ok = match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    };
    if ok && s.len() <= 254 && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "invalid email {s:?}: must be one address with one '@'"
        ))
    }
}

/// Forwarded in a header (`Remote-Name`): a control character would be header injection.
fn check_display_name(s: &str) -> Result<String, String> {
    match s.chars().count() <= 256 && !s.chars().any(char::is_control) {
        true => Ok(s.to_owned()),
        false => {
            Err("display_name must be at most 256 characters without control characters".into())
        }
    }
}

/// E.164: '+' then 8 to 15 digits.
fn check_phone(s: &str) -> Result<String, String> {
    match s.strip_prefix('+') {
        Some(d) if (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(s.to_owned())
        }
        _ => Err(format!(
            "invalid phone {s:?}: use E.164, '+' then 8 to 15 digits"
        )),
    }
}

/// Groups travel comma-separated in `Remote-Groups`, so a comma, space or control character in
/// one would let it pose as several.
fn check_groups(item: &Item) -> Result<Vec<String>, String> {
    let array = item
        .as_array()
        .ok_or("groups must be an array of strings")?;
    let mut groups = Vec::new();
    for v in array.iter() {
        let g = v.as_str().ok_or("groups must be an array of strings")?;
        if g.is_empty()
            || g.chars().count() > 64
            || g.chars()
                .any(|c| c == ',' || c.is_whitespace() || c.is_control())
        {
            return Err(format!(
                "invalid group {g:?}: 1 to 64 characters, no comma, space or control character"
            ));
        }
        groups.push(g.to_owned());
    }
    Ok(groups)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Append a user; creates the file (mode 0600) when it does not exist.
pub fn add_user(path: &Path, new: NewUser) -> Result<(), UsersError> {
    edit(path, true, |doc, db| {
        if db.get(&new.name).is_some() {
            return Err(UsersError::UserExists {
                path: path.into(),
                name: new.name.clone(),
            });
        }
        let mut t = Table::new();
        t.insert("name", toml_edit::value(new.name.as_str()));
        t.insert("password", toml_edit::value(new.password_hash.as_str()));
        for (key, v) in [("email", &new.email), ("display_name", &new.display_name)] {
            if let Some(v) = v {
                t.insert(key, toml_edit::value(v.as_str()));
            }
        }
        if !new.groups.is_empty() {
            t.insert(
                "groups",
                toml_edit::value(Array::from_iter(new.groups.iter().map(String::as_str))),
            );
        }
        if db.is_empty() {
            // Comments of a file without tables are the document's trailer, which toml_edit
            // prints after the tables; keep them above the first user instead.
            let trailer = doc.trailing().as_str().unwrap_or("").trim_end().to_owned();
            if !trailer.is_empty() {
                t.decor_mut().set_prefix(format!("{trailer}\n\n"));
            }
            doc.set_trailing("");
        }
        match doc.get_mut("user").and_then(Item::as_array_of_tables_mut) {
            Some(users) => users.push(t),
            None => {
                let mut users = ArrayOfTables::new();
                users.push(t);
                doc.insert("user", Item::ArrayOfTables(users));
            }
        }
        Ok(())
    })
}

pub fn set_password(path: &Path, name: &str, password_hash: &str) -> Result<(), UsersError> {
    edit(path, false, |doc, _| {
        set_value(
            user_table(doc, path, name)?,
            "password",
            password_hash.into(),
        );
        Ok(())
    })
}

/// Enabling rewrites an existing `disabled` key to `false` rather than deleting it, so comments
/// attached to that line stay.
pub fn set_disabled(path: &Path, name: &str, disabled: bool) -> Result<(), UsersError> {
    edit(path, false, |doc, _| {
        let table = user_table(doc, path, name)?;
        if disabled || table.contains_key("disabled") {
            set_value(table, "disabled", disabled.into());
        }
        Ok(())
    })
}

/// Remove a user. Comment lines directly above its `[[user]]` header go with it; comment lines
/// separated from the header by a blank line belong to what came before and are kept.
pub fn remove_user(path: &Path, name: &str) -> Result<(), UsersError> {
    edit(path, false, |doc, _| {
        let users = doc.get_mut("user").and_then(Item::as_array_of_tables_mut);
        let found = users.and_then(|u| Some((position(u, name)?, u)));
        let Some((i, users)) = found else {
            return Err(UsersError::NoSuchUser {
                path: path.into(),
                name: name.into(),
            });
        };
        let prefix = users
            .get(i)
            .and_then(|t| t.decor().prefix())
            .and_then(|p| p.as_str())
            .unwrap_or("");
        let cut = prefix.rfind("\n\n").or_else(|| prefix.rfind("\n\r\n"));
        let keep = cut.map_or("", |c| &prefix[..c + 1]).to_owned();
        users.remove(i);
        if !keep.trim().is_empty() {
            if let Some(next) = users.get_mut(i) {
                let own = next.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
                let joined = format!("{keep}\n{}", own.trim_start_matches(['\n', '\r']));
                next.decor_mut().set_prefix(joined);
            } else {
                let trailer = doc.trailing().as_str().unwrap_or("").to_owned();
                doc.set_trailing(format!("{keep}{trailer}"));
            }
        }
        Ok(())
    })
}

fn position(users: &ArrayOfTables, name: &str) -> Option<usize> {
    users
        .iter()
        .position(|t| t.get("name").and_then(Item::as_str) == Some(name))
}

fn user_table<'d>(
    doc: &'d mut DocumentMut,
    path: &Path,
    name: &str,
) -> Result<&'d mut Table, UsersError> {
    let users = doc.get_mut("user").and_then(Item::as_array_of_tables_mut);
    users
        .and_then(|u| u.get_mut(position(u, name)?))
        .ok_or_else(|| UsersError::NoSuchUser {
            path: path.into(),
            name: name.into(),
        })
}

/// Replace a value in place, keeping its key, position and trailing comment.
fn set_value(table: &mut Table, key: &str, mut new: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        _ => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// Read (or start) the file, apply `change`, validate the result, replace the file atomically.
fn edit<F>(path: &Path, create: bool, change: F) -> Result<(), UsersError>
where
    F: FnOnce(&mut DocumentMut, &UserDb) -> Result<(), UsersError>,
{
    // Write through a symlink (e.g. users.toml -> /etc/portcullis/users.toml) instead of replacing it.
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let read_err = |source| UsersError::Read {
        path: path.into(),
        source,
    };
    let (text, meta) = match fs::File::open(&target) {
        Ok(mut f) => {
            let mut text = String::new();
            f.read_to_string(&mut text).map_err(read_err)?;
            (text, Some(f.metadata().map_err(read_err)?))
        }
        Err(e) if create && e.kind() == io::ErrorKind::NotFound => (String::new(), None),
        Err(e) => return Err(read_err(e)),
    };
    let before = UserDb::parse(&text, path)?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let message = e.message().replace('\n', "; ");
        UsersError::Syntax {
            path: path.into(),
            line: 1,
            column: 1,
            message,
        }
    })?;
    change(&mut doc, &before)?;
    let out = doc.to_string();
    UserDb::parse(&out, path)?;
    write_atomic(&target, out.as_bytes(), meta.as_ref()).map_err(|source| UsersError::Write {
        path: path.into(),
        source,
    })
}

/// Write a temporary file beside `target`, fsync it, rename it over `target`, fsync the directory.
/// The new file keeps the old one's permissions (and owner, where we may), or is 0600.
fn write_atomic(target: &Path, bytes: &[u8], old: Option<&fs::Metadata>) -> io::Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = target
        .file_name()
        .map_or("users.toml".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(
        ".{base}.{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    let result = (|| {
        if let Some(old) = old {
            file.set_permissions(old.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Best effort: `sudo portcullis user add` must not leave a root-owned file the
                // server cannot read; an unprivileged caller cannot chown and needs not.
                let _ = std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid()));
            }
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, target)?;
        // Make the rename itself durable; some filesystems refuse to fsync a directory.
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
mod tests {
    use super::*;

    fn hash() -> String {
        bcrypt::hash("pw", 4).unwrap()
    }

    fn parse(text: &str) -> Result<UserDb, String> {
        UserDb::parse(text, Path::new("users.toml")).map_err(|e| e.to_string())
    }

    fn user(name: &str, extra: &str) -> String {
        format!(
            "[[user]]\nname = \"{name}\"\npassword = \"{}\"\n{extra}",
            hash()
        )
    }

    fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("users.toml");
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_full_user_parses_and_an_absent_disabled_means_enabled() {
        let text = user(
            "alice",
            "email = \"a@example.com\"\ndisplay_name = \"Alice E\"\ngroups = [\"admins\", \"staff\"]\nphone = \"+15551234567\"\n",
        ) + &user("bob", "disabled = true\n");
        let db = parse(&text).unwrap();
        assert_eq!(db.len(), 2);
        let alice = db.get("alice").unwrap();
        assert_eq!(alice.email.as_deref(), Some("a@example.com"));
        assert_eq!(alice.display_name.as_deref(), Some("Alice E"));
        assert_eq!(alice.groups, ["admins", "staff"]);
        assert_eq!(alice.phone.as_deref(), Some("+15551234567"));
        assert!(!alice.disabled);
        assert!(db.get("bob").unwrap().disabled);
        assert!(db.get("Alice").is_none());
        let names: Vec<_> = db.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
    }

    #[test]
    fn an_empty_or_comment_only_file_has_no_users() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("# nobody yet\n").unwrap().is_empty());
    }

    #[test]
    fn a_bad_password_names_the_file_line_and_user_but_not_the_value() {
        let text = user("alice", "") + "\n[[user]]\nname = \"bob\"\npassword = \"hunter2\"\n";
        assert_eq!(
            parse(&text).unwrap_err(),
            "users.toml:7: user \"bob\": password is not an argon2id or bcrypt hash"
        );
    }

    #[test]
    fn duplicate_users_are_refused_even_when_only_case_differs() {
        let err = parse(&(user("alice", "") + &user("alice", ""))).unwrap_err();
        assert_eq!(
            err,
            "users.toml:5: duplicate user \"alice\" (first on line 2)"
        );
        let err = parse(&(user("alice", "") + &user("Alice", ""))).unwrap_err();
        assert!(
            err.starts_with("users.toml:5: duplicate user \"Alice\""),
            "{err}"
        );
    }

    #[test]
    fn a_user_without_name_or_password_is_reported_by_position() {
        let text = user("a", "") + &user("b", "") + "\n[[user]]\npassword = \"x\"\n";
        assert_eq!(
            parse(&text).unwrap_err(),
            "users.toml:8: user #3 has no name"
        );
        assert_eq!(
            parse("[[user]]\nname = \"c\"\n").unwrap_err(),
            "users.toml:1: user \"c\" has no password"
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let err = parse(&user("bob", "emial = \"b@example.com\"\n")).unwrap_err();
        assert_eq!(
            err,
            "users.toml:4: user \"bob\": unknown key \"emial\"; did you mean \"email\"?"
        );
        let err = parse("[server]\nlisten = 1\n").unwrap_err();
        assert!(
            err.starts_with("users.toml:1: unknown key \"server\""),
            "{err}"
        );
    }

    #[test]
    fn invalid_names_emails_phones_groups_and_types_are_refused() {
        let long = "x".repeat(65);
        for (name, extra) in [
            ("", ""),
            ("bob smith", ""),
            ("bob\\n", ""),
            (long.as_str(), ""),
            ("bob", "email = \"bob\"\n"),
            ("bob", "email = \"b@b@example.com\"\n"),
            ("bob", "phone = \"5551234567\"\n"),
            ("bob", "phone = \"+1555\"\n"),
            ("bob", "phone = \"+1555123456789012\"\n"),
            ("bob", "groups = [\"a,b\"]\n"),
            ("bob", "groups = \"admins\"\n"),
            ("bob", "disabled = \"yes\"\n"),
            ("bob", "display_name = \"B\\r\\nX-Evil: 1\"\n"),
        ] {
            let err = parse(&user(name, extra)).unwrap_err();
            assert!(err.starts_with("users.toml:"), "{err}");
        }
        assert!(parse(&user("a.b_c@d-e", "")).is_ok());
    }

    #[test]
    fn a_toml_syntax_error_has_line_and_column() {
        let err = parse("[[user]]\nname = \n").unwrap_err();
        assert!(err.starts_with("users.toml:2:8: "), "{err}");
    }

    #[test]
    fn a_missing_file_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = UserDb::load(&dir.path().join("users.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cannot read ") && err.contains("users.toml: "),
            "{err}"
        );
    }

    #[test]
    fn debug_of_a_user_hides_the_hash() {
        let db = parse(&user("alice", "")).unwrap();
        let shown = format!("{:?}", db.get("alice").unwrap());
        assert!(
            shown.contains("\"***\"") && !shown.contains("$2b$"),
            "{shown}"
        );
    }

    const FILE: &str = "# Portcullis users\n\n[[user]]\nname = \"alice\"\npassword = \"HASH\" # set by ops\n# disabled = true\n\n# bob is the intern\n[[user]]\nname = \"bob\"\npassword = \"HASH\"\n";

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, &FILE.replace("HASH", &hash()));
        (dir, path)
    }

    #[test]
    fn add_creates_a_private_file_and_keeps_comments_and_users() {
        let (dir, path) = setup();
        let new = NewUser {
            name: "carol".into(),
            password_hash: hash(),
            groups: vec!["staff".into()],
            ..NewUser::default()
        };
        add_user(&path, new.clone()).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# Portcullis users\n")
                && text.contains("# set by ops")
                && text.contains("# bob is the intern"),
            "{text}"
        );
        let db = UserDb::load(&path).unwrap();
        assert_eq!(db.get("carol").unwrap().groups, ["staff"]);
        assert_eq!(db.len(), 3);
        assert!(matches!(
            add_user(&path, new.clone()),
            Err(UsersError::UserExists { .. })
        ));

        let fresh = dir.path().join("new.toml");
        fs::write(&fresh, "# no users yet\n").unwrap();
        add_user(&fresh, new.clone()).unwrap();
        assert!(fs::read_to_string(&fresh)
            .unwrap()
            .starts_with("# no users yet\n\n[[user]]"));
        let created = dir.path().join("created.toml");
        add_user(&created, new).unwrap();
        assert_eq!(UserDb::load(&created).unwrap().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&created).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn passwd_replaces_only_the_hash_and_keeps_permissions() {
        let (_dir, path) = setup();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let new = password::hash("new pw").unwrap();
        set_password(&path, "alice", &new).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(&format!(
                "password = \"{new}\" # set by ops\n# disabled = true"
            )),
            "{text}"
        );
        let db = UserDb::load(&path).unwrap();
        assert!(password::verify(
            &db.get("alice").unwrap().password_hash,
            "new pw"
        ));
        assert!(password::verify(
            &db.get("bob").unwrap().password_hash,
            "pw"
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
    }

    #[test]
    fn remove_drops_the_user_and_its_own_comment_but_keeps_the_rest() {
        let (_dir, path) = setup();
        remove_user(&path, "bob").unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# Portcullis users") && text.contains("# disabled = true"),
            "{text}"
        );
        assert!(!text.contains("bob"), "{text}");
        remove_user(&path, "alice").unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# Portcullis users") && UserDb::load(&path).unwrap().is_empty(),
            "{text}"
        );
    }

    #[test]
    fn disable_and_enable_toggle_only_that_user() {
        let (_dir, path) = setup();
        set_disabled(&path, "bob", true).unwrap();
        let db = UserDb::load(&path).unwrap();
        assert!(db.get("bob").unwrap().disabled && !db.get("alice").unwrap().disabled);
        set_disabled(&path, "bob", false).unwrap();
        set_disabled(&path, "alice", false).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# disabled = true\n\n# bob is the intern")
                && text.contains("disabled = false"),
            "{text}"
        );
        assert!(!UserDb::load(&path).unwrap().get("bob").unwrap().disabled);
    }

    #[test]
    fn editing_a_missing_user_errors_and_leaves_the_file_alone() {
        let (_dir, path) = setup();
        let before = fs::read_to_string(&path).unwrap();
        let err = set_password(&path, "zed", &hash()).unwrap_err();
        assert!(
            err.to_string().ends_with("users.toml: no user \"zed\""),
            "{err}"
        );
        assert!(matches!(
            remove_user(&path, "zed"),
            Err(UsersError::NoSuchUser { .. })
        ));
        assert!(matches!(
            set_disabled(&path, "zed", true),
            Err(UsersError::NoSuchUser { .. })
        ));
        assert!(matches!(
            set_password(&path.with_file_name("none.toml"), "a", &hash()),
            Err(UsersError::Read { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), before);
    }

    #[test]
    fn an_edit_that_would_make_the_file_unloadable_is_not_written() {
        let (_dir, path) = setup();
        let before = fs::read_to_string(&path).unwrap();
        assert!(set_password(&path, "alice", "plaintext").is_err());
        let bad = NewUser {
            name: "eve".into(),
            password_hash: hash(),
            email: Some("nope".into()),
            ..NewUser::default()
        };
        assert!(add_user(&path, bad).is_err());
        assert!(add_user(
            &path,
            NewUser {
                name: "Alice".into(),
                password_hash: hash(),
                ..NewUser::default()
            }
        )
        .is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), before);
        let leftovers = fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files left behind");
    }
}
