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
use crate::report::plural;
use crate::source;
use crate::versions::inventory::{inventory, Status, Use};
use crate::versions::VersionIndex;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &VersionsArgs) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // The thresholds, excludes and extensions come from the config file
    // (the nearest at or above each path, as for `check`) and the flags.
    let cli = config::CliLayer {
        min_widget_version: args.min_widget_version.as_deref(),
        recommended_widget_version: args.recommended_widget_version.as_deref(),
        ..config::CliLayer::default()
    };
    let groups = match config::resolve_for_paths(
        &cwd,
        args.config.as_deref(),
        args.isolated,
        &cli,
        &paths,
        None,
    ) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
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
            let inv = inventory(&found.files, &index, &settings.thresholds);
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

/// "5 Okta package uses in 3 files: 1 blocking, 1 warning, 2 ready, 1 unknown."
pub fn summary(uses: &[Use]) -> String {
    if uses.is_empty() {
        return "No Okta package uses found.".into();
    }
    let files: std::collections::BTreeSet<&str> = uses.iter().map(|u| u.path.as_str()).collect();
    let n = |s: Status| uses.iter().filter(|u| u.status == s).count();
    let noun = if uses.len() == 1 { "use" } else { "uses" };
    format!(
        "{} Okta package {noun} in {}: {} blocking, {} warning, {} ready, {} unknown.",
        uses.len(),
        plural(files.len(), "file"),
        n(Status::Blocking),
        n(Status::Warning),
        n(Status::Ready),
        n(Status::Unknown)
    )
}

pub fn cells(u: &Use) -> [String; 7] {
    [
        u.package.clone(),
        u.spec.clone().unwrap_or_else(|| "-".into()),
        u.resolved.clone().unwrap_or_else(|| "-".into()),
        u.resolved_from.clone().unwrap_or_else(|| "-".into()),
        format!("{}:{}", u.path, u.line),
        plural(u.governs.len(), "file"),
        u.status.as_str().to_string(),
    ]
}

pub const HEADERS: [&str; 7] = [
    "PACKAGE", "SPEC", "RESOLVED", "FROM", "WHERE", "GOVERNS", "STATUS",
];

/// An aligned plain-text table.
fn render_table(uses: &[Use], w: &mut dyn Write) -> std::io::Result<()> {
    if uses.is_empty() {
        return Ok(());
    }
    let rows: Vec<[String; 7]> = uses.iter().map(cells).collect();
    let mut widths = HEADERS.map(|h| h.len());
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cols: &[String]| {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<width$}  ", width = widths[i]));
            }
        }
        s
    };
    writeln!(w, "{}", line(&HEADERS.map(String::from)))?;
    for r in &rows {
        writeln!(w, "{}", line(r))?;
    }
    writeln!(w)
}

/// A GitHub-flavoured Markdown table (pipes in cells escaped).
pub fn render_markdown(uses: &[Use], w: &mut dyn Write) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|");
    writeln!(
        w,
        "| Package | Spec | Resolved | From | Where | Governs | Status |"
    )?;
    writeln!(w, "|---|---|---|---|---|---|---|")?;
    for u in uses {
        let c = cells(u);
        writeln!(
            w,
            "| `{}` | `{}` | {} | {} | `{}` | {} | {} |",
            esc(&c[0]),
            esc(&c[1]),
            esc(&c[2]),
            esc(&c[3]),
            esc(&c[4]),
            c[5],
            c[6]
        )?;
    }
    Ok(())
}
