//! Is this file an Okta-hosted sign-in page template?
//!
//! "Hosted" (okta-oie.md, "Product decisions") means the template has the
//! `{{{OktaUtil}}}` or `{{{SignInWidgetResources}}}` placeholder, or its
//! code calls `OktaUtil.getSignInWidgetConfig()`. The answer decides which
//! migration a `renderEl` gets (`OktaUtil.completeLogin` only exists on a
//! hosted page) and silences OIE003/OIE004, so it is read from what the
//! page really does, never from a comment or a string that mentions the
//! name: placeholders count only in templates (where the server renders
//! them), the call only as a call node of a parsed script.

use super::super::{FileCtx, Unit};
use super::{
    oie_truth, remove_edit, removes_placeholders, snippet, Callback, REDIRECT, SESSION_TOKEN,
};
use crate::diagnostic::{Applicability, Edit, Fix, NoFix};
use crate::source::FileKind;
use crate::syntax;
use tree_sitter::Node;

/// Whether the file is an Okta-hosted sign-in page template. `masked` is
/// the text the `units` were parsed from.
pub fn is_hosted_page(kind: FileKind, text: &str, masked: &str, units: &[Unit]) -> bool {
    if kind == FileKind::Html && has_placeholder(text) {
        return true;
    }
    units.iter().any(|u| {
        syntax::find_containing(u.tree.root_node(), masked.as_bytes(), &[CONFIG_CALL], |n| {
            is_config_call(n, masked)
        })
        .is_some()
    })
}

/// The name of the hosted page's config call; a node that is such a call
/// holds it.
const CONFIG_CALL: &str = "getSignInWidgetConfig";

/// `{{{OktaUtil}}}` / `{{{SignInWidgetResources}}}` (spaces allowed inside
/// the braces), outside template and HTML comments (`{{!-- --}}`, `{{! }}`,
/// `<%-- --%>`, `<!-- -->`): a commented-out placeholder renders nothing, so
/// the page has no `OktaUtil` (issue 25).
fn has_placeholder(text: &str) -> bool {
    let b = text.as_bytes();
    let mut hits = memchr::memmem::find_iter(b, b"{{{").peekable();
    if hits.peek().is_none() {
        return false;
    }
    static COMMENT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let comment = COMMENT.get_or_init(|| {
        regex::Regex::new(r"(?s)\{\{!--.*?--\}\}|\{\{![^}]*\}\}|<%--.*?--%>|<!--.*?-->").unwrap()
    });
    let comments: Vec<(usize, usize)> = comment
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let commented = |i: usize| {
        let k = comments.partition_point(|&(s, _)| s <= i);
        k > 0 && i < comments[k - 1].1
    };
    hits.any(|i| {
        if commented(i) {
            return false;
        }
        let rest = &text[i + 3..];
        let name = rest.trim_start();
        ["OktaUtil", "SignInWidgetResources"].iter().any(|n| {
            name.strip_prefix(n)
                .is_some_and(|after| after.trim_start().starts_with("}}}"))
        })
    })
}

/// `OktaUtil.getSignInWidgetConfig(…)` (also `window.OktaUtil…`, optional
/// chaining).
pub fn is_config_call(n: Node, src: &str) -> bool {
    if n.kind() != "call_expression" {
        return false;
    }
    let Some(callee) = n
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")
    else {
        return false;
    };
    let prop = callee.child_by_field_name("property");
    let obj = callee.child_by_field_name("object");
    prop.is_some_and(|p| &src[p.byte_range()] == CONFIG_CALL)
        && obj.is_some_and(|o| is_okta_util(o, src))
}

/// `OktaUtil` or `window.OktaUtil`.
fn is_okta_util(n: Node, src: &str) -> bool {
    match n.kind() {
        "identifier" => &src[n.byte_range()] == "OktaUtil",
        "member_expression" => {
            n.child_by_field_name("object")
                .is_some_and(|o| &src[o.byte_range()] == "window")
                && n.child_by_field_name("property")
                    .is_some_and(|p| &src[p.byte_range()] == "OktaUtil")
        }
        _ => false,
    }
}

