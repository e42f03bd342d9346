//! OIE016 `classic-dom-selector`: ids, classes and attribute values that
//! only the Classic (v1) Sign-In Widget renders, used as selectors in CSS
//! (stylesheets and `<style>` blocks) and in the JavaScript calls that take
//! a selector (`querySelector`, `$(…)`, `.find(…)`, `getElementById`, …).
//!
//! Both inputs go through one selector reader: a stylesheet's tree comes
//! from the linter (`FileCtx::css`), a JavaScript string is parsed here as
//! the selector of an empty rule (`<selector> {}`) with the same CSS
//! grammar, so `#okta-signin-username-wrap` is an id of its own and never
//! `#okta-signin-username`, and a comment or a declaration value is never a
//! selector.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::syntax;
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("classic-dom-selector", |rule| {
    Box::new(ClassicSelector { rule })
})];

pub struct ClassicSelector {
    pub rule: usize,
}

/// What a Classic-only token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Id,
    Class,
    /// A `data-se` attribute value.
    DataSe,
    /// An `input`'s `name`: generic, so only in sign-in context.
    Name,
}

/// A selector token only the Classic widget renders (reference §7.4).
#[derive(Debug, serde::Deserialize)]
struct Classic {
    kind: Kind,
    name: String,
    /// What the element is, for the message.
    what: String,
    /// The Identity Engine widget's selector for the same element, if it has one.
    oie: Option<String>,
}

/// The names the check matches: the rule file's `[detect.params]`, so the
/// list lives in one place (its docs and triggers are tested against it).
#[derive(Debug, serde::Deserialize)]
struct Names {
    classic: Vec<Classic>,
    /// Containers both widget generations render: a selector scoped under
    /// one of them styles the widget, so a generic `input[name="password"]`
    /// in it is the widget's password field. Only the widget's own names:
    /// the generic `.main-container` of §7.4 is not proof of a sign-in form.
    container_ids: Vec<String>,
    container_classes: Vec<String>,
}

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let rule = crate::rules::Registry::get()
            .rules
            .iter()
            .find(|r| r.detect.check.as_deref() == Some("classic-dom-selector"))
            .expect("the rule of the classic-dom-selector check");
        serde_json::from_value(rule.detect.params.clone())
            .unwrap_or_else(|e| panic!("{}: [detect.params]: {e}", rule.code))
    })
}

fn is_container_id(name: &str) -> bool {
    names().container_ids.iter().any(|c| c == name)
}

fn is_container_class(name: &str) -> bool {
    names().container_classes.iter().any(|c| c == name)
}

fn classic(kind: Kind, name: &str) -> Option<&'static Classic> {
    names()
        .classic
        .iter()
        .find(|c| c.kind == kind && c.name == name)
}

fn message(c: &Classic, shown: &str) -> String {
    match &c.oie {
        Some(oie) => format!(
            "`{shown}` is the Classic widget's {}: the Identity Engine widget does not render it; select `{oie}` instead",
            c.what
        ),
        None => format!(
            "`{shown}` is the Classic widget's {}: the Identity Engine widget renders no such element; remove or rework this customisation",
            c.what
        ),
    }
}

/// One Classic token found in a selector, in the coordinates of the text
/// the selector was parsed from.
struct Hit {
    start: usize,
    end: usize,
    classic: &'static Classic,
    /// The selector as the browser sees it, when the text at the hit is
    /// not it (`&-link` under `.js-help` is `.js-help-link`).
    resolved: Option<String>,
}

/// Whether the whole file is sign-in UI, so that a generic
/// `input[name="password"]` in it is the widget's: an Okta-hosted template,
/// or code that builds the widget (`new OktaSignIn(…)`).
fn sign_in_file(ctx: &FileCtx) -> bool {
    ctx.hosted || constructs_widget(ctx)
}

fn constructs_widget(ctx: &FileCtx) -> bool {
    let src = ctx.masked;
    if memchr::memmem::find(src.as_bytes(), b"OktaSignIn").is_none() {
        return false;
    }
    ctx.units.iter().any(|u| {
        syntax::find(u.tree.root_node(), |n| {
            n.kind() == "new_expression"
                && n.child_by_field_name("constructor").is_some_and(|c| {
                    let name = match c.kind() {
                        "member_expression" => c.child_by_field_name("property"),
                        _ => Some(c),
                    };
                    name.is_some_and(|n| &src[n.byte_range()] == "OktaSignIn")
                })
        })
        .is_some()
    })
}

