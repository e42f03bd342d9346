//! `oie-lint audit`: a migration-readiness report for a whole repository.
//!
//! Reuses the other commands' machinery: settings come from the config file
//! and flags exactly as for `check` ([`config::load_and_resolve`]), the
//! findings from [`check::check`], the packages from the `versions`
//! inventory, and the hosted/embedded split from
//! [`report::audit::pages`]. The report goes to stdout or, with `-o`, to
//! a file (atomically); a one-line verdict goes to stderr.
//!
//! Exit status: 0 when the report was written (findings do not fail an
//! audit), 2 when the config is invalid, a path could not be read (the
//! report still lists it) or the report could not be written.

use super::{check, exit};
use crate::cli::{AuditArgs, AuditFormat, CheckArgs};
use crate::config;
use crate::discover::{self, WalkOptions};
use crate::linter::Linter;
use crate::report::{self, audit};
use crate::source;
use crate::versions::inventory::inventory;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &AuditArgs) -> i32 {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: audit reads a repository, not standard input: name files or directories");
        return exit::ERROR;
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cli = check::common_layer(&args.common, None);
    let resolved = match config::load_and_resolve(
        &cwd,
        args.common.config.as_deref(),
        args.common.isolated,
        &cli,
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let config_file = resolved.config_file.clone();
    let linter = match Linter::new(resolved.settings, cwd.clone()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let check_args = CheckArgs {
        paths: paths.clone(),
        common: args.common.clone(),
        ..CheckArgs::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.common.threads.unwrap_or(0))
        .build()
        .expect("thread pool");
    let (mut run, uses, pages) = pool.install(|| {
        let mut run = check::check(&linter, &check_args, &cwd);
        // The same walk again for the files that have no findings: the
        // inventory and the hosted/embedded scan look at every file.
        let opts = WalkOptions {
            respect_gitignore: !args.common.no_respect_gitignore,
            include_minified: args.common.include_minified,
            threads: args.common.threads.unwrap_or(0),
            excludes: linter.settings.excludes.clone(),
            force_exclude: false,
            extensions: linter.settings.extensions.clone(),
        };
        let found = discover::discover(&paths, &opts);
        let (uses, read_errors) =
            inventory(&found.files, &linter.versions, &linter.settings.thresholds);
        for e in read_errors {
            if !run.errors.iter().any(|(p, _)| *p == e.0) {
                run.errors.push(e);
            }
        }
        let pages = audit::pages::scan(&found.files, &cwd);
        (run, uses, pages)
    });
    run.errors.sort();
    for (path, msg) in &run.errors {
        eprintln!("error: {path}: {msg}");
    }
    let shown: Vec<String> = paths
        .iter()
        .map(|p| {
            let s = p.to_string_lossy().replace('\\', "/");
            if p.is_absolute() {
                source::display_path(p, &cwd)
            } else {
                s
            }
        })
        .collect();
    let rep = audit::build(shown, config_file, &run, uses, pages);

    let mut buf = Vec::new();
    let rendered = match args.format {
        AuditFormat::Markdown => audit::markdown::render(&rep, &mut buf),
        AuditFormat::Html => audit::html::render(&rep, &mut buf),
        AuditFormat::Json => serde_json::to_writer_pretty(&mut buf, &rep)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(buf)),
    };
    let written = rendered.and_then(|()| match &args.output_file {
        Some(file) => report::output::write_atomic(file, &buf),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf).and_then(|()| out.flush())
        }
    });
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe || args.output_file.is_some() {
            let what = match &args.output_file {
                Some(f) => format!("writing {}", f.display()),
                None => "writing the report".into(),
            };
            eprintln!("error: {what}: {e}");
            return exit::ERROR;
        }
    }
    let mut line = audit::summary_line(&rep);
    if let Some(f) = &args.output_file {
        line.push_str(&format!(" Report written to {}.", f.display()));
    }
    eprintln!("{line}");
    if run.errors.is_empty() {
        exit::CLEAN
    } else {
        exit::ERROR
    }
}
