//! What a file is and what parts of it hold JavaScript.
//!
//! The source layer turns bytes on disk into a [`SourceFile`] (validated
//! UTF-8 plus its [`FileKind`]) and, for HTML-like templates, into a list of
//! script regions over a masked copy of the text whose offsets equal the
//! original's. Everything downstream works in original-file byte offsets.

pub mod html;
pub mod lines;
pub mod mask;
pub mod overlay;
pub mod page;
pub mod pug;
pub mod read;
pub mod settings;

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

/// A server language read for the Classic Authentication API (`/api/v1/authn`)
/// and its session hand-offs (issue 26): only rules with `[detect] server =
/// true` read it, and only its string literals and calls. PHP pages stay
/// [`FileKind::Html`] (their markup and scripts are read as before) and are
/// also parsed as PHP for those rules. Kotlin, Scala and Groovy have no
/// grammar here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerLang {
    Java,
    CSharp,
    Python,
    Php,
    Go,
    Ruby,
}

impl ServerLang {
    pub const ALL: [ServerLang; 6] = [
        ServerLang::Java,
        ServerLang::CSharp,
        ServerLang::Python,
        ServerLang::Php,
        ServerLang::Go,
        ServerLang::Ruby,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The language's name in messages and `--extension` (`java`, `cs`, …).
    pub fn name(self) -> &'static str {
        match self {
            ServerLang::Java => "java",
            ServerLang::CSharp => "csharp",
            ServerLang::Python => "python",
            ServerLang::Php => "php",
            ServerLang::Go => "go",
            ServerLang::Ruby => "ruby",
        }
    }

    pub fn language(self) -> tree_sitter::Language {
        match self {
            ServerLang::Java => tree_sitter_java::LANGUAGE.into(),
            ServerLang::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
            ServerLang::Python => tree_sitter_python::LANGUAGE.into(),
            // PHP with its surrounding markup (`text` nodes), as a page is.
            ServerLang::Php => tree_sitter_php::LANGUAGE_PHP.into(),
            ServerLang::Go => tree_sitter_go::LANGUAGE.into(),
            ServerLang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
        }
    }

    /// The language of a server source file by its extension (`.php` is a
    /// page, see [`FileKind::server_lang`]).
    fn of_extension(ext: &str) -> Option<ServerLang> {
        let is = |e: &str| ext.eq_ignore_ascii_case(e);
        Some(if is("java") {
            ServerLang::Java
        } else if is("cs") {
            ServerLang::CSharp
        } else if is("py") {
            ServerLang::Python
        } else if is("go") {
            ServerLang::Go
        } else if is("rb") {
            ServerLang::Ruby
        } else {
            return None;
        })
    }
}

/// Server source extensions ([`FileKind::Server`]).
pub const SERVER_EXTENSIONS: &[&str] = &["java", "cs", "py", "go", "rb"];

/// How a file is read. Chosen by file name alone so the decision is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Script(Dialect),
    /// HTML and the server/client template dialects read as HTML.
    Html,
    /// A stylesheet (`.css`, `.scss`, `.less`), parsed with the CSS grammar
    /// (error-tolerant enough for SCSS/LESS nesting) when a rule reads CSS.
    Css,
    /// An npm manifest (`package.json`).
    PackageJson,
    /// A package-manager lockfile (`package-lock.json`, `npm-shrinkwrap.json`,
    /// `yarn.lock`, `pnpm-lock.yaml`): read for the versions it pins.
    Lockfile,
    /// A vendored Sign-In Widget bundle by name (`okta-sign-in*.js`): read
    /// only for the version it declares, never linted as code.
    WidgetBundle,
    /// A settings file a server substitutes into its pages (`config.json`,
    /// `settings.json`, `appsettings*.json`, `*.yml`, `*.yaml`): only the
    /// widget CDN URLs in it are read ([`settings`]), never the file as code.
    Settings,
    /// Server code (Java, C#, Python, Go, Ruby): read only by the rules
    /// that read server code ([`ServerLang`]), never as JavaScript.
    Server(ServerLang),
}

