//! oie-lint: find and fix the code that breaks when an Okta org moves to
//! Okta Identity Engine.
//!
//! Data flows one way: [`discover`] → read ([`source`]) → prefilter, parse
//! and check ([`linter`], [`rules`]) → [`report`]. `main.rs` only wires the
//! command line to [`commands`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod linter;
pub mod org;
pub mod parse;
pub mod pathglob;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod timings;
pub mod versions;

/// Runs the command line and returns the process exit code.
pub fn main_with_args(cli: cli::Cli) -> i32 {
    match cli.command {
        None => commands::check::run(&cli::CheckArgs {
            format: report::Format::Full,
            ..Default::default()
        }),
        Some(cli::Command::Check(args)) => commands::check::run(&args),
        Some(cli::Command::Rule(args)) => commands::rule::run(&args),
        Some(cli::Command::Init(args)) => commands::init::run(&args),
        Some(cli::Command::Versions(args)) => commands::versions::run(&args),
        Some(cli::Command::Org(args)) => commands::org::run(&args),
        Some(cli::Command::Audit(args)) => commands::audit::run(&args),
    }
}
