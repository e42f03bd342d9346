//! `oie-lint audit`: a migration-readiness report for a whole repository.
//!
//! Reuses the other commands' machinery: settings come from the config file
//! and flags exactly as for `check` ([`config::load_and_resolve`]), the
//! findings from [`check::check_and_list`], the packages from the `versions`
//! inventory, and the hosted/embedded split from
//! [`audit::pages`]. The tree is walked once (`check` lists what it
//! visited) and the inventory and the page scan share one read per file.
//! With `--merge` nothing is walked: JSON reports are read and merged
//! ([`audit::merge`]). It adds the app layout
//! ([`audit::apps`]), each repository's git facts and, with
//! `--baseline`, the comparison with an earlier JSON audit; the report
//! module gets all of it as plain data. The report goes to stdout or,
//! with `-o`, to a file (atomically); a one-line verdict goes to stderr.
//!
//! Exit status: 0 when the report was written (findings do not fail an
//! audit), 2 when the config is invalid, a path could not be read (the
//! report still lists it) or the report could not be written.

use super::{check, exit};
use crate::audit;
use crate::cli::{AuditArgs, AuditFormat, CheckArgs};
use crate::linter::Linter;
use crate::report;
use crate::source;
use crate::versions::inventory::inventory_with;
use std::io::Write;

