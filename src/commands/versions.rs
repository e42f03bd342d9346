//! `oie-lint versions`: every Okta package use in the repository, with the
//! version that governs it and its Identity Engine status.
//!
//! Discovery is the same walk as `check` (lockfiles and widget bundles
//! included); rows come from [`crate::versions::inventory`]. Exit status 0,
//! or 2 when a path could not be read.

use super::exit;
use crate::cli::{VersionsArgs, VersionsFormat};
use crate::discover::{self, WalkOptions};
use crate::report::versions::{render_markdown, render_table, summary};
use crate::source;
use crate::versions::inventory::inventory;
use crate::versions::{self, Thresholds, VersionIndex};
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &VersionsArgs) -> i32 {
    let parse = |flag: &str, v: &str| {
        versions::parse_version(v).ok_or_else(|| format!("{flag}: `{v}` is not a version (X.Y.Z)"))
    };
    let thresholds = match (
        parse("--min-widget-version", &args.min_widget_version),
        parse(
            "--recommended-widget-version",
            &args.recommended_widget_version,
        ),
    ) {
        (Ok(min), Ok(recommended)) => Thresholds {
            min,
            recommended,
            ..Thresholds::default()
        },
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let opts = WalkOptions {
        respect_gitignore: !args.no_respect_gitignore,
        include_minified: false,
        threads: args.threads.unwrap_or(0),
        ..WalkOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .expect("thread pool");
    let index = VersionIndex::new(cwd.clone());
    let (found, (uses, read_errors)) = pool.install(|| {
        let found = discover::discover(&paths, &opts);
        let inv = inventory(&found.files, &index, &thresholds);
        (found, inv)
    });
    let mut errors: Vec<(String, String)> = found
        .errors
        .iter()
        .map(|(p, e)| (source::display_path(p, &cwd), e.clone()))
        .collect();
    errors.extend(read_errors);
    for (path, e) in &errors {
        eprintln!("error: {path}: {e}");
    }
    let mut out = std::io::stdout().lock();
    let summary = summary(&uses);
    let written = match args.format {
        VersionsFormat::Full => {
            render_table(&uses, &mut out).and_then(|_| writeln!(out, "{summary}"))
        }
        VersionsFormat::Markdown => {
            render_markdown(&uses, &mut out).and_then(|_| writeln!(out, "\n{summary}"))
        }
        VersionsFormat::Json => serde_json::to_writer_pretty(&mut out, &uses)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
            .map(|_| eprintln!("{summary}")),
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return exit::ERROR;
        }
    }
    if errors.is_empty() {
        exit::CLEAN
    } else {
        exit::ERROR
    }
}
