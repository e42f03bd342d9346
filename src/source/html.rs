//! Finds the JavaScript inside an HTML-like template.
//!
//! The template is masked first (see [`super::mask`]), then parsed with
//! tree-sitter-html. Each `<script>` body and each `on*=` handler becomes a
//! [`ScriptRegion`] that is later parsed on its own with
//! `set_included_ranges` over the whole masked buffer, so tree-sitter's
//! positions are already positions in the original file. Each `<style>`
//! body is a stylesheet region, parsed the same way with the CSS grammar
//! (when a rule reads CSS). (One parse over
//! all regions at once fuses tokens across gaps; see tech-stack.md.)

use super::{
    mask::{mask_templates_with, Syntax},
    Dialect,
};
use tree_sitter::{Node, Parser, Range};

/// A run of JavaScript inside the template.
#[derive(Debug, Clone)]
pub struct ScriptRegion {
    pub range: Range,
    pub dialect: Dialect,
    /// An `on*=` attribute value rather than a `<script>` body.
    pub handler: bool,
}

/// The value of a `src=`/`href=` attribute (where widget CDN URLs live).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlAttr {
    pub start: usize,
    pub end: usize,
}

/// What the linter needs from a template.
pub struct HtmlDoc {
    /// Same length as the original; template tags and handler entities masked.
    pub masked: String,
    pub scripts: Vec<ScriptRegion>,
    pub urls: Vec<UrlAttr>,
    /// `<style>` bodies (CSS, SCSS or LESS), over `masked`, in document order.
    pub styles: Vec<Range>,
    /// Byte ranges of HTML comments (`<!-- … -->`), for suppressions.
    pub comments: Vec<std::ops::Range<usize>>,
}

pub fn analyze(text: &str, parser: &mut Parser) -> HtmlDoc {
    analyze_with(text, parser, Syntax::default())
}

/// [`analyze`] for a template dialect with extra tag syntaxes.
pub fn analyze_with(text: &str, parser: &mut Parser, syntax: Syntax) -> HtmlDoc {
    let mut masked = mask_templates_with(text, syntax).unwrap_or_else(|| text.to_owned());
    let mut doc = HtmlDoc {
        masked: String::new(),
        scripts: Vec::new(),
        urls: Vec::new(),
        styles: Vec::new(),
        comments: Vec::new(),
    };
    if parser
        .set_language(&tree_sitter_html::LANGUAGE.into())
        .is_err()
    {
        doc.masked = masked;
        return doc;
    }
    // tree-sitter-html restores its stack of open tags before every token,
    // which costs the nesting depth each time: quadratic for a page nested
    // thousands deep (50,000 `<div>`s took minutes). Such a page is parsed
    // from a copy whose deep tags are void elements of the same length.
    let flat = flatten_deep_nesting(&masked);
    let Some(tree) = parser.parse(flat.as_deref().unwrap_or(&masked), None) else {
        doc.masked = masked;
        return doc;
    };
    let mut handlers = Vec::new();
    let mut classic = Vec::new();
    visit(
        tree.root_node(),
        masked.as_bytes(),
        &mut doc,
        &mut handlers,
        &mut classic,
    );
    // HTML-like comments in classic scripts are comments to a browser:
    // blank them so the parse (and the fix engine's syntax check) sees
    // what the browser sees.
    if !classic.is_empty() {
        let mut bytes = std::mem::take(&mut masked).into_bytes();
        for r in &classic {
            mask_html_like_comments(&mut bytes[r.start_byte..r.end_byte]);
        }
        masked = String::from_utf8(bytes).expect("masking writes ASCII over ASCII");
    }
    // Front matter is read like a `src=` value: widget CDN URLs set there
    // (`widget_js: https://…/okta-signin-widget/5.5.0/…`) are what the page loads.
    if let Some(fm) = front_matter(text) {
        doc.urls.insert(
            0,
            UrlAttr {
                start: fm.start,
                end: fm.end,
            },
        );
    }
    // Decode entities in handler attributes now that the tree is no longer needed.
    if !handlers.is_empty() {
        let mut bytes = std::mem::take(&mut masked).into_bytes();
        for r in &handlers {
            decode_entities_in_place(&mut bytes[r.start_byte..r.end_byte]);
        }
        masked = String::from_utf8(bytes).expect("entity decoding writes ASCII over ASCII");
    }
    doc.masked = masked;
    doc
}

