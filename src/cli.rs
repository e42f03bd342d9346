//! Command-line interface. The doc comments here are the `--help` manual.

use crate::report::Format;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `--help` groups, in ruff's manner.
const RULES: &str = "Rule selection";
const FILES: &str = "File selection";
const CONFIG: &str = "Configuration";
const FIXING: &str = "Fixing";
const OUTPUT: &str = "Output";
const BASELINE: &str = "Baseline (adopting on existing code)";
const ORG: &str = "Okta org (the token flags: see `oie-lint org --help`)";

/// The `org` connection flags that `check --help` leaves to `org --help`
/// (they are still accepted by `check`).
const ORG_ONLY: [&str; 5] = [
    "token_env",
    "token_type",
    "timeout",
    "max_rate_limit_wait",
    "ca_file",
];

/// The command line as parsed: `check --help` hides the org-only flags.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("check", |c| {
        ORG_ONLY
            .iter()
            .fold(c, |c, id| c.mut_arg(*id, |a| a.hide(true)))
    })
}

/// Parses the process's arguments with [`command`]. A usage error that
/// would quote an argument looking like a token (an API token pasted where
/// a flag or `--token-env`'s variable name was meant) prints the error with
/// that argument left out, so it never reaches a CI log.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let fail = |e: clap::Error| -> ! {
        if e.use_stderr() {
            let text = e.to_string();
            if let Some(safe) = redact_tokens(&text, &args) {
                eprint!("{safe}");
                std::process::exit(e.exit_code());
            }
        }
        e.exit()
    };
    let matches = command()
        .try_get_matches_from(&args)
        .unwrap_or_else(|e| fail(e));
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| fail(e))
}

/// `text` with every argument of `args` that [`looks_like_token`] replaced
/// by a placeholder; `None` when there is none in it.
pub fn redact_tokens(text: &str, args: &[std::ffi::OsString]) -> Option<String> {
    let mut out = text.to_string();
    for a in args.iter().filter_map(|a| a.to_str()) {
        // `--flag=VALUE` quotes the VALUE.
        for part in [a, a.split_once('=').map_or("", |(_, v)| v)] {
            if looks_like_token(part) && out.contains(part) {
                out = out.replace(part, "<not shown: it looks like a token>");
            }
        }
    }
    (out != text).then_some(out)
}

/// Whether a command-line value looks like a credential rather than a name:
/// an Okta API token (`00` and about 40 letters, digits, `-` and `_`), a JWT
/// access token (`eyJ…`, three dot-separated parts), a pasted header value
/// (`SSWS …`, `Bearer …`), or a long run of mixed-case letters and digits.
pub fn looks_like_token(s: &str) -> bool {
    let s = s.trim();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if s.starts_with("SSWS ") || s.starts_with("Bearer ") {
        return true;
    }
    if s.len() >= 20 && s.starts_with("00") && s.chars().all(word) {
        return true;
    }
    if s.len() >= 20 && s.starts_with("ey") && s.split('.').count() == 3 {
        return s.chars().all(|c| word(c) || c == '.');
    }
    s.len() >= 24
        && !s.starts_with('-')
        && s.chars().all(word)
        && s.chars().any(|c| c.is_ascii_lowercase())
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_digit())
}

/// Whether `s` is a portable environment variable name
/// (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// oie-lint finds the code that breaks when an Okta org moves from the
/// Classic Engine to Okta Identity Engine (OIE), explains why, and points to
/// the fix.
///
/// It reads Okta-hosted sign-in page templates, HTML-like pages that embed
/// the Okta Sign-In Widget (JSP, PHP, ERB, Handlebars, Vue, Svelte, …),
/// JavaScript/TypeScript widget code, package.json manifests, lockfiles
/// (npm, yarn, pnpm) and vendored Sign-In Widget bundles.
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

