//! Keys of object literals and properties of member expressions: the
//! shared conditions and fix of query-only rules (`parent`, `value`,
//! `fix = { action = "delete-key" }` in a rule's `[[detect.query]]`).
//!
//! Widget options appear in several shapes that mean the same thing:
//! `features: { webauthn: true }`, `config.features = { webauthn: true }`,
//! `var features = { webauthn: true }`, `config.features.webauthn = true`
//! and `config['features.webauthn'] = true`. A pattern captures the key
//! node; [`KeySite`] tells which shape it is, what object it belongs to and
//! what value it is given, so a rule says `parent = ["features"]` once
//! instead of one nested pattern per shape.

use crate::diagnostic::{Edit, Fix};
use crate::syntax::{self, Parents};
use tree_sitter::Node;

/// Where a captured key sits.
#[derive(Debug, Clone, Copy)]
pub enum KeySite<'t> {
    /// `key: value` (also `'key': value`) in an object literal.
    Pair(Node<'t>),
    /// `{ key }` in an object literal.
    Shorthand(Node<'t>),
    /// `key() { … }` in an object literal.
    Method(Node<'t>),
    /// `base.key` or `base['key']`: the member (or subscript) expression.
    Member(Node<'t>),
}

impl<'t> KeySite<'t> {
    /// The site of a captured key node (an identifier, or a string
    /// fragment whose string is the key); `None` anywhere else.
    /// (`up`: the tree's parents, see [`Parents`]).
    pub fn of(node: Node<'t>, up: &Parents<'t>) -> Option<KeySite<'t>> {
        let node = match node.kind() {
            "string_fragment" => up.of(node).filter(|p| p.kind() == "string")?,
            _ => node,
        };
        if node.kind() == "shorthand_property_identifier" {
            return Some(KeySite::Shorthand(node));
        }
        let parent = up.of(node)?;
        let is_field = |f: &str| {
            parent
                .child_by_field_name(f)
                .is_some_and(|c| c.id() == node.id())
        };
        match parent.kind() {
            "pair" if is_field("key") => Some(KeySite::Pair(parent)),
            "method_definition" if is_field("name") => Some(KeySite::Method(parent)),
            "member_expression" if is_field("property") => Some(KeySite::Member(parent)),
            "subscript_expression" if is_field("index") => Some(KeySite::Member(parent)),
            _ => None,
        }
    }

    /// The node that is the whole property (what deleting it removes).
    pub fn node(self) -> Node<'t> {
        match self {
            KeySite::Pair(n) | KeySite::Shorthand(n) | KeySite::Method(n) | KeySite::Member(n) => n,
        }
    }

    /// The value the key is given: a pair's value, or the right side of
    /// `base.key = value`. `None` for shorthands, methods and reads.
    pub fn value(self, up: &Parents<'t>) -> Option<Node<'t>> {
        match self {
            KeySite::Pair(p) => p.child_by_field_name("value").map(syntax::unwrap_expr),
            KeySite::Member(m) => assignment_of(m, up)?
                .child_by_field_name("right")
                .map(syntax::unwrap_expr),
            _ => None,
        }
    }

    /// The name of the object the key belongs to: for a literal, the key it
    /// is the value of (`features: {…}`), the variable it initialises or the
    /// property it is assigned to (`config.features = {…}`); for a member,
    /// its base's last name (`config.features` in `config.features.x`).
    pub fn owner_name<'s>(self, src: &'s str, up: &Parents<'t>) -> Option<&'s str> {
        match self {
            KeySite::Member(m) => last_name(m.child_by_field_name("object")?, src),
            KeySite::Pair(n) | KeySite::Shorthand(n) | KeySite::Method(n) => {
                let object = up.of(n).filter(|o| o.kind() == "object")?;
                name_of_value(object, src, up)
            }
        }
    }

    /// The name of the object that holds the key's owner: `i18n` for
    /// `i18n: { en: { key } }` and for `config.i18n.en.key`.
    pub fn outer_owner_name<'s>(self, src: &'s str, up: &Parents<'t>) -> Option<&'s str> {
        match self {
            KeySite::Member(m) => {
                let owner = syntax::unwrap_expr(m.child_by_field_name("object")?);
                if !matches!(owner.kind(), "member_expression" | "subscript_expression") {
                    return None;
                }
                last_name(owner.child_by_field_name("object")?, src)
            }
            KeySite::Pair(_) | KeySite::Shorthand(_) | KeySite::Method(_) => {
                let mut value = self.object(up)?;
                while let Some(p) = up.of(value).filter(|p| {
                    matches!(
                        p.kind(),
                        "parenthesized_expression" | "as_expression" | "satisfies_expression"
                    )
                }) {
                    value = p;
                }
                let pair = up.of(value).filter(|p| {
                    p.kind() == "pair"
                        && p.child_by_field_name("value")
                            .is_some_and(|v| v.id() == value.id())
                })?;
                let outer = up.of(pair).filter(|o| o.kind() == "object")?;
                name_of_value(outer, src, up)
            }
        }
    }

    /// The object literal the key is a property of, if any.
    pub fn object(self, up: &Parents<'t>) -> Option<Node<'t>> {
        match self {
            KeySite::Member(_) => None,
            KeySite::Pair(n) | KeySite::Shorthand(n) | KeySite::Method(n) => {
                up.of(n).filter(|o| o.kind() == "object")
            }
        }
    }
}

/// `base.key = …` / `base['key'] = …`: the assignment, when `member` is its
/// left side.
pub fn assignment_of<'t>(member: Node<'t>, up: &Parents<'t>) -> Option<Node<'t>> {
    let parent = up.of(member)?;
    (matches!(
        parent.kind(),
        "assignment_expression" | "augmented_assignment_expression"
    ) && parent
        .child_by_field_name("left")
        .is_some_and(|l| l.id() == member.id()))
    .then_some(parent)
}

/// The name an expression ends in: `a` for `a`, `b` for `x.a.b` or `x['b']`.
pub fn last_name<'s>(node: Node, src: &'s str) -> Option<&'s str> {
    let node = syntax::unwrap_expr(node);
    match node.kind() {
        "identifier" | "property_identifier" => Some(&src[node.byte_range()]),
        "member_expression" => last_name(node.child_by_field_name("property")?, src),
        "subscript_expression" => {
            let index = node.child_by_field_name("index")?;
            (index.kind() == "string").then(|| string_content(index, src))
        }
        _ => None,
    }
}

/// A string literal's text without its quotes.
pub fn string_content<'s>(string: Node, src: &'s str) -> &'s str {
    let t = &src[string.byte_range()];
    t.get(1..t.len().saturating_sub(1)).unwrap_or("")
}

