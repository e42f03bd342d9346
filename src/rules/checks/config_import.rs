//! One hop into a local module for a widget config (OIE003).
//!
//! `import config from './config'` / `import { oidc } from '../config'` /
//! `const config = require('./config')` / `const { oidc } = require('../config')`
//! of a local file that exports an object literal (`export default { … }`,
//! `export const oidc = { … }`, `module.exports = { … }`, `exports.oidc = …`,
//! or a variable holding the literal that one of these exports). The config
//! may be the import itself or a property path of it (`config.oidc`). Only
//! relative specifiers are followed, one hop: what cannot be resolved to a
//! literal is `None` and the rule stays silent.
//!
//! The same resolution runs the other way for the catalog's config rules
//! (OIE009, OIE010, OIE017, OIE026, …): [`widget_config_imports`] tells the
//! linter which modules a widget file hands to `new OktaSignIn`, and when
//! the linter checks such a module, [`exported_config_ranges`] finds the
//! object literals that are the widget's config there, so a bare
//! `config.js` that never names the widget is read as what it is.

use super::FileCtx;
use crate::source::{Dialect, FileKind};
use crate::syntax;
use std::path::{Path, PathBuf};
use tree_sitter::{Node, Tree};

/// A config object literal found in another module.
pub struct Imported {
    /// The module, as reports show it.
    pub shown: String,
    /// What the module was parsed from (template tags masked).
    pub text: String,
    pub tree: Tree,
    /// Byte range of the object literal in `text`.
    pub object: std::ops::Range<usize>,
}

impl Imported {
    pub fn object(&self) -> Option<Node<'_>> {
        self.tree
            .root_node()
            .descendant_for_byte_range(self.object.start, self.object.end)
            .filter(|n| n.kind() == "object")
    }
}

/// What an import binds a local name to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// The module's default export (ESM) or `module.exports` (CJS).
    Default,
    /// A named export (or a property of `module.exports`).
    Named(String),
    /// `import * as x`: `x.name` is the named export `name`.
    Namespace,
}

/// A module's export that some widget file passes to `new OktaSignIn`:
/// the binding and the property path under it (`config.oidc` is the
/// default export's `oidc`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigExport {
    pub binding: Binding,
    pub path: Vec<String>,
    /// The widget file, as reports show it.
    pub importer: String,
}

/// Where `arg` (an identifier or a member path `a.b.c` whose root is an
/// imported name) comes from: the local module file, the export and the
/// property path under it.
fn locate(
    ctx: &FileCtx,
    arg: Node,
    bindings: Option<&std::collections::HashMap<String, (String, Binding)>>,
) -> Option<(PathBuf, Binding, Vec<String>)> {
    let src = ctx.masked;
    let mut path = Vec::new();
    let mut root = arg;
    while root.kind() == "member_expression" {
        let prop = root.child_by_field_name("property")?;
        if prop.kind() != "property_identifier" {
            return None;
        }
        path.push(src[prop.byte_range()].to_string());
        root = syntax::unwrap_expr(root.child_by_field_name("object")?);
    }
    if root.kind() != "identifier" {
        return None;
    }
    path.reverse();
    let name = &src[root.byte_range()];
    let (spec, binding) = match bindings {
        Some(map) => map.get(name)?.clone(),
        None => find_binding(ctx, name)?,
    };
    let (binding, path) = match binding {
        Binding::Namespace => {
            let (first, rest) = path.split_first()?;
            (Binding::Named(first.clone()), rest.to_vec())
        }
        b => (b, path),
    };
    let file = resolve_module(&ctx.source.path, &spec)?;
    Some((file, binding, path))
}

/// Resolves `arg` (an identifier or a member path `a.b.c` whose root is an
/// imported name) to an object literal of a local module.
pub fn resolve(ctx: &FileCtx, arg: Node) -> Option<Imported> {
    let (file, binding, path) = locate(ctx, arg, None)?;
    let raw = crate::source::overlay::read_to_string(&file).ok()?;
    let dialect = match FileKind::from_path(&file)? {
        FileKind::Script(d) => d,
        _ => return None,
    };
    let text = crate::source::masked_script(&file, &raw).unwrap_or(raw);
    let tree = parse(dialect, &text)?;
    let object = {
        let root = tree.root_node();
        let mut obj = exported_object(root, &text, &binding)?;
        for key in &path {
            obj = property_object(obj, &text, key)?;
        }
        obj.byte_range()
    };
    Some(Imported {
        shown: crate::source::display_path(&file, ctx.versions.cwd()),
        text,
        tree,
        object,
    })
}

