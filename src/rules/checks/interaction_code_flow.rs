//! OIE003: an embedded `new OktaSignIn(config)` with a `clientId` that does
//! not opt in to Identity Engine with `useInteractionCodeFlow: true`.
//!
//! Only embedded widgets with an OIDC config (a `clientId`, top level or in
//! `authParams`) are affected: hosted pages get a `stateToken` and pick the
//! Identity Engine router themselves, and from widget 7.0 OIE is the
//! default. The rule reads the literal config, or the literal a variable of
//! the same file holds (plus `config.key = …` assignments to it). Whatever
//! it cannot see (a spread, a computed value, a config from another file)
//! keeps it silent rather than guessing.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::{Applicability, Edit, Finding, Fix, NoFix, Severity};
use crate::syntax;
use crate::versions::{interaction_code_opt_in, OptInNeed, WidgetVersion};
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("interaction-code-flow", |rule| {
    Box::new(InteractionCodeFlow { rule })
})];

pub struct InteractionCodeFlow {
    pub rule: usize,
}

const KEY: &str = "useInteractionCodeFlow";

/// What the config says about the two keys that matter.
#[derive(Default)]
struct ConfigFacts<'t> {
    client_id: bool,
    /// `Some(true)`/`Some(false)` for a literal, `None` when absent.
    opt_in: Option<bool>,
    /// A node that makes the config unknowable (spread, computed value).
    opaque: bool,
    /// The `useInteractionCodeFlow: false` pair, to point at.
    false_node: Option<Node<'t>>,
    /// The `false` literal itself (what the fix flips).
    false_value: Option<Node<'t>>,
    /// The config object literal (where the fix inserts the key).
    object: Option<Node<'t>>,
    /// `useClassicEngine` only exists from widget 7.0: the config is for 7+.
    seven_plus: bool,
    /// A config written as JSON in a string literal
    /// (`JSON.parse('{"clientId": …}')`): byte ranges in the file.
    json: Option<JsonConfig>,
    /// A JSON config in a string with escape sequences (`"{\"clientId\": …}"`):
    /// read, but not edited (the key would need the string's escapes).
    json_escaped: bool,
}

/// Where the fix edits a JSON config inside a string literal.
#[derive(Clone, Copy)]
struct JsonConfig {
    /// `"useInteractionCodeFlow": false`, the member to point at, and the
    /// `false` the fix flips.
    false_member: Option<(usize, usize)>,
    false_value: Option<(usize, usize)>,
    /// Just after the object's `{`, and whether the object has members.
    open: usize,
    empty: bool,
}