/// The name an object literal is given: the key of the pair it is the value
/// of, the variable it initialises, or the property it is assigned to.
pub fn name_of_value<'s, 't>(value: Node<'t>, src: &'s str, up: &Parents<'t>) -> Option<&'s str> {
    let mut node = value;
    // Climb over parentheses and type assertions.
    for p in up.ancestors(node) {
        if matches!(
            p.kind(),
            "parenthesized_expression" | "as_expression" | "satisfies_expression"
        ) {
            node = p;
        } else {
            break;
        }
    }
    let parent = up.of(node)?;
    let is_field = |f: &str| {
        parent
            .child_by_field_name(f)
            .is_some_and(|c| c.id() == node.id())
    };
    match parent.kind() {
        "pair" if is_field("value") => {
            let key = parent.child_by_field_name("key")?;
            match key.kind() {
                "string" => Some(string_content(key, src)),
                _ => Some(&src[key.byte_range()]),
            }
        }
        "variable_declarator" if is_field("value") => {
            let name = parent.child_by_field_name("name")?;
            (name.kind() == "identifier").then(|| &src[name.byte_range()])
        }
        "assignment_expression" if is_field("right") => {
            last_name(parent.child_by_field_name("left")?, src)
        }
        // `new OktaSignIn({ … })`: the config is named after the constructor.
        "arguments" => {
            let new = up.of(parent).filter(|n| n.kind() == "new_expression")?;
            last_name(new.child_by_field_name("constructor")?, src)
        }
        _ => None,
    }
}

/// The `parent` condition: the key's owner is named one of `names`. A key
/// written with its path (`config['features.webauthn']`: the captured
/// text has a dot) is also owned by the segment before its last dot. A
/// name `a.b` asks for the owner `b` inside an object named `a`, and
/// `a.*` for any owner inside `a`: `i18n.*` takes the `'primaryauth.submit'`
/// of `i18n: { en: { 'primaryauth.submit': … } }` and of
/// `config.i18n.fr['primaryauth.submit'] = …`.
pub fn owner_is<'t>(node: Node<'t>, src: &str, names: &[String], up: &Parents<'t>) -> bool {
    let text = &src[node.byte_range()];
    let path_owner = text
        .rsplit_once('.')
        .map(|(path, _)| path.rsplit('.').next().unwrap_or(path));
    let site = KeySite::of(node, up);
    let owner = site.and_then(|s| s.owner_name(src, up));
    names.iter().any(|n| match n.split_once('.') {
        Some((outer, inner)) => {
            (inner == "*" || owner == Some(inner))
                && site.and_then(|s| s.outer_owner_name(src, up)) == Some(outer)
        }
        None => path_owner == Some(n.as_str()) || owner == Some(n.as_str()),
    })
}