/// Where the walk of [`scan`] is: in a rule's selector list, and whether
/// an enclosing selector names a widget container.
#[derive(Clone, Copy)]
struct Place {
    selector: bool,
    scoped: bool,
    /// The enclosing rule's selector when it ends in one class or id
    /// (`.js-help { … }`): what an SCSS/LESS parent suffix (`&-link`)
    /// extends. The byte range of the name, and its kind.
    parent: Option<(Kind, usize, usize)>,
}

/// Reads every selector under `root` (a stylesheet, or the one rule a
/// JavaScript selector string was wrapped in) for Classic tokens. `src` is
/// the text the tree was parsed from; `file_scoped` says the selectors
/// apply to sign-in UI whatever they say (asked only for a generic name).
///
/// One top-down pass that carries its context down (inside a selector
/// list; scoped by an enclosing selector), never climbing to parents:
/// tree-sitter finds a node's parent from the root, so climbing would be
/// quadratic in the nesting depth of a hostile stylesheet.
fn scan(root: Node, src: &str, file_scoped: &dyn Fn() -> bool, out: &mut Vec<Hit>) {
    let top = Place {
        selector: false,
        scoped: false,
        parent: None,
    };
    let mut stack = vec![(root, top)];
    let mut cursor = root.walk();
    while let Some((n, mut place)) = stack.pop() {
        match n.kind() {
            "selectors" => place.selector = true,
            // A LESS mixin call (`.js-unlock();`) or other text the grammar
            // recovered from inside a block is not a selector.
            "block" | "declaration" | "at_rule" | "postcss_statement" | "stylesheet" => {
                place.selector = false
            }
            _ => {}
        }
        if place.selector {
            let hit = match n.kind() {
                "id_selector" => token(n, "id_name", Kind::Id, src),
                "class_selector" => token(n, "class_name", Kind::Class, src),
                "attribute_selector" => attribute(n, src, place.scoped, file_scoped),
                _ => None,
            };
            out.extend(hit);
        }
        if n.kind() == "nesting_selector" {
            out.extend(place.parent.and_then(|p| suffix_hit(n, p, src)));
        }
        let children: Vec<Node> = n.children(&mut cursor).collect();
        let own_scope = match n.kind() {
            // The rule's block is scoped by its selector list.
            "rule_set" => children
                .iter()
                .find(|c| c.kind() == "selectors")
                .is_some_and(|sel| names_container(*sel, src)),
            _ => false,
        };
        let own_name = match n.kind() {
            "rule_set" => children
                .iter()
                .find(|c| c.kind() == "selectors")
                .and_then(|sel| trailing_name(*sel, src)),
            _ => None,
        };
        for child in children.into_iter().rev() {
            let mut p = place;
            if n.kind() == "selectors" {
                // Each complex selector is scoped by its own parts.
                p.scoped = place.scoped || names_container(child, src);
            } else if child.kind() == "block" {
                p.scoped = place.scoped || own_scope;
                p.parent = own_name;
            }
            stack.push((child, p));
        }
    }
}

/// The class or id a selector list ends in, when it is one selector whose
/// last part is a plain class or id (`.js-help`, `#form .o-form`): the
/// name an SCSS/LESS parent suffix (`&-link`) extends.
fn trailing_name(selectors: Node, src: &str) -> Option<(Kind, usize, usize)> {
    let mut c = selectors.walk();
    let parts: Vec<Node> = selectors.named_children(&mut c).collect();
    let [mut last] = parts[..] else {
        return None;
    };
    while matches!(
        last.kind(),
        "descendant_selector" | "child_selector" | "sibling_selector" | "adjacent_sibling_selector"
    ) {
        let i = u32::try_from(last.named_child_count().checked_sub(1)?).ok()?;
        last = last.named_child(i)?;
    }
    let (kind, name) = match last.kind() {
        "class_selector" => (Kind::Class, "class_name"),
        "id_selector" => (Kind::Id, "id_name"),
        _ => return None,
    };
    // The name must end the selector (`.a:hover`, `.a#{$x}` are not plain).
    let n = child_of_kind(last, name)?;
    (n.end_byte() == last.end_byte() && !interpolated(src, n.end_byte()))
        .then(|| (kind, n.start_byte(), n.end_byte()))
}

