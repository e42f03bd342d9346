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
    // Each path gets the nearest config file at or above it (unless
    // --config/--isolated): one linter per config file.
    let super::Preamble {
        cwd,
        paths: given,
        groups,
    } = match super::Preamble::resolve(
        &args.paths,
        args.common.config.as_deref(),
        args.common.isolated,
        &cli_layer(args),
        args.stdin_filename.as_deref(),
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if args.show_settings {
        return show_settings(&groups, &cwd);
    }
    let started = std::time::Instant::now();
    let mut linters = Vec::new();
    for (resolved, paths) in groups {
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
        linter.set_run_paths(crate::linter::RunPaths::new(&cwd, &given));
        linters.push((linter, paths));
    }
    if args.show_files {
        return show_files(args, &linters, &cwd);
    }
    // Files named on the command line that oie-lint does not read are
    // said so (ruff warns); a run that checks nothing at all fails (ESLint).
    let mut excluded_any = false;
    for (linter, paths) in &linters {
        let opts = walk_options(args, linter);
        for p in paths {
            if p.as_os_str() == "-" {
                excluded_any |= args
                    .stdin_filename
                    .as_deref()
                    .is_some_and(|n| opts.excludes_explicit(n, false));
                continue;
            }
            let Ok(meta) = std::fs::metadata(p) else {
                continue; // reported as an error by the walk
            };
            if opts.excludes_explicit(p, meta.is_dir()) {
                excluded_any = true;
            } else if !meta.is_dir() && opts.extensions.kind_of(p).is_none() {
                eprintln!(
                    "warning: {}: not checked: oie-lint does not read this kind of file \
                     (to read it as a page or script: --extension EXT:html or EXT:js)",
                    source::display_path(p, &cwd)
                );
            }
        }
    }
    let mut run = Run::default();
    let check_all = |run: &mut Run| {
        for (linter, paths) in &linters {
            let mut group = args.clone();
            group.paths = paths.clone();
            run.absorb(check(linter, &group, &cwd));
        }
    };
    // One file (a pre-commit hook with one staged file, an editor): a
    // thread pool's start and hand-offs would cost more than the work, so
    // the file is checked on one thread of the workers' stack size.
    let one_file = given.len() == 1 && std::fs::metadata(&given[0]).is_ok_and(|m| m.is_file());
    let mut threads_used = 1;
    if one_file {
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(crate::syntax::WORKER_STACK)
                .spawn_scoped(s, || check_all(&mut run))
                .expect("a thread")
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.common.threads.unwrap_or(0))
            .stack_size(crate::syntax::WORKER_STACK)
            .build()
            .expect("thread pool");
        threads_used = pool.current_num_threads();
        pool.install(|| check_all(&mut run));
    }
    run.sort();
    let nothing_checked = run.files_checked == 0 && run.errors.is_empty() && !excluded_any;
    let linter = &linters[0].0;
    if args.org.org_url.is_some() {
        crate::org::augment_check(&mut run, args, linter, &cwd);
    }
    // The baseline: record this run's findings, or leave out recorded ones.
    let baseline = match (&args.write_baseline, &args.baseline) {
        (Some(path), _) => match super::baseline::write(&run, path) {
            Ok(_) => super::baseline::read(path).map(|b| Some((path, b))),
            Err(e) => Err(e),
        },
        (None, Some(path)) => super::baseline::read(path).map(|b| Some((path, b))),
        (None, None) => Ok(None),
    };
    let baseline_note = match baseline {
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
        Ok(None) => String::new(),
        Ok(Some((path, b))) => {
            let applied = super::baseline::apply(&mut run, &b);
            let mut note = format!(
                " {} recorded in the baseline {} not shown.",
                plural(applied.hidden, "finding"),
                path.display()
            );
            if applied.stale > 0 {
                let entries = match applied.stale {
                    1 => "1 baseline entry no longer matches".to_string(),
                    n => format!("{n} baseline entries no longer match"),
                };
                note.push_str(&format!(
                    " {entries} (fixed or changed): rewrite it with `--write-baseline`."
                ));
            }
            note
        }
    };
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
        eprintln!("error: {}", crate::diagnostic::with_path(path, msg));
    }
    for (path, why) in &run.skipped {
        eprintln!("warning: {path}: {why}");
    }
    for f in &run.fixes {
        if let Some(e) = &f.write_error {
            eprintln!("error: {}: {e}", f.path);
        }
    }
    for p in report::fixes::problems(&run) {
        eprintln!("{p}");
    }
    let mode = fix_mode(args);
    // `--fix` on stdin prints the fixed (or unchanged) text and nothing
    // else; the report then goes to stderr.
    let fixed_stdin = run.stdin_output.as_deref();
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
            .write_all(text)
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
    for t in linters.iter().filter_map(|(l, _)| l.timings()) {
        let _ = out.flush();
        let _ = t.print(started.elapsed(), threads_used, &mut std::io::stderr());
    }
    let (code, summary) = if nothing_checked {
        (
            exit::ERROR,
            "Nothing was checked: no file under the given paths is one oie-lint reads \
             (pages and templates, JS/TS, package.json, lockfiles; see --extension)."
                .to_string(),
        )
    } else {
        let (code, mut line) = outcome(&run, args);
        line.push_str(&baseline_note);
        (code, line)
    };
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
    config::CliLayer {
        client_id: args.client_id.as_deref(),
        redirect_uri: args.redirect_uri.as_deref(),
        ..common_layer(&args.common, args.target_widget_version.as_deref())
    }
}

