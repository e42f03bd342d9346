//! Same-length masking of server-side template tags.
//!
//! Okta-hosted pages and the JSP/PHP/ERB/Twig pages customers embed the
//! widget in put template tags inside `<script>`: `issuer: {{{issuer}}}`,
//! `{{#if x}}…{{/if}}`, `<%= url %>`. Left alone they break the JavaScript
//! parse and rules silently miss the config. We overwrite each tag with
//! filler of exactly the same byte length, keeping `\r` and `\n`, so every
//! byte offset, line and column of the masked text is the original's:
//!
//! * value tags (`{{x}}`, `{{{x}}}`, `<%= x %>`, `<?= x ?>`) become `_…_`,
//!   a valid identifier in expression position and harmless in a string;
//! * block, comment and statement tags (`{{#…}}`, `{{/…}}`, `{{!…}}`,
//!   `<% … %>`, `<?php … ?>`, `{% … %}`, `{# … #}`) become spaces.
//!
//! Reports and snippets always read the original bytes.

/// Which template syntaxes a file may contain beyond the common ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Syntax {
    /// Expression-language values `${…}` / `#{…}` and FreeMarker `<#…>`
    /// directives (JSP, Velocity, FreeMarker). Masking `${…}` inside a JS
    /// template literal is harmless: it only turns a substitution into text.
    pub expression_language: bool,
    /// ASP.NET Web Forms (`.aspx`, `.ascx`, `.master`): `<%# … %>` is a
    /// data-binding value and `<%$ … %>` an expression-builder value there,
    /// where EJS and ERB read `<%#` as a comment.
    pub aspnet: bool,
    /// A Pug/Jade template: not HTML at all, read by [`super::pug`]
    /// (`html::analyze_with` hands it over).
    pub pug: bool,
}

/// Returns the masked text, or `None` if the text has no template tags.
pub fn mask_templates(text: &str) -> Option<String> {
    mask_templates_with(text, Syntax::default())
}

/// [`mask_templates`] with the extra syntaxes of a template dialect.
pub fn mask_templates_with(text: &str, syntax: Syntax) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < bytes.len() {
        let Some(tag) = tag_at(bytes, i, syntax).or_else(|| {
            if syntax.expression_language {
                el_tag_at(bytes, i)
            } else {
                None
            }
        }) else {
            i += 1;
            continue;
        };
        let buf = out.get_or_insert_with(|| bytes.to_vec());
        let fill = if tag.value { b'_' } else { b' ' };
        for b in &mut buf[i..tag.end] {
            if *b != b'\n' && *b != b'\r' {
                *b = fill;
            }
        }
        i = tag.end;
    }
    // Only ASCII bytes were written over whole characters' worth of bytes
    // (tags are delimited by ASCII), but a multi-byte character inside a tag
    // is overwritten byte by byte with ASCII, which is still valid UTF-8.
    out.map(|b| String::from_utf8(b).expect("masking writes ASCII over whole tags"))
}

struct Tag {
    end: usize,
    value: bool,
}

fn tag_at(b: &[u8], i: usize, syntax: Syntax) -> Option<Tag> {
    let rest = &b[i..];
    let find = |open: usize, close: &[u8]| -> Option<usize> {
        memchr::memmem::find(&rest[open..], close).map(|p| i + open + p + close.len())
    };
    if rest.starts_with(b"{{") {
        if rest.starts_with(b"{{!--") {
            return find(5, b"--}}").map(|end| Tag { end, value: false });
        }
        if rest.starts_with(b"{{{") {
            return find(3, b"}}}").map(|end| Tag { end, value: true });
        }
        let end = find(2, b"}}")?;
        // A JS object inside a block (`{{a: 1}}`) never spans lines in
        // templates; refuse very long or multi-line matches to stay safe.
        let inner = &b[i + 2..end - 2];
        if inner.len() > 200 || inner.contains(&b'\n') || inner.contains(&b';') {
            return None;
        }
        let first = inner
            .iter()
            .copied()
            .find(|c| !c.is_ascii_whitespace() && *c != b'~');
        let block = matches!(first, Some(b'#' | b'/' | b'^' | b'!' | b'>' | b'&' | b'*'))
            || inner
                .trim_ascii()
                .trim_ascii_start_matches_tilde()
                .starts_with(b"else");
        return Some(Tag { end, value: !block });
    }
    if rest.starts_with(b"<%") {
        if rest.starts_with(b"<%--") {
            return find(4, b"--%>").map(|end| Tag { end, value: false });
        }
        // `<%:` is ASP.NET's HTML-encoded output (no other dialect has it).
        let value = rest.starts_with(b"<%=")
            || rest.starts_with(b"<%-")
            || rest.starts_with(b"<%:")
            || (syntax.aspnet && (rest.starts_with(b"<%#") || rest.starts_with(b"<%$")));
        return find(2, b"%>").map(|end| Tag { end, value });
    }
    if rest.starts_with(b"<?php") || rest.starts_with(b"<?=") {
        // `<?php echo $x ?>` / `<?php print(...) ?>` output a value, like `<?=`.
        let value = rest.starts_with(b"<?=") || {
            let after = rest[5..].trim_ascii_start();
            rest.len() > 5
                && rest[5].is_ascii_whitespace()
                && (after.starts_with(b"echo") || after.starts_with(b"print"))
                && after
                    .get(if after.starts_with(b"echo") { 4 } else { 5 })
                    .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'_')
        };
        // PHP allows the closing tag to be omitted at end of file.
        return Some(Tag {
            end: find(2, b"?>").unwrap_or(b.len()),
            value,
        });
    }
    if rest.starts_with(b"{%") {
        return find(2, b"%}").map(|end| Tag { end, value: false });
    }
    if rest.starts_with(b"{#") && rest.get(2).is_some_and(|c| c.is_ascii_whitespace()) {
        return find(2, b"#}").map(|end| Tag { end, value: false });
    }
    None
}