/// `&-suffix` / `&__suffix` at a nesting selector, joined to the parent
/// rule's class or id: a Classic token the selector builds.
fn suffix_hit(amp: Node, (kind, start, end): (Kind, usize, usize), src: &str) -> Option<Hit> {
    let after = &src[amp.end_byte()..];
    if !after.starts_with(['-', '_']) {
        return None;
    }
    let len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(after.len());
    if interpolated(src, amp.end_byte() + len) {
        return None;
    }
    let name = format!("{}{}", &src[start..end], &after[..len]);
    let c = classic(kind, &name)?;
    let sigil = if kind == Kind::Class { '.' } else { '#' };
    Some(Hit {
        start: amp.start_byte(),
        end: amp.end_byte() + len,
        classic: c,
        resolved: Some(format!("{sigil}{name}")),
    })
}

/// The Classic id or class an `id_selector`/`class_selector` names.
fn token(n: Node, name_kind: &str, kind: Kind, src: &str) -> Option<Hit> {
    let name = child_of_kind(n, name_kind).filter(|name| !interpolated(src, name.end_byte()))?;
    let c = classic(kind, &src[name.byte_range()])?;
    Some(Hit {
        start: name.start_byte() - 1,
        end: name.end_byte(),
        classic: c,
        resolved: None,
    })
}

/// A name the grammar cut short at SCSS (`#{…}`) or LESS (`@{…}`)
/// interpolation (`.js-unlock#{$x}` is some other class), or a LESS mixin
/// call (`.js-unlock();`), which the grammar may read as the start of the
/// next rule's selector.
fn interpolated(src: &str, end: usize) -> bool {
    let rest = &src.as_bytes()[end..];
    rest.starts_with(b"#{") || rest.starts_with(b"@{") || rest.starts_with(b"(")
}

fn child_of_kind<'t>(n: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut c = n.walk();
    let found = n.children(&mut c).find(|c| c.kind() == kind);
    found
}

/// `[id="…"]`, `[class~="…"]`, `[data-se="…"]` and, in sign-in context,
/// `input[name="…"]` / `[name="…"]`.
fn attribute(n: Node, src: &str, scoped: bool, file_scoped: &dyn Fn() -> bool) -> Option<Hit> {
    let mut c = n.walk();
    let children: Vec<Node> = n.children(&mut c).collect();
    let open = children.iter().position(|c| c.kind() == "[")?;
    let name = children
        .get(open + 1)
        .filter(|c| c.kind() == "attribute_name")?;
    let op = children.get(open + 2)?.kind();
    let value = children.get(open + 3)?;
    let value = match value.kind() {
        "plain_value" => &src[value.byte_range()],
        "string_value" => {
            let mut c = value.walk();
            let parts: Vec<Node> = value.named_children(&mut c).collect();
            match parts.as_slice() {
                [one] if one.kind() == "string_content" => &src[one.byte_range()],
                _ => return None,
            }
        }
        _ => return None,
    };
    let kind = match (src[name.byte_range()].to_ascii_lowercase().as_str(), op) {
        ("id", "=") => Kind::Id,
        ("class", "~=" | "=") => Kind::Class,
        ("data-se", "=") => Kind::DataSe,
        ("name", "=") => Kind::Name,
        _ => return None,
    };
    let c = classic(kind, value)?;
    let mut start = children[open].start_byte();
    if kind == Kind::Name {
        // Only an `input` (or any element) of the widget's form. The
        // grammar hangs `[…]` on the whole selector before it
        // (`#okta-sign-in input[…]`): its element is that selector's
        // rightmost part.
        if open == 1 {
            let mut prev = children[0];
            while matches!(
                prev.kind(),
                "descendant_selector"
                    | "child_selector"
                    | "sibling_selector"
                    | "adjacent_sibling_selector"
            ) {
                prev = prev.named_child(prev.named_child_count().checked_sub(1)? as u32)?;
            }
            if !(prev.kind() == "tag_name" && src[prev.byte_range()].eq_ignore_ascii_case("input"))
            {
                return None;
            }
            start = prev.start_byte();
        }
        if !(scoped || file_scoped()) {
            return None;
        }
    }
    Some(Hit {
        start,
        end: n.end_byte(),
        classic: c,
        resolved: None,
    })
}