/// The local modules this file hands to `new OktaSignIn(…)` as its config
/// (`new OktaSignIn(config)`, `new OktaSignIn(settings.widget)` of an
/// imported name), each with the export it uses. Cheap for a file without
/// the widget: one byte search.
pub fn widget_config_imports(ctx: &FileCtx) -> Vec<(PathBuf, ConfigExport)> {
    let src = ctx.masked;
    let mut out = Vec::new();
    if memchr::memmem::find(src.as_bytes(), b"OktaSignIn").is_none() {
        return out;
    }
    let mut bindings = None;
    for unit in ctx.units {
        syntax::walk_containing(
            unit.tree.root_node(),
            src.as_bytes(),
            &["OktaSignIn"],
            |n| {
                if !super::widget::is_new_widget(n, src) {
                    return;
                }
                let Some(arg) = n
                    .child_by_field_name("arguments")
                    .and_then(|a| {
                        syntax::named_children(a)
                            .into_iter()
                            .find(|c| c.kind() != "comment")
                    })
                    .map(syntax::unwrap_expr)
                else {
                    return;
                };
                // Only a name (or a member path of one) can be an import.
                if !matches!(arg.kind(), "identifier" | "member_expression") {
                    return;
                }
                let map = bindings.get_or_insert_with(|| import_bindings(ctx));
                if let Some((file, binding, path)) = locate(ctx, arg, Some(map)) {
                    out.push((
                        file,
                        ConfigExport {
                            binding,
                            path,
                            importer: ctx.source.display.clone(),
                        },
                    ));
                }
            },
        );
    }
    out
}

/// The byte ranges of the object literals `exports` name in a module
/// (parsed as `root` from `src`): what the importing widget files pass to
/// `new OktaSignIn`. An export that is not an object literal is left out.
pub fn exported_config_ranges(
    root: Node,
    src: &str,
    exports: &[ConfigExport],
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<_> = exports
        .iter()
        .filter_map(|e| {
            let mut obj = exported_object(root, src, &e.binding)?;
            for key in &e.path {
                obj = property_object(obj, src, key)?;
            }
            Some(obj.byte_range())
        })
        .collect();
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// Parses with a parser of its own: checks may run while the thread's
/// shared parsers are borrowed.
fn parse(dialect: Dialect, text: &str) -> Option<Tree> {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&dialect.language()).ok()?;
    p.parse(text, None)
}

/// Every name this file binds by `import` or `require`, with its module
/// specifier and binding (the first binding of a name wins): one walk, so
/// following many names costs one pass over the file.
fn import_bindings(ctx: &FileCtx) -> std::collections::HashMap<String, (String, Binding)> {
    let src = ctx.masked;
    let mut out = std::collections::HashMap::new();
    for unit in ctx.units {
        syntax::walk_containing(
            unit.tree.root_node(),
            src.as_bytes(),
            &["import", "require"],
            |n| {
                let of = match n.kind() {
                    "import_statement" => import_binding,
                    "variable_declarator" => require_binding,
                    _ => return,
                };
                for name in bound_names(n, src) {
                    if let Some(b) = of(n, src, name) {
                        out.entry(name.to_string()).or_insert(b);
                    }
                }
            },
        );
    }
    out
}

/// The local names an import statement or a declarator binds.
fn bound_names<'s>(n: Node, src: &'s str) -> Vec<&'s str> {
    let mut names = Vec::new();
    let target = if n.kind() == "variable_declarator" {
        n.child_by_field_name("name")
    } else {
        syntax::named_children(n)
            .into_iter()
            .find(|c| c.kind() == "import_clause")
    };
    if let Some(t) = target {
        syntax::walk(t, |c| {
            if matches!(
                c.kind(),
                "identifier" | "shorthand_property_identifier_pattern"
            ) {
                names.push(&src[c.byte_range()]);
            }
        });
    }
    names
}

