//! `oie-lint org`: check the Okta org itself (see [`crate::org`]).
use super::exit;
use crate::cli::{Color, OrgArgs};
use crate::diagnostic::Severity;
use crate::discover::WalkOptions;
use crate::linter::Linter;
use crate::org::{self, code::CodeRefs};
use crate::report::Format;
use crate::report::{self, plural, Run};
use crate::rules::{Registry, RuleSet};
use crate::settings::Settings;
use crate::versions::{self, Thresholds};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub fn run(args: &OrgArgs) -> i32 {
    let settings = match settings_from(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let client = match org::connect(&args.org) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let linter = match Linter::new(settings, cwd.clone()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    if args.apps {
        return list_apps(args, &client, &linter, &cwd);
    }
    let report = org::check_org(&client, &CodeRefs::default(), &linter);
    let base = client.origin().base();

    for p in report.problems.iter().chain(&report.notes) {
        eprintln!("warning: okta: {p}");
    }
    // What stopped the run goes into the report too, so a machine format
    // never reads as a success (SARIF `executionSuccessful: false`, a JUnit
    // error, a JSON error entry), as `check --org-url` reports it.
    let mut errors = Vec::new();
    if let Some(f) = &report.fatal {
        eprintln!("error: okta: {f}");
        errors.push((base.clone(), f.clone()));
    } else if report.nothing_checked {
        errors.push((
            base.clone(),
            "nothing in the org could be checked (see the warnings above)".to_string(),
        ));
    }
    let mut pull_failed = 0;
    if let Some(dir) = &args.pull {
        match org::pull::save(dir, &report.pages) {
            Ok(saved) => {
                for s in saved {
                    let shown = crate::source::escape_path(&s.file);
                    match s.result {
                        Ok(()) => eprintln!("saved {shown}"),
                        Err(e) => {
                            eprintln!("error: --pull: {e}; {shown} was not saved");
                            errors.push((shown, format!("not saved: {e}")));
                            pull_failed += 1;
                        }
                    }
                }
            }
            Err(e) => {
                eprintln!("error: --pull {}: {e}", crate::source::escape_path(dir));
                return exit::ERROR;
            }
        }
    }

    let run = Run {
        diagnostics: report.diagnostics,
        sources: report.sources,
        errors,
        files_checked: 0,
        root: std::env::current_dir().unwrap_or_default(),
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut out = stdout.lock();
    if let Err(e) = report::render(args.format, &run, color, &mut out) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return exit::ERROR;
        }
    }

    let errors = run.count(Severity::Error);
    let warnings = run.count(Severity::Warning);
    let found = format!(
        "{} and {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    let checked = if report.checked.is_empty() {
        "nothing".to_string()
    } else {
        report.checked.join(", ")
    };
    let skipped = if report.problems.is_empty() {
        String::new()
    } else {
        format!(
            "; {} could not be read (see the warnings above)",
            plural(report.problems.len(), "endpoint")
        )
    };
    let pulled = if pull_failed > 0 {
        format!(
            "; {} could not be saved",
            plural(pull_failed, "sign-in page")
        )
    } else {
        String::new()
    };
    let (code, summary) = if report.nothing_checked {
        (
            exit::ERROR,
            format!("Nothing in {base} could be checked{skipped}; found {found}."),
        )
    } else if pull_failed > 0 {
        (
            exit::ERROR,
            format!("Found {found} in {base} (checked {checked}{skipped}){pulled}."),
        )
    } else if (errors > 0 || (args.deny_warnings && warnings > 0)) && !args.exit_zero {
        (
            exit::FINDINGS,
            format!("Found {found} in {base} (checked {checked}{skipped})."),
        )
    } else if errors + warnings > 0 {
        (
            exit::CLEAN,
            format!("Found {found} in {base} (checked {checked}{skipped})."),
        )
    } else {
        (
            exit::CLEAN,
            format!("All org checks passed for {base} (checked {checked}{skipped})."),
        )
    };
    if !(args.quiet && code == exit::CLEAN) {
        if args.format.is_machine() {
            eprintln!("{summary}");
        } else {
            let _ = writeln!(out, "{summary}");
        }
    }
    let _ = out.flush();
    code
}

/// `org --apps`: the listing as text (`full`, `concise`) or JSON.
fn list_apps(args: &OrgArgs, client: &org::client::Client, linter: &Linter, cwd: &Path) -> i32 {
    let json = match args.format {
        Format::Json => true,
        Format::Full | Format::Concise => false,
        other => {
            eprintln!(
                "error: --apps writes `full`, `concise` or `json`, not `{}`",
                other
                    .to_possible_value()
                    .map_or("?".into(), |v| v.get_name().to_string())
            );
            return exit::ERROR;
        }
    };
    let opts = WalkOptions {
        respect_gitignore: true,
        include_minified: false,
        threads: 0,
        excludes: linter.settings.excludes.clone(),
        force_exclude: false,
        extensions: linter.settings.extensions.clone(),
    };
    if let Some(missing) = args.code.iter().find(|p| !p.exists()) {
        let shown = missing.to_string_lossy();
        let shown = if crate::cli::looks_like_token(&shown) {
            "<not shown: it looks like a token>".into()
        } else {
            crate::source::escape_path(missing)
        };
        eprintln!("error: --code {shown}: no such file or folder");
        return exit::ERROR;
    }
    let listing = match org::list_apps(client, &args.code, &opts, cwd, linter.settings.encoding) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: okta: {e}");
            return exit::ERROR;
        }
    };
    let text = if json {
        match serde_json::to_string_pretty(&listing) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("error: writing the listing: {e}");
                return exit::ERROR;
            }
        }
    } else {
        org::listing::render_text(&listing, &client.origin().base())
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the listing: {e}");
            return exit::ERROR;
        }
    }
    exit::CLEAN
}

fn settings_from(args: &OrgArgs) -> Result<Settings, String> {
    let reg = Registry::get();
    let mut rules = RuleSet::from_selectors(reg, &args.select, &args.ignore)?;
    if args.select.is_empty() {
        // As `check`: without a selection the preview rules stay off.
        for (i, r) in reg.rules.iter().enumerate() {
            if r.preview {
                rules.set(i, false);
            }
        }
    }
    let parse = |flag: &str, v: &str| {
        versions::parse_version(v).ok_or_else(|| format!("{flag}: `{v}` is not a version (X.Y.Z)"))
    };
    let thresholds = Thresholds {
        min: parse("--min-widget-version", &args.min_widget_version)?,
        recommended: parse(
            "--recommended-widget-version",
            &args.recommended_widget_version,
        )?,
        ..Thresholds::default()
    };
    Ok(Settings::new(rules, thresholds))
}