impl<'t> ConfigFacts<'t> {
    fn read_object(&mut self, obj: Node<'t>, src: &str) {
        self.object.get_or_insert(obj);
        for prop in syntax::named_children(obj) {
            match prop.kind() {
                "spread_element" => self.opaque = true,
                "pair" | "shorthand_property_identifier" => {
                    let Some(key) = syntax::prop_key(prop, src) else {
                        self.opaque |= prop.kind() == "pair"; // computed key
                        continue;
                    };
                    let value = prop.child_by_field_name("value").map(syntax::unwrap_expr);
                    match key {
                        "clientId" => self.client_id = true,
                        "authParams" => match value {
                            Some(v) if v.kind() == "object" => {
                                self.client_id |= syntax::named_children(v)
                                    .into_iter()
                                    .any(|p| syntax::prop_key(p, src) == Some("clientId"));
                            }
                            _ => {}
                        },
                        KEY => self.set_opt_in(value, prop),
                        "useClassicEngine" => self.seven_plus = true,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    fn set_opt_in(&mut self, value: Option<Node<'t>>, at: Node<'t>) {
        match value.map(|v| v.kind()) {
            Some("true") => self.opt_in = Some(true),
            Some("false") => {
                self.opt_in = Some(false);
                self.false_node = Some(at);
                self.false_value = value;
            }
            // A variable, env lookup or shorthand: cannot know, stay silent.
            _ => self.opaque = true,
        }
    }
}

impl Check for InteractionCodeFlow {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        if ctx.hosted {
            return;
        }
        // The rule's patterns capture the constructor name (`OktaSignIn` or
        // `window.OktaSignIn`'s property) inside a `new_expression`.
        let ctor = m.get("ctor");
        let new = ctor.and_then(|c| {
            std::iter::successors(ctx.up.of(c), |n| ctx.up.of(*n))
                .take(2)
                .find(|n| n.kind() == "new_expression")
        });
        let (Some(new), Some(ctor)) = (new, ctor) else {
            return;
        };
        let Some(arg) = new
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        else {
            return;
        };
        let src = ctx.masked;
        let mut facts = ConfigFacts::default();
        // The module a config was imported from (one hop), as shown.
        let mut from = None;
        let arg = syntax::unwrap_expr(arg);
        match arg.kind() {
            "object" => facts.read_object(arg, src),
            "call_expression" => match json_parse_literal(ctx, arg) {
                Some(f) => facts = f,
                None => return,
            },
            "identifier" if resolve_variable(ctx, &src[arg.byte_range()], arg, &mut facts) => {}
            "identifier" | "member_expression" => match imported_facts(ctx, arg) {
                Some((f, shown)) => {
                    facts = f;
                    from = Some(shown);
                }
                None => return,
            },
            _ => return,
        }
        if !facts.client_id
            || facts.seven_plus
            || facts.opt_in == Some(true)
            || (facts.opaque && facts.opt_in.is_none())
        {
            return;
        }
        let (widget, page) = ctx.widget_version_from();
        let severity = match interaction_code_opt_in(&widget, &ctx.settings.thresholds) {
            OptInNeed::Required => Severity::Error,
            OptInNeed::Unknown => Severity::Warning,
            OptInNeed::NotNeeded => return,
        };
        let version = match (&widget, &page) {
            (WidgetVersion::Exact(v), Some((page, 0))) => {
                format!("widget {v} (loaded by {page}, which loads this script)")
            }
            (WidgetVersion::Exact(v), Some((page, others))) => format!(
                "widget {v} (loaded by {page}, the lowest of the {} pages that load this script)",
                others + 1
            ),
            (WidgetVersion::Exact(v), None) => format!("widget {v}"),
            (WidgetVersion::Range { spec, .. }, _) => format!("widget `{spec}`"),
            (WidgetVersion::Unknown, _) => String::new(),
        };
        let json_false = facts.json.and_then(|j| j.false_member);
        let (start, end, what) = match (facts.false_node, facts.opt_in) {
            (None, Some(false)) if json_false.is_some() => {
                let (s, e) = json_false.unwrap_or_default();
                (s, e, "sets `useInteractionCodeFlow: false`".to_string())
            }
            (Some(n), _) => (
                n.start_byte(),
                n.end_byte(),
                "sets `useInteractionCodeFlow: false`".to_string(),
            ),
            (None, Some(false)) => (
                new.start_byte(),
                ctor.end_byte(),
                "sets `useInteractionCodeFlow: false`".to_string(),
            ),
            (None, _) => (
                new.start_byte(),
                ctor.end_byte(),
                "has a `clientId` but no `useInteractionCodeFlow: true`".to_string(),
            ),
        };
        let what = match &from {
            Some(module) => format!("{what} (its config is imported from {module})"),
            None => what,
        };
        let tail = match (&widget, severity) {
            (_, Severity::Error) => format!("with {version} it signs in through the Classic Engine"),
            (WidgetVersion::Unknown, _) => {
                "unless the widget is 7.0 or later it signs in through the Classic Engine (widget version unknown)".to_string()
            }
            _ => format!("{version} admits versions from 5.2.0 to 6.x, where it signs in through the Classic Engine"),
        };
        let mut finding = Finding::new(self.rule, start, end)
            .severity(severity)
            .message(format!("`new OktaSignIn(...)` {what}; {tail}"));
        match opt_in_fix(&ctx.source.text, ctx.masked, &facts) {
            Some(fix) => finding = finding.fix(fix),
            None => {
                let why = opt_in_no_fix(&facts, from.as_deref());
                if let Some(m) = &mut finding.message {
                    m.push_str(&format!(" (no automatic fix: {})", why.reason));
                }
                finding.no_fix = Some(why);
            }
        }
        out.push(finding);
    }
}

/// The facts of a config imported from a local module (one hop, see
/// [`super::config_import`]), with the module as shown. The facts carry no
/// nodes: a config in another file gets no fix.
fn imported_facts<'t>(ctx: &FileCtx, arg: Node) -> Option<(ConfigFacts<'t>, String)> {
    let imported = super::config_import::resolve(ctx, arg)?;
    let mut read = ConfigFacts::default();
    read.read_object(imported.object()?, &imported.text);
    let facts = ConfigFacts {
        client_id: read.client_id,
        opt_in: read.opt_in,
        opaque: read.opaque,
        seven_plus: read.seven_plus,
        ..ConfigFacts::default()
    };
    Some((facts, imported.shown))
}

/// The facts of `JSON.parse('{…}')`: a widget config written as JSON in a
/// string literal of the file, or in the string a variable of the same
/// scope is declared with (issue 26). Read only when the string holds
/// plain JSON with no escape sequence and no template tag, in single quotes
/// or a template literal without substitutions, so every byte of the JSON
/// is the file's byte and positions inside it are exact. Anything else
/// (a double-quoted string, whose JSON needs `\"`; a server-rendered
/// `JSON.parse('<%- config %>')`) is not read: silent rather than a guess.
fn json_parse_literal<'t>(ctx: &FileCtx<'t>, call: Node<'t>) -> Option<ConfigFacts<'t>> {
    let src = ctx.masked;
    let f = call.child_by_field_name("function")?;
    if src.get(f.byte_range())? != "JSON.parse" {
        return None;
    }
    let mut lit = call
        .child_by_field_name("arguments")?
        .named_child(0)
        .map(syntax::unwrap_expr)?;
    if lit.kind() == "identifier" {
        // `var json = '{…}'; … JSON.parse(json)`: the string a variable of
        // the same scope is declared with (and never reassigned).
        lit = declaration_in_scope(ctx, &src[lit.byte_range()], lit)?
            .child_by_field_name("value")
            .map(syntax::unwrap_expr)?;
    }
    if !matches!(lit.kind(), "string" | "template_string") {
        return None;
    }
    let mut c = lit.walk();
    let parts: Vec<Node> = lit.named_children(&mut c).collect();
    if parts
        .iter()
        .any(|n| !matches!(n.kind(), "string_fragment" | "escape_sequence"))
    {
        return None; // a substitution
    }
    let (start, end) = (lit.start_byte() + 1, lit.end_byte().saturating_sub(1));
    if parts.iter().any(|n| n.kind() == "escape_sequence") {
        // Read through the escapes; reported at the constructor, no fix.
        let mut text = String::new();
        for n in parts {
            let t = src.get(n.byte_range())?;
            if n.kind() == "string_fragment" {
                text.push_str(t);
            } else {
                match t.as_bytes().get(1)? {
                    b'"' | b'\'' | b'\\' | b'/' | b'`' => text.push_str(&t[1..]),
                    b'n' | b't' | b'r' => text.push(' '),
                    _ => return None,
                }
            }
        }
        let object = serde_json::from_str::<serde_json::Value>(&text).ok()?;
        let mut facts = json_facts(object.as_object()?);
        facts.json_escaped = true;
        return Some(facts);
    }
    let text = src.get(start..end)?;
    // Reject what is not JSON (template tags are masked to other bytes).
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    let mut facts = json_facts(object);
    let open = start + text.find('{')? + 1;
    let mut json = JsonConfig {
        false_member: None,
        false_value: None,
        open,
        empty: object.is_empty(),
    };
    if facts.opt_in == Some(false) {
        {
            let (member, value) = top_level_member(text, KEY)?;
            json.false_member = Some((start + member.0, start + member.1));
            json.false_value = Some((start + value.0, start + value.1));
        }
    }
    facts.json = Some(json);
    Some(facts)
}

/// What a JSON widget config says about the keys that matter.
fn json_facts<'t>(object: &serde_json::Map<String, serde_json::Value>) -> ConfigFacts<'t> {
    let mut facts = ConfigFacts {
        client_id: object.contains_key("clientId")
            || object
                .get("authParams")
                .and_then(|a| a.as_object())
                .is_some_and(|a| a.contains_key("clientId")),
        seven_plus: object.contains_key("useClassicEngine"),
        ..ConfigFacts::default()
    };
    match object.get(KEY) {
        None => {}
        Some(serde_json::Value::Bool(b)) => facts.opt_in = Some(*b),
        Some(_) => facts.opaque = true,
    }
    facts
}

/// The byte ranges of the member `"key": value` and of its value in the
/// top-level object of the JSON text `text` (known to be valid JSON).
/// One linear scan that tracks strings and nesting depth.
fn top_level_member(text: &str, key: &str) -> Option<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    let quoted = format!("\"{key}\"");
    let (mut i, mut depth, mut in_string) = (0, 0usize, false);
    while i < b.len() {
        match (in_string, b[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => {
                if depth == 1 && text[i..].starts_with(&quoted) {
                    let mut j = i + quoted.len();
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b':') {
                        j += 1;
                        while j < b.len() && b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        let v = j;
                        while j < b.len() && b[j].is_ascii_alphabetic() {
                            j += 1;
                        }
                        return Some(((i, j), (v, j)));
                    }
                }
                in_string = true;
            }
            (false, b'{' | b'[') => depth += 1,
            (false, b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Why [`opt_in_fix`] has no fix for a config (`no_fix_reason`, counted by
/// the audit like OIE001's and OIE002's).
fn opt_in_no_fix(facts: &ConfigFacts, imported_from: Option<&str>) -> NoFix {
    if facts.json_escaped {
        return NoFix::new(
            "config-in-escaped-string",
            "the config is JSON in a string with escape sequences: set `\"useInteractionCodeFlow\": true` in it by hand",
        );
    }
    match (imported_from, facts.object) {
        (Some(module), _) => NoFix::new(
            "config-in-other-module",
            format!("the config is imported from {module}: set `useInteractionCodeFlow: true` there"),
        ),
        (None, None) => NoFix::new(
            "config-not-literal",
            "the config is not an object literal of this file the key can go into (passed in, built at run time or spread)",
        ),
        (None, Some(o)) if !end_is_readable(o) => NoFix::new(
            "config-syntax-error",
            "the config object has a syntax error the key cannot be added past",
        ),
        (None, Some(_)) => NoFix::new(
            "config-not-literal",
            "the key cannot be added after the config's last value without changing its meaning (an HTML-like `<!--` comment follows it)",
        ),
    }
}

/// Flips `useInteractionCodeFlow: false` to `true`, or inserts the key into
/// the config literal in the object's own style.
fn opt_in_fix(text: &str, masked: &str, facts: &ConfigFacts) -> Option<Fix> {
    let safe = |description: &str, edits| Fix {
        applicability: Applicability::Safe,
        description: description.to_string(),
        edits,
    };
    if let Some(j) = facts.json {
        // Inside the string: JSON's own syntax, which a single-quoted or
        // template string holds without escapes (`json_parse_literal`
        // reads no other).
        if let Some((start, end)) = j.false_value {
            let edit = Edit {
                start,
                end,
                replacement: "true".into(),
            };
            return Some(safe("Set `useInteractionCodeFlow: true`", vec![edit]));
        }
        let key = format!("\"{KEY}\": true{}", if j.empty { "" } else { ", " });
        let edit = Edit {
            start: j.open,
            end: j.open,
            replacement: key,
        };
        return Some(safe(
            "Add `useInteractionCodeFlow: true` to the widget config (in its JSON text)",
            vec![edit],
        ));
    }
    if let Some(v) = facts.false_value {
        let edit = Edit {
            start: v.start_byte(),
            end: v.end_byte(),
            replacement: "true".into(),
        };
        return Some(safe("Set `useInteractionCodeFlow: true`", vec![edit]));
    }
    // A config whose end the parser could not read gets no insertion: it
    // would not see the key once added, so every fix run would add it again
    // (found by the fuzzing campaign). Errors inside a value (a template
    // expression such as Thymeleaf's `[[${url}]]`) do not matter.
    let obj = facts.object.filter(|o| end_is_readable(*o))?;
    let edits = insert_key(text, masked, obj, &format!("{KEY}: true"));
    (!edits.is_empty()).then(|| {
        safe(
            "Add `useInteractionCodeFlow: true` to the widget config",
            edits,
        )
    })
}

/// Whether the parser read the object literal `obj` as one: a real closing
/// brace and no error among its members (errors inside a member's value
/// are fine), so a key [`insert_key`] adds is read back as a key.
pub(crate) fn end_is_readable(obj: Node) -> bool {
    let mut c = obj.walk();
    let children: Vec<Node> = obj.children(&mut c).collect();
    let closed = children
        .last()
        .is_some_and(|b| b.kind() == "}" && !b.is_missing());
    let members: Vec<Node> = children
        .iter()
        .copied()
        .filter(|n| n.is_named() && n.kind() != "comment")
        .collect();
    closed
        && members.iter().all(|m| !m.is_error())
        && members.last().is_none_or(|m| ends_cleanly(*m))
}

/// Whether `n` ends in an HTML-like comment the parser read as code:
/// `'abc' <!-- legacy` is `'abc' < !--legacy` to it. Looks down the
/// rightmost path only (bounded), so a deeply nested last member costs no
/// more than a flat one.
fn ends_in_html_comment(mut n: Node, masked: &str) -> bool {
    for _ in 0..crate::syntax::MAX_CLIMB {
        if n.kind() == "binary_expression" {
            if let Some(op) = n.child_by_field_name("operator") {
                if &masked[op.byte_range()] == "<" && masked[op.end_byte()..].starts_with("!--") {
                    return true;
                }
            }
        }
        match n.child_count().checked_sub(1).and_then(|i| n.child(i)) {
            Some(c) => n = c,
            None => return false,
        }
    }
    false
}

/// Whether the last token of `n` is one the parser read as written (not
/// an error it recovered from, not a token it supplied).
fn ends_cleanly(mut n: Node) -> bool {
    for _ in 0..crate::syntax::MAX_CLIMB {
        if n.is_error() || n.is_missing() {
            return false;
        }
        match n.child_count().checked_sub(1) {
            Some(i) => match n.child(i) {
                Some(c) => n = c,
                None => return true,
            },
            None => return true,
        }
    }
    true
}

/// Edits that add `key_value` (`name: value`) as the last property of the
/// object literal `obj`, matching its quotes, layout and trailing comma.
/// `masked` is the text the tree was parsed from: the insertion point comes
/// from it, so a comment the parser does not see as code (an HTML-like
/// `<!--` comment, a template comment) is never written into.
pub fn insert_key(text: &str, masked: &str, obj: Node, key_value: &str) -> Vec<Edit> {
    insert_keys(text, masked, obj, &[key_value])
}

/// [`insert_key`] for several `name: value` entries, in order.
pub fn insert_keys(text: &str, masked: &str, obj: Node, key_values: &[&str]) -> Vec<Edit> {
    let props: Vec<Node> = syntax::named_children(obj)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let (open, close) = (obj.start_byte() + 1, obj.end_byte().saturating_sub(1));
    let Some(last) = props.last().copied() else {
        let inner = &text[open..close];
        let replacement = if inner.trim().is_empty() {
            format!(" {} ", key_values.join(", "))
        } else {
            return Vec::new();
        };
        return vec![Edit {
            start: open,
            end: close,
            replacement,
        }];
    };
    // An HTML-like comment (`<!--`, legal in classic scripts) that the
    // parser read as part of the last member (`'abc' <!-- legacy` as
    // `'abc' < !--legacy`): its end is not where the member ends, and a
    // comma placed there lands in the comment (issue 25). No insertion.
    if ends_in_html_comment(last, masked) {
        return Vec::new();
    }
    // Quote the key like the others when every key is quoted.
    let quote = props
        .iter()
        .map(|p| {
            p.child_by_field_name("key")
                .filter(|k| k.kind() == "string")
                .map(|k| &text[k.start_byte()..k.start_byte() + 1])
        })
        .collect::<Option<Vec<_>>>()
        .and_then(|q| q.first().copied());
    let entries: Vec<String> = key_values
        .iter()
        .map(|kv| match (quote, kv.split_once(':')) {
            (Some(q), Some((k, v))) => format!("{q}{k}{q}:{v}"),
            _ => kv.to_string(),
        })
        .collect();
    let entry = entries.join(", ");
    let mut c = obj.walk();
    let trailing = obj
        .children(&mut c)
        .skip_while(|n| n.id() != last.id())
        .skip(1)
        .find(|n| n.kind() != "comment")
        .filter(|n| n.kind() == ",");
    let multiline = text[open..props[0].start_byte()].contains('\n');
    if !multiline {
        return vec![match trailing {
            Some(comma) => Edit {
                start: comma.end_byte(),
                end: comma.end_byte(),
                replacement: format!(" {entry},"),
            },
            None => Edit {
                start: last.end_byte(),
                end: last.end_byte(),
                replacement: format!(", {entry}"),
            },
        }];
    }
    let line_start = text[..last.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let entry = entries.join(&format!(",\n{indent}"));
    let anchor = trailing.map_or(last.end_byte(), |c| c.end_byte());
    let line_end = text[anchor..].find('\n').map_or(text.len(), |i| anchor + i);
    let line_end = if line_end > anchor && text.as_bytes()[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    };
    let rest = masked[anchor..line_end].trim();
    // After a line comment (`clientId: id, // the app`, `<!-- old`) the new
    // line goes after the comment.
    let at = if rest.is_empty() || rest.starts_with("//") {
        line_end
    } else {
        anchor
    };
    match trailing {
        Some(_) => vec![Edit {
            start: at,
            end: at,
            replacement: format!("\n{indent}{entry},"),
        }],
        None if at == last.end_byte() => vec![Edit {
            start: at,
            end: at,
            replacement: format!(",\n{indent}{entry}"),
        }],
        None => vec![
            Edit {
                start: last.end_byte(),
                end: last.end_byte(),
                replacement: ",".into(),
            },
            Edit {
                start: at,
                end: at,
                replacement: format!("\n{indent}{entry}"),
            },
        ],
    }
}

/// Reads the object the variable `name` holds where it is used (`at`, the
/// argument of `new OktaSignIn`), plus `name.key = value` assignments in the
/// same scope. Only the declaration in scope counts: a same-named variable
/// of another function, an inner `let`, a shadowing parameter is another
/// variable (issue 25: the key went into that one, and the next run said
/// all was well). A parameter in scope, a reassignment or two declarations
/// in one scope make it unknown. Returns false when no literal object was
/// found.
fn resolve_variable<'a>(
    ctx: &FileCtx<'a>,
    name: &str,
    at: Node<'a>,
    facts: &mut ConfigFacts<'a>,
) -> bool {
    let src = ctx.masked;
    let Some(decl) = declaration_in_scope(ctx, name, at) else {
        return false;
    };
    let Some(value) = decl.child_by_field_name("value").map(syntax::unwrap_expr) else {
        return false;
    };
    if value.kind() != "object" {
        return false;
    }
    let mut f = ConfigFacts::default();
    f.read_object(value, src);
    merge(facts, f);
    // `name.key = value` in its scope, in document order (the file's
    // identifier index: no walk per finding).
    let scope = scope_of(ctx, decl);
    for id in ctx.identifier_uses(name) {
        if !(scope.start_byte() <= id.start_byte() && id.end_byte() <= scope.end_byte()) {
            continue;
        }
        let Some(left) = ctx.up.of(id).filter(|m| {
            m.kind() == "member_expression"
                && m.child_by_field_name("object").map(|o| o.id()) == Some(id.id())
        }) else {
            continue;
        };
        let Some(node) = ctx.up.of(left).filter(|a| {
            a.kind() == "assignment_expression"
                && a.child_by_field_name("left").map(|l| l.id()) == Some(left.id())
        }) else {
            continue;
        };
        let Some(right) = node.child_by_field_name("right") else {
            continue;
        };
        let prop = left
            .child_by_field_name("property")
            .map(|p| &src[p.byte_range()]);
        let mut f = ConfigFacts::default();
        match prop {
            Some("clientId") => f.client_id = true,
            Some(KEY) => f.set_opt_in(Some(syntax::unwrap_expr(right)), node),
            _ => continue,
        }
        merge(facts, f);
    }
    true
}

/// Functions: the scope of `var` and of parameters.
fn is_function_scope(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function"
            | "generator_function_declaration"
    )
}

/// The node whose subtree a declarator's binding is visible in: the
/// enclosing function (or the program) for `var`, the enclosing block for
/// `let`/`const`.
fn scope_of<'a>(ctx: &FileCtx<'a>, declarator: Node<'a>) -> Node<'a> {
    let declaration = ctx.up.of(declarator);
    let is_var = declaration.is_some_and(|d| d.kind() == "variable_declaration");
    let mut last = declarator;
    for a in ctx.up.ancestors(declarator) {
        last = a;
        if is_function_scope(a) {
            return a;
        }
        if !is_var
            && Some(a.id()) != declaration.map(|d| d.id())
            && matches!(
                a.kind(),
                "statement_block"
                    | "program"
                    | "for_statement"
                    | "for_in_statement"
                    | "switch_body"
                    | "class_body"
            )
        {
            return a;
        }
    }
    last
}

/// The one `name = …` declarator in scope at `at`, if the binding is
/// certain: the innermost declaration whose scope holds `at`, not shadowed
/// by a parameter, alone in its scope, and never reassigned.
fn declaration_in_scope<'a>(ctx: &FileCtx<'a>, name: &str, at: Node<'a>) -> Option<Node<'a>> {
    let holds = |scope: Node, n: Node| {
        scope.start_byte() <= n.start_byte() && n.end_byte() <= scope.end_byte()
    };
    let mut decls: Vec<(Node<'a>, Node<'a>)> = Vec::new();
    let mut params: Vec<Node<'a>> = Vec::new();
    let mut reassigned: Vec<Node<'a>> = Vec::new();
    // Every binding of the name, from the file's identifier index (no walk
    // per finding: a file of many configs was quadratic).
    let is = |field: Option<Node>, id: Node| field.is_some_and(|f| f.id() == id.id());
    for id in ctx.identifier_uses(name) {
        let Some(parent) = ctx.up.of(id) else {
            continue;
        };
        match parent.kind() {
            "variable_declarator" if is(parent.child_by_field_name("name"), id) => {
                decls.push((parent, scope_of(ctx, parent)));
            }
            "assignment_expression" if is(parent.child_by_field_name("left"), id) => {
                reassigned.push(parent);
            }
            "formal_parameters" => params.extend(ctx.up.of(parent)),
            "required_parameter" | "optional_parameter" | "assignment_pattern"
                if is(parent.child_by_field_name("pattern"), id)
                    || is(parent.child_by_field_name("left"), id) =>
            {
                if let Some(f) = ctx
                    .up
                    .of(parent)
                    .filter(|g| g.kind() == "formal_parameters")
                    .and_then(|g| ctx.up.of(g))
                {
                    params.push(f);
                }
            }
            "arrow_function" if is(parent.child_by_field_name("parameter"), id) => {
                params.push(parent);
            }
            _ => {}
        }
    }
    let visible: Vec<&(Node, Node)> = decls.iter().filter(|(_, s)| holds(*s, at)).collect();
    let innermost = visible
        .iter()
        .map(|(_, s)| s.end_byte() - s.start_byte())
        .min()?;
    let inner: Vec<&&(Node, Node)> = visible
        .iter()
        .filter(|(_, s)| s.end_byte() - s.start_byte() == innermost)
        .collect();
    let [(decl, scope)] = inner.as_slice() else {
        return None; // two declarations in one scope
    };
    // A parameter of a function inside that scope, around `at`, shadows it.
    if params
        .iter()
        .any(|f| holds(*f, at) && holds(*scope, *f) && f.id() != scope.id())
    {
        return None;
    }
    if reassigned.iter().any(|r| holds(*scope, *r)) {
        return None;
    }
    Some(*decl)
}

/// Later facts win for the opt-in value (an assignment after the literal).
fn merge<'t>(into: &mut ConfigFacts<'t>, from: ConfigFacts<'t>) {
    into.client_id |= from.client_id;
    into.opaque |= from.opaque;
    into.seven_plus |= from.seven_plus;
    if from.opt_in.is_some() {
        into.opt_in = from.opt_in;
        into.false_node = from.false_node;
        into.false_value = from.false_value;
    }
    if into.object.is_none() {
        into.object = from.object;
    }
}

#[cfg(test)]
mod tests {
    use super::top_level_member;

    #[test]
    fn json_member_positions_are_exact_and_top_level_only() {
        let text = r#"{"i18n": {"useInteractionCodeFlow": true}, "label": "useInteractionCodeFlow", "useInteractionCodeFlow" :  false}"#;
        let ((ms, me), (vs, ve)) = top_level_member(text, "useInteractionCodeFlow").unwrap();
        assert_eq!(&text[ms..me], r#""useInteractionCodeFlow" :  false"#);
        assert_eq!(&text[vs..ve], "false");
        // A string value that looks like the key, escaped quotes in strings.
        let text = r#"{"a": "x\"useInteractionCodeFlow\": false", "b": 1}"#;
        assert!(top_level_member(text, "useInteractionCodeFlow").is_none());
    }
}
