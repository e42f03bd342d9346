//! `oie-lint check`: discover → read → lint (in parallel, as the walk finds
//! files) → report → exit code.
use super::exit;
use crate::cli::{CheckArgs, Color, CommonArgs};
use crate::config;
use crate::diagnostic::Severity;
use crate::discover::{self, WalkOptions};
use crate::fix::{self, FixMode};
use crate::linter::Linter;
use crate::report::{self, plural, Run};
use crate::source::{self, FileKind, SourceFile};
use crate::timings::{self, Phase};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub fn run(args: &CheckArgs) -> i32 {
    if args.statistics && !report::statistics::supports(args.format) {
        eprintln!("error: --statistics prints a table or JSON: use --format full, concise, json or json-lines");
        return exit::ERROR;
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let resolved = match config::load_and_resolve(
        &cwd,
        args.common.config.as_deref(),
        args.common.isolated,
        &cli_layer(args),
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let started = std::time::Instant::now();
    let mut linter = match Linter::new(resolved.settings, cwd.clone()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    if args.timings {
        linter.enable_timings();
    }
    let here = [PathBuf::from(".")];
    let given = if args.paths.is_empty() {
        &here[..]
    } else {
        &args.paths
    };
    linter.set_run_paths(crate::linter::RunPaths::new(&cwd, given));
    let threads = args.common.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut run = pool.install(|| check(&linter, args, &cwd));
    if args.org.org_url.is_some() {
        crate::org::augment_check(&mut run, args, &linter, &cwd);
    }
    run.root = cwd;
    let mut clock = timings::Clock::start(linter.timings());

    let stdout = std::io::stdout();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output_file.is_none()
                && stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    // Buffered: the JSON and full formats write many small pieces, and a
    // locked stdout alone is line-buffered (a system call per line).
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (path, msg) in &run.errors {
        eprintln!("error: {path}: {msg}");
    }
    for p in report::fixes::problems(&run) {
        eprintln!("{p}");
    }
    let mode = fix_mode(args);
    // `--fix` on stdin prints the fixed text; the report then goes to stderr.
    let fixed_stdin = run.fixes.iter().find_map(|f| f.stdout.as_deref());
    let written = match &args.output_file {
        Some(file) => {
            let mut buf = Vec::new();
            render(args, &run, color, mode, &mut buf)
                .and_then(|()| report::output::write_atomic(file, &buf))
                .map_err(|e| (format!("writing {}", file.display()), e))
        }
        None => {
            let mut err = std::io::stderr();
            let report_to: &mut dyn Write = if fixed_stdin.is_some() {
                &mut err
            } else {
                &mut out
            };
            // Flushed here so that a write error is reported as one.
            render(args, &run, color, mode, report_to)
                .and_then(|()| report_to.flush())
                .map_err(|e| ("writing the report".to_string(), e))
        }
    };
    let written = written.and_then(|()| match fixed_stdin {
        Some(text) => out
            .write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| ("writing the fixed text".to_string(), e)),
        None => Ok(()),
    });
    if let Err((what, e)) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe || args.output_file.is_some() {
            eprintln!("error: {what}: {e}");
            return exit::ERROR;
        }
    }
    timings::lap(&mut clock, Phase::Report);
    if let Some(t) = linter.timings() {
        let _ = out.flush();
        let _ = t.print(
            started.elapsed(),
            pool.current_num_threads(),
            &mut std::io::stderr(),
        );
    }
    let (code, summary) = outcome(&run, args);
    if !(args.quiet && code == exit::CLEAN) {
        let to_stderr = (args.format.is_machine() && args.output_file.is_none())
            || fixed_stdin.is_some()
            || mode.is_some_and(|m| m.diff);
        if to_stderr {
            eprintln!("{summary}");
        } else {
            let _ = writeln!(out, "{summary}");
        }
    }
    let _ = out.flush();
    code
}

/// The report: the diffs with `--diff`, per-rule counts with `--statistics`,
/// else the findings in the chosen format; then the fix list with `--show-fixes`.
fn render(
    args: &CheckArgs,
    run: &Run,
    color: bool,
    mode: Option<FixMode>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    if mode.is_some_and(|m| m.diff) {
        run.fixes
            .iter()
            .filter_map(|f| f.diff.as_deref())
            .try_for_each(|d| w.write_all(d.as_bytes()))?;
    } else if args.statistics {
        report::statistics::render(args.format, run, w)?;
    } else {
        report::render(args.format, run, color, w)?;
    }
    if args.show_fixes {
        report::fixes::render_fixes(run, mode, w)?;
    }
    Ok(())
}

/// The command line's share of the settings (it wins over the config file).
pub fn cli_layer(args: &CheckArgs) -> config::CliLayer<'_> {
    common_layer(&args.common, args.target_widget_version.as_deref())
}

