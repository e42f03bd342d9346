//! Pug (formerly Jade) templates, read into the same [`HtmlDoc`] as an
//! HTML page: `script.` blocks are JavaScript regions over the original
//! text (tree-sitter parses them with `set_included_ranges`, so positions
//! need no mapping), `style.` blocks are stylesheet regions, `src=`/`href=`
//! attribute values (`script(src="…")`, `link(href="…")`) are URLs, and
//! `//` / `//-` comment lines are comments (for suppression markers).
//!
//! Pug's `#{…}` / `!{…}` interpolation inside a `script.` block is
//! overwritten with `_` filler of the same length (a valid identifier in
//! expression position, harmless in a string), as [`super::mask`] does for
//! other template tags. One pass over the lines: linear time.

use super::page::{script_type_dialect, HtmlDoc, ScriptRegion, UrlAttr};
use super::Dialect;
use tree_sitter::{Point, Range};

/// One line of the template: byte offsets of its start, of its content
/// (after the indentation) and of its end (before the line break).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        let end = memchr::memchr2(b'\n', b'\r', &b[start..]).map_or(b.len(), |k| start + k);
        let content = start
            + b[start..end]
                .iter()
                .take_while(|c| **c == b' ' || **c == b'\t')
                .count();
        out.push(Line {
            start,
            content,
            end,
        });
        if end >= b.len() {
            break;
        }
        start = if b[end] == b'\r' && b.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
    }
    out
}

/// The tree-sitter point of each byte offset, from the offsets of `\n`.
struct Points(Vec<usize>);

impl Points {
    fn at(&self, offset: usize) -> Point {
        let row = self.0.partition_point(|&nl| nl < offset);
        let line_start = if row == 0 { 0 } else { self.0[row - 1] + 1 };
        Point::new(row, offset - line_start)
    }
    fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start_byte: start,
            end_byte: end,
            start_point: self.at(start),
            end_point: self.at(end),
        }
    }
}

/// The longest `(…)` attribute list read, in bytes.
const MAX_ATTRS: usize = 2 * 1024;

/// A tag line's parts: its name, the byte range of its `(…)` attribute
/// list (which may span lines), and whether a `.` ends it (a text block).
struct Tag {
    name: std::ops::Range<usize>,
    attrs: Option<std::ops::Range<usize>>,
    block: bool,
}

/// Reads the tag at `at` (a line's content): name, `#id`/`.class`
/// shorthands, `(attributes)`, then `.` at the end of the line for a block.
fn tag_at(b: &[u8], at: usize) -> Option<Tag> {
    let name_len = b[at..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':'))
        .count();
    if name_len == 0 || !b[at].is_ascii_alphabetic() {
        return None;
    }
    let mut i = at + name_len;
    // `#id` and `.class` shorthands (a `.` followed by a name).
    while i < b.len()
        && matches!(b[i], b'#' | b'.')
        && b.get(i + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
    {
        i += 1;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'_')) {
            i += 1;
        }
    }
    let mut attrs = None;
    if b.get(i) == Some(&b'(') {
        let open = i;
        let mut depth = 0usize;
        let mut quote = None;
        // An attribute list longer than this is not one (an unclosed `(`
        // on every line must not make the reader quadratic).
        let limit = b.len().min(open + MAX_ATTRS);
        while i < limit {
            match (b[i], quote) {
                (b'\\', Some(_)) => i += 1,
                (q, Some(o)) if q == o => quote = None,
                (_, Some(_)) => {}
                (q @ (b'"' | b'\'' | b'`'), None) => quote = Some(q),
                (b'(', None) => depth += 1,
                (b')', None) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if i >= limit {
            return None;
        }
        attrs = Some(open + 1..i);
        i += 1;
    }
    let rest_end = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |k| i + k);
    let block = b[i..rest_end].trim_ascii_end() == b".";
    Some(Tag {
        name: at..at + name_len,
        attrs,
        block,
    })
}