fn names_container(sel: Node, src: &str) -> bool {
    syntax::find(sel, |n| match n.kind() {
        "id_selector" => {
            child_of_kind(n, "id_name").is_some_and(|c| is_container_id(&src[c.byte_range()]))
        }
        "class_selector" => {
            child_of_kind(n, "class_name").is_some_and(|c| is_container_class(&src[c.byte_range()]))
        }
        _ => false,
    })
    .is_some()
}

impl ClassicSelector {
    fn push(
        &self,
        hits: Vec<Hit>,
        map: impl Fn(usize) -> usize,
        ctx: &FileCtx,
        out: &mut Vec<Finding>,
    ) {
        for h in hits {
            let (start, end) = (map(h.start), map(h.end));
            let shown = h
                .resolved
                .as_deref()
                .unwrap_or(&ctx.source.text[start..end]);
            out.push(Finding::new(self.rule, start, end).message(message(h.classic, shown)));
        }
    }
}

/// Whether the file is generated or bundled code rather than the user's
/// own (issue 26): a path with a `generated` / `__generated__` directory
/// (`samples/generated/**/public/app.js`), or a webpack bundle. Its
/// selectors are the generator's or a library's, not the user's stylesheet.
fn generated_code(ctx: &FileCtx) -> bool {
    // parent-ok: the file's directory (a `Path`, not a node).
    let generated_dir = ctx.source.path.parent().is_some_and(|dir| {
        dir.components().any(|c| {
            let c = c.as_os_str();
            c == "generated" || c == "__generated__"
        })
    });
    generated_dir || {
        let head = &ctx.source.text.as_bytes()[..ctx.source.text.len().min(4096)];
        memchr::memmem::find(head, b"webpackBootstrap").is_some()
            || memchr::memmem::find(head, b"__webpack_require__").is_some()
    }
}

impl Check for ClassicSelector {
    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        if generated_code(ctx) {
            return Ok(());
        }
        // A stylesheet or `<style>` block may serve many pages: only an
        // Okta-hosted template's styles are all the widget's.
        let scoped = || ctx.hosted;
        for unit in ctx.css {
            let mut hits = Vec::new();
            scan(unit.tree.root_node(), ctx.masked, &scoped, &mut hits);
            self.push(hits, |o| o, ctx, out);
        }
        Ok(())
    }

    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(fragment) = m.get("hit") else {
            return;
        };
        if generated_code(ctx) {
            return;
        }
        let Some(string) = ctx.up.of(fragment) else {
            return;
        };
        // A string with escapes has several fragments: each that holds a
        // trigger reads the whole string; the findings are deduplicated.
        let Some(usage) = selector_use(ctx, string) else {
            return;
        };
        let Some(lit) = Literal::read(string, ctx.masked) else {
            return;
        };
        let map = |i: usize| lit.map[i];
        match usage.kind {
            Usage::Selector => {
                if lit.text.trim_start().starts_with('<') {
                    return; // `$('<div class="js-unlock">')` builds markup
                }
                let buf = format!("{} {{}}", lit.text);
                let Some(tree) = crate::parse::with_parsers(|p| p.parse_css(&buf, None)) else {
                    return;
                };
                let scoped = || usage.scoped || sign_in_file(ctx);
                let mut hits = Vec::new();
                scan(tree.root_node(), &buf, &scoped, &mut hits);
                hits.retain(|h| h.end <= lit.text.len());
                self.push(hits, map, ctx, out);
            }
            Usage::Id | Usage::ClassList => {
                let kind = if usage.kind == Usage::Id {
                    Kind::Id
                } else {
                    Kind::Class
                };
                let mut hits = Vec::new();
                let mut at = 0;
                for word in lit.text.split(|c: char| c.is_ascii_whitespace()) {
                    if let Some(c) = classic(kind, word) {
                        hits.push(Hit {
                            start: at,
                            end: at + word.len(),
                            classic: c,
                            resolved: None,
                        });
                    }
                    at += word.len() + 1;
                    if kind == Kind::Id {
                        break; // an id is the whole string
                    }
                }
                if kind == Kind::Id && lit.text.trim() != lit.text {
                    hits.clear();
                }
                self.push(hits, map, ctx, out);
            }
        }
    }
}

