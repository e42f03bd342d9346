//! oie-lint: find and fix the code that breaks when an Okta org moves to
//! Okta Identity Engine.
//!
//! # Layers
//!
//! The modules are layers along the data path, **discover → read →
//! prefilter → parse → check → fix → report**. A module uses the layers
//! below it and never one above (`tests/it/layers.rs` enforces it), bottom
//! to top:
//!
//! | layer | job |
//! |---|---|
//! | [`diagnostic`], [`timings`], [`pathglob`] | plain data (findings, fixes, fix outcomes), phase clocks, path globs |
//! | [`source`] | read: decode, mask template tags, find HTML script regions, line index and line endings |
//! | [`syntax`], [`parse`] | tree walk helpers; per-thread tree-sitter parsers and parsed units |
//! | [`discover`] | the parallel walk and what a run covers ([`discover::RunPaths`]) |
//! | [`versions`] | widget and auth-js versions: manifests, lockfiles, CDN URLs, bundles |
//! | [`rules`] | the rule registry (one TOML file per rule) and pattern matching |
//! | [`settings`] | the effective rule selection and thresholds, per path |
//! | [`rules::checks`] | built-in checks; what they need from the run comes in [`rules::checks::FileCtx`] |
//! | [`suppress`] | `oie-lint-ignore` comments |
//! | [`linter`] | the per-file pipeline: prefilter → parse → check → suppress → resolve |
//! | [`fix`] | the fix engine: apply, verify, write |
//! | [`report`] | every output format, from plain data ([`report::Run`]) |
//! | [`audit`] | the migration-readiness report: app layout, page scan, provenance, baseline, its model and renderers |
//! | [`config`] | `oie-lint.toml` files |
//! | [`cli`] | command-line argument types |
//! | [`org`] | checks of the Okta org itself |
//! | [`server`] | the language server (`oie-lint server`): open documents, diagnostics, code actions, hover |
//! | [`commands`] | one module per subcommand, wiring the layers together |
//! | [`fuzzing`] | the fuzz targets' invariants (`fuzz/`), replayed by `tests/it/reliability.rs` |
//!
//! `main.rs` only parses the command line and calls [`main_with_args`].

pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod fuzzing;
pub mod linter;
pub mod org;
pub mod parse;
pub mod pathglob;
pub mod report;
pub mod rules;
pub mod server;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod syntax;
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
        Some(cli::Command::Completions(args)) => commands::completions::run(&args),
        Some(cli::Command::Init(args)) => commands::init::run(&args),
        Some(cli::Command::Versions(args)) => commands::versions::run(&args),
        Some(cli::Command::Org(args)) => commands::org::run(&args),
        Some(cli::Command::Audit(args)) => commands::audit::run(&args),
        Some(cli::Command::Server(args)) => commands::server::run(&args),
    }
}

/// The project's public home: Cargo.toml's `repository`, read at build
/// time. `None` while it is unset (the project has no public address yet):
/// every link to it is then left out rather than pointing at a made-up URL.
pub fn repository() -> Option<&'static str> {
    let url = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!url.is_empty()).then_some(url)
}

/// A page of the project's documentation on its public home
/// (`repository()/blob/HEAD/docs/page.md#anchor` for `docs/page.md#anchor`),
/// `None` while the repository is unset.
pub fn docs_url(path: &str) -> Option<String> {
    repository().map(|r| format!("{r}/blob/HEAD/{path}"))
}
