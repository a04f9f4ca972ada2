//! The page and message templates compiled into the binary, by name. `[ui] templates_dir` may
//! replace any of them with a file of the same name (`login.html`, `mail/code.txt`).

/// (name, source) of every built-in template.
pub const BUILT_IN: [(&str, &str); 20] = [
    ("admin.html", include_str!("../templates/admin.html")),
    (
        "admin_confirm.html",
        include_str!("../templates/admin_confirm.html"),
    ),
    (
        "admin_events.html",
        include_str!("../templates/admin_events.html"),
    ),
    (
        "admin_nav.html",
        include_str!("../templates/admin_nav.html"),
    ),
    (
        "admin_user.html",
        include_str!("../templates/admin_user.html"),
    ),
    ("account.html", include_str!("../templates/account.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("mfa.html", include_str!("../templates/mfa.html")),
    (
        "passkey_add.html",
        include_str!("../templates/passkey_add.html"),
    ),
    (
        "passkey_button.html",
        include_str!("../templates/passkey_button.html"),
    ),
    ("signout.html", include_str!("../templates/signout.html")),
    // Messages: one template per kind, text and HTML parts of the same words.
    ("mail/code.txt", include_str!("../templates/mail/code.txt")),
    (
        "mail/code.html",
        include_str!("../templates/mail/code.html"),
    ),
    ("mail/sms.txt", include_str!("../templates/mail/sms.txt")),
    (
        "mail/notice.txt",
        include_str!("../templates/mail/notice.txt"),
    ),
    (
        "mail/notice.html",
        include_str!("../templates/mail/notice.html"),
    ),
    ("enroll.html", include_str!("../templates/enroll.html")),
    (
        "backup_codes.html",
        include_str!("../templates/backup_codes.html"),
    ),
];

/// Is `name` one of the built-in templates (and so a name an override may take)?
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN.iter().any(|(n, _)| *n == name)
}