/// `src=` / `href=` values (quoted) in an attribute list.
fn url_attrs(b: &[u8], attrs: std::ops::Range<usize>, out: &mut Vec<UrlAttr>) {
    let mut i = attrs.start;
    while i < attrs.end {
        let at_name =
            i == attrs.start || matches!(b[i - 1], b' ' | b'\t' | b',' | b'(' | b'\n' | b'\r');
        let name = if at_name && b[i..attrs.end].starts_with(b"src") {
            3
        } else if at_name && b[i..attrs.end].starts_with(b"href") {
            4
        } else {
            i += 1;
            continue;
        };
        let mut j = i + name;
        while j < attrs.end && b[j] == b' ' {
            j += 1;
        }
        if b.get(j) == Some(&b'!') {
            j += 1; // `src!=` (unescaped)
        }
        if b.get(j) != Some(&b'=') {
            i += name;
            continue;
        }
        j += 1;
        while j < attrs.end && b[j] == b' ' {
            j += 1;
        }
        if let Some(&q) = b.get(j).filter(|q| matches!(q, b'"' | b'\'' | b'`')) {
            if let Some(len) = memchr::memchr(q, &b[j + 1..attrs.end]) {
                out.push(UrlAttr {
                    start: j + 1,
                    end: j + 1 + len,
                });
                i = j + 2 + len;
                continue;
            }
        }
        i = j;
    }
}

/// The value of a `type=`/`lang=` attribute, if given (quoted).
fn attr_value<'a>(text: &'a str, attrs: &std::ops::Range<usize>, name: &str) -> Option<&'a str> {
    let s = &text[attrs.clone()];
    let mut from = 0;
    while let Some(k) = s[from..].find(name) {
        let at = from + k;
        from = at + name.len();
        let before_ok = at == 0
            || s.as_bytes()[at - 1].is_ascii_whitespace()
            || matches!(s.as_bytes()[at - 1], b',' | b'(');
        let rest = s[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let q = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        return rest[1..].split(q).next();
    }
    None
}