/// The YAML front matter of an Eleventy/Jekyll page: the lines between a
/// first line `---` (after an optional BOM) and the next `---` line.
pub fn front_matter(text: &str) -> Option<std::ops::Range<usize>> {
    let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first = text[at..].find('\n')?;
    if text[at..at + first].trim_end_matches('\r') != "---" {
        return None;
    }
    let start = at + first + 1;
    let mut pos = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end_matches(['\r', '\n']) == "---" {
            return Some(start..pos);
        }
        pos += line.len();
    }
    None
}

/// Open tags beyond which [`flatten_deep_nesting`] steps in: far deeper
/// than hand-written pages, shallow enough that the parser's per-token cost
/// stays small.
pub const MAX_NESTING: usize = 256;

/// HTML void elements by name length (2 to 8), as tree-sitter-html knows
/// them: a start tag with one of these names opens nothing.
const VOID_OF_LEN: [&[u8]; 9] = [
    b"",
    b"",
    b"br",
    b"img",
    b"meta",
    b"input",
    b"source",
    b"command",
    b"basefont",
];

fn is_void(name: &[u8]) -> bool {
    const VOID: &[&[u8]] = &[
        b"area",
        b"base",
        b"basefont",
        b"bgsound",
        b"br",
        b"col",
        b"command",
        b"embed",
        b"frame",
        b"hr",
        b"image",
        b"img",
        b"input",
        b"isindex",
        b"keygen",
        b"link",
        b"menuitem",
        b"meta",
        b"nextid",
        b"param",
        b"source",
        b"track",
        b"wbr",
    ];
    VOID.iter().any(|v| v.eq_ignore_ascii_case(name))
}

/// For a page whose start tags nest deeper than [`MAX_NESTING`] (a lexical
/// estimate: start tags minus end tags), a copy in which every start tag
/// but `script` and `style` (whose bodies are raw text) and the void
/// elements is renamed: a name of 2 to 8 letters to a void element of the
/// same length, any other (`b`, `i`, `a`, `blockquote`) to `p` and spaces
/// (a `<p>` closes the open `<p>`), so the parser's tag stack stays flat. Offsets, attributes, comments and
/// `<script>` elements are unchanged; only the element tree loses depth,
/// which nothing reads. `None` for every ordinary page. Linear time.
pub fn flatten_deep_nesting(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let name_at = |i: usize| {
        let n = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        (n > 0 && b[i].is_ascii_alphabetic()).then_some(n)
    };
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for i in memchr::memchr_iter(b'<', b) {
        if b.get(i + 1) == Some(&b'/') {
            if name_at(i + 2).is_some() {
                depth = depth.saturating_sub(1);
            }
        } else if let Some(n) = name_at(i + 1) {
            if !is_void(&b[i + 1..i + 1 + n]) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    if deepest <= MAX_NESTING {
        return None;
    }
    let mut out = b.to_vec();
    for i in memchr::memchr_iter(b'<', b) {
        let Some(n) = name_at(i + 1) else { continue };
        let name = &b[i + 1..i + 1 + n];
        if is_void(name)
            || name.eq_ignore_ascii_case(b"script")
            || name.eq_ignore_ascii_case(b"style")
        {
            continue;
        }
        if (2..=8).contains(&n) {
            out[i + 1..i + 1 + n].copy_from_slice(VOID_OF_LEN[n]);
        } else {
            // No void element has one letter (`<b>`, `<i>`, `<a>`) or more
            // than eight (`<blockquote>`, `<my-widget>`): those become `p`
            // padded with spaces, and a `<p>` closes the `<p>` before it,
            // so the stack stays flat as well.
            out[i + 1] = b'p';
            out[i + 2..i + 1 + n].fill(b' ');
        }
    }
    // ASCII letters replaced by ASCII letters.
    String::from_utf8(out).ok()
}

fn visit(
    root: Node,
    src: &[u8],
    doc: &mut HtmlDoc,
    handlers: &mut Vec<Range>,
    classic: &mut Vec<Range>,
) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "script_element" => script(node, src, doc, classic),
            "style_element" => style(node, src, doc),
            "attribute" => attribute(node, src, doc, handlers),
            "comment" => doc.comments.push(node.byte_range()),
            _ => {}
        }
        let mut c = node.walk();
        // Push in reverse so regions come out in document order.
        let children: Vec<Node> = node.children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    doc.scripts.sort_by_key(|r| r.range.start_byte);
}

fn text<'a>(n: Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[n.byte_range()]).unwrap_or("")
}

/// The value node of an `attribute`, quoted or not.
fn attr_value(attr: Node) -> Option<Node> {
    let mut c = attr.walk();
    let v = attr
        .children(&mut c)
        .find(|n| matches!(n.kind(), "attribute_value" | "quoted_attribute_value"))?;
    if v.kind() == "quoted_attribute_value" {
        let mut c = v.walk();
        return v.children(&mut c).find(|n| n.kind() == "attribute_value");
    }
    Some(v)
}