// Parsed once per process; boxing `check`'s flags would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories for code that breaks under Okta Identity Engine.
    ///
    /// Exit status: 0 when no error-level finding, 1 when there are
    /// error-level findings (or warnings with --deny-warnings, or more
    /// than --max-warnings), 2 when a path could not be read, no file at
    /// all was checked, the config file or baseline is invalid or the
    /// command line is wrong.
    Check(CheckArgs),
    /// Print a rule's documentation, or list all rules.
    ///
    /// Examples: `oie-lint rule OIE003`, `oie-lint rule session-token`,
    /// `oie-lint rule --all`.
    Rule(RuleArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: `oie-lint completions bash > ~/.local/share/bash-completion/completions/oie-lint`
    Completions(CompletionsArgs),
    /// Write a commented starter `oie-lint.toml` (never overwrites).
    ///
    /// Example: `oie-lint init` (in the repository root), `oie-lint init web/`.
    Init(InitArgs),
    /// List every Okta package use and the version that governs it.
    ///
    /// One row per use: a package.json dependency (resolved through the
    /// installed copy, then the lockfile), a lockfile entry no manifest
    /// declares, a CDN URL, a vendored widget bundle. Each row shows the spec,
    /// the resolved version and where it comes from, the file and line, how
    /// many files it governs and the Identity Engine status (ready, warning,
    /// blocking, unknown). Ends with a one-line summary.
    ///
    /// Exit status: 0, or 2 when a path could not be read.
    ///
    /// Examples: `oie-lint versions`, `oie-lint versions apps/ --format markdown`.
    Versions(VersionsArgs),
    /// Check the Okta org itself: Identity Engine pipeline, the Interaction
    /// Code grant on authorization servers and apps, and each brand's
    /// customised sign-in page (rules OIE101…).
    ///
    /// Reads the Management API with GET requests only; the token comes from
    /// the environment (`OKTA_API_TOKEN`, or --token-env), never from the
    /// command line, and is never printed.
    ///
    /// Example: `OKTA_API_TOKEN=… oie-lint org --org-url https://dev-123456.okta.com --pull okta-pages/`
    ///
    /// Exit status: 0 when no error-level finding, 1 when there are
    /// error-level findings, 2 when nothing in the org could be checked
    /// (bad URL, no token, token rejected, every endpoint forbidden). When
    /// only some endpoints are forbidden the others are still checked and
    /// the forbidden ones are listed as warnings.
    Org(OrgArgs),
    /// Write a migration-readiness report for a whole repository.
    ///
    /// The report has: a summary and verdict (files checked, findings by
    /// severity, blocking issues), the Okta packages and versions found
    /// (as `oie-lint versions`), Okta-hosted templates vs. pages and
    /// scripts that embed the Sign-In Widget, findings per rule and per
    /// file with how many `--fix` / `--unsafe-fixes` can resolve, and a
    /// checklist of the Okta admin steps the code cannot show, each linked
    /// to the Okta docs. Reads the config file like `check`. The output is
    /// deterministic (sorted, no timestamps).
    ///
    /// Exit status: 0 when the report was written (even with findings),
    /// 2 when a path could not be read (the report is still written and
    /// lists it), the config file is invalid or the report could not be
    /// written.
    ///
    /// Examples: `oie-lint audit`, `oie-lint audit web/ --format html -o oie-audit.html`
    Audit(AuditArgs),
    /// Run the language server (LSP over stdio) for editors.
    ///
    /// The editor starts it and talks JSON-RPC on standard input and
    /// output: the findings of each open document as diagnostics (the
    /// buffer as typed, with the nearest config file, as `check` finds
    /// it), each fix as a quick fix, `source.fixAll.oie-lint` (the result of
    /// `check --fix`), "suppress on this line", and the rule's docs on
    /// hover. Editor settings (`initializationOptions` or the `oie-lint`
    /// section of `workspace/configuration`) override these flags, key by
    /// key.
    /// See docs/editors.md for VS Code, Neovim, Helix and Zed.
    ///
    /// Example: `oie-lint server` (started by the editor, not by hand).
    ///
    /// Exit status: 0 after the client's `shutdown` and `exit`, 1 when the
    /// client went away without `shutdown`.
    Server(ServerArgs),
}

#[derive(Debug, Args, Default)]
pub struct ServerArgs {
    /// Talk over standard input and output (the only transport; accepted
    /// because clients such as vscode-languageclient pass it).
    #[arg(long)]
    pub stdio: bool,

