//! `oie-lint versions`: every Okta package use in the repository, with the
//! version that governs it and its Identity Engine status.
//!
//! Discovery is the same walk as `check` (lockfiles and widget bundles
//! included); rows come from [`crate::versions::inventory`]. Exit status 0,
//! or 2 when a path could not be read.

use super::exit;
use crate::cli::{VersionsArgs, VersionsFormat};
use crate::config;
use crate::discover::{self, WalkOptions};
use crate::report::versions::{render_markdown, render_table, summary};
use crate::source;
use crate::versions::inventory::inventory;
use crate::versions::VersionIndex;
use std::io::Write;

pub fn run(args: &VersionsArgs) -> i32 {
    // The thresholds, excludes and extensions come from the config file
    // (the nearest at or above each path, as for `check`) and the flags.
    let cli = config::CliLayer {
        min_widget_version: args.min_widget_version.as_deref(),
        recommended_widget_version: args.recommended_widget_version.as_deref(),
        extension: &args.extension,
        encoding: args.encoding.as_deref(),
        ..config::CliLayer::default()
    };
    let super::Preamble { cwd, groups, .. } = match super::Preamble::resolve(
        &args.paths,
        args.config.as_deref(),
        args.isolated,
        &cli,
        None,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .stack_size(crate::syntax::WORKER_STACK)
        .build()
        .expect("thread pool");
    let index = VersionIndex::new(cwd.clone());
    let mut uses = Vec::new();
    let mut errors: Vec<(String, String)> = Vec::new();
    for (resolved, paths) in &groups {
        let settings = &resolved.settings;
        let opts = WalkOptions {
            respect_gitignore: !args.no_respect_gitignore,
            include_minified: false,
            threads: args.threads.unwrap_or(0),
            excludes: settings.excludes.clone(),
            force_exclude: false,
            extensions: settings.extensions.clone(),
        };
        let (found, (found_uses, read_errors)) = pool.install(|| {
            let found = discover::discover(paths, &opts);
            let read = crate::source::ReadOptions {
                extensions: &settings.extensions,
                encoding: settings.encoding,
            };
            let inv = inventory(&found.files, &index, &settings.thresholds, read);
            (found, inv)
        });
        errors.extend(
            found
                .errors
                .iter()
                .map(|(p, e)| (source::display_path(p, &cwd), e.clone())),
        );
        errors.extend(read_errors);
        uses.extend(found_uses);
    }
    if groups.len() > 1 {
        uses.sort_by(|a, b| {
            (&a.package, &a.path, a.line, a.kind).cmp(&(&b.package, &b.path, b.line, b.kind))
        });
        errors.sort();
    }
    crate::suppress::mark_acknowledged(&mut uses, crate::rules::Registry::get(), &cwd);
    for (path, e) in &errors {
        eprintln!("error: {}", crate::diagnostic::with_path(path, e));
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
