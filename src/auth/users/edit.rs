//! Edits go through `toml_edit` so comments and formatting survive, re-validate the whole result
//! with [`UserDb::parse`] (the server must never see a file it cannot load) and replace the file
//! atomically, so a running server polling it never reads half a file. Edits take turns: each
//! holds an exclusive lock on `.NAME.lock` beside the file from its read to its rename, so two
//! at once (two `portcullis user` commands, or one and the server) never lose one another's
//! change.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::{UserDb, UsersError};

/// What `portcullis user add` writes.
#[derive(Clone, Default)]
pub struct NewUser {
    pub name: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
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
    // Held until this function returns, after the rename.
    let _turn = lock_beside(&target).map_err(|source| UsersError::Write {
        path: path.into(),
        source,
    })?;
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

/// Takes the exclusive lock of `target`'s edits: an advisory `flock` on `.NAME.lock` in the same
/// directory (the file itself is replaced by each edit, so it cannot carry the lock). Waits for
/// an edit in progress; released when the returned file is dropped.
fn lock_beside(target: &Path) -> io::Result<fs::File> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = target
        .file_name()
        .map_or("users.toml".into(), |n| n.to_string_lossy());
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(dir.join(format!(".{base}.lock")))?;
    file.lock()?;
    Ok(file)
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
    use std::path::PathBuf;

    use super::*;
    use crate::auth::password;

    fn hash() -> String {
        bcrypt::hash("pw", 4).unwrap()
    }

    fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("users.toml");
        fs::write(&path, text).unwrap();
        path
    }

    const FILE: &str = "# Portcullis users\n\n[[user]]\nname = \"alice\"\npassword = \"HASH\" # set by ops\n# disabled = true\n\n# bob is the intern\n[[user]]\nname = \"bob\"\npassword = \"HASH\"\n";

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, &FILE.replace("HASH", &hash()));
        (dir, path)
    }

    #[test]
    fn edits_made_at_once_from_many_threads_all_land() {
        let (_dir, path) = setup();
        let hash = hash();
        std::thread::scope(|s| {
            for i in 0..16 {
                let (path, hash) = (&path, &hash);
                s.spawn(move || {
                    let new = NewUser {
                        name: format!("user{i:02}"),
                        password_hash: hash.clone(),
                        ..NewUser::default()
                    };
                    add_user(path, new).unwrap();
                });
            }
        });
        let db = UserDb::load(&path).unwrap();
        assert_eq!(db.len(), 2 + 16, "no edit lost another");
        assert!(fs::read_to_string(&path).unwrap().contains("# set by ops"));
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
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no temporary files left behind: {leftovers:?}"
        );
    }
}