/// The [`crate::rules::QuerySpec::compared`] condition: the captured string (or
/// its fragment) is one side of `===`, `==`, `!==`, `!=` or a `case` label.
pub fn is_compared<'t>(node: Node<'t>, up: &Parents<'t>) -> bool {
    let mut node = match node.kind() {
        "string_fragment" => match up.of(node) {
            Some(p) if p.kind() == "string" => p,
            _ => return false,
        },
        _ => node,
    };
    for _ in 0..syntax::MAX_CLIMB {
        match up.of(node) {
            Some(p) if p.kind() == "parenthesized_expression" => node = p,
            _ => break,
        }
    }
    let Some(parent) = up.of(node) else {
        return false;
    };
    match parent.kind() {
        "binary_expression" => parent
            .child_by_field_name("operator")
            .is_some_and(|o| matches!(o.kind(), "===" | "==" | "!==" | "!=")),
        "switch_case" => parent
            .child_by_field_name("value")
            .is_some_and(|v| v.id() == node.id()),
        _ => false,
    }
}

/// The `value` condition: the key is given one of `values` (source text).
pub fn value_is<'t>(node: Node<'t>, src: &str, values: &[String], up: &Parents<'t>) -> bool {
    KeySite::of(node, up)
        .and_then(|s| s.value(up))
        .is_some_and(|v| values.iter().any(|x| x == &src[v.byte_range()]))
}

/// Edits that delete the property `site` stands for: the object literal's
/// property with its comma (its whole line when it has one to itself), or
/// the `base.key = value;` statement. `None` when the key is read, not set.
pub fn delete_edits<'t>(site: KeySite<'t>, text: &str, up: &Parents<'t>) -> Option<Vec<Edit>> {
    match site {
        KeySite::Member(m) => {
            let stmt = up
                .of(assignment_of(m, up)?)
                .filter(|s| s.kind() == "expression_statement")?;
            // `if (a) c.k = 1;` would lose its body: no fix there.
            up.of(stmt)
                .filter(|p| matches!(p.kind(), "program" | "statement_block"))?;
            Some(vec![delete_span(text, stmt.start_byte(), stmt.end_byte())])
        }
        _ => {
            let prop = site.node();
            let object = site.object(up)?;
            let mut c = object.walk();
            let children: Vec<Node> = object.children(&mut c).collect();
            let at = children.iter().position(|n| n.id() == prop.id())?;
            let comma = children
                .get(at + 1)
                .filter(|n| n.kind() == ",")
                .map(|n| n.end_byte());
            let end = comma.unwrap_or(prop.end_byte());
            let own_line = blank_line_start(text, prop.start_byte())
                .is_some_and(|ls| ls < prop.start_byte())
                && rest_of_line_blank(text, end);
            if own_line {
                return Some(vec![delete_span(text, prop.start_byte(), end)]);
            }
            // Inline: `a, key: v, b` loses `key: v, `; a last `, key: v` loses
            // the comma before it.
            let next = children[at + 1..]
                .iter()
                .find(|n| n.is_named() && n.kind() != "comment");
            if comma.is_some() && next.is_some() {
                return Some(vec![Edit {
                    start: prop.start_byte(),
                    end: next?.start_byte(),
                    replacement: String::new(),
                }]);
            }
            let prev_comma = children[..at].iter().rev().find(|n| n.kind() == ",");
            Some(vec![Edit {
                start: prev_comma.map_or(prop.start_byte(), |c| c.start_byte()),
                end: if prev_comma.is_some() {
                    prop.end_byte()
                } else {
                    end
                },
                replacement: String::new(),
            }])
        }
    }
}

