//! Portcullis: a reverse-proxy gateway that admits only users who proved a password and a
//! second factor.
//!
//! The request path, in module order: [`server`] accepts connections → [`gateway`] normalises
//! and dispatches → [`web`] (the gateway's own pages and API) or [`policy`] (which location,
//! what it demands) → [`proxy`] (header hygiene, forwarding). [`auth`] knows users, passwords
//! and sessions; [`store`] is the only owner of the database; [`config`] turns the TOML file
//! into a validated [`config::Config`].
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// Handlers return a finished `Response` as their error value; it is built once per refusal.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod gateway;
pub mod i18n;
pub mod metrics;
pub mod notices;
pub mod policy;
pub mod proxy;
pub mod server;
pub mod stats;
pub mod store;
pub mod templates;
pub mod web;
