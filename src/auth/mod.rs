//! Who the user is: users file, passwords, sessions and the login flow.

pub mod assertion;
pub mod backup;
pub mod devices;
pub mod flow;
pub mod hasher;
pub mod limits;
pub mod mfa;
pub mod password;
pub mod sending;
pub mod sent_codes;
pub mod session;
pub mod totp;
pub mod users;
pub mod webauthn;