/// `${…}`, `#{…}` (single line, balanced braces) and `<#…>` / `</#…>`.
fn el_tag_at(b: &[u8], i: usize) -> Option<Tag> {
    let rest = &b[i..];
    if rest.starts_with(b"${") || rest.starts_with(b"#{") {
        let mut depth = 0usize;
        for (k, &c) in rest.iter().enumerate().skip(1).take(300) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(Tag {
                            end: i + k + 1,
                            value: true,
                        });
                    }
                }
                b'\n' => return None,
                _ => {}
            }
        }
        return None;
    }
    if rest.starts_with(b"<#") || rest.starts_with(b"</#") {
        let end = memchr::memchr(b'>', rest)?;
        return Some(Tag {
            end: i + end + 1,
            value: false,
        });
    }
    None
}

trait TrimTilde {
    fn trim_ascii_start_matches_tilde(&self) -> &[u8];
}
impl TrimTilde for [u8] {
    fn trim_ascii_start_matches_tilde(&self) -> &[u8] {
        let s = self.strip_prefix(b"~").unwrap_or(self);
        s.trim_ascii_start()
    }
}

#[cfg(test)]
mod tests {
    use super::{mask_templates, mask_templates_with, Syntax};

    #[test]
    fn keeps_length_and_newlines() {
        let src =
            "var c = {{{cfg}}};\n{{#if x}}\r\nvar y = '{{orgUrl}}';{{/if}}<%= a %><% if (b) { %>";
        let m = mask_templates(src).unwrap();
        assert_eq!(m.len(), src.len());
        assert_eq!(
            m,
            "var c = _________;\n         \r\nvar y = '__________';       ________              "
        );
    }

    #[test]
    fn php_echo_is_a_value() {
        let src = "var c = <?php echo json_encode($c); ?>;\nvar d = '<?php print $d ?>'; <?php echoes(); ?>";
        let m = mask_templates(src).unwrap();
        assert_eq!(m.len(), src.len());
        assert!(
            m.starts_with(&format!("var c = {};", "_".repeat(30))),
            "{m}"
        );
        assert!(m.contains(&format!("var d = '{}';", "_".repeat(17))), "{m}");
        assert!(m.ends_with(&format!("'; {}", " ".repeat(18))), "{m}");
    }

    #[test]
    fn no_tags_no_copy() {
        assert!(mask_templates("const a = { b: { c: 1 } };").is_none());
    }

    #[test]
    fn comments_and_php() {
        let m = mask_templates("a {{!-- x }} y --}} b <?php if ($a): ?> c").unwrap();
        assert_eq!(m, format!("a {} b {} c", " ".repeat(17), " ".repeat(17)));
    }

    #[test]
    fn expression_language_only_when_asked() {
        let src = "var config = ${widgetConfig}; <#if x>var y = #{a.b};</#if>";
        assert!(mask_templates(src).is_none());
        let el = Syntax {
            expression_language: true,
            ..Syntax::default()
        };
        assert_eq!(
            mask_templates_with(src, el).unwrap(),
            "var config = _______________;        var y = ______;      "
        );
    }

    /// ASP.NET Web Forms: `<%: %>` (encoded output) is a value everywhere;
    /// `<%# %>` (data binding) and `<%$ %>` (expression builder) only in a
    /// Web Forms page, since EJS and ERB read `<%#` as a comment; the `<%@ %>`
    /// directive and `<%-- --%>` comments are blanked.
    #[test]
    fn aspnet_tags_are_values_only_in_web_forms_pages() {
        let src = "<%@ Page Language=\"C#\" %>var a = <%: Model.Url %>, b = <%# Eval(\"x\") %>, c = <%$ AppSettings:k %>;<%-- n --%>";
        let aspx = Syntax {
            aspnet: true,
            ..Syntax::default()
        };
        let m = mask_templates_with(src, aspx).unwrap();
        assert_eq!(m.len(), src.len());
        assert_eq!(
            m,
            format!(
                "{}var a = {}, b = {}, c = {};{}",
                " ".repeat(25),
                "_".repeat(16),
                "_".repeat(16),
                "_".repeat(20),
                " ".repeat(11)
            )
        );
        // Elsewhere `<%#` is a comment (EJS, ERB): blanked, not a value.
        let ejs = mask_templates("a<%# note %>b<%: x %>").unwrap();
        assert_eq!(ejs, format!("a{}b{}", " ".repeat(11), "_".repeat(8)));
    }

    #[test]
    fn multibyte_inside_tag_stays_utf8() {
        let src = "x = '{{é}}';";
        assert_eq!(mask_templates(src).unwrap().len(), src.len());
    }
}
