//! Syntax-tree helpers shared by everything that reads JavaScript trees:
//! the pattern walk (`rules::matching::walk`), the checks, suppressions and the audit.
//!
//! They sit below the rules layer so that the pattern matcher and the checks
//! both use them without importing each other.

use tree_sitter::Node;

/// The key name of a `pair`/`shorthand_property_identifier`, unquoted.
pub fn prop_key<'s>(node: Node, src: &'s str) -> Option<&'s str> {
    match node.kind() {
        "shorthand_property_identifier" => Some(&src[node.byte_range()]),
        "pair" => {
            let key = node.child_by_field_name("key")?;
            let t = &src[key.byte_range()];
            match key.kind() {
                "property_identifier" | "number" => Some(t),
                "string" => Some(t.get(1..t.len().saturating_sub(1)).unwrap_or("")),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Named children of a node.
pub fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

/// Unwraps parentheses, `as`/`satisfies` expressions and non-null assertions.
pub fn unwrap_expr<'t>(mut node: Node<'t>) -> Node<'t> {
    loop {
        let next = match node.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression" => node.named_child(0),
            // `<Config>{…}`: the expression is the last named child.
            "type_assertion" => node.named_child(node.named_child_count().saturating_sub(1) as _),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return node,
        }
    }
}

/// The target and value of a binding: `target = value` in a
/// `variable_declarator` or an `assignment_expression`; `None` for other
/// nodes and for a declaration without a value.
pub fn binding<'t>(node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let (target, value) = match node.kind() {
        "variable_declarator" => ("name", "value"),
        "assignment_expression" => ("left", "right"),
        _ => return None,
    };
    Some((
        node.child_by_field_name(target)?,
        node.child_by_field_name(value)?,
    ))
}

/// What a [`preorder`] visit does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Go on into the node's children.
    Descend,
    /// Leave the node's subtree out, go on after it.
    Skip,
    /// End the walk.
    Stop,
}