fn attr_name<'a>(attr: Node, src: &'a [u8]) -> &'a str {
    attr.child(0)
        .filter(|n| n.kind() == "attribute_name")
        .map_or("", |n| text(n, src))
}

fn attribute(node: Node, src: &[u8], doc: &mut HtmlDoc, handlers: &mut Vec<Range>) {
    let name = attr_name(node, src).to_ascii_lowercase();
    let Some(value) = attr_value(node) else {
        return;
    };
    if name == "src" || name == "href" {
        doc.urls.push(UrlAttr {
            start: value.start_byte(),
            end: value.end_byte(),
        });
    } else if name.len() > 2
        && name.starts_with("on")
        && name[2..].bytes().all(|b| b.is_ascii_alphabetic())
    {
        doc.scripts.push(ScriptRegion {
            range: value.range(),
            dialect: Dialect::JavaScript,
            handler: true,
        });
        handlers.push(value.range());
    }
}

/// A raw-text element's (`<script>`, `<style>`) attributes, names and
/// values lowercased and trimmed, and its body, if any.
fn raw_text_element<'t>(node: Node<'t>, src: &[u8]) -> (Vec<(String, String)>, Option<Node<'t>>) {
    let mut c = node.walk();
    let mut attrs = Vec::new();
    let mut body = None;
    for child in node.children(&mut c) {
        match child.kind() {
            "start_tag" => {
                let mut c2 = child.walk();
                for attr in child.children(&mut c2).filter(|n| n.kind() == "attribute") {
                    let name = attr_name(attr, src).to_ascii_lowercase();
                    let value = attr_value(attr)
                        .map_or(String::new(), |v| text(v, src).trim().to_ascii_lowercase());
                    attrs.push((name, value));
                }
            }
            "raw_text" => body = Some(child),
            _ => {}
        }
    }
    (attrs, body)
}

fn script(node: Node, src: &[u8], doc: &mut HtmlDoc, classic: &mut Vec<Range>) {
    let mut dialect = Some(Dialect::JavaScript);
    let mut module = false;
    let (attrs, body) = raw_text_element(node, src);
    // `src=` is collected by the generic attribute visit.
    for (name, value) in &attrs {
        match name.as_str() {
            "type" => {
                module = value == "module";
                dialect = dialect.and(script_type_dialect(value))
            }
            "lang" => {
                dialect = dialect.and(match value.as_str() {
                    "ts" | "typescript" => Some(Dialect::TypeScript),
                    "tsx" => Some(Dialect::Tsx),
                    "js" | "javascript" | "jsx" => Some(Dialect::JavaScript),
                    _ => None,
                })
            }
            _ => {}
        }
    }
    if let (Some(dialect), Some(body)) = (dialect, body) {
        if !text(body, src).trim().is_empty() {
            if !module && dialect == Dialect::JavaScript {
                classic.push(body.range());
            }
            doc.scripts.push(ScriptRegion {
                range: body.range(),
                dialect,
                handler: false,
            });
        }
    }
}

/// A `<style>` body, unless its `type`/`lang` names a language that is not
/// CSS-like (`text/x-template`, Vue's `lang="stylus"`, indented `sass`).
fn style(node: Node, src: &[u8], doc: &mut HtmlDoc) {
    let (attrs, body) = raw_text_element(node, src);
    let css = attrs
        .iter()
        .filter(|(name, _)| name == "type" || name == "lang")
        .all(|(_, value)| {
            matches!(
                value.split(';').next().unwrap_or("").trim(),
                "" | "css" | "scss" | "less" | "postcss" | "text/css" | "text/scss" | "text/less"
            )
        });
    if let (true, Some(body)) = (css, body) {
        if !text(body, src).trim().is_empty() {
            doc.styles.push(body.range());
        }
    }
}

/// Blanks the HTML-like comments of a classic script (ECMAScript Annex
/// B.1.1): `<!--` to the end of its line, anywhere a token may start, and
/// `-->` to the end of its line when only whitespace precedes it on the
/// line. Strings, template literals and ordinary comments are skipped (a
/// regular expression literal holding `<!--` is not told apart). Line
/// breaks are kept, so positions do not move.
pub fn mask_html_like_comments(b: &mut [u8]) {
    let mut i = 0;
    let mut line_start = true; // only whitespace so far on this line
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    } else if q != b'`' && (b[i] == b'\n' || b[i] == b'\r') {
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue; // a block comment keeps `line_start` as it was
            }
            _ if b[i..].starts_with(b"<!--") || (line_start && b[i..].starts_with(b"-->")) => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    b[i] = b' ';
                    i += 1;
                }
                continue;
            }
            _ => i += 1,
        }
        line_start = false;
    }
}

