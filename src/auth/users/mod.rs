//! The users file (DESIGN §3 "Users file"): `[[user]]` tables loaded into a [`UserDb`], and the
//! in-place edits behind `portcullis user add|passwd|remove|disable` (DESIGN §2).

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use http::HeaderValue;

use toml_edit::{ImDocument, Item, Table};

use super::password;

mod edit;

pub use edit::{add_user, remove_user, set_disabled, set_password, NewUser};

#[derive(Clone)]
pub struct User {
    pub name: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
    pub disabled: bool,
    pub phone: Option<String>,
    /// Built on first use: the same for every request the user makes.
    pub header_values: OnceLock<HeaderValues>,
}

/// A user's identity header values (DESIGN §7); None where the text is not a valid value.
#[derive(Debug, Clone, Default)]
pub struct HeaderValues {
    pub user: Option<HeaderValue>,
    pub email: Option<HeaderValue>,
    pub name: Option<HeaderValue>,
    /// Comma-separated; None without groups.
    pub groups: Option<HeaderValue>,
}

impl User {
    pub fn header_values(&self) -> &HeaderValues {
        self.header_values.get_or_init(|| {
            let value = |v: &str| HeaderValue::from_str(v).ok();
            HeaderValues {
                user: value(&self.name),
                email: self.email.as_deref().and_then(value),
                name: self.display_name.as_deref().and_then(value),
                groups: (!self.groups.is_empty())
                    .then(|| value(&self.groups.join(",")))
                    .flatten(),
            }
        })
    }
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
    /// foldhash: looked up on every request, and the names come from the operator's file.
    by_name: HashMap<String, Arc<User>, foldhash::fast::RandomState>,
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
            format!("user #{index}: invalid name {name:?}: use 1 to 64 of A-Z a-z 0-9 . _ @ - (not . or .. alone)"),
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
        header_values: OnceLock::new(),
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

/// `.` and `..` are refused: they cannot be a path segment (`P/admin/users/NAME`).
fn valid_name(name: &str) -> bool {
    name != "."
        && name != ".."
        && (1..=64).contains(&name.len())
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

    #[test]
    fn identity_header_values_are_built_from_the_user() {
        let db = parse(&format!(
            "[[user]]\nname = \"alice\"\npassword = \"{}\"\nemail = \"a@example.com\"\ngroups = [\"ops\", \"dev\"]\n\n[[user]]\nname = \"bob\"\npassword = \"{}\"\n",
            hash(),
            hash()
        ))
        .unwrap();
        let alice = db.get("alice").unwrap().header_values();
        assert_eq!(alice.user.as_ref().unwrap(), "alice");
        assert_eq!(alice.email.as_ref().unwrap(), "a@example.com");
        assert!(alice.name.is_none());
        assert_eq!(alice.groups.as_ref().unwrap(), "ops,dev");
        let bob = db.get("bob").unwrap().header_values();
        assert!(bob.email.is_none() && bob.groups.is_none());
    }

    fn user(name: &str, extra: &str) -> String {
        format!(
            "[[user]]\nname = \"{name}\"\npassword = \"{}\"\n{extra}",
            hash()
        )
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
            (".", ""),
            ("..", ""),
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
}
