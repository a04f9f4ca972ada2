//! Keys generated on first start into the data directory (mode 0600).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use rand::RngCore;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("key file {path} is not base64 of {len} bytes")]
    Invalid { path: PathBuf, len: usize },
    #[error("cannot create key file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads the base64 key `name` from `dir`, or creates it with `len` random bytes.
/// Returns the key and whether it was generated now.
pub fn load_or_generate_key(
    dir: &Path,
    name: &str,
    len: usize,
) -> Result<(Vec<u8>, bool), KeyError> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let key = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .ok()
                .filter(|k| k.len() == len)
                .ok_or(KeyError::Invalid { path, len })?;
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::create_private_dir(dir).map_err(|source| KeyError::Write {
                path: path.clone(),
                source,
            })?;
            let mut key = vec![0u8; len];
            rand::rngs::OsRng.fill_bytes(&mut key);
            let encoded = base64::engine::general_purpose::STANDARD.encode(&key);
            // create_new: two processes starting at once must not overwrite each other's key.
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .and_then(|mut f| {
                    f.write_all(encoded.as_bytes())?;
                    f.write_all(b"\n")?;
                    f.sync_all()
                });
            match written {
                Ok(()) => Ok((key, true)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_generate_key(dir, name, len)
                }
                Err(source) => Err(KeyError::Write { path, source }),
            }
        }
        Err(source) => Err(KeyError::Read { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn generated_key_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let (a, fresh) = load_or_generate_key(dir.path(), "session.key", 32).unwrap();
        assert!(fresh);
        let (b, fresh) = load_or_generate_key(dir.path(), "session.key", 32).unwrap();
        assert!(!fresh);
        assert_eq!(a, b);
        let mode = std::fs::metadata(dir.path().join("session.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn corrupt_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("k"), "not base64!").unwrap();
        assert!(matches!(
            load_or_generate_key(dir.path(), "k", 32),
            Err(KeyError::Invalid { .. })
        ));
    }
}