impl FileKind {
    /// The server language a file of this kind at `path` is parsed as for
    /// the rules that read server code: its own, or PHP for a `.php` page.
    pub fn server_lang(self, path: &Path) -> Option<ServerLang> {
        match self {
            FileKind::Server(l) => Some(l),
            FileKind::Html if syntax_extension(path) == "php" => Some(ServerLang::Php),
            _ => None,
        }
    }
}

/// Whether `name` is a settings file ([`FileKind::Settings`]) by name:
/// `config.json`, `settings.json`, `appsettings.json` and their per
/// environment forms (`appsettings.Development.json`, `config.prod.json`),
/// and YAML files.
fn is_settings_name(name: &str) -> bool {
    if settings::is_yaml(name) {
        // Package-manager files, not settings a server substitutes.
        return !["pnpm-workspace.yaml", ".yarnrc.yml"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n));
    }
    let Some(stem) = name
        .len()
        .checked_sub(5)
        .filter(|&i| name.is_char_boundary(i) && name[i..].eq_ignore_ascii_case(".json"))
        .map(|i| &name[..i])
    else {
        return false;
    };
    let base = stem.split('.').next().unwrap_or(stem);
    ["config", "settings", "appsettings"]
        .iter()
        .any(|n| base.eq_ignore_ascii_case(n))
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
    // Go's html/template pages (okta/samples-golang keeps its widget pages so).
    "gohtml",
    "aspx",
    "ascx",
    "master",
    "pug",
    "jade",
];

/// Stylesheet extensions, read as CSS ([`FileKind::Css`]).
pub const CSS_EXTENSIONS: &[&str] = &["css", "scss", "less"];

/// Server template extensions that also serve JavaScript: `login.js.php`,
/// `app.js.erb`, `config.js.ejs`, `widget.js.twig` are scripts with template
/// tags, not HTML pages.
const SCRIPT_TEMPLATE_EXTENSIONS: &[&str] = &[
    "php",
    "erb",
    "ejs",
    "twig",
    "hbs",
    "handlebars",
    "mustache",
    "njk",
    "liquid",
    "tpl",
    "jsp",
    "vm",
    "ftl",
];

/// The grammar of a templated script by the extension before the template
/// one (`login.js` of `login.js.php`).
fn templated_script_dialect(stem: &str) -> Option<Dialect> {
    let inner = stem.rsplit_once('.')?.1;
    let is = |list: &[&str]| list.iter().any(|e| inner.eq_ignore_ascii_case(e));
    if is(&["js", "mjs", "cjs", "jsx"]) {
        Some(Dialect::JavaScript)
    } else if is(&["ts", "mts", "cts"]) {
        Some(Dialect::TypeScript)
    } else {
        None
    }
}

/// Whether `path` is a script a server template emits (`login.js.php`,
/// `app.js.erb`, …): JavaScript whose template tags must be masked before
/// it is parsed.
pub fn is_templated_script(path: &Path) -> bool {
    file_name(path).is_some_and(|name| {
        name.rsplit_once('.').is_some_and(|(stem, ext)| {
            SCRIPT_TEMPLATE_EXTENSIONS
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
                && templated_script_dialect(stem).is_some()
        })
    })
}