/// [`cli_layer`] from the flags `check` and `audit` share.
pub fn common_layer<'a>(
    common: &'a CommonArgs,
    target_widget_version: Option<&'a str>,
) -> config::CliLayer<'a> {
    config::CliLayer {
        select: &common.select,
        extend_select: &common.extend_select,
        ignore: &common.ignore,
        exclude: common.exclude.as_deref(),
        extend_exclude: &common.extend_exclude,
        extension: &common.extension,
        encoding: common.encoding.as_deref(),
        min_widget_version: common.min_widget_version.as_deref(),
        recommended_widget_version: common.recommended_widget_version.as_deref(),
        target_widget_version,
        max_filesize: common.max_filesize.as_deref(),
        client_id: None,
        redirect_uri: None,
    }
}

/// The fix mode the flags ask for (`None`: report only).
///
/// As in ruff, `--unsafe-fixes` alone writes nothing: it makes unsafe fixes
/// available (counted as fixable with `--fix`); `--fix` or `--diff` applies
/// or shows them.
pub fn fix_mode(args: &CheckArgs) -> Option<FixMode> {
    (args.fix || args.diff).then_some(FixMode {
        unsafe_fixes: args.unsafe_fixes,
        diff: args.diff,
    })
}

/// How `check` walks, from its flags and the linter's settings.
pub fn walk_options(args: &CheckArgs, linter: &Linter) -> WalkOptions {
    WalkOptions {
        respect_gitignore: !args.common.no_respect_gitignore,
        include_minified: args.common.include_minified,
        threads: args.common.threads.unwrap_or(0),
        excludes: linter.settings.excludes.clone(),
        force_exclude: args.force_exclude,
        extensions: linter.settings.extensions.clone(),
    }
}

