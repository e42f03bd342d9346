//! Syntax-tree helpers shared by everything that reads JavaScript trees:
//! the pattern walk (`rules::nodes`), the checks, suppressions and the audit.
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

/// Depth-first walk over every node below `root`.
pub fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    preorder(root, |n| {
        f(n);
        Step::Descend
    });
}