/// The text a script is parsed from: for a templated script
/// ([`is_templated_script`]) the text with its template tags masked (same
/// length, see [`mask`]), else `None` (parse the text itself).
pub fn masked_script(path: &Path, text: &str) -> Option<String> {
    if !is_templated_script(path) {
        return None;
    }
    mask::mask_templates_with(text, template_syntax(path))
}

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
        match file_name(path) {
            Some(name) => FileKind::from_name(name),
            // A name that is not UTF-8 (rare): its kind from the lossy text,
            // the names and extensions read here being ASCII.
            None => FileKind::from_name(&path.file_name()?.to_string_lossy()),
        }
    }

    fn from_name(name: &str) -> Option<FileKind> {
        if name == "package.json" {
            return Some(FileKind::PackageJson);
        }
        if LOCKFILE_NAMES.contains(&name) {
            return Some(FileKind::Lockfile);
        }
        if is_widget_bundle_name(name) {
            return Some(FileKind::WidgetBundle);
        }
        if is_settings_name(name) {
            return Some(FileKind::Settings);
        }
        // Called for every walked entry: no allocation.
        let (stem, ext) = name.rsplit_once('.')?;
        let is = |list: &[&str]| list.iter().any(|e| ext.eq_ignore_ascii_case(e));
        if is(SCRIPT_TEMPLATE_EXTENSIONS) {
            if let Some(d) = templated_script_dialect(stem) {
                return Some(FileKind::Script(d));
            }
        }
        Some(if is(&["js", "mjs", "cjs", "jsx"]) {
            FileKind::Script(Dialect::JavaScript)
        } else if is(&["ts", "mts", "cts"]) {
            FileKind::Script(Dialect::TypeScript)
        } else if is(&["tsx"]) {
            FileKind::Script(Dialect::Tsx)
        } else if is(HTML_EXTENSIONS) {
            FileKind::Html
        } else if is(CSS_EXTENSIONS) {
            FileKind::Css
        } else if let Some(l) = ServerLang::of_extension(ext) {
            FileKind::Server(l)
        } else {
            return None;
        })
    }
}

/// Extra extensions to read as a language (`--extension txt:html`, the
/// config's `extension` table), as ruff's `extension` setting: a hosted
/// template kept as `login.txt` is read as HTML. Looked up before the
/// built-in extensions, case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionMap {
    /// `(extension without the dot, lowercase; kind)`.
    map: Vec<(String, FileKind)>,
}

impl ExtensionMap {
    /// The kind a language name stands for: `html`, `js`, `jsx`, `ts`,
    /// `tsx`, `css`, a server language (`java`, `cs` or `csharp`, `py` or
    /// `python`, `go`, `rb` or `ruby`), or any extension oie-lint reads as a
    /// page, script or stylesheet (`jsp`, `php`, `mjs`, `scss`, …).
    pub fn language(lang: &str) -> Option<FileKind> {
        let lang = lang.trim().trim_start_matches('.');
        let lang = match lang.to_ascii_lowercase().as_str() {
            "csharp" | "c#" => "cs",
            "python" => "py",
            "ruby" => "rb",
            "golang" => "go",
            _ => lang,
        };
        if lang.is_empty() || lang.contains(['/', '\\']) {
            return None;
        }
        match FileKind::from_path(Path::new(&format!("x.{lang}")))? {
            k @ (FileKind::Html | FileKind::Script(_) | FileKind::Css | FileKind::Server(_)) => {
                Some(k)
            }
            _ => None,
        }
    }

    /// Parses `EXT:LANG` (`txt:html`). The error names what is wrong.
    pub fn parse_pair(pair: &str) -> Result<(String, FileKind), String> {
        let (ext, lang) = pair
            .split_once(':')
            .ok_or_else(|| format!("`{pair}` is not EXT:LANG (example: `txt:html`)"))?;
        Self::entry(ext, lang)
    }

    /// One mapping, checked: `ext` without a dot, `lang` a known language.
    pub fn entry(ext: &str, lang: &str) -> Result<(String, FileKind), String> {
        let ext = ext.trim().trim_start_matches('.');
        if ext.is_empty() || ext.contains(['/', '\\', '.']) {
            return Err(format!("`{ext}` is not a file extension (example: `txt`)"));
        }
        let kind = Self::language(lang).ok_or_else(|| {
            format!("unknown language `{lang}`: use html, js, jsx, ts, tsx, css, a server language (java, cs, py, go, rb) or a page extension oie-lint reads (jsp, php, vue, …)")
        })?;
        let ext = ext.to_ascii_lowercase();
        // The dialect readers follow the mapped language (`x:aspx`, `x:pug`).
        record_alias(
            &ext,
            &lang.trim().trim_start_matches('.').to_ascii_lowercase(),
        );
        Ok((ext, kind))
    }