/// The hosted migration: the success callback becomes
/// `OktaUtil.completeLogin`, as in Okta's default template. Safe only when
/// every removed statement is a status guard, a redirect with no target of
/// its own (none, or the page config's `redirectUri`/`relayState`), or
/// logging whose arguments make no calls; otherwise unsafe, naming each
/// redirect target and piece of logic it drops.
pub fn fix(ctx: &FileCtx, cb: &Callback) -> Result<Fix, NoFix> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let param = cb.param().ok().flatten().map(|p| &src[p.byte_range()]);
    let body = cb
        .body()
        .ok_or_else(|| NoFix::new("callback-no-body", "the success callback has no body"))?;
    let mut seen = Dropped {
        param,
        configs: config_vars(ctx),
        text,
        src,
        ..Dropped::default()
    };
    seen.statement(body);
    let mut edits = vec![Edit {
        start: cb.arg.start_byte(),
        end: cb.arg.end_byte(),
        replacement: "OktaUtil.completeLogin".into(),
    }];
    let mut placeholders = removes_placeholders(ctx, cb.func.byte_range());
    if let Some(named) = &cb.named {
        // A function only `renderEl` used goes with it; a method or a
        // function used elsewhere stays.
        if named.other_uses == 0 && named.decl.kind() != "method_definition" {
            edits.push(remove_edit(text, named.decl));
        } else {
            placeholders = false;
        }
    }
    let mut description = "Pass `OktaUtil.completeLogin` as the `renderEl` success callback, as Okta's default template does".to_string();
    if !seen.targets.is_empty() {
        description.push_str(&format!(
            "; drops the redirect target {} (`completeLogin` continues the Okta sign-in flow instead)",
            seen.targets.join(", ")
        ));
    }
    if !seen.custom.is_empty() {
        description.push_str(&format!(
            "; removes custom logic: {}",
            seen.custom.join("; ")
        ));
    }
    if placeholders {
        description.push_str("; removes template placeholders inside the callback");
    }
    let safe = seen.targets.is_empty() && seen.custom.is_empty() && !placeholders;
    Ok(Fix {
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        description,
        edits,
    })
}

/// Names bound to `OktaUtil.getSignInWidgetConfig()` in the file.
fn config_vars(ctx: &FileCtx) -> Vec<String> {
    let src = ctx.masked;
    let mut out = Vec::new();
    for u in ctx.units {
        syntax::walk_containing(u.tree.root_node(), src.as_bytes(), &[CONFIG_CALL], |n| {
            if n.kind() == "variable_declarator"
                && n.child_by_field_name("value")
                    .is_some_and(|v| is_config_call(syntax::unwrap_expr(v), src))
            {
                if let Some(name) = n.child_by_field_name("name") {
                    out.push(src[name.byte_range()].to_string());
                }
            }
        });
    }
    out
}

/// What the hosted fix would drop, statement by statement.
#[derive(Default)]
struct Dropped<'s> {
    param: Option<&'s str>,
    configs: Vec<String>,
    text: &'s str,
    src: &'s str,
    /// Redirect targets of the callback's own.
    targets: Vec<String>,
    /// Statements and branches with effects.
    custom: Vec<String>,
}

enum Effect {
    /// What `completeLogin` does anyway (or nothing at all).
    None,
    /// A redirect to a target of its own.
    Redirect(String),
    Custom,
}