/// `--show-files`: every file the run would check, sorted, one per line.
fn show_files(args: &CheckArgs, linters: &[(Linter, Vec<PathBuf>)], cwd: &Path) -> i32 {
    let mut files = std::collections::BTreeSet::new();
    let mut errors = Vec::new();
    for (linter, paths) in linters {
        let opts = walk_options(args, linter);
        let (stdin, paths): (Vec<_>, Vec<_>) =
            paths.iter().cloned().partition(|p| p.as_os_str() == "-");
        if !stdin.is_empty() {
            let excluded = args
                .stdin_filename
                .as_deref()
                .is_some_and(|n| opts.excludes_explicit(n, false));
            if !excluded {
                files.insert("-".to_string());
            }
        }
        let found = discover::discover(&paths, &opts);
        files.extend(found.files.iter().map(|p| source::display_path(p, cwd)));
        errors.extend(
            found
                .errors
                .iter()
                .map(|(p, e)| (source::display_path(p, cwd), e.clone())),
        );
    }
    for (p, e) in &errors {
        eprintln!("error: {p}: {e}");
    }
    let mut out = std::io::stdout().lock();
    for f in &files {
        if writeln!(out, "{f}").is_err() {
            break;
        }
    }
    if !errors.is_empty() || files.is_empty() {
        if files.is_empty() {
            eprintln!("error: no file under the given paths is one oie-lint reads");
        }
        exit::ERROR
    } else {
        exit::CLEAN
    }
}

/// `--show-settings`: for each path, the config file that governs it and
/// what it resolves to there (overrides applied), in plain text.
fn show_settings(groups: &[(config::Resolved, Vec<PathBuf>)], cwd: &Path) -> i32 {
    let reg = crate::rules::Registry::get();
    let mut s = String::new();
    for (resolved, paths) in groups {
        let st = &resolved.settings;
        for p in paths {
            let shown = if p.as_os_str() == "-" {
                "-".to_string()
            } else {
                source::display_path(p, cwd)
            };
            let fr = st.for_file(&crate::pathglob::normalize(cwd, p));
            s.push_str(&format!("Settings for {shown}\n"));
            s.push_str(&format!(
                "  config file: {}\n",
                resolved
                    .config_file
                    .as_deref()
                    .unwrap_or("none (defaults and flags only)")
            ));
            s.push_str("  rules:\n");
            for (i, r) in reg.rules.iter().enumerate() {
                if fr.rules.is_enabled(i) {
                    let sev = fr.severity(i).unwrap_or(r.severity);
                    s.push_str(&format!("    {} {} ({sev})\n", r.code, r.name));
                }
            }
            let t = &st.thresholds;
            s.push_str(&format!("  min-widget-version: {}\n", t.min));
            s.push_str(&format!(
                "  recommended-widget-version: {}\n",
                t.recommended
            ));
            s.push_str(&format!("  target-widget-version: {}\n", t.target));
            let exclude = if resolved.excludes.is_empty() {
                "(none)".to_string()
            } else {
                resolved.excludes.join(", ")
            };
            s.push_str(&format!("  exclude: {exclude}\n"));
            let ext: Vec<String> = st
                .extensions
                .entries()
                .map(|(e, k)| format!("{e} = {}", kind_name(k)))
                .collect();
            let ext = if ext.is_empty() {
                "(none)".to_string()
            } else {
                ext.join(", ")
            };
            s.push_str(&format!("  extension: {ext}\n"));
            let fx = &st.fix_inputs;
            for (key, v) in [
                ("client-id", &fx.client_id),
                ("redirect-uri", &fx.redirect_uri),
                ("issuer", &fx.issuer),
            ] {
                if let Some(v) = v {
                    s.push_str(&format!("  fix.{key}: {v}\n"));
                }
            }
        }
    }
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
    exit::CLEAN
}

/// The language name `--extension` takes for a kind.
fn kind_name(k: FileKind) -> &'static str {
    match k {
        FileKind::Html => "html",
        FileKind::Css => "css",
        FileKind::Script(source::Dialect::JavaScript) => "js",
        FileKind::Script(source::Dialect::TypeScript) => "ts",
        FileKind::Script(source::Dialect::Tsx) => "tsx",
        FileKind::PackageJson => "package.json",
        FileKind::Lockfile => "lockfile",
        FileKind::WidgetBundle => "widget bundle",
        FileKind::Settings => "settings",
        FileKind::Server(l) => match l {
            source::ServerLang::Java => "java",
            source::ServerLang::CSharp => "cs",
            source::ServerLang::Python => "py",
            source::ServerLang::Php => "php",
            source::ServerLang::Go => "go",
            source::ServerLang::Ruby => "rb",
        },
    }
}