/// Visits `root` and the nodes below it in document order (a node before
/// its children) with a `TreeCursor`, as `visit` says at each node.
pub fn preorder<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>) -> Step) {
    let mut cursor = root.walk();
    loop {
        match visit(cursor.node()) {
            Step::Stop => return,
            Step::Descend if cursor.goto_first_child() => continue,
            Step::Descend | Step::Skip => {}
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The first node below `root` (itself included), in document order,
/// for which `pred` holds; the walk stops there.
pub fn find<'t>(root: Node<'t>, mut pred: impl FnMut(Node<'t>) -> bool) -> Option<Node<'t>> {
    let mut found = None;
    preorder(root, |n| {
        if pred(n) {
            found = Some(n);
            Step::Stop
        } else {
            Step::Descend
        }
    });
    found
}

/// How deep the recursive analyses of a tree (a callback's statements, a
/// member chain, a condition) may go. Trees are as deep as the code nests,
/// and a recursion per level on a file nested thousands of levels deep
/// (`u.a.a.a…`, `<b><i><b>…` read as TypeScript type assertions) would
/// overflow the thread's stack and abort the whole run. Real code nests a
/// few dozen levels; a file beyond this gets a one-line error instead (see
/// [`too_deep`]), and the run goes on.
pub const MAX_RECURSION: usize = 256;

/// The stack of each worker thread (rayon's default is 2 MiB): as the main
/// thread's on Linux, so [`MAX_RECURSION`] levels of the largest recursive
/// analysis fit many times over, in debug builds too (about 2.5 KiB a level).
pub const WORKER_STACK: usize = 8 << 20;

thread_local! {
    static RECURSION: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static TOO_DEEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One level of a recursive analysis, given back when dropped.
pub struct Level(());

impl Drop for Level {
    fn drop(&mut self) {
        RECURSION.with(|r| r.set(r.get().saturating_sub(1)));
    }
}

/// Enters one more level of a recursive analysis: `None` (and the file is
/// marked [`too_deep`]) past [`MAX_RECURSION`]; the caller then returns
/// its "nothing found" answer at once. Every function that recurses over
/// a tree starts with `let Some(_level) = syntax::deeper() else { … };`.
pub fn deeper() -> Option<Level> {
    RECURSION.with(|r| {
        if r.get() >= MAX_RECURSION {
            TOO_DEEP.with(|t| t.set(true));
            None
        } else {
            r.set(r.get() + 1);
            Some(Level(()))
        }
    })
}

/// Whether a recursive analysis on this thread gave up since the last call
/// (which clears the mark). The linter asks before and after each file:
/// a file that was cut short gets an error rather than partial findings.
pub fn too_deep() -> bool {
    TOO_DEEP.with(|t| t.replace(false))
}

/// Depth-first walk over every node below `root`.
pub fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    preorder(root, |n| {
        f(n);
        Step::Descend
    });
}

/// Where any of `needles` occurs wholly inside `root` (sorted by start;
/// byte ranges of `text`, the text the tree was parsed from).
fn occurrences(root: Node, text: &[u8], needles: &[&str]) -> Vec<(usize, usize)> {
    let (start, end) = (root.start_byte(), root.end_byte().min(text.len()));
    let mut found: Vec<(usize, usize)> = needles
        .iter()
        .flat_map(|n| {
            memchr::memmem::find_iter(&text[start..end], n.as_bytes())
                .map(move |i| (start + i, start + i + n.len()))
        })
        .collect();
    found.sort_unstable();
    found
}

/// Whether one of `found` (sorted by start) lies wholly in `start..end`.
pub fn holds_occurrence(found: &[(usize, usize)], start: usize, end: usize) -> bool {
    let first = found.partition_point(|o| o.0 < start);
    found[first..]
        .iter()
        .take_while(|o| o.0 < end)
        .any(|o| o.1 <= end)
}

/// [`walk`] over only the nodes whose text holds one of `needles`: a
/// subtree without an occurrence is skipped whole. An index of the calls or
/// names whose text must contain a literal (`renderEl`, a function's name)
/// then visits the paths to the few places that mention it, not the whole
/// tree; most files name them a handful of times.
pub fn walk_containing<'t>(
    root: Node<'t>,
    text: &[u8],
    needles: &[&str],
    mut f: impl FnMut(Node<'t>),
) {
    let found = occurrences(root, text, needles);
    if found.is_empty() {
        return;
    }
    preorder(root, |n| {
        if holds_occurrence(&found, n.start_byte(), n.end_byte()) {
            f(n);
            Step::Descend
        } else {
            Step::Skip
        }
    });
}

/// [`find`] over only the nodes whose text holds one of `needles` (see
/// [`walk_containing`]).
pub fn find_containing<'t>(
    root: Node<'t>,
    text: &[u8],
    needles: &[&str],
    mut pred: impl FnMut(Node<'t>) -> bool,
) -> Option<Node<'t>> {
    let found = occurrences(root, text, needles);
    if found.is_empty() {
        return None;
    }
    let mut hit = None;
    preorder(root, |n| {
        if !holds_occurrence(&found, n.start_byte(), n.end_byte()) {
            return Step::Skip;
        }
        if pred(n) {
            hit = Some(n);
            Step::Stop
        } else {
            Step::Descend
        }
    });
    hit
}

/// How many levels [`Parents::ancestors`] climbs at most. A construct a
/// check looks for above a finding (the callback around it, the call an
/// object is passed to) sits a few dozen levels up in real code; the cap
/// keeps a file nested thousands of levels deep, with a finding on every
/// level, linear to check instead of quadratic.
pub const MAX_CLIMB: usize = 256;

/// The parents of a tree's nodes, remembered.
///
/// `Node::parent` is not a pointer lookup: tree-sitter finds a parent by
/// descending from the root, which costs the node's depth times the width of
/// the levels on the way. Called for every finding on every level of a
/// deeply nested statement, that made a check cubic in the nesting. The
/// pattern walk records each node it passes with its parent (it knows both),
/// and any other node's parent is looked up once and remembered, so a
/// check climbing from a finding pays a hash lookup per level.
#[derive(Default)]
pub struct Parents<'t> {
    map: std::cell::RefCell<std::collections::HashMap<usize, Option<Node<'t>>>>,
}

impl<'t> Parents<'t> {
    /// Records `parent` as the parent of `child` (the walk knows it).
    pub fn record(&self, child: Node<'t>, parent: Node<'t>) {
        self.map.borrow_mut().insert(child.id(), Some(parent));
    }

    /// The parent of `node` (as `Node::parent`, remembered).
    pub fn of(&self, node: Node<'t>) -> Option<Node<'t>> {
        if let Some(p) = self.map.borrow().get(&node.id()) {
            return *p;
        }
        let p = node.parent();
        self.map.borrow_mut().insert(node.id(), p);
        p
    }

    /// `node`, or the outermost `( … )` around it (at most [`MAX_CLIMB`]).
    pub fn outside_parens(&self, mut node: Node<'t>) -> Node<'t> {
        for _ in 0..MAX_CLIMB {
            match self.of(node) {
                Some(p) if p.kind() == "parenthesized_expression" => node = p,
                _ => break,
            }
        }
        node
    }

    /// The ancestors of `node`, innermost first, at most [`MAX_CLIMB`] of them.
    pub fn ancestors(&self, node: Node<'t>) -> impl Iterator<Item = Node<'t>> + '_ {
        std::iter::successors(self.of(node), move |n| self.of(*n)).take(MAX_CLIMB)
    }
}

/// [`preorder`] that also hands each node's parent to `visit` (`None` for
/// `root`), from the walk's own stack: no `Node::parent` lookups.
pub fn preorder_with_parent<'t>(
    root: Node<'t>,
    mut visit: impl FnMut(Node<'t>, Option<Node<'t>>) -> Step,
) {
    let mut cursor = root.walk();
    let mut stack: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        match visit(node, stack.last().copied()) {
            Step::Stop => return,
            Step::Descend if cursor.goto_first_child() => {
                stack.push(node);
                continue;
            }
            Step::Descend | Step::Skip => {}
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guided walk visits exactly the nodes of the full walk whose text
    /// holds a needle, and so finds every node a text-based predicate finds.
    #[test]
    fn walk_containing_agrees_with_walk_on_nodes_that_hold_a_needle() {
        let code = "a.renderEl(x, function (r) { renderElX(); b(r) }); c.d; // renderEl\nvar s = 'renderEl'; e.renderEl();";
        {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&tree_sitter_javascript::LANGUAGE.into())
                .unwrap();
            let tree = parser.parse(code, None).unwrap();
            let root = tree.root_node();
            let mut all = Vec::new();
            walk(root, |n| {
                if code[n.byte_range()].contains("renderEl") {
                    all.push(n.id());
                }
            });
            let mut guided = Vec::new();
            walk_containing(root, code.as_bytes(), &["renderEl"], |n| {
                guided.push(n.id())
            });
            assert_eq!(all, guided);
            let calls = |n: Node| {
                n.kind() == "call_expression" && code[n.byte_range()].ends_with("renderEl()")
            };
            assert_eq!(
                find(root, calls).map(|n| n.id()),
                find_containing(root, code.as_bytes(), &["renderEl"], calls).map(|n| n.id())
            );
            assert!(find_containing(root, code.as_bytes(), &["absent"], |_| true).is_none());
        }
    }
}
