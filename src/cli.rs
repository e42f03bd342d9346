//! Command-line interface. The doc comments here are the `--help` manual.

use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// oie-lint finds the code that breaks when an Okta org moves from the
/// Classic Engine to Okta Identity Engine (OIE), explains why, and points to
/// the fix.
///
/// It reads Okta-hosted sign-in page templates, HTML-like pages that embed
/// the Okta Sign-In Widget (JSP, PHP, ERB, Handlebars, Vue, Svelte, …),
/// JavaScript/TypeScript widget code and package.json manifests.
///
/// Run `oie-lint check` in a repository (or just `oie-lint`), and
/// `oie-lint rule --all` to see what it checks.
#[derive(Debug, Parser)]
#[command(
    name = "oie-lint",
    version,
    about,
    long_about,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories for code that breaks under Okta Identity Engine.
    ///
    /// Exit status: 0 when no error-level finding, 1 when there are
    /// error-level findings (or warnings with --deny-warnings, or more
    /// than --max-warnings), 2 when a path could not be read, the config
    /// file is invalid or the command line is wrong.
    Check(CheckArgs),
    /// Print a rule's documentation, or list all rules.
    ///
    /// Examples: `oie-lint rule OIE003`, `oie-lint rule session-token`,
    /// `oie-lint rule --all`.
    Rule(RuleArgs),
    /// Write a commented starter `oie-lint.toml` (never overwrites).
    ///
    /// Example: `oie-lint init` (in the repository root), `oie-lint init web/`.
    Init(InitArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Color {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    /// Directories are walked, honouring .gitignore, .ignore and
    /// .oie-lintignore and skipping hidden entries, node_modules and *.min.js;
    /// files named here are always checked. `-` reads standard input.
    ///
    /// Example: `oie-lint check src/ templates/login.html`
    pub paths: Vec<PathBuf>,

    /// Output format.
    ///
    /// `full` shows code frames, `concise` one line per finding, `json` a
    /// stable array of objects (see README, "Output formats").
    #[arg(long, value_enum, default_value_t = Format::Full)]
    pub format: Format,

    /// When to colour `full` output. `auto` honours NO_COLOR.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Treat warnings as failures: exit 1 when any finding is reported.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Always exit 0 when the run completed, even with findings.
    #[arg(long)]
    pub exit_zero: bool,

    /// The file name to use for standard input (`-`): picks the language
    /// and the package.json that governs it.
    ///
    /// Example: `cat login.html | oie-lint check - --stdin-filename web/login.html`
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Only run these rules: codes, slugs or code prefixes, comma-separated.
    ///
    /// Example: `--select OIE001,session-token`
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Skip these rules (codes, slugs or prefixes), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Widget versions below this are an error (OIE004); Okta's migration
    /// guide names 5.2.0. Default: `min-widget-version` in the config, else 5.2.0.
    #[arg(long, value_name = "VERSION")]
    pub min_widget_version: Option<String>,

    /// Widget versions below this (and at least --min-widget-version) are a
    /// warning; Okta's upgrade guides name 5.11.0. Default: the config's
    /// `recommended-widget-version`, else 5.11.0.
    #[arg(long, value_name = "VERSION")]
    pub recommended_widget_version: Option<String>,

    /// Use this config file instead of looking for `oie-lint.toml` or
    /// `.oie-lint.toml` in the working directory and its parents. Globs in
    /// it are relative to its directory.
    ///
    /// Example: `oie-lint check --config ci/oie-lint.toml`
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore all config files: use defaults and command-line flags only.
    #[arg(long)]
    pub isolated: bool,

    /// Apply the config's `exclude`/`extend-exclude` (and the minified-bundle
    /// skip) to files named on the command line and to --stdin-filename too.
    /// Pre-commit passes every staged file by name; this keeps excluded
    /// paths excluded there.
    ///
    /// Example: `oie-lint check --force-exclude legacy/login.html`
    #[arg(long)]
    pub force_exclude: bool,

    /// Exit 1 when there are more than N warnings (ESLint's flag), even
    /// without errors. `--max-warnings 0` fails on any warning.
    ///
    /// Example: `oie-lint check --max-warnings 10`
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// Also walk into files and directories that .gitignore/.ignore exclude.
    #[arg(long)]
    pub no_respect_gitignore: bool,

    /// Also check minified bundles (`*.min.js`) found while walking.
    #[arg(long)]
    pub include_minified: bool,

    /// Worker threads (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print only findings and errors, no summary line when clean.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args, Default)]
pub struct InitArgs {
    /// The directory to write `oie-lint.toml` in (default: the current directory).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`OIE002`) or slug (`session-token`).
    #[arg(required_unless_present = "all")]
    pub rule: Option<String>,

    /// List every rule with its code, slug, severity and summary.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,
}