/// Checks every input; the returned run is sorted.
pub fn check(linter: &Linter, args: &CheckArgs, cwd: &Path) -> Run {
    check_and_list(linter, args, cwd, None)
}

/// Every file a `check` walk visited, with what the linter learnt for the
/// audit's page scan when it parsed the file (with
/// [`Linter::collect_page_facts`]).
pub type Seen = Mutex<Vec<(PathBuf, Option<crate::linter::PageFacts>)>>;

/// [`check`], also listing in `seen` every file the walk visited (checked
/// or not): `audit` reads the inventory and the page scan from that list
/// instead of walking the tree again, and does not parse again the files
/// the linter parsed.
pub fn check_and_list(linter: &Linter, args: &CheckArgs, cwd: &Path, seen: Option<&Seen>) -> Run {
    let mut run = Run::default();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin, paths): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| p.as_os_str() == "-");
    let opts = walk_options(args, linter);
    let stdin_excluded = args
        .stdin_filename
        .as_deref()
        .is_some_and(|p| opts.excludes_explicit(p, false));
    let stdin_fixing = fix_mode(args).is_some_and(|m| !m.diff);
    if !stdin.is_empty() && !stdin_excluded {
        check_stdin(linter, args, cwd, &mut run);
    } else if !stdin.is_empty() && stdin_fixing {
        // Excluded: an editor still gets its text back, unchanged.
        let mut bytes = Vec::new();
        match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => run.stdin_output = Some(bytes),
            Err(e) => run.errors.push(("-".to_string(), e.to_string())),
        }
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
            let mut checked = check_file(linter, &p, kind, cwd, mode);
            if let Some(seen) = seen {
                let page = match &mut checked {
                    Ok(Some(c)) => c.report.page.take(),
                    _ => None,
                };
                seen.lock().unwrap().push((p.clone(), page));
            }
            if let Some(r) = checked.transpose() {
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
                Ok(c) if c.skipped.is_some() => {
                    run.files_checked -= 1;
                    run.skipped.push((c.display, c.skipped.unwrap_or_default()));
                }
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
        recheck_config_modules(linter, &paths, &opts, cwd, mode, &mut run);
    }
    run.sort();
    run
}

/// Checks again the config modules that were checked before the widget
/// file importing them (the walk is parallel): now the linter knows they
/// are the widget's config. Only modules the run itself reaches (under its
/// paths, not excluded) are checked; their earlier findings are replaced.
fn recheck_config_modules(
    linter: &Linter,
    paths: &[PathBuf],
    opts: &WalkOptions,
    cwd: &Path,
    mode: Option<FixMode>,
    run: &mut Run,
) {
    let late = linter.late_config_modules();
    if late.is_empty() {
        return;
    }
    let reach = crate::discover::RunPaths::new(cwd, paths);
    let explicit = WalkOptions {
        force_exclude: true,
        ..opts.clone()
    };
    for module in late {
        if !reach.covers(&module) || explicit.excludes_explicit(&module, false) {
            continue;
        }
        let found = discover::discover(std::slice::from_ref(&module), &explicit);
        let Some(kind) = found.files.first().and_then(|f| {
            source::ReadOptions {
                extensions: &opts.extensions,
                encoding: linter.settings.encoding,
            }
            .kind_of(f)
        }) else {
            continue;
        };
        let display = source::display_path(&module, cwd);
        match check_file(linter, &module, kind, cwd, mode) {
            Ok(Some(c)) if c.skipped.is_none() => {
                run.diagnostics.retain(|d| d.path != display);
                run.sources.remove(&display);
                if let Some(f) = c.fixes {
                    // `--diff` shows the change from the file on disk: the
                    // new diff holds the earlier one.
                    if mode.is_some_and(|m| m.diff) {
                        run.fixes.retain(|e| e.path != display);
                    }
                    run.fixes.push(f);
                }
                absorb(run, c.display, c.text, c.report);
            }
            Ok(_) => {}
            Err(e) => run.errors.push(e),
        }
    }
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
    /// Why the file was not read (`--max-filesize`).
    skipped: Option<String>,
}