    /// Do not offer unsafe fixes as quick fixes (by default they are
    /// offered, labelled unsafe, never preferred; fix-all applies safe
    /// fixes only). Editor setting: `unsafeFixes`.
    ///
    /// Example: `oie-lint server --no-unsafe-fixes`
    #[arg(long)]
    pub no_unsafe_fixes: bool,

    /// Rules to enable on top of the config file's selection (codes,
    /// slugs or prefixes; comma-separated or repeated). Editor setting:
    /// `extendSelect`.
    ///
    /// Example: `oie-lint server --extend-select OIE9`
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub extend_select: Vec<String>,

    /// Rules to disable. Editor setting: `ignore`.
    ///
    /// Example: `oie-lint server --ignore OIE004`
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
}

/// `--format` values for `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AuditFormat {
    /// GitHub-flavoured Markdown (for a migration plan or an issue).
    #[default]
    Markdown,
    /// One JSON object (stable field names; see docs/audit.md).
    Json,
    /// One self-contained HTML file: inline CSS, no scripts, no external assets.
    Html,
}

#[derive(Debug, Args, Default)]
pub struct AuditArgs {
    /// Files or directories to audit (default: the current directory),
    /// walked like `check`.
    ///
    /// Example: `oie-lint audit apps/`
    pub paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,

    /// Write the report to FILE instead of standard output (atomically;
    /// missing directories are created).
    ///
    /// Example: `oie-lint audit --format html -o reports/oie-audit.html`
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Compare with an earlier `audit --format json` report: findings
    /// fixed, new and remaining, per app and in total, in every format.
    ///
    /// Example: `oie-lint audit --baseline audits/2026-10.json --format html -o audit.html`
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Merge `audit --format json` reports (one per repository, e.g. one
    /// per CI job) into one report instead of auditing paths: files, or
    /// directories searched for `*.json`. A report that cannot be read is
    /// listed under "Could not be read" and the merge goes on.
    ///
    /// Example: `oie-lint audit --merge reports/ --format html -o audit.html`
    #[arg(long, value_name = "REPORT|DIR", num_args = 1.., conflicts_with = "paths")]
    pub merge: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// How the token is sent to Okta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TokenType {
    /// `Bearer` when the token looks like a JWT (starts with `ey`), else `SSWS`.
    #[default]
    Auto,
    /// An Okta API token (`Authorization: SSWS …`).
    Ssws,
    /// An OAuth 2.0 access token with `okta.*` scopes (`Authorization: Bearer …`).
    Bearer,
}

/// Where the Okta org is and how to authenticate (shared by `org` and `check`).
#[derive(Debug, Args, Clone)]
pub struct OrgConnArgs {
    /// The Okta org to check (HTTPS; plain HTTP only to loopback addresses).
    /// With `check`, also checks the org against the client IDs and issuers
    /// the scanned code uses.
    ///
    /// Example: `--org-url https://dev-123456.okta.com`
    #[arg(long, value_name = "URL")]
    pub org_url: Option<String>,

    /// The environment variable holding the API token (an `SSWS` API token
    /// or an OAuth access token).
    #[arg(long, value_name = "NAME", default_value = "OKTA_API_TOKEN")]
    pub token_env: String,

    /// How to send the token: `ssws`, `bearer`, or `auto` (a token starting
    /// with `ey` is a bearer token).
    #[arg(long, value_enum, default_value_t = TokenType::Auto)]
    pub token_type: TokenType,

    /// Timeout for each request to Okta, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,

    /// The longest wait, in seconds, for a rate limit to reset (HTTP 429,
    /// `X-Rate-Limit-Reset`) before retrying; at most 4 attempts per request.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub max_rate_limit_wait: u64,

    /// Trust the CA certificates in this PEM file instead of the built-in
    /// Mozilla roots, for a company proxy that inspects TLS. Without it,
    /// `SSL_CERT_FILE` is read the same way (as curl and OpenSSL do).
    /// Proxies come from `HTTPS_PROXY`/`ALL_PROXY`, with `NO_PROXY`.
    ///
    /// Example: `--ca-file /etc/ssl/certs/ca-certificates.crt`
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

impl Default for OrgConnArgs {
    fn default() -> Self {
        OrgConnArgs {
            org_url: None,
            token_env: "OKTA_API_TOKEN".into(),
            token_type: TokenType::Auto,
            timeout: 30,
            max_rate_limit_wait: 60,
            ca_file: None,
        }
    }
}

#[derive(Debug, Args)]
pub struct OrgArgs {
    #[command(flatten)]
    pub org: OrgConnArgs,

