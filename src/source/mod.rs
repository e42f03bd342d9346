//! What a file is and what parts of it hold JavaScript.
//!
//! The source layer turns bytes on disk into a [`SourceFile`] (validated
//! UTF-8 plus its [`FileKind`]) and, for HTML-like templates, into a list of
//! script regions over a masked copy of the text whose offsets equal the
//! original's. Everything downstream works in original-file byte offsets.

pub mod html;
pub mod lines;
pub mod mask;

use std::path::{Path, PathBuf};

/// A JavaScript grammar choice. `.ts` needs TypeScript (`<T>x` casts break
/// TSX) and `.tsx` needs TSX; plain JS also covers JSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    JavaScript,
    TypeScript,
    Tsx,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::JavaScript, Dialect::TypeScript, Dialect::Tsx];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The name rule files use for the grammar (`dialects = [...]`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::JavaScript => "javascript",
            Dialect::TypeScript => "typescript",
            Dialect::Tsx => "tsx",
        }
    }

    pub fn language(self) -> tree_sitter::Language {
        match self {
            Dialect::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

/// How a file is read. Chosen by file name alone so the decision is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Script(Dialect),
    /// HTML and the server/client template dialects read as HTML.
    Html,
    /// An npm manifest (`package.json`).
    PackageJson,
    /// A package-manager lockfile (`package-lock.json`, `npm-shrinkwrap.json`,
    /// `yarn.lock`, `pnpm-lock.yaml`): read for the versions it pins.
    Lockfile,
    /// A vendored Sign-In Widget bundle by name (`okta-sign-in*.js`): read
    /// only for the version it declares, never linted as code.
    WidgetBundle,
}

/// Extensions of template dialects whose pages are read as HTML.
pub const HTML_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "hbs",
    "handlebars",
    "mustache",
    "jsp",
    "jspf",
    "php",
    "erb",
    "ejs",
    "njk",
    "twig",
    "vm",
    "ftl",
    "cshtml",
    "vue",
    "svelte",
    "liquid",
    "tpl",
];

/// The last component of `path` as text. Called for every walked entry, so
/// it looks for the last separator in the bytes instead of parsing the path
/// into components (which was 3 % of a whole-repository run); paths that end
/// in a separator, `.` or `..` take `Path::file_name`.
fn file_name(path: &Path) -> Option<&str> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let is_sep = |b: &u8| *b == b'/' || (cfg!(windows) && *b == b'\\');
    let name = match bytes.iter().rposition(is_sep) {
        Some(i) => &bytes[i + 1..],
        None => bytes,
    };
    if name.is_empty() || name == b"." || name == b".." {
        return path.file_name()?.to_str();
    }
    std::str::from_utf8(name).ok()
}

/// The lockfiles whose resolved versions oie-lint reads, in the order a
/// directory is searched.
pub const LOCKFILE_NAMES: &[&str] = &[
    "npm-shrinkwrap.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// A vendored Sign-In Widget bundle by its file name (`okta-sign-in*.js`,
/// any case): only its version is read, nothing is parsed.
pub fn is_widget_bundle_name(name: &str) -> bool {
    let starts = name
        .get(..12)
        .is_some_and(|s| s.eq_ignore_ascii_case("okta-sign-in"));
    let ends = name
        .get(name.len().saturating_sub(3)..)
        .is_some_and(|s| s.eq_ignore_ascii_case(".js"));
    starts && ends
}

impl FileKind {
    /// The kind for a path, or `None` for files oie-lint does not read.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = file_name(path)?;
        if name == "package.json" {
            return Some(FileKind::PackageJson);
        }
        if LOCKFILE_NAMES.contains(&name) {
            return Some(FileKind::Lockfile);
        }
        if is_widget_bundle_name(name) {
            return Some(FileKind::WidgetBundle);
        }
        // Called for every walked entry: no allocation.
        let ext = name.rsplit_once('.')?.1;
        let is = |list: &[&str]| list.iter().any(|e| ext.eq_ignore_ascii_case(e));
        Some(if is(&["js", "mjs", "cjs", "jsx"]) {
            FileKind::Script(Dialect::JavaScript)
        } else if is(&["ts", "mts", "cts"]) {
            FileKind::Script(Dialect::TypeScript)
        } else if is(&["tsx"]) {
            FileKind::Script(Dialect::Tsx)
        } else if is(HTML_EXTENSIONS) {
            FileKind::Html
        } else {
            return None;
        })
    }
}

