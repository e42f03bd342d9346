//! `oie-lint server`: a Language Server Protocol server over stdio.
//!
//! The editor gets `check`'s findings for each open document (the text in
//! the editor, linted as `check --stdin-filename` lints standard input, with
//! the config file nearest the document), each finding's fix as a quick
//! fix, `source.fixAll.oie-lint` (`check --fix`'s result), a suppression
//! marker for the finding's line, and the rule's docs on hover.
//!
//! One job per file: [`transport`] runs the message loop (debouncing
//! changes), [`documents`] keeps the open buffers, [`position`] converts
//! byte offsets to LSP positions, [`engine`] holds the linters,
//! [`diagnostics`], [`actions`] and [`hover`] answer, [`settings`] reads
//! the editor's settings.

pub mod actions;
pub mod diagnostics;
pub mod documents;
pub mod engine;
pub mod hover;
pub mod position;
pub mod related;
pub mod settings;
pub mod transport;

pub use transport::run;