    /// Save each brand's customised sign-in page as `DIR/<brand>/sign-in.html`
    /// (to keep it in git and lint it with `oie-lint check`).
    #[arg(long, value_name = "DIR")]
    pub pull: Option<PathBuf>,

    /// List the org's OIDC apps that an embedded Sign-In Widget can use
    /// instead of checking the org: active single-page and web apps, those
    /// with the Interaction Code grant first, each with its client ID,
    /// grant types, redirect URIs and a ready-to-paste `[fix]` table for
    /// `oie-lint.toml` (the inputs of the embedded migration). With
    /// `--code`, the code is scanned for the redirect URIs it names; an app
    /// whose redirect URIs are on none of their origins gets a note.
    /// `--format json` writes the listing as JSON. Reads `GET /api/v1/apps`
    /// only (scope `okta.apps.read`).
    ///
    /// Example: `oie-lint org --org-url https://dev-123456.okta.com --apps --code src/`
    #[arg(long, conflicts_with = "pull")]
    pub apps: bool,

    /// With `--apps`: code whose redirect URIs the apps are compared with
    /// (a file or folder, walked as `check` walks it; repeat for more).
    #[arg(long, value_name = "PATH", requires = "apps")]
    pub code: Vec<PathBuf>,

    /// Output format (as for `check`).
    #[arg(long, value_enum, default_value_t = Format::Full)]
    pub format: Format,