/// The extra template syntaxes a page may use, by its extension: JSP,
/// Velocity and FreeMarker put `${…}` expressions straight into scripts.
pub fn template_syntax(path: &Path) -> mask::Syntax {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    mask::Syntax {
        expression_language: matches!(ext.as_str(), "jsp" | "jspf" | "vm" | "ftl" | "xhtml"),
    }
}

/// A file's text and how to read it.
pub struct SourceFile {
    /// The path as given or found (used for I/O and version lookup).
    pub path: PathBuf,
    /// The path shown in reports: relative to the working directory, `/`-separated.
    pub display: String,
    pub text: String,
    pub kind: FileKind,
}

/// Why a file could not be read as text. Each names the problem in one line.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Binary,
    InvalidUtf8 { offset: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Binary => f.write_str("binary file (contains NUL bytes), not checked"),
            ReadError::InvalidUtf8 { offset } => {
                write!(
                    f,
                    "not valid UTF-8 (first bad byte at offset {offset}), not checked"
                )
            }
        }
    }
}

/// Decodes file bytes as text, refusing binary and non-UTF-8 input.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err(ReadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// The path as reports show it: relative to `cwd` when below it, with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let s = rel.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(
            FileKind::from_path(Path::new("a/b.tsx")),
            Some(FileKind::Script(Dialect::Tsx))
        );
        assert_eq!(
            FileKind::from_path(Path::new("a/B.JSP")),
            Some(FileKind::Html)
        );
        assert_eq!(
            FileKind::from_path(Path::new("x/package.json")),
            Some(FileKind::PackageJson)
        );
        assert_eq!(FileKind::from_path(Path::new("x/tsconfig.json")), None);
        assert_eq!(
            FileKind::from_path(Path::new("x/yarn.lock")),
            Some(FileKind::Lockfile)
        );
        assert_eq!(
            FileKind::from_path(Path::new("x/pnpm-lock.yaml")),
            Some(FileKind::Lockfile)
        );
        assert_eq!(
            FileKind::from_path(Path::new("static/okta-sign-in.min.js")),
            Some(FileKind::WidgetBundle)
        );
        assert_eq!(FileKind::from_path(Path::new("Makefile")), None);
        // The fast file-name read agrees with `Path::file_name`.
        for p in [
            "a.js",
            "./a.js",
            "/x/y/a.TS",
            "a/b/",
            "a/..",
            ".",
            "..",
            "",
            "dir/.hidden.js",
            "x/OKTA-SIGN-IN.MIN.JS",
            "x/okta-sign-in.js/",
            "é/ü.html",
        ] {
            assert_eq!(
                file_name(Path::new(p)),
                Path::new(p).file_name().and_then(|n| n.to_str()),
                "{p}"
            );
        }
    }

    #[test]
    fn decode_rejects_binary_and_bad_utf8() {
        assert!(matches!(decode(b"a\0b".to_vec()), Err(ReadError::Binary)));
        assert!(matches!(
            decode(vec![b'a', 0xff]),
            Err(ReadError::InvalidUtf8 { offset: 1 })
        ));
        assert_eq!(decode(b"ok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn display_paths_are_relative_with_slashes() {
        let cwd = Path::new("/repo");
        assert_eq!(display_path(Path::new("/repo/src/a.js"), cwd), "src/a.js");
        assert_eq!(display_path(Path::new("./src/a.js"), cwd), "src/a.js");
        assert_eq!(
            display_path(Path::new("/elsewhere/a.js"), cwd),
            "/elsewhere/a.js"
        );
    }
}
