//! Escaping shared by the renderers: HTML ([`escape`], for the HTML report,
//! its charts and the section documents) and Markdown ([`code`], [`text`],
//! [`cell`]).

/// Escapes text for HTML element content and double- or single-quoted
/// attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Inline code that survives backticks and pipes in the content.
pub fn code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Plain text with Markdown (and inline HTML) punctuation escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Table-cell text that keeps its code spans: pipes escaped everywhere,
/// `<`, `>`, `*`, `_`, `[`, `]` escaped outside code spans, newlines
/// flattened.
pub fn cell(s: &str) -> String {
    let flat = s.replace(['\n', '\r'], " ");
    let mut out = String::with_capacity(flat.len());
    for (i, part) in flat.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&part.replace('|', "\\|"));
        } else {
            for c in part.chars() {
                if matches!(c, '|' | '<' | '>' | '*' | '_' | '[' | ']' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}