/// `type=` values whose body is JavaScript. Anything else (templates, JSON,
/// import maps, `text/x-handlebars-template`) is data, not code.
fn script_type_dialect(t: &str) -> Option<Dialect> {
    let t = t.split(';').next().unwrap_or("").trim();
    match t {
        ""
        | "module"
        | "text/javascript"
        | "application/javascript"
        | "text/ecmascript"
        | "application/ecmascript"
        | "text/babel"
        | "text/jsx"
        | "application/x-javascript" => Some(Dialect::JavaScript),
        "text/typescript" | "application/typescript" => Some(Dialect::TypeScript),
        _ => None,
    }
}

/// Decodes HTML character references in place, keeping the length: each run
/// of adjacent references is replaced by its decoded characters followed by
/// spaces (`&amp;&amp;` → `&&` + 8 spaces), so `&&` stays one token.
pub fn decode_entities_in_place(buf: &mut [u8]) {
    let mut i = 0;
    while i < buf.len() {
        if buf[i] != b'&' {
            i += 1;
            continue;
        }
        let run_start = i;
        let mut decoded = Vec::new();
        while let Some((ch, len)) = entity_at(&buf[i..]) {
            decoded.push(ch);
            i += len;
        }
        if decoded.is_empty() {
            i += 1;
            continue;
        }
        let run = &mut buf[run_start..i];
        run.fill(b' ');
        run[..decoded.len()].copy_from_slice(&decoded);
    }
}