    /// Adds a mapping; a later one for the same extension wins.
    pub fn insert(&mut self, ext: String, kind: FileKind) {
        self.map.retain(|(e, _)| *e != ext);
        self.map.push((ext, kind));
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// `(extension, kind)` pairs in the order they were added.
    pub fn entries(&self) -> impl Iterator<Item = (&str, FileKind)> {
        self.map.iter().map(|(e, k)| (e.as_str(), *k))
    }

    /// The kind for `path`: manifests, lockfiles and widget bundles by
    /// name, then a mapped extension, then [`FileKind::from_path`].
    pub fn kind_of(&self, path: &Path) -> Option<FileKind> {
        let builtin = FileKind::from_path(path);
        if self.map.is_empty()
            || matches!(
                builtin,
                Some(FileKind::PackageJson | FileKind::Lockfile | FileKind::WidgetBundle)
            )
        {
            return builtin;
        }
        let ext = file_name(path)
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e);
        ext.and_then(|ext| self.map.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)))
            .map(|(_, k)| *k)
            .or(builtin)
    }
}

/// Extensions mapped to a language (`--extension x:aspx`, the config's
/// `extension` table) and the extension of that language: a page kept as
/// `login.x` is read with the Web Forms, Pug or JSP syntax of its mapped
/// extension, not only as HTML. Recorded as mappings are read (a mapping
/// applies to its extension only, whichever config names it).
static ALIASES: std::sync::RwLock<Vec<(String, String)>> = std::sync::RwLock::new(Vec::new());

fn record_alias(ext: &str, lang_ext: &str) {
    if let Ok(mut a) = ALIASES.write() {
        a.retain(|(e, _)| e != ext);
        a.push((ext.to_string(), lang_ext.to_string()));
    }
}

/// A file's extension (lowercase) as its readers see it: the language it is
/// mapped to, for a mapped extension ([`ExtensionMap`]), else its own.
pub fn syntax_extension(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    ALIASES
        .read()
        .ok()
        .and_then(|a| a.iter().find(|(e, _)| *e == ext).map(|(_, t)| t.clone()))
        .unwrap_or(ext)
}

/// The extra template syntaxes a page may use, by its extension: JSP,
/// Velocity and FreeMarker put `${…}` expressions straight into scripts;
/// ASP.NET Web Forms pages have `<%# … %>` and `<%$ … %>` values.
pub fn template_syntax(path: &Path) -> mask::Syntax {
    let ext = syntax_extension(path);
    mask::Syntax {
        expression_language: matches!(ext.as_str(), "jsp" | "jspf" | "vm" | "ftl" | "xhtml"),
        aspnet: matches!(ext.as_str(), "aspx" | "ascx" | "master"),
        pug: matches!(ext.as_str(), "pug" | "jade"),
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
    InvalidUtf8 {
        offset: usize,
    },
    /// Not valid in the encoding its byte order mark (`bom`) or its
    /// declaration or `--encoding` names; `offset` of the first bad byte
    /// when known.
    InvalidIn {
        encoding: &'static str,
        bom: bool,
        offset: Option<usize>,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Binary => f.write_str("binary file (contains NUL bytes), not checked"),
            ReadError::InvalidUtf8 { offset } => {
                write!(
                    f,
                    "not valid UTF-8 (first bad byte at offset {offset}) and no encoding declared \
                     (`<meta charset>`, `pageEncoding`), not checked: name it with \
                     --encoding (e.g. windows-1252) or the config's `encoding`"
                )
            }
            ReadError::InvalidIn {
                encoding,
                bom,
                offset,
            } => {
                let why = if *bom {
                    "although it starts with a byte order mark for it"
                } else {
                    "the encoding declared in the file or named by --encoding"
                };
                let at = offset.map_or(String::new(), |o| {
                    format!(" (first bad byte at offset {o})")
                });
                let what = if encoding.starts_with("UTF-16") {
                    " (a lone surrogate or an odd number of bytes)"
                } else {
                    ""
                };
                write!(f, "not valid {encoding}{what}{at}, {why}; not checked")
            }
        }
    }
}