/// What a string is used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Usage {
    /// A CSS selector (`querySelector`, `$`, `.find`, …).
    Selector,
    /// An element id (`getElementById`, `By.id`).
    Id,
    /// Space-separated class names (`getElementsByClassName`, `By.className`).
    ClassList,
}

struct Use {
    kind: Usage,
    /// The call's receiver is already scoped to the widget
    /// (`$('#okta-sign-in').find(…)`).
    scoped: bool,
}

/// Methods whose first argument is a selector, on any receiver: the DOM's,
/// jQuery's traversal methods, and the query methods of the browser test
/// tools (Playwright, Puppeteer, WebdriverIO, Cypress).
const SELECTOR_METHODS: &[&str] = &[
    "querySelector",
    "querySelectorAll",
    "matches",
    "webkitMatchesSelector",
    "msMatchesSelector",
    "closest",
    "find",
    "is",
    "not",
    "filter",
    "has",
    "children",
    "parent",
    "parents",
    "parentsUntil",
    "siblings",
    "next",
    "nextAll",
    "nextUntil",
    "prev",
    "prevAll",
    "prevUntil",
    "delegate",
    "undelegate",
    "$",
    "$$",
    "$eval",
    "$$eval",
    "jQuery",
    "locator",
    "waitForSelector",
];

/// Browser-test methods whose first argument is a selector when called on
/// a page or frame (`page.click('#okta-signin-submit')`): on other objects
/// these names mean other things (`cy.get(…).type('text')`).
const PAGE_METHODS: &[&str] = &[
    "click",
    "dblclick",
    "fill",
    "type",
    "hover",
    "focus",
    "check",
    "uncheck",
    "press",
    "tap",
    "selectOption",
    "isVisible",
    "isHidden",
    "isEnabled",
    "textContent",
    "innerText",
    "getAttribute",
    "inputValue",
];

/// Functions whose first argument is a selector.
const SELECTOR_FUNCTIONS: &[&str] = &["$", "jQuery", "$$", "Sizzle"];

/// How the string literal `string` is used: as an argument of a selector
/// call, or as the initial value of a `const`/`let`/`var` that is passed to
/// one (`const USER = '#okta-signin-username'; $(USER)`).
fn selector_use<'t>(ctx: &FileCtx<'t>, node: Node<'t>) -> Option<Use> {
    if let Some(u) = argument_use(ctx, node) {
        return Some(u);
    }
    let decl = ctx
        .up
        .of(node)
        .filter(|p| p.kind() == "variable_declarator")?;
    if decl.child_by_field_name("value").map(|v| v.id()) != Some(node.id()) {
        return None;
    }
    let name = decl
        .child_by_field_name("name")
        .filter(|n| n.kind() == "identifier")?;
    let name = &ctx.masked[name.byte_range()];
    ctx.identifier_uses(name)
        .into_iter()
        .find_map(|id| argument_use(ctx, id))
}

