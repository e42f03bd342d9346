//! `oie-lint init`: write a commented starter config.
use super::exit;
use crate::cli::InitArgs;
use crate::config::{FILE_NAMES, STARTER};
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &InitArgs) -> i32 {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if let Some(existing) = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
        eprintln!(
            "error: {} already exists; not overwriting it",
            existing.display()
        );
        return exit::ERROR;
    }
    let path = dir.join(FILE_NAMES[0]);
    // `create_new` so a file appearing meanwhile is not clobbered either.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(STARTER.as_bytes()));
    match written {
        Ok(()) => {
            println!(
                "Wrote {} (every key is commented out; see docs/configuration.md in oie-lint).",
                path.display()
            );
            exit::CLEAN
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::ERROR
        }
    }
}