thread_local! {
    /// Each worker reads files into one reused buffer; only the bytes of a
    /// file that passes the prefilter are copied out and decoded.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A UTF-16 file (by its BOM) has no ASCII trigger words in its raw
/// bytes: the prefilter reads its decoded text instead.
fn utf16_may_fire(linter: &Linter, bytes: &[u8]) -> bool {
    source::read::utf16_text(bytes).is_some_and(|text| linter.may_fire(text.as_bytes()))
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
    let limit = linter.settings.max_filesize;
    let bytes = READ_BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        let n = source::read::read_into(path, &mut buf, limit)
            .map_err(|e| (source::display_path(path, cwd), e.to_string()))?;
        let n = match n {
            Ok(n) => n,
            Err(size) => return Ok(Err(size)),
        };
        timings::lap(&mut clock, Phase::Read);
        let pass = linter.may_fire(&buf[..n])
            || utf16_may_fire(linter, &buf[..n])
            || linter.is_config_module(path);
        timings::lap(&mut clock, Phase::Prefilter);
        Ok::<_, (String, String)>(Ok(pass.then(|| buf[..n].to_vec())))
    })?;
    let bytes = match bytes {
        Ok(b) => b,
        Err(size) => {
            return Ok(Some(Checked {
                display: source::display_path(path, cwd),
                text: None,
                report: Default::default(),
                fixes: None,
                skipped: Some(format!(
                    "skipped: {} is more than the {} limit (raise it with `--max-filesize` or `max-filesize` in the config)",
                    crate::settings::human_size(size),
                    crate::settings::human_size(limit)
                )),
            }))
        }
    };
    let Some(bytes) = bytes else {
        return Ok(None); // no trigger word: nothing to find, nothing to fix
    };
    let display = source::display_path(path, cwd);
    // Fixes compare with (and re-encode to) the bytes as read.
    let raw = mode.map(|_| bytes.clone());
    let (text, encoding) = source::decode_with(bytes, linter.settings.encoding)
        .map_err(|e| (display.clone(), e.to_string()))?;
    timings::lap(&mut clock, Phase::Read);
    let file = SourceFile {
        path: path.to_path_buf(),
        display,
        text,
        kind,
    };
    // A syntax tree takes 25 to 60 times its file's size (tree-sitter's
    // nodes; measured on dense JavaScript): two workers each holding a
    // 10 MB file's tree would double the peak. Big files take turns, so the
    // peak follows the largest file, not the number of threads.
    let _one_big_file_at_a_time =
        (file.text.len() >= BIG_FILE).then(|| BIG_FILES.lock().unwrap_or_else(|e| e.into_inner()));
    let (file, report, fixes) = match mode {
        Some(mode) => {
            let original = raw.unwrap_or_default();
            let (file, report, fixes) = fix::fix_one(linter, file, Some(&original), mode, encoding);
            (file, report, Some(fixes))
        }
        None => {
            let report = linter.lint(&file);
            (file, report, None)
        }
    };
    if let Some(lock) = _one_big_file_at_a_time {
        // The tree is gone; give its memory back before the next big file,
        // which another thread (another malloc arena) may read.
        release_freed_memory();
        drop(lock);
    }
    let text = (!report.diagnostics.is_empty()).then_some(file.text);
    Ok(Some(Checked {
        display: file.display,
        text,
        report,
        fixes,
        skipped: None,
    }))
}