    /// When to colour `full` output. `auto` honours NO_COLOR.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Only run these rules: codes, slugs or code prefixes, comma-separated.
    ///
    /// Example: `--select OIE10`
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Skip these rules (codes, slugs or prefixes), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Widget versions below this are an error (OIE104 for the brands' pages).
    #[arg(long, value_name = "VERSION", default_value = "5.2.0")]
    pub min_widget_version: String,

    /// Widget versions below this (and at least --min-widget-version) are a warning.
    #[arg(long, value_name = "VERSION", default_value = "5.11.0")]
    pub recommended_widget_version: String,

    /// Treat warnings as failures: exit 1 when any finding is reported.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Always exit 0 when the run completed, even with findings.
    #[arg(long)]
    pub exit_zero: bool,

    /// Print only findings and errors, no summary line when clean.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Color {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// The flags `check` and `audit` share: which rules, which thresholds,
/// which config, and how to walk.
#[derive(Debug, Args, Default, Clone)]
pub struct CommonArgs {
    /// Only run these rules: codes, slugs, code prefixes, categories
    /// (`migration-guide`, `hosted-page`, `widget-config`,
    /// `widget-customization`, `auth-js`), the groups `recommended` (the
    /// default set) and `preview` (rules off by default), or `ALL`;
    /// comma-separated. Replaces the config's `select`, `extend-select` and `ignore`.
    ///
    /// Example: `--select recommended,hosted-page` or `--select OIE001,session-token`
    #[arg(long, value_delimiter = ',', value_name = "RULES", help_heading = RULES)]
    pub select: Vec<String>,

    /// Run these rules too, on top of the config's (or --select's) selection.
    ///
    /// Example: `--extend-select OIE003`
    #[arg(long, value_delimiter = ',', value_name = "RULES", help_heading = RULES)]
    pub extend_select: Vec<String>,

    /// Skip these rules (codes, slugs or prefixes), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES", help_heading = RULES)]
    pub ignore: Vec<String>,

    /// Widget versions below this are an error (OIE004); Okta's migration
    /// guide names 5.2.0. Default: `min-widget-version` in the config, else 5.2.0.
    #[arg(long, value_name = "VERSION", help_heading = RULES)]
    pub min_widget_version: Option<String>,

    /// Widget versions below this (and at least --min-widget-version) are a
    /// warning; Okta's upgrade guides name 5.11.0. Default: the config's
    /// `recommended-widget-version`, else 5.11.0.
    #[arg(long, value_name = "VERSION", help_heading = RULES)]
    pub recommended_widget_version: Option<String>,

    /// Use this config file for every path instead of looking for the
    /// nearest `oie-lint.toml` or `.oie-lint.toml` at or above each checked
    /// path. Globs in it are relative to its directory.
    ///
    /// Example: `oie-lint check --config ci/oie-lint.toml`
    #[arg(long, value_name = "PATH", conflicts_with = "isolated", help_heading = CONFIG)]
    pub config: Option<PathBuf>,

    /// Ignore all config files: use defaults and command-line flags only.
    #[arg(long, help_heading = CONFIG)]
    pub isolated: bool,

    /// Paths not to walk, as .gitignore lines relative to the working
    /// directory, comma-separated. Replaces the config's `exclude` (and the
    /// default `node_modules/`, `bower_components/`, `jspm_packages/`).
    ///
    /// Example: `--exclude 'node_modules/,dist/'`
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS", help_heading = FILES)]
    pub exclude: Option<Vec<String>>,

    /// Paths not to walk, added to the excludes (comma-separated).
    ///
    /// Example: `--extend-exclude legacy/,'*.generated.js'`
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS", help_heading = FILES)]
    pub extend_exclude: Vec<String>,

    /// Read files with extension EXT as LANG (`html`, `js`, `jsx`, `ts`,
    /// `tsx`, `css`, or a page or stylesheet extension such as `jsp` or
    /// `scss`), comma-separated. Wins over the config's `extension` table.
    ///
    /// Example: `--extension txt:html,es6:js`
    #[arg(long, value_delimiter = ',', value_name = "EXT:LANG", help_heading = FILES)]
    pub extension: Vec<String>,

    /// The encoding of files that are not UTF-8 and declare none (no BOM,
    /// `<meta charset>`, JSP `pageEncoding`/`contentType`): a WHATWG label
    /// such as `windows-1252`. Fixes are written back in it. Default: the
    /// config's `encoding`, else such files are refused.
    ///
    /// Example: `--encoding windows-1252`
    #[arg(long, value_name = "LABEL", help_heading = FILES)]
    pub encoding: Option<String>,

    /// Also walk into files and directories that .gitignore/.ignore exclude.
    #[arg(long, help_heading = FILES)]
    pub no_respect_gitignore: bool,

    /// Also check minified bundles (`*.min.js`) found while walking.
    #[arg(long, help_heading = FILES)]
    pub include_minified: bool,

    /// Worker threads (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than SIZE (bytes, or with K, M or G), with a
    /// warning naming them; the rest of the run goes on. Default: the
    /// config's `max-filesize`, else 10M. Keeps time and memory bounded on
    /// a generated or vendored giant.
    ///
    /// Example: `oie-lint check --max-filesize 50M dist/`
    #[arg(long, value_name = "SIZE")]
    pub max_filesize: Option<String>,
}

#[derive(Debug, Args, Default, Clone)]
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
    /// stable array of objects and `json-lines` one object per line (see
    /// docs/output-formats.md). For CI: `sarif` (GitHub code scanning),
    /// `github` (pull-request annotations), `gitlab` (Code Quality report),
    /// `junit` (test report XML).
    ///
    /// Example: `oie-lint check --format sarif -o oie-lint.sarif`
    #[arg(long, value_enum, default_value_t = Format::Full, help_heading = OUTPUT)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (atomically;
    /// missing directories are created). The summary line still goes to
    /// the terminal.
    ///
    /// Example: `oie-lint check --format gitlab -o reports/gl-code-quality.json`
    #[arg(short = 'o', long, value_name = "FILE", help_heading = OUTPUT)]
    pub output_file: Option<PathBuf>,

    /// Print the number of findings per rule (code, name, count, fixable
    /// with --fix, fixable only with --unsafe-fixes) instead of the
    /// findings. A table, or JSON with `--format json`/`json-lines`.
    /// The exit code is the same as without it.
    #[arg(long, help_heading = OUTPUT)]
    pub statistics: bool,

    /// When to colour `full` output. `auto` honours NO_COLOR.
    #[arg(long, value_enum, default_value_t = Color::Auto, help_heading = OUTPUT)]
    pub color: Color,

    /// Treat warnings as failures: exit 1 when any finding is reported.
    #[arg(long, help_heading = OUTPUT)]
    pub deny_warnings: bool,

    /// Always exit 0 when the run completed, even with findings.
    #[arg(long, help_heading = OUTPUT)]
    pub exit_zero: bool,

    /// The file name to use for standard input (`-`): picks the language
    /// and the package.json that governs it.
    ///
    /// Example: `cat login.html | oie-lint check - --stdin-filename web/login.html`
    #[arg(long, value_name = "PATH", help_heading = FILES)]
    pub stdin_filename: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Apply the config's `exclude`/`extend-exclude` (and the minified-bundle
    /// skip) to files named on the command line and to --stdin-filename too.
    /// Pre-commit passes every staged file by name; this keeps excluded
    /// paths excluded there.
    ///
    /// Example: `oie-lint check --force-exclude legacy/login.html`
    #[arg(long, help_heading = FILES)]
    pub force_exclude: bool,

    /// Print the files that would be checked, one per line, and check
    /// nothing (ruff's flag). Exit 2 when there are none.
    ///
    /// Example: `oie-lint check --show-files web/`
    #[arg(long, help_heading = FILES, conflicts_with = "show_settings")]
    pub show_files: bool,

    /// Print the settings each checked path gets (the config file used, the
    /// rules enabled, thresholds, excludes, extensions) and check nothing.
    ///
    /// Example: `oie-lint check --show-settings web/login.html`
    #[arg(long, help_heading = CONFIG)]
    pub show_settings: bool,

    /// Leave out the findings recorded in this baseline file (written by
    /// --write-baseline): CI then fails only on new findings. A finding is
    /// matched by rule, path and a fingerprint of its line that survives
    /// edits elsewhere in the file. The summary says how many were left out
    /// and how many entries no longer match (fixed: rewrite the baseline).
    ///
    /// Example: `oie-lint check --baseline oie-lint-baseline.json`
    #[arg(long, value_name = "FILE", help_heading = BASELINE)]
    pub baseline: Option<PathBuf>,

    /// Record every finding of this run in FILE (JSON, sorted, to check
    /// into the repository), then report them as baselined.
    ///
    /// Example: `oie-lint check --write-baseline oie-lint-baseline.json`
    #[arg(long, value_name = "FILE", help_heading = BASELINE, conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Exit 1 when there are more than N warnings (ESLint's flag), even
    /// without errors. `--max-warnings 0` fails on any warning.
    ///
    /// Example: `oie-lint check --max-warnings 10`
    #[arg(long, value_name = "N", help_heading = OUTPUT)]
    pub max_warnings: Option<usize>,

    /// Print only findings and errors, no summary line when clean.
    #[arg(short, long, help_heading = OUTPUT)]
    pub quiet: bool,

    /// Also check an Okta org (see `oie-lint org --help`).
    #[command(flatten, next_help_heading = ORG)]
    pub org: OrgConnArgs,
    /// Apply safe fixes in place, then report what remains.
    ///
    /// Files are replaced atomically and keep their line endings, BOM and
    /// permissions; symbolic links and read-only files are never written.
    /// With `-` (standard input) the fixed text is printed to stdout and the
    /// report goes to stderr. Exit status follows the findings that remain.
    #[arg(long, help_heading = FIXING)]
    pub fix: bool,

    /// Make unsafe fixes available too: the renderEl migrations that change
    /// code and widget version bumps. On its own it writes nothing (as in
    /// ruff): the summary counts them as fixable with `--fix`; with `--fix`
    /// they are applied, with `--diff` shown. Review the result.
    ///
    /// Example: `oie-lint check --fix --unsafe-fixes web/`
    #[arg(long, help_heading = FIXING)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix (with --unsafe-fixes: also the
    /// unsafe fixes) would change, and write nothing. Exit status 1 when
    /// there is a diff, 0 when none.
    #[arg(long, help_heading = FIXING)]
    pub diff: bool,

    /// List every fix that was applied (with --fix) or would be (with --diff).
    #[arg(long, help_heading = FIXING)]
    pub show_fixes: bool,

    /// The Sign-In Widget version OIE004 fixes upgrade CDN URLs and
    /// package.json ranges to. Default: the config's
    /// `target-widget-version`, else the latest 7.x release oie-lint knows.
    #[arg(long, value_name = "VERSION", help_heading = FIXING)]
    pub target_widget_version: Option<String>,

    /// The client ID of the OIDC app the embedded migration signs in with,
    /// for widget configs that have no `clientId` (overrides `client-id` in
    /// the config's `[fix]` table for this run).
    ///
    /// Classic pages often build `new OktaSignIn({ baseUrl })` only, but
    /// `showSignInToGetTokens` needs an OIDC app with the Interaction Code
    /// grant and PKCE. With this flag and `--redirect-uri`, the unsafe
    /// renderEl migration adds `clientId`, `redirectUri` (and
    /// `useInteractionCodeFlow: true` for widget 5.x) to the config and
    /// names the values it inserted. oie-lint never invents a client ID:
    /// without one, the finding says which key or flag to set.
    /// In a monorepo, prefer one `[fix]` table per app's `oie-lint.toml`.
    ///
    /// Example: `oie-lint check --fix --unsafe-fixes --client-id 0oa1b2c3d4e5f6g7h8i9 --redirect-uri https://app.example.com/login/callback web/`
    #[arg(long, value_name = "ID", help_heading = FIXING)]
    pub client_id: Option<String>,

    /// A sign-in redirect URI registered on the `--client-id` app (an
    /// absolute URL), inserted as the widget config's `redirectUri` when it
    /// has none (overrides `redirect-uri` in the config's `[fix]` table).
    ///
    /// Example: `--redirect-uri https://app.example.com/login/callback`
    #[arg(long, value_name = "URL", help_heading = FIXING)]
    pub redirect_uri: Option<String>,

    /// Print to stderr where the time went: discover, read, prefilter,
    /// parse, check and report, and how many files the literal prefilter
    /// let through to the parser. Worker phases are summed over threads
    /// (use `-j 1` to see them add up to the wall time).
    ///
    /// Example: `oie-lint check --timings -j 1 .`
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args, Default)]
pub struct InitArgs {
    /// The directory to write `oie-lint.toml` in (default: the current directory).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`OIE002`) or slug (`session-token`). Without one, the
    /// rules are listed as with --all.
    pub rule: Option<String>,