/// Overwrites `#{…}` / `!{…}` (one line, balanced braces) with `_`.
fn mask_interpolation(bytes: &mut [u8], range: std::ops::Range<usize>) {
    let mut i = range.start;
    while i + 1 < range.end {
        if matches!(bytes[i], b'#' | b'!')
            && bytes[i + 1] == b'{'
            && (i == 0 || bytes[i - 1] != b'\\')
        {
            let mut depth = 0usize;
            let mut k = i + 1;
            let mut close = None;
            while k < range.end && !matches!(bytes[k], b'\n' | b'\r') {
                match bytes[k] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(k);
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            if let Some(close) = close {
                for b in &mut bytes[i..=close] {
                    *b = b'_';
                }
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// Reads a Pug template into an [`HtmlDoc`].
pub fn analyze(text: &str) -> HtmlDoc {
    let b = text.as_bytes();
    let all = lines(text);
    let points = Points(memchr::memchr_iter(b'\n', b).collect());
    let mut doc = HtmlDoc {
        masked: String::new(),
        scripts: Vec::new(),
        urls: Vec::new(),
        styles: Vec::new(),
        comments: Vec::new(),
    };
    let mut masked = b.to_vec();
    let mut touched = false;
    let indent = |l: &Line| l.content - l.start;
    let blank = |l: &Line| l.content == l.end;
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        i += 1;
        if blank(&line) {
            continue;
        }
        // The block under a line: the following lines indented deeper
        // (blank lines inside included), up to the last non-blank one.
        let block_end = |from: usize| -> usize {
            let mut last = from;
            let mut k = from;
            while k < all.len() && (blank(&all[k]) || indent(&all[k]) > indent(&line)) {
                if !blank(&all[k]) {
                    last = k + 1;
                }
                k += 1;
            }
            last
        };
        let content = &b[line.content..line.end];
        if content.starts_with(b"//") {
            // A comment, with its indented block.
            let end = block_end(i);
            let stop = if end > i { all[end - 1].end } else { line.end };
            doc.comments.push(line.content..stop);
            i = end.max(i);
            continue;
        }
        if content.starts_with(b"-") || content.starts_with(b"|") {
            continue; // server code, piped text
        }
        let Some(tag) = tag_at(b, line.content) else {
            continue;
        };
        if let Some(attrs) = &tag.attrs {
            url_attrs(b, attrs.clone(), &mut doc.urls);
        }
        if !tag.block {
            // A multi-line attribute list: skip the lines it spans.
            if let Some(attrs) = &tag.attrs {
                while i < all.len() && all[i].start < attrs.end {
                    i += 1;
                }
            }
            continue;
        }
        // A text block: its lines are the tag's body.
        let first = match &tag.attrs {
            Some(attrs) => all[i..]
                .iter()
                .position(|l| l.start > attrs.end)
                .map_or(all.len(), |k| i + k),
            None => i,
        };
        let end = block_end(first);
        i = end.max(first);
        if end <= first {
            continue;
        }
        let (start, stop) = (all[first].start, all[end - 1].end);
        let name = &text[tag.name.clone()];
        let attr = |n: &str| tag.attrs.as_ref().and_then(|a| attr_value(text, a, n));
        if name.eq_ignore_ascii_case("script") {
            let dialect = match (attr("type"), attr("lang")) {
                (_, Some("ts" | "typescript")) => Some(Dialect::TypeScript),
                (Some(t), _) => script_type_dialect(&t.to_ascii_lowercase()),
                _ => Some(Dialect::JavaScript),
            };
            if let Some(dialect) = dialect {
                mask_interpolation(&mut masked, start..stop);
                touched = true;
                doc.scripts.push(ScriptRegion {
                    range: points.range(start, stop),
                    dialect,
                    handler: false,
                });
            }
        } else if name.eq_ignore_ascii_case("style") {
            doc.styles.push(points.range(start, stop));
        }
    }
    doc.masked = if touched {
        String::from_utf8(masked).expect("masking writes ASCII over whole interpolations")
    } else {
        text.to_owned()
    };
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_blocks_urls_and_comments() {
        let text = "\u{feff}doctype html\r\nhtml\r\n  head\r\n    //- oie-lint-ignore-next-line OIE004\r\n    script(src=\"https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js\")\r\n    link(\r\n      rel='stylesheet'\r\n      href='/css/okta-sign-in.min.css')\r\n  body\r\n    #widget\r\n    script(type=\"text/javascript\").\r\n      var signIn = new OktaSignIn({ baseUrl: '#{oktaUrl}', clientId: !{JSON.stringify(id)} });\r\n\r\n      signIn.renderEl({ el: '#widget' });\r\n    script(type=\"text/template\").\r\n      <p>#{name}</p>\r\n    style.\r\n      #okta-sign-in { margin: 0 }\r\n    p.lead Sign in. Or don't.\r\n";
        let doc = analyze(text);
        let urls: Vec<&str> = doc.urls.iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(
            urls,
            vec![
                "https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js",
                "/css/okta-sign-in.min.css"
            ]
        );
        assert_eq!(doc.scripts.len(), 1);
        let r = doc.scripts[0].range;
        let body = &doc.masked[r.start_byte..r.end_byte];
        assert!(body.starts_with("      var signIn"), "{body:?}");
        assert!(
            body.ends_with("signIn.renderEl({ el: '#widget' });"),
            "{body:?}"
        );
        assert!(body.contains("baseUrl: '__________'"), "{body:?}");
        assert!(
            body.contains("clientId: _____________________ })"),
            "{body:?}"
        );
        assert_eq!(doc.masked.len(), text.len());
        assert_eq!(r.start_point.row, 11);
        assert_eq!(doc.styles.len(), 1);
        assert_eq!(doc.comments.len(), 1);
        assert!(text[doc.comments[0].clone()].starts_with("//- oie-lint-ignore"));
    }

    /// Hostile input stays linear: an unclosed `(` on every line, deep
    /// indentation, and one very long interpolation-filled script line.
    #[test]
    fn hostile_input_is_linear() {
        let time = |text: &str| {
            let t = std::time::Instant::now();
            let doc = analyze(text);
            (t.elapsed(), doc.masked.len())
        };
        let unclosed = |n: usize| "a(href='x'\n".repeat(n);
        let (small, _) = time(&unclosed(2_000));
        let (big, len) = time(&unclosed(20_000));
        assert_eq!(len, 20_000 * 11);
        assert!(
            big.as_secs_f64() < 40.0 * small.as_secs_f64().max(1e-3),
            "{small:?} -> {big:?}"
        );
        let deep: String = (0..5_000)
            .map(|d| format!("{}div\n", " ".repeat(d % 200)))
            .collect();
        assert!(time(&deep).1 == deep.len());
        let script = format!("script.\n  var a = [{}];\n", "#{x},".repeat(50_000));
        let doc = analyze(&script);
        assert_eq!(doc.scripts.len(), 1);
        assert!(!doc.masked.contains("#{"));
    }

    #[test]
    fn a_class_shorthand_is_not_a_block() {
        let doc = analyze("script.config\nscript#x.\n  a()\n");
        assert_eq!(doc.scripts.len(), 1);
    }
}
