//! One module per subcommand; each returns the process exit code.
pub mod audit;
pub mod check;
pub mod completions;
pub mod init;
pub mod org;
pub mod rule;
pub mod versions;

/// Exit codes shared by all commands (as ruff and ESLint use them).
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const ERROR: i32 = 2;
}