    /// List every rule by category with its code, slug, severity, group (`preview` rules are off
    /// unless selected) and summary.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,
}

/// `--format` values for `versions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum VersionsFormat {
    /// An aligned table for people.
    #[default]
    Full,
    /// A JSON array of uses (the summary goes to stderr).
    Json,
    /// A Markdown table for migration plans and pull requests.
    Markdown,
}

#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// Files or directories to inventory (default: the current directory).
    /// Walked like `check`; lockfiles and `okta-sign-in*.js` bundles included.
    ///
    /// Example: `oie-lint versions apps/ web/`
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = VersionsFormat::Full)]
    pub format: VersionsFormat,

    /// Widget versions below this are `blocking`; Okta's migration guide
    /// names 5.2.0. Default: `min-widget-version` in the config, else 5.2.0.
    #[arg(long, value_name = "VERSION")]
    pub min_widget_version: Option<String>,

    /// Widget versions below this (and at least --min-widget-version) are a
    /// `warning`; Okta's upgrade guides name 5.11.0. Default: the config's
    /// `recommended-widget-version`, else 5.11.0.
    #[arg(long, value_name = "VERSION")]
    pub recommended_widget_version: Option<String>,

    /// Use this config file instead of the nearest `oie-lint.toml` or
    /// `.oie-lint.toml` at or above each path (thresholds, `exclude`,
    /// `extension`).
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore all config files.
    #[arg(long)]
    pub isolated: bool,

    /// Read files with extension EXT as LANG, as `check --extension` does
    /// (a page kept as `.txt` that loads the widget from the CDN).
    ///
    /// Example: `--extension txt:html`
    #[arg(long, value_delimiter = ',', value_name = "EXT:LANG")]
    pub extension: Vec<String>,

    /// The encoding of files that are not UTF-8 and declare none, as
    /// `check --encoding` (a WHATWG label).
    ///
    /// Example: `--encoding windows-1252`
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Also walk into files and directories that .gitignore/.ignore exclude.
    #[arg(long)]
    pub no_respect_gitignore: bool,

    /// Worker threads (default: the number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}