/// The use of `arg` when it is an argument of a selector call.
fn argument_use<'t>(ctx: &FileCtx<'t>, arg: Node<'t>) -> Option<Use> {
    let src = ctx.masked;
    let args = ctx.up.of(arg).filter(|p| p.kind() == "arguments")?;
    let call = ctx.up.of(args).filter(|p| p.kind() == "call_expression")?;
    let mut c = args.walk();
    let list: Vec<Node> = args
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect();
    let index = list.iter().position(|n| n.id() == arg.id())?;
    let function = call.child_by_field_name("function")?;
    let selector = |scoped| {
        Some(Use {
            kind: Usage::Selector,
            scoped,
        })
    };
    match function.kind() {
        "identifier" => {
            let f = &src[function.byte_range()];
            (index == 0 && SELECTOR_FUNCTIONS.contains(&f)).then_some(())?;
            selector(false)
        }
        "member_expression" => {
            let method = &src[function.child_by_field_name("property")?.byte_range()];
            let object = function.child_by_field_name("object")?;
            let object_text = &src[object.byte_range()];
            let scoped = || receiver_scoped(object, src);
            match (method, index) {
                ("getElementById", 0) => Some(Use {
                    kind: Usage::Id,
                    scoped: false,
                }),
                ("getElementsByClassName", 0) => Some(Use {
                    kind: Usage::ClassList,
                    scoped: scoped(),
                }),
                ("id", 0) if matches!(object_text, "By" | "by") => Some(Use {
                    kind: Usage::Id,
                    scoped: false,
                }),
                ("className", 0) if matches!(object_text, "By" | "by") => Some(Use {
                    kind: Usage::ClassList,
                    scoped: false,
                }),
                ("css" | "cssSelector", 0) if matches!(object_text, "By" | "by") => selector(false),
                ("get", 0) if object_text == "cy" => selector(false),
                // `.on('click', '.js-forgot-password', fn)`: a delegated handler.
                ("on" | "off" | "one", 1) if list[0].kind() == "string" => selector(scoped()),
                (m, 0) if SELECTOR_METHODS.contains(&m) => selector(scoped()),
                (m, 0) if PAGE_METHODS.contains(&m) && is_page(object, src) => selector(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A Playwright/Puppeteer page or frame: `page`, `this.page`, `loginPage`,
/// `frame`, `iframe`.
fn is_page(object: Node, src: &str) -> bool {
    let name = match object.kind() {
        "member_expression" => object.child_by_field_name("property"),
        "identifier" => Some(object),
        _ => None,
    };
    name.is_some_and(|n| {
        let t = src[n.byte_range()].to_ascii_lowercase();
        t.ends_with("page") || t.ends_with("frame")
    })
}

/// Whether a call's receiver is an element the widget renders:
/// `$('#okta-sign-in')`, `document.getElementById('okta-sign-in')`,
/// `$('.o-form').find(…).closest(…)`, followed down the call chain.
fn receiver_scoped(mut object: Node, src: &str) -> bool {
    for _ in 0..16 {
        if object.kind() != "call_expression" {
            return false;
        }
        let Some(args) = object.child_by_field_name("arguments") else {
            return false;
        };
        let first = args.named_child(0).filter(|a| a.kind() == "string");
        if let Some(first) = first {
            let inner = src[first.byte_range()].trim_matches(|c| c == '\'' || c == '"');
            let by_id = object
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("property"))
                .is_some_and(|p| &src[p.byte_range()] == "getElementById");
            if by_id && is_container_id(inner) || mentions_container(inner) {
                return true;
            }
        }
        match object
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_expression")
            .and_then(|f| f.child_by_field_name("object"))
        {
            Some(o) => object = o,
            None => return false,
        }
    }
    false
}

/// Whether selector text names a widget container as a whole token.
fn mentions_container(sel: &str) -> bool {
    let prefixed = names()
        .container_ids
        .iter()
        .map(|n| ('#', n.as_str()))
        .chain(names().container_classes.iter().map(|n| ('.', n.as_str())));
    for (sigil, name) in prefixed {
        let needle = format!("{sigil}{name}");
        let mut from = 0;
        while let Some(i) = sel[from..].find(&needle) {
            let end = from + i + needle.len();
            let next = sel[end..].chars().next();
            if !next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                return true;
            }
            from = end;
        }
    }
    false
}

/// A JavaScript string literal's value, with the offset in the file of
/// each of its bytes (`map[i]`; `map[len]` is the end of the content).
struct Literal {
    text: String,
    map: Vec<usize>,
}

impl Literal {
    /// The value of a `string`, or of a `template_string` without
    /// substitutions. Escapes of one character (`\"`, `\'`, `\\`, `\/`)
    /// are decoded; a literal with any other escape is not read.
    fn read(string: Node, src: &str) -> Option<Literal> {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut end = string.start_byte() + 1;
        let mut c = string.walk();
        for part in string.named_children(&mut c) {
            let raw = &src[part.byte_range()];
            match part.kind() {
                "string_fragment" => {
                    text.push_str(raw);
                    map.extend(part.start_byte()..part.end_byte());
                }
                "escape_sequence"
                    if raw.len() == 2 && matches!(&raw[1..], "\"" | "'" | "\\" | "/" | "`") =>
                {
                    text.push_str(&raw[1..]);
                    map.push(part.start_byte());
                }
                _ => return None,
            }
            end = part.end_byte();
        }
        map.push(end);
        Some(Literal { text, map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn css_hits(css: &str, scoped: bool) -> Vec<String> {
        let tree = crate::parse::with_parsers(|p| p.parse_css(css, None)).unwrap();
        let mut hits = Vec::new();
        scan(tree.root_node(), css, &|| scoped, &mut hits);
        hits.iter()
            .map(|h| css[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn parent_suffixes_join_the_parent_class_or_id() {
        let css = ".js-help {\n  &-link { a: b }\n  &-links, &__x { a: b }\n  &-text { a: b }\n}\n\
                   #form .js-factor-page { &-custom-link {} }\n\
                   .js-help:hover { &-link {} }\n.js-help, .x { &-link {} }\n.js { &-unlock#{$x} {} }\n";
        let tree = crate::parse::with_parsers(|p| p.parse_css(css, None)).unwrap();
        let mut hits = Vec::new();
        scan(tree.root_node(), css, &|| false, &mut hits);
        let found: Vec<(&str, &str)> = hits
            .iter()
            .map(|h| (&css[h.start..h.end], h.resolved.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                ("&-link", ".js-help-link"),
                ("&-links", ".js-help-links"),
                ("&-custom-link", ".js-factor-page-custom-link"),
            ]
        );
    }

    #[test]
    fn exact_tokens_and_look_alikes() {
        let css = "#okta-signin-username, #okta-signin-username-wrap, .js-unlock-foo, a.js-unlock:hover, .xjs-unlock { a: b }\n\
                   [data-se=\"o-form-input-password\"], [data-se='o-form-input-identifier'], [id=okta-signin-submit], [class~=\"js-help-link\"] { a: b }\n\
                   .x { content: \"#okta-signin-password\"; } /* .js-forgot-password */";
        assert_eq!(
            css_hits(css, false),
            vec![
                "#okta-signin-username",
                ".js-unlock",
                "[data-se=\"o-form-input-password\"]",
                "[id=okta-signin-submit]",
                "[class~=\"js-help-link\"]",
            ]
        );
    }

    #[test]
    fn generic_names_only_in_sign_in_context() {
        let css = "input[name=\"password\"] { a: b }\n#okta-sign-in input[name='username'] { a: b }\nselect[name=\"username\"], .o-form [name=password] { a: b }\n.main-container input[name=\"password\"] { a: b }";
        assert_eq!(
            css_hits(css, false),
            vec!["input[name='username']", "[name=password]"]
        );
        assert_eq!(
            css_hits(css, true),
            vec![
                "input[name=\"password\"]",
                "input[name='username']",
                "[name=password]",
                "input[name=\"password\"]"
            ]
        );
    }

    /// SCSS/LESS: nested rules are read, with the scope of their parents;
    /// variables, mixins and `@media` in between do not hide them.
    #[test]
    fn nested_scss_and_less() {
        let scss = "$brand: #0a0;\n#okta-sign-in {\n  .auth-container { color: $brand; }\n  @include m(1px);\n  &.x .js-forgot-password:hover { a: b; }\n  @media (max-width: 600px) { input[name=\"password\"] { a: b } }\n  .js-unlock#{$sfx} { a: b }\n  // #okta-signin-submit\n  .o-form-#{$x} { a: b }\n  #okta-signin-submit { background: darken($brand, 10%); }\n}\n.x { .js-unlock(); .y { .js-help-links { a: b } } }\n.js-unlock@{sfx} { a: b }";
        assert_eq!(
            css_hits(scss, false),
            vec![
                ".js-forgot-password",
                "input[name=\"password\"]",
                "#okta-signin-submit",
                ".js-help-links"
            ]
        );
    }

    /// The scope is carried down the walk, not found by climbing (which
    /// costs the depth per step): a stylesheet nested thousands deep still
    /// has every generic name scoped by the outermost container.
    #[test]
    fn scope_reaches_deeply_nested_rules() {
        let depth = 3000;
        let css = format!(
            "#okta-sign-in {{ {}{}",
            ".a { input[name=password] { b: c } ".repeat(depth),
            "}".repeat(depth + 1)
        );
        assert_eq!(css_hits(&css, false).len(), depth);
        let unscoped = css.replacen("#okta-sign-in", "#site", 1);
        assert!(css_hits(&unscoped, false).is_empty());
    }

    #[test]
    fn containers_in_receiver_text_are_whole_tokens() {
        assert!(mentions_container("#okta-sign-in .x"));
        assert!(mentions_container("form.o-form"));
        assert!(!mentions_container("#okta-sign-in-wrap"));
        assert!(!mentions_container(".o-form-button-bar"));
    }
}
