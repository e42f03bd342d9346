//! The page model both page readers produce ([`super::html`] for HTML and
//! its template dialects, [`super::pug`] for Pug): the masked text, the
//! script regions to parse as JavaScript, the URL attributes, the style
//! regions and the comments. It sits below both readers so that neither
//! depends on the other's types.

use super::Dialect;
use tree_sitter::Range;

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

/// `type=` values whose body is JavaScript. Anything else (templates, JSON,
/// import maps, `text/x-handlebars-template`) is data, not code.
pub fn script_type_dialect(t: &str) -> Option<Dialect> {
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
