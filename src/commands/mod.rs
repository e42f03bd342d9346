//! One module per subcommand; each returns the process exit code.
pub mod audit;
pub mod baseline;
pub mod check;
pub mod completions;
pub mod init;
pub mod org;
pub mod rule;
pub mod server;
pub mod versions;

use std::path::{Path, PathBuf};

/// What `check`, `audit` and `versions` start from: the working directory,
/// the paths given (`.` when none), and for each config file the settings
/// it gives and the paths it governs (the nearest config at or above each
/// path, unless `--config`/`--isolated`).
pub struct Preamble {
    pub cwd: PathBuf,
    pub paths: Vec<PathBuf>,
    pub groups: Vec<(crate::config::Resolved, Vec<PathBuf>)>,
}

impl Preamble {
    /// Resolves the paths and their configs; an invalid config is said on
    /// stderr and gives `Err` with the exit code.
    pub fn resolve(
        paths: &[PathBuf],
        config: Option<&Path>,
        isolated: bool,
        cli: &crate::config::CliLayer,
        stdin_filename: Option<&Path>,
    ) -> Result<Preamble, i32> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let paths = if paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            paths.to_vec()
        };
        match crate::config::resolve_for_paths(&cwd, config, isolated, cli, &paths, stdin_filename)
        {
            Ok(groups) => Ok(Preamble { cwd, paths, groups }),
            Err(e) => {
                eprintln!("error: {e}");
                Err(exit::ERROR)
            }
        }
    }
}

/// Exit codes shared by all commands (as ruff and ESLint use them).
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const ERROR: i32 = 2;
}
