//! The `check` engine for open documents: the config file nearest each
//! document (as `check` finds it), one [`Linter`] per config file, kept
//! between requests, and the document's own text linted as `check
//! --stdin-filename` lints standard input. Nothing walks the repository.

use super::settings::Settings;
use crate::discover::WalkOptions;
use crate::fix::apply;
use crate::linter::{FileReport, Linter};
use crate::source::{self, FileKind, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Engine {
    root: PathBuf,
    pub settings: Settings,
    /// Config file (None: defaults) → its linter, or why it cannot be used.
    linters: HashMap<Option<PathBuf>, Result<Linter, String>>,
}

/// What linting one document gave.
pub struct Linted {
    pub report: FileReport,
    pub file: SourceFile,
    /// The syntax errors the fix engine's guard counts in the text,
    /// counted when a quick fix first needs them.
    pub syntax_errors: std::cell::OnceCell<usize>,
    /// Whether the file was checked as a widget's config module (a file
    /// checked earlier hands it to `new OktaSignIn`).
    pub config_module: bool,
}

impl Engine {
    pub fn new(root: PathBuf, settings: Settings) -> Engine {
        Engine {
            root,
            settings,
            linters: HashMap::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Forgets every linter, with the config files and the facts read from
    /// other files (manifests, lockfiles, pages, imported modules): a config
    /// file, a setting or a file on disk changed.
    pub fn reset(&mut self) {
        self.linters.clear();
    }

    /// `path`'s text changed (an editor's buffer, a save, a checkout): the
    /// linters forget what they read from it (see
    /// [`crate::versions::VersionIndex::forget`]). Returns the scripts whose
    /// loading pages changed (`path` is a page).
    pub fn changed(&mut self, path: &Path) -> Vec<PathBuf> {
        let mut scripts: Vec<PathBuf> = self
            .linters
            .values()
            .filter_map(|l| l.as_ref().ok())
            .flat_map(|l| l.versions.forget(path))
            .collect();
        scripts.sort();
        scripts.dedup();
        scripts
    }

    /// The linter for `path` and the kind it reads it as; `Ok(None)` when
    /// `check` would not read it (not a kind it knows, or excluded by the
    /// config); `Err` when its config file is invalid.
    pub fn linter_for(&mut self, path: &Path) -> Result<Option<(&Linter, FileKind)>, String> {
        let config = crate::config::find_for(&self.root, path);
        if !self.linters.contains_key(&config) {
            let made = crate::config::resolve_for_paths(
                &self.root,
                None,
                false,
                &self.settings.cli_layer(),
                &[path.to_path_buf()],
                None,
            )
            .and_then(|mut groups| {
                let (resolved, _) = groups.pop().ok_or("no configuration")?;
                Linter::new(resolved.settings, self.root.clone())
            });
            self.linters.insert(config.clone(), made);
        }
        let linter = self.linters[&config].as_ref().map_err(Clone::clone)?;
        let opts = WalkOptions {
            respect_gitignore: true,
            include_minified: false,
            threads: 1,
            excludes: linter.settings.excludes.clone(),
            force_exclude: true,
            extensions: linter.settings.extensions.clone(),
        };
        if opts.excludes_explicit(path, false) {
            return Ok(None);
        }
        Ok(linter
            .settings
            .extensions
            .kind_of(path)
            .map(|k| (linter, k)))
    }

    /// Lints `text` as the file at `path`.
    pub fn lint(&mut self, path: &Path, text: &str) -> Result<Option<Linted>, String> {
        let display = source::display_path(path, &self.root);
        let Some((linter, kind)) = self.linter_for(path)? else {
            return Ok(None);
        };
        let file = SourceFile {
            path: path.to_path_buf(),
            display,
            text: text.to_string(),
            kind,
        };
        let config_module = linter.is_config_module(path);
        let report = linter.lint(&file);
        Ok(Some(Linted {
            report,
            file,
            syntax_errors: Default::default(),
            config_module,
        }))
    }

    /// Whether a file checked so far hands `path` to `new OktaSignIn` as
    /// its config.
    pub fn is_config_module(&mut self, path: &Path) -> bool {
        matches!(self.linter_for(path), Ok(Some((l, _))) if l.is_config_module(path))
    }

    /// The text `check --fix` (`--unsafe-fixes` with `unsafe_fixes`) makes
    /// of `text`: the same fix engine, passes and syntax guard.
    pub fn fix_all(&mut self, path: &Path, text: &str, unsafe_fixes: bool) -> Option<String> {
        let display = source::display_path(path, &self.root);
        let (linter, kind) = self.linter_for(path).ok()??;
        let file = SourceFile {
            path: path.to_path_buf(),
            display,
            text: text.to_string(),
            kind,
        };
        Some(apply::fix_file(linter, &file, unsafe_fixes).text)
    }

    /// The text after finding `d`'s fix alone: its edits applied to
    /// `text`, refused (`None`) as the fix engine refuses a fix, when the
    /// result has more syntax errors than `text` (`errors_before`, from
    /// [`Engine::syntax_errors`]). No lint: the finding came from one.
    pub fn fix_one(
        &self,
        file: &SourceFile,
        d: &crate::diagnostic::Diagnostic,
        errors_before: usize,
    ) -> Option<String> {
        let fix = d.fix.as_ref()?;
        let fixed = apply::apply_edits(&file.text, &fix.edits);
        let worse = apply::syntax_errors(&fixed, file.kind, &file.path) > errors_before;
        (fixed != file.text && !worse).then_some(fixed)
    }

    /// The syntax errors the fix engine's guard counts in `file`.
    pub fn syntax_errors(file: &SourceFile) -> usize {
        apply::syntax_errors(&file.text, file.kind, &file.path)
    }
}
