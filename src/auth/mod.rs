//! Who the user is: users file, passwords, sessions and the login flow.

pub mod flow;
pub mod hasher;
pub mod password;
pub mod session;
pub mod users;
