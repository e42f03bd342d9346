//! `oie-lint completions SHELL`: a shell completion script (clap_complete),
//! generated from the same command definition `--help` documents.
use super::exit;
use crate::cli::CompletionsArgs;

pub fn run(args: &CompletionsArgs) -> i32 {
    let mut cmd = crate::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "oie-lint", &mut out);
    use std::io::Write;
    match std::io::stdout().lock().write_all(&out) {
        Ok(()) => exit::CLEAN,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(e) => {
            eprintln!("error: writing the completions: {e}");
            exit::ERROR
        }
    }
}