/// White space other than a line break.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// The start of `at`'s line when only blanks stand before `at` on it. It
/// scans back over those blanks only: a finding on a long (minified) line
/// costs nothing, where looking for the line start cost the line's length
/// per finding (quadratic: 1,500 keys on one line took 24 s).
fn blank_line_start(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].trim_end_matches(is_blank);
    (before.is_empty() || before.ends_with(['\n', '\r'])).then_some(before.len())
}

/// Whether only blanks (or a line comment) follow `at` on its line; scans
/// the blanks only, as [`blank_line_start`].
fn rest_of_line_blank(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start_matches(is_blank);
    rest.is_empty() || rest.starts_with(['\n', '\r']) || rest.starts_with("//")
}

/// Deletes `start..end`; when that is all its line holds (but blanks and a
/// trailing line comment), the whole line with its line break.
fn delete_span(text: &str, start: usize, end: usize) -> Edit {
    if let Some(ls) = blank_line_start(text, start).filter(|_| rest_of_line_blank(text, end)) {
        let le = text[end..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| end + i);
        let le = if text[le..].starts_with("\r\n") {
            le + 2
        } else if le < text.len() {
            le + 1
        } else {
            le
        };
        return Edit {
            start: ls,
            end: le,
            replacement: String::new(),
        };
    }
    Edit {
        start,
        end,
        replacement: String::new(),
    }
}