/// The encoding a legacy page declares in its first 4 KiB: an HTML
/// `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">`, a JSP
/// `pageEncoding="…"` or `contentType="…; charset=…"`, or an XML
/// declaration's `encoding="…"`. Only ASCII-compatible declarations are
/// read (the scan is over bytes).
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"pageencoding"[..], b"charset", b"encoding"] {
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&lower[from..], key) {
            let mut j = from + i + key.len();
            from = j;
            while lower.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
                j += 1;
            }
            if lower.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while lower
                .get(j)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
            {
                j += 1;
            }
            let end = lower[j..]
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                })
                .map_or(lower.len(), |k| j + k);
            if let Some(enc) = encoding_rs::Encoding::for_label(&lower[j..end]) {
                return Some(enc);
            }
        }
    }
    None
}

/// Decodes file bytes as text: UTF-8 (as is, BOM kept), else a UTF-16 BOM,
/// else the encoding the page declares ([`declared_encoding`]), else
/// `fallback` (`--encoding`, the config's `encoding`). Returns the text and
/// the encoding used when it was not UTF-8 (fixes re-encode with it).
/// Binary input and bytes invalid in the chosen encoding are refused.
pub fn decode_with(
    bytes: Vec<u8>,
    fallback: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, Option<&'static encoding_rs::Encoding>), ReadError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        if enc != encoding_rs::UTF_8 {
            return enc
                .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
                .map(|t| (format!("\u{feff}{t}"), Some(enc)))
                .ok_or(ReadError::InvalidIn {
                    encoding: enc.name(),
                    bom: true,
                    offset: first_bad_utf16(&bytes[bom..], enc == encoding_rs::UTF_16BE)
                        .map(|o| o + bom),
                });
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err(ReadError::Binary);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e,
    };
    let offset = bytes.utf8_error().valid_up_to();
    let bytes = bytes.into_bytes();
    let enc = declared_encoding(&bytes)
        .filter(|e| *e != encoding_rs::UTF_8)
        .or(fallback.filter(|e| *e != encoding_rs::UTF_8));
    let Some(enc) = enc else {
        return Err(ReadError::InvalidUtf8 { offset });
    };
    enc.decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|t| (t.into_owned(), Some(enc)))
        .ok_or(ReadError::InvalidIn {
            encoding: enc.name(),
            bom: false,
            offset: None,
        })
}

/// The offset of the first byte of UTF-16 `bytes` that does not decode: a
/// lone surrogate, or a last odd byte.
fn first_bad_utf16(bytes: &[u8], big_endian: bool) -> Option<usize> {
    let unit = |i: usize| {
        let b = [bytes[i], bytes[i + 1]];
        if big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    };
    let mut i = 0;
    while i + 1 < bytes.len() {
        match unit(i) {
            0xD800..=0xDBFF => {
                if i + 3 < bytes.len() && (0xDC00..=0xDFFF).contains(&unit(i + 2)) {
                    i += 4;
                } else {
                    return Some(i);
                }
            }
            0xDC00..=0xDFFF => return Some(i),
            _ => i += 2,
        }
    }
    (i < bytes.len()).then_some(i)
}

/// How the commands that read files besides `check` (the `versions`
/// inventory, the audit's page scan, `org`'s code scan) read them, the way
/// `check` does: a file's kind by its extension and the `--extension` map,
/// its text decoded with the `--encoding` fallback (after a BOM and a
/// declared charset).
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    pub extensions: &'a ExtensionMap,
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl ReadOptions<'_> {
    pub fn kind_of(&self, path: &Path) -> Option<FileKind> {
        self.extensions.kind_of(path)
    }

    /// The file's text, or a one-line reason.
    pub fn read(&self, path: &Path) -> Result<String, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        decode_with(bytes, self.encoding)
            .map(|(text, _)| text)
            .map_err(|e| e.to_string())
    }
}