impl Dropped<'_> {
    fn statement(&mut self, node: Node) {
        let Some(_level) = crate::syntax::deeper() else {
            return;
        };
        let src = self.src;
        match node.kind() {
            "statement_block" => {
                for s in syntax::named_children(node) {
                    self.statement(s);
                }
            }
            "comment" | "html_comment" | "empty_statement" => {}
            "return_statement" if node.named_child(0).is_none() => {}
            "else_clause" => {
                if let Some(s) = syntax::named_children(node)
                    .into_iter()
                    .find(|n| n.kind() != "comment")
                {
                    self.statement(s);
                }
            }
            "expression_statement" => {
                if let Some(e) = node.named_child(0) {
                    self.expression(e, node)
                }
            }
            "if_statement" => {
                let cond = node.child_by_field_name("condition");
                let truth = match (cond, self.param) {
                    (Some(c), Some(p)) => oie_truth(c, p, src),
                    _ => None,
                };
                let cons = node.child_by_field_name("consequence");
                let alt = node.child_by_field_name("alternative");
                match truth {
                    // The status guard itself goes; what it guards is judged.
                    Some(true) => {
                        cons.into_iter().for_each(|c| self.statement(c));
                        if let Some(a) = alt.filter(|a| has_code(*a)) {
                            self.custom.push(format!(
                                "the `else` branch ({})",
                                snippet(&self.text[a.byte_range()])
                            ));
                        }
                    }
                    Some(false) => {
                        if let Some(c) = cons.filter(|c| has_code(*c)) {
                            self.custom.push(format!(
                                "the {} branch",
                                snippet(&format!(
                                    "if {}",
                                    &self.text[cond.map_or(0..0, |c| c.byte_range())]
                                ))
                            ));
                            let _ = c;
                        }
                        alt.into_iter().for_each(|a| self.statement(a));
                    }
                    None => self.custom.push(snippet(&self.text[node.byte_range()])),
                }
            }
            // An arrow function's expression body.
            _ if node.kind().ends_with("expression") || node.kind() == "identifier" => {
                self.expression(node, node)
            }
            _ => self.custom.push(snippet(&self.text[node.byte_range()])),
        }
    }

    fn expression(&mut self, expr: Node, stmt: Node) {
        match self.effect(expr) {
            Effect::None => {}
            Effect::Redirect(t) => self.targets.push(t),
            Effect::Custom => self.custom.push(snippet(&self.text[stmt.byte_range()])),
        }
    }

    fn effect(&self, expr: Node) -> Effect {
        let src = self.src;
        let expr = syntax::unwrap_expr(expr);
        let mentions_token = |n: Node| {
            let v = &src[n.byte_range()];
            v.contains(SESSION_TOKEN) || v.contains("session.token")
        };
        if expr.kind() == "assignment_expression" {
            return match (
                expr.child_by_field_name("left"),
                expr.child_by_field_name("right"),
            ) {
                (Some(l), Some(r)) if is_location(l, src) && mentions_token(r) => {
                    Effect::Redirect(snippet(&self.text[r.byte_range()]))
                }
                _ => Effect::Custom,
            };
        }
        if expr.kind() != "call_expression" {
            return Effect::Custom;
        }
        let Some(callee) = expr.child_by_field_name("function") else {
            return Effect::Custom;
        };
        let args: Vec<Node> = expr
            .child_by_field_name("arguments")
            .map(|a| {
                syntax::named_children(a)
                    .into_iter()
                    .filter(|n| n.kind() != "comment")
                    .collect()
            })
            .unwrap_or_default();
        let method = match callee.kind() {
            "member_expression" => callee
                .child_by_field_name("property")
                .map(|p| &src[p.byte_range()]),
            "subscript_expression" => callee
                .child_by_field_name("index")
                .filter(|i| src[i.byte_range()].contains(REDIRECT))
                .map(|_| REDIRECT),
            _ => None,
        };
        let object = callee.child_by_field_name("object");
        if method == Some(REDIRECT) {
            // A call made on the way (`setCookieAndRedirect(url, extra())`,
            // `getRes().session.…`, `res[getSession()]`) would be dropped
            // with the statement (issue 25); a target with effects
            // (`track()`, a tagged template, `new Foo()`, an assignment) is a
            // redirect target of its own, named below.
            if has_effect(callee) || args.iter().skip(1).any(|a| has_effect(*a)) {
                return Effect::Custom;
            }
            return match args.first() {
                None => Effect::None,
                Some(a) if self.own_target(*a) => Effect::None,
                Some(a) => Effect::Redirect(snippet(&self.text[a.byte_range()])),
            };
        }
        if object.is_some_and(|o| is_location(o, src))
            && matches!(method, Some("assign" | "replace"))
            && args.iter().any(|a| mentions_token(*a))
        {
            return Effect::Redirect(snippet(&self.text[args[0].byte_range()]));
        }
        let console = object.is_some_and(|o| &src[o.byte_range()] == "console");
        if console && args.iter().all(|a| !has_effect(*a)) {
            return Effect::None;
        }
        Effect::Custom
    }

    /// The page config's own destination: `config.redirectUri` /
    /// `config.relayState` of `var config = OktaUtil.getSignInWidgetConfig()`.
    fn own_target(&self, arg: Node) -> bool {
        let src = self.src;
        let arg = syntax::unwrap_expr(arg);
        if arg.kind() != "member_expression" {
            return false;
        }
        let prop = arg
            .child_by_field_name("property")
            .map(|p| &src[p.byte_range()]);
        let obj = arg.child_by_field_name("object").map(syntax::unwrap_expr);
        matches!(prop, Some("redirectUri" | "relayState"))
            && obj.is_some_and(|o| {
                is_config_call(o, src)
                    || (o.kind() == "identifier"
                        && self.configs.iter().any(|c| c == &src[o.byte_range()]))
            })
    }
}

/// Whether a branch holds anything but comments and empty statements.
fn has_code(n: Node) -> bool {
    match n.kind() {
        "comment" | "html_comment" | "empty_statement" => false,
        "statement_block" | "else_clause" => syntax::named_children(n).into_iter().any(has_code),
        _ => true,
    }
}

