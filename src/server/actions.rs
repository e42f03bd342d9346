//! Code actions: each finding's fix as a quick fix, `source.fixAll.oie-lint`
//! (the safe fixes, as `check --fix`), and a suppression marker for the
//! finding's line in the file's own comment syntax.

use super::position::{self, Encoding, Lines};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::source::FileKind;
use lsp_types::{CodeAction, CodeActionKind, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// The kind of the fix-all action (`editor.codeActionsOnSave` in VS Code).
pub const FIX_ALL_KIND: &str = "source.fixAll.oie-lint";
/// `workspace/executeCommand`: apply the safe fixes of the document whose
/// URI is the first argument (the server asks the client to apply them).
pub const FIX_ALL_COMMAND: &str = "oie-lint.applyAutofix";
const FIX_ALL_TITLE: &str = "Fix all safe oie-lint problems";

/// A workspace edit of one document.
pub fn edit_of(uri: &Uri, edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..Default::default()
    }
}

/// The quick fix for finding `d`, from `fixed` (the document's text after
/// that fix alone, by the fix engine).
pub fn quick_fix(
    uri: &Uri,
    d: &Diagnostic,
    lsp: &lsp_types::Diagnostic,
    text: &str,
    fixed: &str,
    enc: Encoding,
) -> Option<CodeAction> {
    let f = d.fix.as_ref()?;
    let edit = position::minimal_edit(text, fixed, enc)?;
    let safe = f.applicability == Applicability::Safe;
    let title = if safe {
        format!("Fix {}: {}", d.code, f.description)
    } else {
        format!("Fix {} (unsafe): {}", d.code, f.description)
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp.clone()]),
        edit: Some(edit_of(uri, edit)),
        is_preferred: Some(safe),
        ..Default::default()
    })
}

/// "Fix all safe oie-lint problems", from the `check --fix` text.
pub fn fix_all(uri: &Uri, text: &str, fixed: &str, enc: Encoding) -> Option<CodeAction> {
    let edit = position::minimal_edit(text, fixed, enc)?;
    Some(CodeAction {
        title: FIX_ALL_TITLE.to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(edit_of(uri, edit)),
        ..Default::default()
    })
}

/// "Fix all safe oie-lint problems" without its edit yet: resolved by
/// `codeAction/resolve` (`data` names the document) when the client can,
/// else run as [`FIX_ALL_COMMAND`].
pub fn fix_all_deferred(uri: &Uri, resolve: bool) -> CodeAction {
    let mut action = CodeAction {
        title: FIX_ALL_TITLE.to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        ..Default::default()
    };
    if resolve {
        action.data = Some(serde_json::json!({ "uri": uri.as_str() }));
    } else {
        action.command = Some(lsp_types::Command {
            title: FIX_ALL_TITLE.to_string(),
            command: FIX_ALL_COMMAND.to_string(),
            arguments: Some(vec![serde_json::json!({ "uri": uri.as_str() })]),
        });
    }
    action
}

/// "Suppress CODE on this line": an `oie-lint-ignore-next-line CODE` marker
/// on a new line above the finding's, indented as it is, in the comment
/// syntax that is valid there. `None` where no comment can go (a lockfile,
/// whose findings are suppressed in `package.json`).
pub fn suppress(
    uri: &Uri,
    d: &Diagnostic,
    lsp: &lsp_types::Diagnostic,
    kind: FileKind,
    text: &str,
    enc: Encoding,
) -> Option<CodeAction> {
    let line_start = text[..d.start_byte.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    // Whatever precedes the text on the first line (a BOM) stays first.
    let line_start = if line_start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        line_start
    };
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let marker = format!("oie-lint-ignore-next-line {}", d.code);
    let comment = match comment_syntax(kind, text, d.start_byte) {
        Syntax::Line => format!("// {marker}"),
        Syntax::Hash => format!("# {marker}"),
        Syntax::Block => format!("/* {marker} */"),
        Syntax::Html => format!("<!-- {marker} -->"),
        // A `"//"` key goes only above a line that starts with a key.
        Syntax::Json if text[line_start + indent.len()..].starts_with('"') => {
            format!("\"//\": \"{marker}\",")
        }
        Syntax::Json => return None,
        Syntax::None => return None,
    };
    let newline = crate::fix::line_ending(text);
    let lines = Lines::new(text);
    let at = lines.position(text, line_start, enc);
    Some(CodeAction {
        title: format!("Suppress {} on this line", d.code),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp.clone()]),
        edit: Some(edit_of(
            uri,
            TextEdit {
                range: lsp_types::Range::new(at, at),
                new_text: format!("{indent}{comment}{newline}"),
            },
        )),
        is_preferred: Some(false),
        ..Default::default()
    })
}

enum Syntax {
    Line,
    /// `#` line comments (Python, Ruby).
    Hash,
    Block,
    Html,
    Json,
    None,
}

/// The comment syntax at byte `at` of a file of `kind`: a page's scripts
/// take `//`, its markup `<!-- -->`.
fn comment_syntax(kind: FileKind, text: &str, at: usize) -> Syntax {
    match kind {
        FileKind::Script(_) | FileKind::WidgetBundle | FileKind::Settings => Syntax::Line,
        FileKind::Css => Syntax::Block,
        FileKind::PackageJson => Syntax::Json,
        FileKind::Lockfile => Syntax::None,
        FileKind::Server(crate::source::ServerLang::Python | crate::source::ServerLang::Ruby) => {
            Syntax::Hash
        }
        FileKind::Server(_) => Syntax::Line,
        FileKind::Html => {
            let mut parser = tree_sitter::Parser::new();
            let doc = crate::source::html::analyze(text, &mut parser);
            let in_script = doc
                .scripts
                .iter()
                .any(|s| !s.handler && (s.range.start_byte..s.range.end_byte).contains(&at));
            let in_style = doc
                .styles
                .iter()
                .any(|s| (s.start_byte..s.end_byte).contains(&at));
            if in_script {
                Syntax::Line
            } else if in_style {
                Syntax::Block
            } else {
                Syntax::Html
            }
        }
    }
}
