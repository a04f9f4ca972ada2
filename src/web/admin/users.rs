//! The admin's view of users: who they are (the users file) and what the store knows of their
//! factors, devices, lockouts and sign-ins. Search and paging work on the users file in memory;
//! the store is read only for the users of the page asked for.

use serde::Serialize;

use crate::auth::devices::DeviceView;
use crate::auth::mfa::Factors;
use crate::auth::users::{User, UserDb};
use crate::store::Attempter;
use crate::store::{Store, StoreError};

/// A second factor in use. Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodInUse {
    /// "totp", "email" or "sms".
    pub method: &'static str,
    pub enrolled_at: Option<u64>,
}

/// One user as `GET P/api/admin/users` answers it (DESIGN §4). Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub user: String,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
    pub disabled: bool,
    pub methods: Vec<MethodInUse>,
    pub backup_codes_left: usize,
    pub devices: Vec<DeviceView>,
    /// While the account is locked out after failed sign-ins: when that ends.
    pub locked_until: Option<u64>,
    pub last_sign_in: Option<u64>,
}

impl UserRow {
    /// Reads what the store holds of `user`. No secret is read out: the TOTP record gives its
    /// creation time only, backup codes their count.
    pub fn load(store: &Store, user: &User, now: u64) -> Result<UserRow, StoreError> {
        let status = Factors::status(store, &user.name)?;
        let mut methods = Vec::new();
        if status.totp == "active" {
            methods.push(MethodInUse {
                method: "totp",
                enrolled_at: status.enrolled_at,
            });
        }
        if let Some((_, first)) = store.passkeys(&user.name)?.first() {
            methods.push(MethodInUse {
                method: "webauthn",
                enrolled_at: Some(first.created),
            });
        }
        for channel in ["email", "sms"] {
            if let Some(at) = store.channel_enrolled(&user.name, channel)? {
                methods.push(MethodInUse {
                    method: channel,
                    enrolled_at: Some(at),
                });
            }
        }
        let devices = store
            .devices(Some(&user.name))?
            .into_iter()
            .map(|(id, r)| DeviceView::from_record(id, r))
            .collect();
        Ok(UserRow {
            user: user.name.clone(),
            display_name: user.display_name.clone(),
            groups: user.groups.clone(),
            disabled: user.disabled,
            methods,
            backup_codes_left: status.backup_codes_left,
            devices,
            locked_until: store.locked_until(Attempter::Account(&user.name), now)?,
            last_sign_in: store.last_sign_in(&user.name)?,
        })
    }
}

/// A page of the users whose name, display name, e-mail or a group contains `query` (any
/// case), sorted by name: `(total matches, the page)`. `offset` and `limit` count users.
pub fn search<'u>(
    users: &'u UserDb,
    query: &str,
    offset: usize,
    limit: usize,
) -> (usize, Vec<&'u User>) {
    let needle = query.trim().to_lowercase();
    let matches = |u: &User| {
        needle.is_empty()
            || u.name.to_lowercase().contains(&needle)
            || u.display_name
                .as_deref()
                .is_some_and(|d| d.to_lowercase().contains(&needle))
            || u.email
                .as_deref()
                .is_some_and(|e| e.to_lowercase().contains(&needle))
            || u.groups.iter().any(|g| g.to_lowercase().contains(&needle))
    };
    let mut found: Vec<&User> = users.iter().map(|u| &**u).filter(|u| matches(u)).collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    let total = found.len();
    let page = found.into_iter().skip(offset).take(limit).collect();
    (total, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(n: usize) -> UserDb {
        let mut text = String::new();
        for i in (0..n).rev() {
            let group = if i % 2 == 0 { "staff" } else { "ops" };
            text.push_str(&format!(
                "[[user]]\nname = \"user{i:04}\"\npassword = \"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g\"\ngroups = [\"{group}\"]\n"
            ));
        }
        UserDb::parse(&text, std::path::Path::new("users.toml")).unwrap()
    }

    #[test]
    fn search_pages_thousands_of_users_in_name_order() {
        let users = db(3000);
        let (total, page) = search(&users, "", 2950, 100);
        assert_eq!(total, 3000);
        let names: Vec<&str> = page.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names.len(), 50);
        assert_eq!(names[0], "user2950");
        assert_eq!(names[49], "user2999");
    }

    #[test]
    fn search_matches_name_or_group_in_any_case() {
        let users = db(20);
        let (total, page) = search(&users, "USER001", 0, 100);
        assert_eq!(total, 10, "user0010..user0019");
        assert_eq!(page[0].name, "user0010");
        let (total, _) = search(&users, "Ops", 0, 5);
        assert_eq!(total, 10);
        let (total, page) = search(&users, "nobody", 0, 5);
        assert_eq!((total, page.len()), (0, 0));
    }
}