/// Encodes fixed text back into the file's encoding (`None`: UTF-8).
/// Fails when the text holds a character the encoding cannot.
pub fn encode(text: &str, enc: Option<&'static encoding_rs::Encoding>) -> Result<Vec<u8>, String> {
    let Some(enc) = enc else {
        return Ok(text.as_bytes().to_vec());
    };
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let le = enc == encoding_rs::UTF_16LE;
        return Ok(text
            .encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect());
    }
    if enc.output_encoding() != enc {
        return Err(format!("oie-lint cannot write {}", enc.name()));
    }
    let (bytes, _, unmappable) = enc.encode(text);
    if unmappable {
        return Err(format!(
            "the fixed text has characters {} cannot hold",
            enc.name()
        ));
    }
    Ok(bytes.into_owned())
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

/// Whether a character is never shown raw: C0 and C1 control characters
/// (DEL included), and the invisible characters that reorder or hide text on
/// screen (Trojan Source, CVE-2021-42574): the bidirectional embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction
/// marks (U+200E, U+200F, U+061C) and the byte order mark / zero-width
/// no-break space (U+FEFF). Every terminal-facing text goes through this
/// one predicate ([`escape_path`], [`escape_text`], and the reports'
/// `terminal_safe` and `frame_safe`).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{FEFF}'
        )
}

/// Appends `c` escaped: `\xNN` below U+0080, `\u{NNNN}` above.
pub fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c as u32 {
        n if n < 0x80 => {
            let _ = write!(out, "\\x{n:02x}");
        }
        n => {
            let _ = write!(out, "\\u{{{n:04x}}}");
        }
    }
}