fn entity_at(b: &[u8]) -> Option<(u8, usize)> {
    const NAMED: &[(&[u8], u8)] = &[
        (b"&amp;", b'&'),
        (b"&lt;", b'<'),
        (b"&gt;", b'>'),
        (b"&quot;", b'"'),
        (b"&apos;", b'\''),
        (b"&#39;", b'\''),
        (b"&#34;", b'"'),
        (b"&#x27;", b'\''),
    ];
    NAMED
        .iter()
        .find(|(pat, _)| b.starts_with(pat))
        .map(|(pat, ch)| (*ch, pat.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> HtmlDoc {
        analyze(src, &mut Parser::new())
    }

    #[test]
    fn finds_scripts_handlers_and_urls() {
        let src = r#"<html><head><script src="https://x/a.js"></script>
<script type="text/template">sessionToken</script>
<script lang="ts">let a: number = 1;</script>
<script>var x = 1;</script></head>
<body onload="a &amp;&amp; b()"><link href="s.css"></body></html>"#;
        let d = doc(src);
        let kinds: Vec<_> = d
            .scripts
            .iter()
            .map(|r| {
                (
                    r.dialect,
                    r.handler,
                    &src[r.range.start_byte..r.range.end_byte],
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Dialect::TypeScript, false, "let a: number = 1;"),
                (Dialect::JavaScript, false, "var x = 1;"),
                (Dialect::JavaScript, true, "a &amp;&amp; b()"),
            ]
        );
        let h = &d.scripts[2].range;
        assert_eq!(&d.masked[h.start_byte..h.end_byte], "a &&         b()");
        let urls: Vec<_> = d.urls.iter().map(|u| &src[u.start..u.end]).collect();
        assert_eq!(urls, vec!["https://x/a.js", "s.css"]);
    }

    /// Regression (issue 12): `clientId: 'abc' <!-- legacy` parsed as a
    /// comparison, so a fix put its comma inside the comment.
    #[test]
    fn html_like_comments_are_blanked_in_classic_scripts() {
        let src = "<script><!--\nvar a = 'x<!--y' <!-- c\n  --> d\nb = 1 --> 2;\n</script><script type=\"module\">a <!-- b</script>";
        let d = doc(src);
        let body = &d.masked[d.scripts[0].range.start_byte..d.scripts[0].range.end_byte];
        assert_eq!(
            body,
            "    \nvar a = 'x<!--y'       \n       \nb = 1 --> 2;\n"
        );
        let module = &d.masked[d.scripts[1].range.start_byte..d.scripts[1].range.end_byte];
        assert_eq!(module, "a <!-- b");
        assert_eq!(d.masked.len(), src.len());
    }

    #[test]
    fn front_matter_is_read_as_a_url_value() {
        let src =
            "\u{feff}---\r\nlayout: base\r\nwidget: https://x/w.js\r\n---\r\n<p>{{ widget }}</p>";
        let d = doc(src);
        let fm = &src[d.urls[0].start..d.urls[0].end];
        assert_eq!(fm, "layout: base\r\nwidget: https://x/w.js\r\n");
        assert!(front_matter("<p>---</p>\n---\n").is_none());
        assert!(front_matter("---\nunclosed: true\n").is_none());
        assert_eq!(front_matter("---\n---\nx"), Some(4..4));
    }

    #[test]
    fn deep_nesting_is_flattened_and_finds_the_same_regions() {
        let page = |depth: usize| {
            format!(
                "<html><body>{}<a href=\"x.js\" onclick=\"go()\">l</a><script>var s = 1;</script>{}</body></html>",
                "<div class=\"c\">".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        assert!(flatten_deep_nesting(&page(10)).is_none());
        let deep = page(MAX_NESTING + 10);
        let flat = flatten_deep_nesting(&deep).expect("flattened");
        assert_eq!(flat.len(), deep.len());
        assert!(flat.contains("<img class=\"c\">") && flat.contains("<script>"));
        let (shallow, deep_doc) = (doc(&page(10)), doc(&deep));
        let shift = deep.len() - page(10).len();
        let body = |d: &HtmlDoc, src: &str| {
            d.scripts
                .iter()
                .map(|r| src[r.range.start_byte..r.range.end_byte].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(body(&shallow, &page(10)), body(&deep_doc, &deep));
        assert_eq!(deep_doc.urls.len(), shallow.urls.len());
        assert!(shift > 0);
    }

    #[test]
    fn deep_formatting_tags_and_long_names_are_flattened_too() {
        // No void element has one letter or more than eight: `<b>`, `<a …>`
        // and `<blockquote>` become `p` and spaces (issue 27: they stayed
        // nested, and the parse was quadratic).
        let page = |depth: usize| {
            format!(
                "<html><body>{}<script src=\"https://x/okta-sign-in.min.js\"></script><script>var s = 1;</script>{}</body></html>",
                "<b><a href=\"u\" onclick=\"go()\"><blockquote>".repeat(depth),
                "</blockquote></a></b>".repeat(depth)
            )
        };
        let deep = page(MAX_NESTING);
        let flat = flatten_deep_nesting(&deep).expect("flattened");
        assert_eq!(flat.len(), deep.len());
        assert!(
            flat.starts_with("<meta><meta><p><p href=\"u\" onclick=\"go()\"><p         >"),
            "{}",
            &flat[..80]
        );
        let (shallow, deep_doc) = (doc(&page(3)), doc(&deep));
        let bodies = |d: &HtmlDoc, src: &str| {
            d.scripts
                .iter()
                .map(|r| src[r.range.start_byte..r.range.end_byte].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            bodies(&deep_doc, &deep).len(),
            MAX_NESTING + 1,
            "one onclick per level, one script"
        );
        assert_eq!(bodies(&shallow, &page(3)).len(), 4);
        // Attributes stay readable: every `href` and the `src`.
        assert_eq!(deep_doc.urls.len(), MAX_NESTING + 1);
        assert_eq!(shallow.urls.len(), 4);
    }

    #[test]
    fn finds_style_blocks_but_not_other_languages() {
        let src = "<head>\r\n<style nonce=\"{{nonce}}\">\r\n#okta-sign-in { color: {{c}}; }\r\n</style>\r\n<style lang=\"stylus\">a\n  b c</style><style type=\"text/css\"></style><style lang=\"scss\">.a { .b { c: d } }</style></head>";
        let d = doc(src);
        let bodies: Vec<_> = d
            .styles
            .iter()
            .map(|r| &d.masked[r.start_byte..r.end_byte])
            .collect();
        assert_eq!(
            bodies,
            vec![
                "\r\n#okta-sign-in { color: _____; }\r\n",
                ".a { .b { c: d } }"
            ]
        );
        let r = d.styles[0];
        assert_eq!(
            &src[r.start_byte..r.end_byte],
            "\r\n#okta-sign-in { color: {{c}}; }\r\n"
        );
        assert_eq!((r.start_point.row, r.start_point.column), (1, 25));
    }

    #[test]
    fn template_tags_do_not_break_regions() {
        let src =
            "<script nonce=\"{{nonceValue}}\">\nvar c = {{{config}}};\n</script>{{{OktaUtil}}}";
        let d = doc(src);
        assert_eq!(d.scripts.len(), 1);
        assert_eq!(d.masked.len(), src.len());
        assert!(d
            .masked
            .contains(&format!("var c = {};", "_".repeat("{{{config}}}".len()))));
    }
}