/// Returns the memory freed by the allocator to the system. glibc keeps
/// what a thread freed in that thread's arena, where another thread never
/// reuses it: without this, two workers checking big files one after the
/// other peak as high as two checking them together.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Files at least this big are checked one at a time (see [`check_file`]).
const BIG_FILE: usize = 1 << 20;
static BIG_FILES: std::sync::Mutex<()> = std::sync::Mutex::new(());

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
    let kind = linter
        .settings
        .extensions
        .kind_of(&name)
        .unwrap_or(FileKind::Script(source::Dialect::JavaScript));
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        run.errors.push((display, e.to_string()));
        return;
    }
    // Under `--fix`, stdout carries the text whatever happens: the input
    // as read unless the fix succeeds.
    let fixing = fix_mode(args).is_some_and(|m| !m.diff);
    let unchanged = fixing.then(|| bytes.clone());
    match source::decode_with(bytes, linter.settings.encoding) {
        Ok((text, encoding)) => {
            let file = SourceFile {
                path: name,
                display: display.clone(),
                text,
                kind,
            };
            run.files_checked += 1;
            if let Some(mode) = fix_mode(args) {
                let (file, report, mut fixes) = fix::fix_one(linter, file, None, mode, None);
                // The fixed text goes out in the encoding it came in.
                run.stdin_output = match fixes.stdout.take().map(|t| source::encode(&t, encoding)) {
                    Some(Ok(bytes)) => Some(bytes),
                    Some(Err(e)) => {
                        run.errors.push((display, format!("fix not written: {e}")));
                        fixes.applied.clear();
                        unchanged
                    }
                    None => unchanged,
                };
                run.fixes.push(fixes);
                absorb(run, file.display, Some(file.text), report);
                return;
            }
            let report = linter.lint(&file);
            absorb(run, file.display, Some(file.text), report);
        }
        Err(e) => {
            run.stdin_output = unchanged;
            run.errors.push((display, e.to_string()));
        }
    }
}

/// The exit code and the last line saying why (with what fixes did or could do).
fn outcome(run: &Run, args: &CheckArgs) -> (i32, String) {
    let mode = fix_mode(args);
    let (code, mut line) = findings_outcome(run, args);
    line.push_str(&report::fixes::summary(run, mode, args.unsafe_fixes));
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
    let mut checked = format!("{} checked", plural(run.files_checked, "file"));
    if !run.skipped.is_empty() {
        checked.push_str(&format!(
            ", {} skipped as larger than --max-filesize",
            run.skipped.len()
        ));
    }
    let found = format!(
        "{} and {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files.len(), "file")
    );
    let unwritten = run.fixes.iter().filter(|f| f.write_error.is_some()).count();
    if !run.errors.is_empty() || unwritten > 0 {
        let mut why = Vec::new();
        if !run.errors.is_empty() {
            why.push(format!(
                "{} could not be checked",
                plural(run.errors.len(), "path")
            ));
        }
        if unwritten > 0 {
            why.push(format!(
                "{} checked but could not be written",
                plural(unwritten, "file")
            ));
        }
        let why = why.join(" and ");
        return (
            exit::ERROR,
            format!("{why} (see the errors above); found {found} ({checked})."),
        );
    }
    let too_many = args.max_warnings.is_some_and(|max| warnings > max);
    let failing = errors > 0 || (args.deny_warnings && warnings > 0) || too_many;
    if failing && !args.exit_zero {
        let why = match (errors, args.max_warnings) {
            (0, Some(max)) if too_many => format!(" (more than --max-warnings {max})"),
            (0, _) => " (warnings fail the run: --deny-warnings)".to_string(),
            _ => String::new(),
        };
        return (exit::FINDINGS, format!("Found {found}{why} ({checked})."));
    }
    if errors + warnings > 0 {
        return (exit::CLEAN, format!("Found {found} ({checked})."));
    }
    (exit::CLEAN, format!("All checks passed ({checked})."))
}