/// `s` with every [`is_unsafe_char`] character escaped except those in
/// `keep` (e.g. `\t` and `\n` for a multi-line message). Unchanged (no
/// copy) when there is nothing to escape.
pub fn escape_text_keeping<'a>(s: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    let bad = |c: char| is_unsafe_char(c) && !keep.contains(&c);
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` on one line with nothing that could move the cursor, change colours
/// or reorder text: every [`is_unsafe_char`] character escaped, line breaks
/// and tabs included. For text from a server or a file shown as one line.
pub fn escape_text(s: &str) -> std::borrow::Cow<'_, str> {
    escape_text_keeping(s, &[])
}

/// A path as text, losslessly: bytes that are not UTF-8 become `\xNN` and
/// [`is_unsafe_char`] characters `\xNN` (C0, DEL) or `\u{NNNN}` (C1, bidi
/// controls), so no report, terminal or XML document ever carries a raw
/// ESC, a direction override or an invalid byte. Other characters, the
/// backslash included, are kept as they are.
pub fn escape_path(path: &Path) -> String {
    escape_bytes(path.as_os_str().as_encoded_bytes())
}

/// [`escape_path`] over raw bytes.
pub fn escape_bytes(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&escape_text(chunk.valid()));
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// The path as reports show it: relative to `cwd` when below it, with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let s = escape_path(rel);
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s
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
    fn legacy_encodings_are_detected_declared_or_given() {
        // "é" in Latin-1 with a <meta charset>.
        let page = b"<html><head><meta charset=\"ISO-8859-1\"></head>caf\xe9</html>".to_vec();
        let (text, enc) = decode_with(page, None).unwrap();
        assert!(text.ends_with("caf\u{e9}</html>"), "{text}");
        assert_eq!(enc, Some(encoding_rs::WINDOWS_1252));
        let jsp = b"<%@ page contentType=\"text/html\" pageEncoding=\"windows-1252\" %>\x93x\x94"
            .to_vec();
        assert_eq!(
            decode_with(jsp, None).unwrap().0.chars().last(),
            Some('\u{201d}')
        );
        // Undeclared: refused, unless a fallback is given.
        let plain = b"var s = 'caf\xe9';".to_vec();
        assert!(matches!(
            decode_with(plain.clone(), None),
            Err(ReadError::InvalidUtf8 { offset: 12 })
        ));
        let (text, _) = decode_with(plain, Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!(text, "var s = 'caf\u{e9}';");
        // UTF-8 stays UTF-8 (no re-encoding), whatever the fallback.
        let (text, enc) =
            decode_with("é".as_bytes().to_vec(), Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!((text.as_str(), enc), ("é", None));
        // A UTF-16 BOM.
        let mut u16 = vec![0xff, 0xfe];
        u16.extend("ok".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (text, enc) = decode_with(u16, None).unwrap();
        assert_eq!(
            (text.as_str(), enc),
            ("\u{feff}ok", Some(encoding_rs::UTF_16LE))
        );
    }

    #[test]
    fn extension_map_adds_kinds_but_keeps_manifests() {
        let mut m = ExtensionMap::default();
        let (e, k) = ExtensionMap::parse_pair("txt:html").unwrap();
        m.insert(e, k);
        let (e, k) = ExtensionMap::parse_pair(".es6:js").unwrap();
        m.insert(e, k);
        assert_eq!(m.kind_of(Path::new("a/LOGIN.TXT")), Some(FileKind::Html));
        assert_eq!(
            m.kind_of(Path::new("a/x.es6")),
            Some(FileKind::Script(Dialect::JavaScript))
        );
        assert_eq!(m.kind_of(Path::new("a/notes.md")), None);
        assert_eq!(m.kind_of(Path::new("a/b.jsp")), Some(FileKind::Html));
        let (e, k) = ExtensionMap::parse_pair("json:js").unwrap();
        m.insert(e, k);
        assert_eq!(
            m.kind_of(Path::new("package.json")),
            Some(FileKind::PackageJson)
        );
        assert!(ExtensionMap::parse_pair("txt").is_err());
        assert!(ExtensionMap::parse_pair("txt:cobol")
            .unwrap_err()
            .contains("unknown language `cobol`"));
        // A mapped extension is read with its language's dialect syntax
        // (`--extension zzweb:aspx`), an unmapped one is not.
        assert!(!template_syntax(Path::new("Login.zzweb")).aspnet);
        ExtensionMap::parse_pair("zzweb:aspx").unwrap();
        ExtensionMap::parse_pair("zzview:pug").unwrap();
        assert!(template_syntax(Path::new("Login.zzweb")).aspnet);
        assert!(template_syntax(Path::new("views/a.ZZVIEW")).pug);
        assert!(!template_syntax(Path::new("Login.zzother")).aspnet);
        // Server languages, by extension or name.
        for (pair, lang) in [
            ("groovy:java", ServerLang::Java),
            ("csx:csharp", ServerLang::CSharp),
            ("pyw:python", ServerLang::Python),
            ("rake:rb", ServerLang::Ruby),
            ("tmpl:go", ServerLang::Go),
        ] {
            assert_eq!(
                ExtensionMap::parse_pair(pair).unwrap().1,
                FileKind::Server(lang),
                "{pair}"
            );
        }
        assert!(ExtensionMap::parse_pair(":html").is_err());
        assert_eq!(
            ExtensionMap::parse_pair("tpl2:jsp").unwrap().1,
            FileKind::Html
        );
        // Stylesheets: `css` is a language name, `.pcss` can be mapped to it.
        let (e, k) = ExtensionMap::parse_pair("pcss:css").unwrap();
        assert_eq!(k, FileKind::Css);
        m.insert(e, k);
        assert_eq!(m.kind_of(Path::new("a/theme.PCSS")), Some(FileKind::Css));
        assert_eq!(ExtensionMap::parse_pair("x:scss").unwrap().1, FileKind::Css);
    }

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
        for p in [
            "x/config.json",
            "wwwroot/settings.json",
            "Web/appsettings.json",
            "Web/appsettings.Development.json",
            "deploy/values.yaml",
            "_config.yml",
            "config/okta.YML",
        ] {
            assert_eq!(
                FileKind::from_path(Path::new(p)),
                Some(FileKind::Settings),
                "{p}"
            );
        }
        for p in [
            "x/tsconfig.json",
            "x/data.json",
            "x/myconfig.json",
            "x/config.jsonc",
            "pnpm-workspace.yaml",
            ".yarnrc.yml",
        ] {
            assert_eq!(FileKind::from_path(Path::new(p)), None, "{p}");
        }
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
        for p in ["a/login.css", "b/_widget.SCSS", "c/theme.less"] {
            assert_eq!(
                FileKind::from_path(Path::new(p)),
                Some(FileKind::Css),
                "{p}"
            );
        }
        assert_eq!(FileKind::from_path(Path::new("a/login.css.map")), None);
        // ASP.NET Web Forms pages, user controls and master pages.
        for p in ["Login.aspx", "Controls/OktaWidget.ascx", "Site.Master"] {
            assert_eq!(
                FileKind::from_path(Path::new(p)),
                Some(FileKind::Html),
                "{p}"
            );
            assert!(template_syntax(Path::new(p)).aspnet, "{p}");
        }
        assert!(!template_syntax(Path::new("login.ejs")).aspnet);
        // A Web Forms page's code-behind is C# server code.
        assert_eq!(
            FileKind::from_path(Path::new("Login.aspx.cs")),
            Some(FileKind::Server(ServerLang::CSharp))
        );
        for (p, l) in [
            ("src/main/java/A.java", ServerLang::Java),
            ("Controllers/B.CS", ServerLang::CSharp),
            ("app/views.py", ServerLang::Python),
            ("cmd/main.go", ServerLang::Go),
            ("app/c.rb", ServerLang::Ruby),
        ] {
            assert_eq!(
                FileKind::from_path(Path::new(p)),
                Some(FileKind::Server(l)),
                "{p}"
            );
        }
        assert_eq!(
            FileKind::Html.server_lang(Path::new("login.php")),
            Some(ServerLang::Php)
        );
        assert_eq!(FileKind::Html.server_lang(Path::new("login.jsp")), None);
        assert_eq!(FileKind::from_path(Path::new("a.kt")), None);
        // Scripts a server template emits are scripts, not pages.
        for (p, d) in [
            ("js/login.js.php", Dialect::JavaScript),
            ("app/assets/javascripts/okta.js.erb", Dialect::JavaScript),
            ("views/config.JS.ejs", Dialect::JavaScript),
            ("templates/widget.js.twig", Dialect::JavaScript),
            ("x/signin.ts.hbs", Dialect::TypeScript),
        ] {
            assert_eq!(
                FileKind::from_path(Path::new(p)),
                Some(FileKind::Script(d)),
                "{p}"
            );
            assert!(is_templated_script(Path::new(p)), "{p}");
        }
        for p in [
            "login.php",
            "login.html.erb",
            "login.js",
            "a.js.html",
            "a.js.vue",
        ] {
            assert!(!is_templated_script(Path::new(p)), "{p}");
        }
        assert_eq!(
            FileKind::from_path(Path::new("login.html.erb")),
            Some(FileKind::Html)
        );
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

    #[cfg(unix)]
    #[test]
    fn display_paths_escape_invalid_bytes_and_control_characters() {
        use std::os::unix::ffi::OsStrExt;
        let cwd = Path::new("/repo");
        let p = Path::new(std::ffi::OsStr::from_bytes(b"src/caf\xe9\x1b[31m.js"));
        assert_eq!(display_path(p, cwd), r"src/caf\xe9\x1b[31m.js");
        assert_eq!(escape_bytes("a\u{85}é\\".as_bytes()), r"a\u{0085}é\");
        assert_eq!(
            FileKind::from_path(p),
            Some(FileKind::Script(Dialect::JavaScript))
        );
    }
}