/// The generic fix of a query-only rule's finding at `node`.
pub fn generic_fix<'t>(
    spec: &crate::rules::GenericFix,
    node: Node<'t>,
    text: &str,
    up: &Parents<'t>,
) -> Option<Fix> {
    match spec.action {
        crate::rules::FixAction::DeleteKey => Some(Fix {
            applicability: spec.applicability,
            description: spec.description.clone(),
            edits: delete_edits(KeySite::of(node, up)?, text, up)?,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    fn with_key<R>(code: &str, key: &str, f: impl FnOnce(Node, &str) -> R) -> R {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&Dialect::JavaScript.language()).unwrap();
        let tree = p.parse(code, None).unwrap();
        let node = syntax::find(tree.root_node(), |n| {
            matches!(
                n.kind(),
                "property_identifier" | "shorthand_property_identifier" | "string_fragment"
            ) && &code[n.byte_range()] == key
        })
        .unwrap_or_else(|| panic!("no {key} in {code}"));
        f(node, code)
    }

    fn apply(code: &str, edits: &[Edit]) -> String {
        let mut out = code.to_string();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.start));
        for e in edits {
            out.replace_range(e.start..e.end, &e.replacement);
        }
        out
    }

    #[test]
    fn owners_of_every_shape() {
        let names = ["features".to_string()];
        for code in [
            "new OktaSignIn({ features: { webauthn: true } });",
            "config.features = { webauthn: true };",
            "var features = { webauthn: true };",
            "config.features.webauthn = true;",
            "config['features'].webauthn = true;",
            "config['features.webauthn'] = true;",
            "x({ 'features': { 'webauthn': true } });",
            "new Widget({ features: { webauthn: true } });",
        ] {
            let key = if code.contains("'features.webauthn'") {
                "features.webauthn"
            } else {
                "webauthn"
            };
            assert!(
                with_key(code, key, |n, s| owner_is(
                    n,
                    s,
                    &names,
                    &Parents::default()
                )),
                "{code}"
            );
            assert!(
                with_key(code, key, |n, s| value_is(
                    n,
                    s,
                    &["true".into()],
                    &Parents::default()
                )),
                "{code}"
            );
        }
        for code in [
            "x({ other: { webauthn: true } });",
            "x({ webauthn: true });",
            "x.webauthn.features = 1;",
        ] {
            assert!(
                !with_key(code, "webauthn", |n, s| owner_is(
                    n,
                    s,
                    &names,
                    &Parents::default()
                )),
                "{code}"
            );
        }
        // A read has no value.
        assert!(!with_key(
            "if (c.features.webauthn) {}",
            "webauthn",
            |n, s| { value_is(n, s, &["true".into()], &Parents::default()) }
        ));
    }

    #[test]
    fn outer_owners_and_keys_with_dots() {
        let names = ["i18n.*".to_string()];
        for (code, want) in [
            (
                "new OktaSignIn({ i18n: { en: { 'primaryauth.submit': 'Go' } } });",
                true,
            ),
            (
                "config.i18n = { fr: { 'primaryauth.submit': 'Go' } };",
                true,
            ),
            ("config.i18n.fr['primaryauth.submit'] = 'Go';", true),
            ("var i18n = { de: { 'primaryauth.submit': 'Go' } };", true),
            (
                "var strings = { en: { 'primaryauth.submit': 'Go' } };",
                false,
            ),
            ("x({ 'primaryauth.submit': 'Go' });", false),
            ("labels.en['primaryauth.submit'] = 'Go';", false),
        ] {
            assert_eq!(
                with_key(code, "primaryauth.submit", |n, s| owner_is(
                    n,
                    s,
                    &names,
                    &Parents::default()
                )),
                want,
                "{code}"
            );
        }
        let exact = ["i18n.en".to_string()];
        assert!(with_key(
            "x({ i18n: { en: { needhelp: 'Help?' } } });",
            "needhelp",
            |n, s| owner_is(n, s, &exact, &Parents::default())
        ));
        assert!(!with_key(
            "x({ i18n: { fr: { needhelp: 'Aide' } } });",
            "needhelp",
            |n, s| owner_is(n, s, &exact, &Parents::default())
        ));
        // A key with a dot still belongs to its plain owner.
        let labels = ["labels".to_string()];
        assert!(with_key(
            "x({ labels: { 'primaryauth.submit': 'Go' } });",
            "primaryauth.submit",
            |n, s| owner_is(n, s, &labels, &Parents::default())
        ));
    }

    #[test]
    fn compared_strings() {
        for (code, want) in [
            ("if (res.status === 'IDP_DISCOVERY') {}", true),
            ("if ('IDP_DISCOVERY' != (res.status)) {}", true),
            ("switch (s) { case 'IDP_DISCOVERY': break; }", true),
            ("var s = 'IDP_DISCOVERY';", false),
            ("log('IDP_DISCOVERY' + x);", false),
            ("x({ status: 'IDP_DISCOVERY' });", false),
        ] {
            assert_eq!(
                with_key(code, "IDP_DISCOVERY", |n, _| is_compared(
                    n,
                    &Parents::default()
                )),
                want,
                "{code}"
            );
        }
    }

    #[test]
    fn a_constructor_argument_is_named_after_the_constructor() {
        let names = ["OktaSignIn".to_string()];
        for (code, want) in [
            ("new OktaSignIn({ recoveryToken: t });", true),
            ("new window.OktaSignIn({ recoveryToken: t });", true),
            ("idx.start({ recoveryToken: t });", false),
            ("new Other({ recoveryToken: t });", false),
        ] {
            assert_eq!(
                with_key(code, "recoveryToken", |n, s| owner_is(
                    n,
                    s,
                    &names,
                    &Parents::default()
                )),
                want,
                "{code}"
            );
        }
    }

    #[test]
    fn deleting_a_key_keeps_the_code_well_formed() {
        let cases = [
            ("x({ a: 1, k: 2, b: 3 });", "x({ a: 1, b: 3 });"),
            ("x({ a: 1, k: 2 });", "x({ a: 1 });"),
            ("x({ k: 2 });", "x({  });"),
            ("x({ k: 2, b: 3 });", "x({ b: 3 });"),
            (
                "x({\n  a: 1,\n  k: 2, // old\n  b: 3\n});",
                "x({\n  a: 1,\n  b: 3\n});",
            ),
            ("x({\r\n  a: 1,\r\n  k: 2\r\n});", "x({\r\n  a: 1,\r\n});"),
            ("c.f.k = true;\nrun();\n", "run();\n"),
        ];
        for (code, want) in cases {
            let got = with_key(code, "k", |n, s| {
                apply(
                    s,
                    &delete_edits(
                        KeySite::of(n, &Parents::default()).unwrap(),
                        s,
                        &Parents::default(),
                    )
                    .unwrap(),
                )
            });
            assert_eq!(got, want, "{code}");
        }
        // A read is not deleted, nor a statement that is another's body.
        assert!(with_key("if (a) c.f.k = true;", "k", |n, s| delete_edits(
            KeySite::of(n, &Parents::default()).unwrap(),
            s,
            &Parents::default()
        ))
        .is_none());
        assert!(with_key("use(c.f.k);", "k", |n, s| delete_edits(
            KeySite::of(n, &Parents::default()).unwrap(),
            s,
            &Parents::default()
        ))
        .is_none());
    }
}