/// Whether evaluating `n` can do anything: a call, `new`, an assignment,
/// `++`/`--`, `await`, `yield`, `delete`.
fn has_effect(n: Node) -> bool {
    syntax::find(n, |c| {
        matches!(
            c.kind(),
            "call_expression"
                | "new_expression"
                | "assignment_expression"
                | "augmented_assignment_expression"
                | "update_expression"
                | "await_expression"
                | "yield_expression"
        ) || (c.kind() == "unary_expression"
            && c.child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "delete"))
    })
    .is_some()
}

/// `window.location`, `location.href`, `document.location.href`, …
pub fn is_location(node: Node, src: &str) -> bool {
    let t: String = src[node.byte_range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.strip_prefix("window.").unwrap_or(&t);
    let t = t.strip_prefix("document.").unwrap_or(t);
    matches!(t, "location" | "location.href")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    fn hosted(kind: FileKind, text: &str) -> bool {
        let (masked, units) = crate::parse::with_parsers(|p| match kind {
            FileKind::Script(d) => {
                let t = p.parse_js(d, text, None).unwrap();
                (
                    text.to_string(),
                    vec![Unit {
                        dialect: d,
                        tree: t,
                    }],
                )
            }
            _ => {
                let doc = crate::source::html::analyze(text, p.html());
                let units = doc
                    .scripts
                    .iter()
                    .filter_map(|r| {
                        p.parse_js(r.dialect, &doc.masked, Some(r.range))
                            .map(|tree| Unit {
                                dialect: r.dialect,
                                tree,
                            })
                    })
                    .collect();
                (doc.masked, units)
            }
        });
        is_hosted_page(kind, text, &masked, &units)
    }

    #[test]
    fn placeholders_and_the_config_call_make_a_hosted_page() {
        assert!(hosted(FileKind::Html, "<div></div>{{{OktaUtil}}}"));
        assert!(hosted(
            FileKind::Html,
            "<head>{{{ SignInWidgetResources }}}</head>"
        ));
        assert!(hosted(
            FileKind::Html,
            "<script>var c = OktaUtil.getSignInWidgetConfig();</script>"
        ));
        assert!(hosted(
            FileKind::Script(Dialect::JavaScript),
            "const c = window.OktaUtil.getSignInWidgetConfig();"
        ));
    }

    /// Regression (issue 12): a self-hosted page whose comment mentioned the
    /// config call was treated as hosted, and its success callback was
    /// replaced by `OktaUtil.completeLogin`.
    #[test]
    fn comments_and_strings_do_not_make_a_page_hosted() {
        for text in [
            "<script>\n// was: var config = OktaUtil.getSignInWidgetConfig();\nvar w = new OktaSignIn({ clientId: 'x' });\n</script>",
            "<script>\n/* OktaUtil.getSignInWidgetConfig() */\n</script>",
            "<script>var s = 'OktaUtil.getSignInWidgetConfig()';</script>",
            "<script>var s = '{{{OktaUtil}}}'.length;</script>".replace("{{{", "{ {{").as_str(),
            "<script>other.getSignInWidgetConfig();</script>",
            "<!-- see OktaUtil.getSignInWidgetConfig( -->",
        ] {
            assert!(!hosted(FileKind::Html, text), "{text}");
        }
        assert!(!hosted(
            FileKind::Script(Dialect::JavaScript),
            "// {{{OktaUtil}}}\n// OktaUtil.getSignInWidgetConfig()\nnew OktaSignIn({});"
        ));
    }

    /// Regression (issue 25): a placeholder only inside a template or HTML
    /// comment renders nothing; the page has no `OktaUtil`.
    #[test]
    fn a_commented_out_placeholder_does_not_make_a_page_hosted() {
        for text in [
            "{{!-- {{{OktaUtil}}} --}}\n<script>new OktaSignIn({});</script>",
            "{{! {{{OktaUtil}}} }}\n<script>new OktaSignIn({});</script>",
            "<%-- {{{SignInWidgetResources}}} --%>\n<script>new OktaSignIn({});</script>",
            "<!-- {{{OktaUtil}}} -->\n<script>new OktaSignIn({});</script>",
            "<!--\n  {{{ OktaUtil }}}\n-->",
        ] {
            assert!(!hosted(FileKind::Html, text), "{text}");
        }
        assert!(hosted(
            FileKind::Html,
            "<!-- the widget -->\n{{{OktaUtil}}}\n{{! note }}"
        ));
    }
}
