//! Integration tests: a real upstream HTTP server and the gateway on 127.0.0.1:0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod admin;
mod basics;
mod binary;
mod branding;
mod browser;
mod csrf_redirects;
mod forward_auth;
mod guard;
mod headers;
mod i18n;
mod mfa;
mod operations;
mod passkeys;
mod paths;
mod pg;
mod replicas;
mod sent_codes;
mod sessions;
mod smuggling;
mod store_backends;
mod tls;
mod upstream;
