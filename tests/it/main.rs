//! The integration tests, as one crate (one link step instead of one per file).
//!
//! Each module is the test file it was; `common` holds the shared support.
//! The slow tier (dist, browser, pre-commit) lives here too and is run by
//! `cargo test` like the rest; each says when it is skipped and why.

mod audit;
mod audit_merge;
mod bench_smoke;
mod cli;
mod cli_fix;
mod cli_flags;
mod common;
mod config;
mod dist;
mod docs;
mod editors;
mod fix_browser;
mod fix_fixtures;
mod fix_migrations;
mod fixtures;
mod formats;
#[cfg(unix)]
mod fs;
mod inputs;
mod layers;
mod org;
mod precommit;
mod readme;
mod reliability;
mod rule_examples;
mod rule_params;
mod sarif;
mod server;
mod server_code;
mod suppress;
mod versions;