pub fn run(args: &AuditArgs) -> i32 {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: audit reads a repository, not standard input: name files or directories");
        return exit::ERROR;
    }
    let baseline = match &args.baseline {
        Some(f) => match audit::baseline::load(f) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: --baseline {e}");
                return exit::ERROR;
            }
        },
        None => None,
    };
    if !args.merge.is_empty() {
        let (files, bad) = audit::merge::inputs(&args.merge);
        let rep = audit::merge::read_and_merge(&files, bad, baseline);
        for u in &rep.unreadable {
            eprintln!("error: {}: {}", u.place(), u.error);
        }
        let code = if rep.unreadable.is_empty() {
            exit::CLEAN
        } else {
            exit::ERROR
        };
        return write_report(args, &rep).unwrap_or(code);
    }
    let cli = check::common_layer(&args.common, None);
    // As `check`: each path gets the nearest config file at or above it
    // (unless --config/--isolated), so the report does not depend on the
    // working directory. One linter per config file.
    let super::Preamble { cwd, paths, groups } = match super::Preamble::resolve(
        &args.paths,
        args.common.config.as_deref(),
        args.common.isolated,
        &cli,
        None,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut config_files: Vec<String> = groups
        .iter()
        .filter_map(|(r, _)| r.config_file.clone())
        .collect();
    config_files.dedup();
    let config_file = (!config_files.is_empty()).then(|| config_files.join(", "));
    let mut linters = Vec::new();
    for (resolved, group_paths) in groups {
        match Linter::new(resolved.settings, cwd.clone()) {
            Ok(mut l) => {
                // The page scan reuses check's parse of each file.
                l.collect_page_facts();
                linters.push((l, group_paths))
            }
            Err(e) => {
                eprintln!("error: {e}");
                return exit::ERROR;
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.common.threads.unwrap_or(0))
        .stack_size(crate::syntax::WORKER_STACK)
        .build()
        .expect("thread pool");
    let (mut run, uses, pages, layout) = pool.install(|| {
        let mut run = report::Run::default();
        let mut uses = Vec::new();
        let mut pages = audit::pages::Pages::default();
        let mut files = Vec::new();
        for (linter, group_paths) in &linters {
            let check_args = CheckArgs {
                paths: group_paths.clone(),
                common: args.common.clone(),
                ..CheckArgs::default()
            };
            // One walk: `check` lists every file it visited, and the
            // inventory and the hosted/embedded scan look at that list
            // (files without findings too), read as `check` reads them
            // (extension map, encoding).
            let seen = std::sync::Mutex::new(Vec::new());
            run.absorb(check::check_and_list(
                linter,
                &check_args,
                &cwd,
                Some(&seen),
            ));
            let mut seen = seen.into_inner().unwrap();
            // A file listed twice (under two given paths) keeps what the
            // linter learnt from it, if anything.
            seen.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.is_some().cmp(&a.1.is_some())));
            seen.dedup_by(|a, b| a.0 == b.0);
            let mut found = Vec::with_capacity(seen.len());
            let mut parsed = std::collections::HashMap::new();
            for (path, page) in seen {
                if let Some(page) = page {
                    parsed.insert(path.clone(), page);
                }
                found.push(path);
            }
            let read = source::ReadOptions {
                extensions: &linter.settings.extensions,
                encoding: linter.settings.encoding,
            };
            // One read per file: the hosted/embedded scan runs on the text
            // the inventory reads, and parses only the files `check` did
            // not parse.
            let scan =
                |path: &std::path::Path, display: &str, kind, text: &str| match parsed.get(path) {
                    Some(page) => audit::pages::from_facts(display, kind, page),
                    None => audit::pages::classify_read(path, display, kind, text),
                };
            let (group_uses, read_errors, found_pages) = inventory_with(
                &found,
                &linter.versions,
                &linter.settings.thresholds,
                read,
                &scan,
            );
            uses.extend(group_uses);
            for e in read_errors {
                if !run.errors.iter().any(|(p, _)| *p == e.0) {
                    run.errors.push(e);
                }
            }
            pages.absorb(audit::pages::collect(found_pages));
            files.extend(found);
        }
        run.sort();
        uses.sort_by(|a, b| {
            (&a.package, &a.path, a.line, a.kind).cmp(&(&b.package, &b.path, b.line, b.kind))
        });
        crate::suppress::mark_acknowledged(&mut uses, crate::rules::Registry::get(), &cwd);
        files.sort();
        files.dedup();
        let layout = audit::apps::layout(&files, &paths, &cwd);
        (run, uses, pages, layout)
    });
    let linter = &linters[0].0;
    run.errors.sort();
    for (path, msg) in &run.errors {
        eprintln!("error: {}", crate::diagnostic::with_path(path, msg));
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
    let repositories = layout
        .repositories
        .iter()
        .map(|r| {
            let (branch, commit, date) = if r.git {
                audit::provenance::git_facts(&r.dir)
            } else {
                (None, None, None)
            };
            audit::Repository {
                name: r.name.clone(),
                root: r.root.clone(),
                vcs: if r.git { "git" } else { "folder" }.into(),
                branch,
                commit,
                date,
            }
        })
        .collect();
    let reg = crate::rules::Registry::get();
    let config = audit::ConfigInfo {
        select: args.common.select.clone(),
        ignore: args.common.ignore.clone(),
        rules_enabled: reg
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| linter.settings.may_enable(*i))
            .map(|(_, r)| r.code.clone())
            .collect(),
        min_widget_version: linter.settings.thresholds.min.to_string(),
        recommended_widget_version: linter.settings.thresholds.recommended.to_string(),
    };
    let rep = audit::build(audit::Inputs {
        paths: shown,
        config_file,
        config,
        run: &run,
        uses,
        pages,
        layout,
        repositories,
        baseline,
    });
    if let Some(code) = write_report(args, &rep) {
        return code;
    }
    if run.errors.is_empty() {
        exit::CLEAN
    } else {
        exit::ERROR
    }
}

/// Renders and writes the report, then prints the one-line verdict;
/// `Some(exit code)` when it could not be written.
fn write_report(args: &AuditArgs, rep: &audit::Report) -> Option<i32> {
    let mut buf = Vec::new();
    let rendered = match args.format {
        AuditFormat::Markdown => audit::markdown::render(rep, &mut buf),
        AuditFormat::Html => audit::html::render(rep, &mut buf),
        AuditFormat::Json => serde_json::to_writer_pretty(&mut buf, rep)
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
            return Some(exit::ERROR);
        }
    }
    let mut line = audit::summary_line(rep);
    if let Some(f) = &args.output_file {
        line.push_str(&format!(" Report written to {}.", f.display()));
    }
    eprintln!("{line}");
    None
}