/// [`cli_layer`] from the flags `check` and `audit` share.
pub fn common_layer<'a>(
    common: &'a CommonArgs,
    target_widget_version: Option<&'a str>,
) -> config::CliLayer<'a> {
    config::CliLayer {
        select: &common.select,
        ignore: &common.ignore,
        min_widget_version: common.min_widget_version.as_deref(),
        recommended_widget_version: common.recommended_widget_version.as_deref(),
        target_widget_version,
    }
}

/// The fix mode the flags ask for (`None`: report only).
pub fn fix_mode(args: &CheckArgs) -> Option<FixMode> {
    (args.fix || args.unsafe_fixes || args.diff).then_some(FixMode {
        unsafe_fixes: args.unsafe_fixes,
        diff: args.diff,
    })
}

/// Checks every input; the returned run is sorted.
pub fn check(linter: &Linter, args: &CheckArgs, cwd: &Path) -> Run {
    let mut run = Run::default();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin, paths): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    let opts = WalkOptions {
        respect_gitignore: !args.common.no_respect_gitignore,
        include_minified: args.common.include_minified,
        threads: args.common.threads.unwrap_or(0),
        excludes: linter.settings.excludes.clone(),
        force_exclude: args.force_exclude,
    };
    let stdin_excluded = args
        .stdin_filename
        .as_deref()
        .is_some_and(|p| opts.excludes_explicit(p, false));
    if !stdin.is_empty() && !stdin_excluded {
        check_stdin(linter, args, cwd, &mut run);
    }
    if !paths.is_empty() {
        let mode = fix_mode(args);
        // Files are checked as the walk finds them. Only the files with
        // something to tell are collected: a file the prefilter skips leaves
        // nothing behind.
        let results = Mutex::new(Vec::new());
        let visited = AtomicUsize::new(0);
        let errors = discover::visit(&paths, &opts, linter.timings(), |p, kind| {
            visited.fetch_add(1, Ordering::Relaxed);
            if let Some(r) = check_file(linter, &p, kind, cwd, mode).transpose() {
                results.lock().unwrap().push(r);
            }
        });
        run.errors.extend(
            errors
                .iter()
                .map(|(p, e)| (source::display_path(p, cwd), e.clone())),
        );
        run.files_checked += visited.into_inner();
        for r in results.into_inner().unwrap() {
            match r {
                Ok(c) => {
                    run.fixes.extend(c.fixes);
                    absorb(&mut run, c.display, c.text, c.report);
                }
                Err(e) => {
                    run.files_checked -= 1;
                    run.errors.push(e);
                }
            }
        }
    }
    run.sort();
    run
}

/// Records a file's outcome; `text` is kept for the report only when the
/// file has findings.
fn absorb(run: &mut Run, display: String, text: Option<String>, report: crate::linter::FileReport) {
    if let Some(e) = report.error {
        run.errors.push((display.clone(), e));
    }
    if !report.diagnostics.is_empty() {
        run.diagnostics.extend(report.diagnostics);
        if let Some(text) = text {
            run.sources.insert(display, text);
        }
    }
}

/// One walked file's outcome. The text of a file without findings is
/// dropped in the parallel pass, so peak memory does not grow with the
/// number of files.
struct Checked {
    display: String,
    text: Option<String>,
    report: crate::linter::FileReport,
    fixes: Option<fix::FileFixes>,
}

