//! The invariants the fuzz targets check (`fuzz/`), shared with the
//! regression tests so that every input the campaign kept (seed corpus,
//! crashes, hangs) is replayed by `cargo test` on stable too.
//!
//! Each `check_*` takes the raw fuzzer bytes and panics when an invariant
//! breaks. The first byte picks the input kind (the file name the text is
//! linted as); the rest is the file's text, decoded lossily (the fuzzer
//! explores text, and invalid UTF-8 is refused before any of this runs).

use crate::fix::apply;
use crate::linter::Linter;
use crate::source::{html, FileKind, SourceFile};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The names an input is linted under: every kind and template dialect.
pub const NAMES: &[&str] = &[
    "login.html",
    "login.jsp",
    "login.php",
    "login.hbs",
    "login.vm",
    "login.erb",
    "app.js",
    "app.ts",
    "App.tsx",
    "app.jsx",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "okta-sign-in.min.js",
];

/// The kind byte and text of an input.
pub fn split(data: &[u8]) -> (&'static str, String) {
    let (first, rest) = data.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let name = NAMES[usize::from(first) % NAMES.len()];
    (name, String::from_utf8_lossy(rest).into_owned())
}

/// The bytes that make `text` be read as `name` (the inverse of [`split`]).
pub fn join(name: &str, text: &str) -> Vec<u8> {
    let i = NAMES.iter().position(|n| *n == name).unwrap_or(0);
    let mut out = vec![i as u8];
    out.extend_from_slice(text.as_bytes());
    out
}

fn linter() -> &'static Linter {
    static L: OnceLock<Linter> = OnceLock::new();
    L.get_or_init(|| {
        // A folder that does not exist: no package.json or lockfile is found.
        let cwd = PathBuf::from("/nonexistent-oie-lint-fuzz");
        let settings = crate::config::resolve(&cwd, None, &crate::config::CliLayer::default())
            .expect("default settings")
            .settings;
        Linter::new(settings, cwd).expect("linter")
    })
}

fn source(name: &str, text: String) -> Option<SourceFile> {
    let path = Path::new("/nonexistent-oie-lint-fuzz/src").join(name);
    let kind = FileKind::from_path(&path)?;
    Some(SourceFile {
        display: format!("src/{name}"),
        path,
        text,
        kind,
    })
}

/// Template masking and `<script>` discovery: the masked copy keeps every
/// byte offset (same length, line breaks in place), and every region and
/// URL lies inside the text on character boundaries.
pub fn check_mask(data: &[u8]) {
    let (name, text) = split(data);
    let syntax = crate::source::template_syntax(Path::new(name));
    let doc = crate::parse::with_parsers(|p| html::analyze_with(&text, p.html(), syntax));
    assert_eq!(doc.masked.len(), text.len(), "masking keeps the length");
    for (a, b) in text.bytes().zip(doc.masked.bytes()) {
        assert_eq!(a == b'\n', b == b'\n', "masking keeps line breaks");
    }
    for r in &doc.scripts {
        let (s, e) = (r.range.start_byte, r.range.end_byte);
        assert!(s <= e && e <= text.len(), "script region inside the text");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    for u in &doc.urls {
        assert!(
            u.start <= u.end && u.end <= text.len(),
            "URL inside the text"
        );
        assert!(text.is_char_boundary(u.start) && text.is_char_boundary(u.end));
    }
    for c in &doc.comments {
        assert!(c.start <= c.end && c.end <= text.len());
    }
}

/// The whole lint of one file: every finding and fix edit lies inside the
/// file, on character boundaries, with 1-based positions that agree with
/// the byte offsets.
pub fn check_lint(data: &[u8]) {
    let (name, text) = split(data);
    let Some(file) = source(name, text) else {
        return;
    };
    let report = linter().lint(&file);
    check_diagnostics(&file, &report.diagnostics);
}

fn check_diagnostics(file: &SourceFile, diagnostics: &[crate::diagnostic::Diagnostic]) {
    let text = &file.text;
    let index = crate::source::lines::LineIndex::new(text);
    for d in diagnostics {
        assert!(
            d.start_byte <= d.end_byte && d.end_byte <= text.len(),
            "{d:?}"
        );
        assert!(text.is_char_boundary(d.start_byte) && text.is_char_boundary(d.end_byte));
        assert_eq!(d.start, index.position(text, d.start_byte), "{d:?}");
        assert_eq!(d.end, index.position(text, d.end_byte), "{d:?}");
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
                assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            }
        }
    }
}

/// The fix loop (`--fix --unsafe-fixes`): no panic; the result has no more
/// syntax errors than the input; a second run changes nothing; the BOM and
/// the line-ending style survive; the result's findings lie inside it.
/// (Bytes outside the edits are kept by construction: `apply_edits` copies
/// them, as its unit tests show.)
pub fn check_fix(data: &[u8]) {
    let (name, text) = split(data);
    let Some(file) = source(name, text) else {
        return;
    };
    let out = apply::fix_file(linter(), &file, true);
    if out.text == file.text {
        return;
    }
    let before = apply::syntax_errors(&file.text, file.kind, &file.path);
    let after = apply::syntax_errors(&out.text, file.kind, &file.path);
    assert!(
        after <= before,
        "fixes added syntax errors ({before} -> {after})"
    );
    let bom = '\u{feff}';
    assert_eq!(
        file.text.starts_with(bom),
        out.text.starts_with(bom),
        "the BOM is kept"
    );
    let crlf_only = |t: &str| {
        let b = t.as_bytes();
        memchr::memchr_iter(b'\n', b).all(|i| i > 0 && b[i - 1] == b'\r')
    };
    if file.text.contains('\n') && crlf_only(&file.text) {
        assert!(crlf_only(&out.text), "CRLF files stay CRLF");
    }
    if !file.text.contains('\r') {
        assert!(!out.text.contains('\r'), "LF files stay LF");
    }
    if out.converged {
        let fixed = SourceFile {
            text: out.text.clone(),
            ..file
        };
        check_diagnostics(&fixed, &out.report.diagnostics);
        let again = apply::fix_file(linter(), &fixed, true);
        assert_eq!(again.text, out.text, "a second fix run changes nothing");
    }
}