/// The module specifier and binding that introduce `name` in this file.
fn find_binding(ctx: &FileCtx, name: &str) -> Option<(String, Binding)> {
    let src = ctx.masked;
    let mut found = None;
    for unit in ctx.units {
        syntax::preorder(unit.tree.root_node(), |n| {
            if found.is_some() {
                return syntax::Step::Stop;
            }
            match n.kind() {
                "import_statement" => {
                    found = import_binding(n, src, name);
                    syntax::Step::Skip
                }
                "variable_declarator" => {
                    found = require_binding(n, src, name);
                    syntax::Step::Descend
                }
                _ => syntax::Step::Descend,
            }
        });
        if found.is_some() {
            break;
        }
    }
    found
}

fn string_value(n: Node, src: &str) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let t = &src[n.byte_range()];
    Some(t.get(1..t.len().saturating_sub(1))?.to_string())
}

fn import_binding(stmt: Node, src: &str, name: &str) -> Option<(String, Binding)> {
    let spec = string_value(stmt.child_by_field_name("source")?, src)?;
    let clause = syntax::named_children(stmt)
        .into_iter()
        .find(|c| c.kind() == "import_clause")?;
    for part in syntax::named_children(clause) {
        match part.kind() {
            "identifier" if &src[part.byte_range()] == name => {
                return Some((spec, Binding::Default));
            }
            "namespace_import"
                if syntax::named_children(part)
                    .iter()
                    .any(|i| &src[i.byte_range()] == name) =>
            {
                return Some((spec, Binding::Namespace));
            }
            "named_imports" => {
                for s in syntax::named_children(part) {
                    let Some(imported) = s.child_by_field_name("name") else {
                        continue;
                    };
                    let local = s.child_by_field_name("alias").unwrap_or(imported);
                    if &src[local.byte_range()] == name {
                        let imported = &src[imported.byte_range()];
                        return Some((
                            spec,
                            if imported == "default" {
                                Binding::Default
                            } else {
                                Binding::Named(imported.trim_matches(['"', '\'']).to_string())
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// `const x = require('…')`, `const { y } = require('…')`,
/// `const { y: x } = require('…')`.
fn require_binding(decl: Node, src: &str, name: &str) -> Option<(String, Binding)> {
    let value = syntax::unwrap_expr(decl.child_by_field_name("value")?);
    if value.kind() != "call_expression"
        || value
            .child_by_field_name("function")
            .is_none_or(|f| &src[f.byte_range()] != "require")
    {
        return None;
    }
    let spec = string_value(value.child_by_field_name("arguments")?.named_child(0)?, src)?;
    let target = decl.child_by_field_name("name")?;
    match target.kind() {
        "identifier" if &src[target.byte_range()] == name => Some((spec, Binding::Default)),
        "object_pattern" => {
            syntax::named_children(target)
                .into_iter()
                .find_map(|p| match p.kind() {
                    "shorthand_property_identifier_pattern" if &src[p.byte_range()] == name => {
                        Some((spec.clone(), Binding::Named(name.to_string())))
                    }
                    "pair_pattern" => {
                        let key = p.child_by_field_name("key")?;
                        let value = p.child_by_field_name("value")?;
                        (value.kind() == "identifier" && &src[value.byte_range()] == name).then(
                            || {
                                (
                                    spec.clone(),
                                    Binding::Named(
                                        src[key.byte_range()].trim_matches(['"', '\'']).to_string(),
                                    ),
                                )
                            },
                        )
                    }
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The file a relative specifier names: as written, or with a script
/// extension, or its `index` script.
fn resolve_module(from: &Path, spec: &str) -> Option<PathBuf> {
    if !(spec.starts_with("./") || spec.starts_with("../")) {
        return None;
    }
    // parent-ok: a path, not a node.
    let base = crate::versions::normalize(&from.parent()?.join(spec));
    const EXTS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];
    let with_ext = |p: &Path, e: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(".");
        s.push(e);
        PathBuf::from(s)
    };
    let is_script = |p: &Path| matches!(FileKind::from_path(p), Some(FileKind::Script(_)));
    if base.is_file() && is_script(&base) {
        return Some(base);
    }
    EXTS.iter()
        .map(|e| with_ext(&base, e))
        .chain(EXTS.iter().map(|e| base.join(format!("index.{e}"))))
        .find(|p| p.is_file())
}

/// The object literal a module exports under `binding`.
fn exported_object<'t>(root: Node<'t>, src: &str, binding: &Binding) -> Option<Node<'t>> {
    let mut esm_default = None;
    let mut cjs = None;
    let mut named = None;
    let want = match binding {
        Binding::Named(n) => Some(n.as_str()),
        _ => None,
    };
    for stmt in syntax::named_children(root) {
        match stmt.kind() {
            "export_statement" => {
                if let Some(v) = stmt.child_by_field_name("value") {
                    esm_default = Some(syntax::unwrap_expr(v));
                } else if let Some(decl) = stmt.child_by_field_name("declaration") {
                    for d in syntax::named_children(decl) {
                        if d.kind() == "variable_declarator"
                            && d.child_by_field_name("name")
                                .is_some_and(|n| Some(&src[n.byte_range()]) == want)
                        {
                            named = d.child_by_field_name("value").map(syntax::unwrap_expr);
                        }
                    }
                } else if let (Some(want), Some(clause)) = (
                    want,
                    syntax::named_children(stmt)
                        .into_iter()
                        .find(|c| c.kind() == "export_clause"),
                ) {
                    // `export { local as want }`
                    for s in syntax::named_children(clause) {
                        let local = s.child_by_field_name("name");
                        let exported = s.child_by_field_name("alias").or(local);
                        if exported.is_some_and(|e| &src[e.byte_range()] == want) {
                            named = local;
                        }
                    }
                }
            }
            "expression_statement" => {
                let Some(a) = stmt
                    .named_child(0)
                    .filter(|a| a.kind() == "assignment_expression")
                else {
                    continue;
                };
                let (Some(left), Some(right)) = (
                    a.child_by_field_name("left"),
                    a.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let left = &src[left.byte_range()];
                let right = syntax::unwrap_expr(right);
                if left == "module.exports" {
                    cjs = Some(right);
                } else if let Some(w) = want {
                    if left == format!("module.exports.{w}") || left == format!("exports.{w}") {
                        named = Some(right);
                    }
                }
            }
            _ => {}
        }
    }
    let value = match binding {
        Binding::Default | Binding::Namespace => esm_default.or(cjs)?,
        Binding::Named(n) => match named {
            Some(v) => v,
            None => property_object(as_object(root, src, cjs?)?, src, n)?,
        },
    };
    as_object(root, src, value)
}

/// `value` itself when it is an object literal, or the literal a top-level
/// `const`/`let`/`var` of that name holds.
fn as_object<'t>(root: Node<'t>, src: &str, value: Node<'t>) -> Option<Node<'t>> {
    match value.kind() {
        "object" => Some(value),
        "identifier" => {
            let name = &src[value.byte_range()];
            syntax::named_children(root)
                .into_iter()
                .flat_map(|stmt| {
                    let decl = if stmt.kind() == "export_statement" {
                        stmt.child_by_field_name("declaration")
                    } else {
                        Some(stmt)
                    };
                    decl.filter(|d| {
                        matches!(d.kind(), "lexical_declaration" | "variable_declaration")
                    })
                    .map(syntax::named_children)
                    .unwrap_or_default()
                })
                .filter(|d| d.kind() == "variable_declarator")
                .find(|d| {
                    d.child_by_field_name("name")
                        .is_some_and(|n| &src[n.byte_range()] == name)
                })
                .and_then(|d| d.child_by_field_name("value"))
                .map(syntax::unwrap_expr)
                .filter(|v| v.kind() == "object")
        }
        _ => None,
    }
}

/// The object literal held by property `key` of `obj`.
fn property_object<'t>(obj: Node<'t>, src: &str, key: &str) -> Option<Node<'t>> {
    syntax::named_children(obj)
        .into_iter()
        .filter(|p| p.kind() == "pair" && syntax::prop_key(*p, src) == Some(key))
        .filter_map(|p| p.child_by_field_name("value"))
        .map(syntax::unwrap_expr)
        .next_back()
        .filter(|v| v.kind() == "object")
}