thread_local! {
    /// Each worker reads files into one reused buffer; only the bytes of a
    /// file that passes the prefilter are copied out and decoded.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads the file at `path` into `buf`, which is kept initialised to its
/// full length and only grows, and returns the file's length. Reading
/// until end of file with plain `read` calls saves the `statx` and `lseek`
/// that `read_to_end` spends per file to size its buffer (two of the five
/// system calls per file of a whole-repository run).
fn read_into(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut file = std::fs::File::open(path)?;
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize((2 * buf.len()).max(64 * 1024), 0);
        }
        match file.read(&mut buf[n..]) {
            Ok(0) => return Ok(n),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn check_file(
    linter: &Linter,
    path: &Path,
    kind: FileKind,
    cwd: &Path,
    mode: Option<FixMode>,
) -> Result<Option<Checked>, (String, String)> {
    let mut clock = timings::Clock::start(linter.timings());
    // Read, then run the literal prefilter on the raw bytes: a file without
    // any trigger (binary and non-UTF-8 ones included, as ripgrep skips
    // them) is done without being decoded; the others are decoded, which
    // refuses binary and invalid UTF-8 input with a one-line error.
    let bytes = READ_BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        let n = read_into(path, &mut buf)
            .map_err(|e| (source::display_path(path, cwd), e.to_string()))?;
        timings::lap(&mut clock, Phase::Read);
        let pass = linter.may_fire(&buf[..n]);
        timings::lap(&mut clock, Phase::Prefilter);
        Ok::<_, (String, String)>(pass.then(|| buf[..n].to_vec()))
    })?;
    let Some(bytes) = bytes else {
        return Ok(None); // no trigger word: nothing to find, nothing to fix
    };
    let display = source::display_path(path, cwd);
    let text = source::decode(bytes).map_err(|e| (display.clone(), e.to_string()))?;
    timings::lap(&mut clock, Phase::Read);
    let file = SourceFile {
        path: path.to_path_buf(),
        display,
        text,
        kind,
    };
    let (file, report, fixes) = match mode {
        Some(mode) => {
            let original = file.text.clone().into_bytes();
            let (file, report, fixes) = fix::fix_one(linter, file, Some(&original), mode);
            (file, report, Some(fixes))
        }
        None => {
            let report = linter.lint(&file);
            (file, report, None)
        }
    };
    let text = (!report.diagnostics.is_empty()).then_some(file.text);
    Ok(Some(Checked {
        display: file.display,
        text,
        report,
        fixes,
    }))
}

fn check_stdin(linter: &Linter, args: &CheckArgs, cwd: &Path, run: &mut Run) {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let display = if name.as_os_str() == "-" {
        "-".to_string()
    } else {
        source::display_path(&name, cwd)
    };
    let kind = FileKind::from_path(&name).unwrap_or(FileKind::Script(source::Dialect::JavaScript));
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        run.errors.push((display, e.to_string()));
        return;
    }
    match source::decode(bytes) {
        Ok(text) => {
            let file = SourceFile {
                path: name,
                display,
                text,
                kind,
            };
            run.files_checked += 1;
            if let Some(mode) = fix_mode(args) {
                let (file, report, fixes) = fix::fix_one(linter, file, None, mode);
                run.fixes.push(fixes);
                absorb(run, file.display, Some(file.text), report);
                return;
            }
            let report = linter.lint(&file);
            absorb(run, file.display, Some(file.text), report);
        }
        Err(e) => run.errors.push((display, e.to_string())),
    }
}

/// The exit code and the last line saying why (with what fixes did or could do).
fn outcome(run: &Run, args: &CheckArgs) -> (i32, String) {
    let mode = fix_mode(args);
    let (code, mut line) = findings_outcome(run, args);
    line.push_str(&report::fixes::summary(run, mode));
    if mode.is_some_and(|m| m.diff) && code != exit::ERROR {
        let any = run.fixes.iter().any(|f| f.diff.is_some());
        return (if any { exit::FINDINGS } else { exit::CLEAN }, line);
    }
    (code, line)
}

fn findings_outcome(run: &Run, args: &CheckArgs) -> (i32, String) {
    let errors = run.count(Severity::Error);
    let warnings = run.count(Severity::Warning);
    let files: std::collections::BTreeSet<&str> =
        run.diagnostics.iter().map(|d| d.path.as_str()).collect();
    let checked = plural(run.files_checked, "file");
    let found = format!(
        "{} and {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files.len(), "file")
    );
    if !run.errors.is_empty() {
        let n = plural(run.errors.len(), "path");
        return (exit::ERROR, format!("{n} could not be checked (see the errors above); found {found} ({checked} checked)."));
    }
    let too_many = args.max_warnings.is_some_and(|max| warnings > max);
    let failing = errors > 0 || (args.deny_warnings && warnings > 0) || too_many;
    if failing && !args.exit_zero {
        let why = match (errors, args.max_warnings) {
            (0, Some(max)) if too_many => format!(" (more than --max-warnings {max})"),
            (0, _) => " (warnings fail the run: --deny-warnings)".to_string(),
            _ => String::new(),
        };
        return (
            exit::FINDINGS,
            format!("Found {found}{why} ({checked} checked)."),
        );
    }
    if errors + warnings > 0 {
        return (exit::CLEAN, format!("Found {found} ({checked} checked)."));
    }
    (
        exit::CLEAN,
        format!("All checks passed ({checked} checked)."),
    )
}
