//! A section of the audit report as one small document — paragraphs,
//! tables, key-value tables, lists, collapsed parts; text, code spans and
//! links — built once from the [`Report`] and written by two renderers:
//! [`Section::html`] and [`Section::markdown`]. What one format shows and
//! the other does not (a sub-heading, a collapsed table, a hint) is said
//! in the document ([`Block::Only`], [`Block::Collapsed`]), not in the
//! renderers.
//!
//! Converted so far: "Totals", "Findings per rule", "Hosted pages and
//! embedded widgets", "Findings per file" and "Could not be read". The other sections are still written by each
//! renderer (`html.rs`, `markdown.rs`).

use super::markup::{cell, code, escape, text};
use super::Report;
use crate::report::plural;
use std::io::{self, Write};

/// A run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Link { href: String, label: Vec<Inline> },
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text(s.into())
    }

    /// `s` with its Markdown code spans (`` `x` ``) as [`Inline::Code`].
    pub fn spans(s: &str) -> Vec<Inline> {
        s.split('`')
            .enumerate()
            .filter(|(_, part)| !part.is_empty())
            .map(|(i, part)| {
                if i % 2 == 1 {
                    Inline::Code(part.to_string())
                } else {
                    Inline::Text(part.to_string())
                }
            })
            .collect()
    }
}

/// A table cell: its content and how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub content: Vec<Inline>,
    pub kind: CellKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellKind {
    Plain,
    /// A number: right-aligned.
    Number,
    /// A path or identifier: monospace (HTML by the cell's class, without
    /// a `<code>` element per row; Markdown as a code span).
    Mono,
    /// Text with an HTML class (a severity's colour).
    Class(&'static str),
}

impl Cell {
    pub fn plain(content: Vec<Inline>) -> Cell {
        Cell {
            content,
            kind: CellKind::Plain,
        }
    }

    pub fn text(s: impl Into<String>) -> Cell {
        Cell::plain(vec![Inline::text(s)])
    }

    pub fn number(n: impl ToString) -> Cell {
        Cell {
            content: vec![Inline::Text(n.to_string())],
            kind: CellKind::Number,
        }
    }

    pub fn mono(s: impl Into<String>) -> Cell {
        Cell {
            content: vec![Inline::Code(s.into())],
            kind: CellKind::Mono,
        }
    }

    pub fn class(class: &'static str, s: impl Into<String>) -> Cell {
        Cell {
            content: vec![Inline::text(s)],
            kind: CellKind::Class(class),
        }
    }
}

/// A table column: its title, and whether it holds numbers (right-aligned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub number: bool,
}

pub const fn col(title: &'static str) -> Column {
    Column {
        title,
        number: false,
    }
}

pub const fn num(title: &'static str) -> Column {
    Column {
        title,
        number: true,
    }
}

/// The formats, for what only one of them shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Para(Vec<Inline>),
    /// A sub-heading (`<h3>`, `###`).
    Heading(String),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
        /// HTML rows without a newline between them (one text node less
        /// per row: for tables that can hold thousands).
        compact: bool,
    },
    /// Labels (with code spans) and values, one pair a row.
    KeyValue(Vec<(Vec<Inline>, String)>),
    List(Vec<Vec<Inline>>),
    /// Collapsed under `summary` in HTML (`<details>`); Markdown shows the
    /// blocks as they are, under `summary` as a sub-heading when `heading`.
    Collapsed {
        summary: String,
        blocks: Vec<Block>,
        heading: bool,
    },
    /// Shown in one format only.
    Only(Format, Box<Block>),
}

/// One `##` section of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The HTML anchor (Markdown's is the title's, GitHub's way).
    pub id: &'static str,
    pub title: &'static str,
    pub blocks: Vec<Block>,
}

// ---------------------------------------------------------------- HTML

fn html_inlines(v: &[Inline]) -> String {
    let mut out = String::new();
    for i in v {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(c) => {
                out.push_str("<code>");
                out.push_str(&escape(c));
                out.push_str("</code>");
            }
            Inline::Link { href, label } => {
                out.push_str(&format!(
                    "<a href=\"{}\">{}</a>",
                    escape(href),
                    html_inlines(label)
                ));
            }
        }
    }
    out
}

fn html_cell(c: &Cell) -> String {
    match &c.kind {
        CellKind::Plain => format!("<td>{}</td>", html_inlines(&c.content)),
        CellKind::Number => format!("<td class=\"n\">{}</td>", html_inlines(&c.content)),
        CellKind::Mono => {
            let plain: String = c
                .content
                .iter()
                .map(|i| match i {
                    Inline::Text(t) | Inline::Code(t) => escape(t),
                    Inline::Link { .. } => html_inlines(std::slice::from_ref(i)),
                })
                .collect();
            format!("<td class=\"m\">{plain}</td>")
        }
        CellKind::Class(class) => {
            format!("<td class=\"{class}\">{}</td>", html_inlines(&c.content))
        }
    }
}

fn html_block(w: &mut dyn Write, b: &Block) -> io::Result<()> {
    match b {
        Block::Para(v) => writeln!(w, "<p>{}</p>", html_inlines(v)),
        Block::Heading(t) => writeln!(w, "<h3>{}</h3>", escape(t)),
        Block::Table {
            columns,
            rows,
            compact,
        } => {
            write!(w, "<table>\n<tr>")?;
            for c in columns {
                if c.number {
                    write!(w, "<th class=\"n\">{}</th>", escape(c.title))?;
                } else {
                    write!(w, "<th>{}</th>", escape(c.title))?;
                }
            }
            writeln!(w, "</tr>")?;
            for row in rows {
                let cells: String = row.iter().map(html_cell).collect();
                write!(w, "<tr>{cells}</tr>")?;
                if !compact {
                    writeln!(w)?;
                }
            }
            if *compact {
                writeln!(w)?;
            }
            writeln!(w, "</table>")
        }
        Block::KeyValue(pairs) => {
            writeln!(w, "<table class=\"kv\">")?;
            for (k, v) in pairs {
                writeln!(
                    w,
                    "<tr><th>{}</th><td class=\"n\">{}</td></tr>",
                    html_inlines(k),
                    escape(v)
                )?;
            }
            writeln!(w, "</table>")
        }
        Block::List(items) => {
            writeln!(w, "<ul>")?;
            for i in items {
                writeln!(w, "<li>{}</li>", html_inlines(i))?;
            }
            writeln!(w, "</ul>")
        }
        Block::Collapsed {
            summary, blocks, ..
        } => {
            writeln!(w, "<details><summary>{}</summary>", escape(summary))?;
            for b in blocks {
                html_block(w, b)?;
            }
            writeln!(w, "</details>")
        }
        Block::Only(Format::Html, b) => html_block(w, b),
        Block::Only(Format::Markdown, _) => Ok(()),
    }
}

// ------------------------------------------------------------ Markdown

/// Inline content in running text (`table`: inside a table cell, where
/// only the pipe and inline markup are escaped).
fn md_inlines(v: &[Inline], table: bool) -> String {
    let mut out = String::new();
    for i in v {
        match i {
            Inline::Text(t) if table => out.push_str(&cell(t)),
            Inline::Text(t) => out.push_str(&text(t)),
            Inline::Code(c) => out.push_str(&code(c)),
            Inline::Link { href, label } => {
                out.push_str(&format!("[{}]({href})", md_inlines(label, table)));
            }
        }
    }
    out
}

fn md_block(w: &mut dyn Write, b: &Block) -> io::Result<()> {
    match b {
        Block::Para(v) => writeln!(w, "{}\n", md_inlines(v, false)),
        Block::Heading(t) => writeln!(w, "### {}\n", text(t)),
        Block::Table { columns, rows, .. } => {
            let titles: Vec<&str> = columns.iter().map(|c| c.title).collect();
            let align: Vec<&str> = columns
                .iter()
                .map(|c| if c.number { "---:" } else { "---" })
                .collect();
            writeln!(w, "| {} |\n|{}|", titles.join(" | "), align.join("|"))?;
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| md_inlines(&c.content, true)).collect();
                writeln!(w, "| {} |", cells.join(" | "))?;
            }
            writeln!(w)
        }
        Block::KeyValue(pairs) => {
            writeln!(w, "| | |\n|---|---:|")?;
            for (k, v) in pairs {
                writeln!(w, "| {} | {} |", md_inlines(k, true), cell(v))?;
            }
            writeln!(w)
        }
        Block::List(items) => {
            for i in items {
                writeln!(w, "- {}", md_inlines(i, false))?;
            }
            writeln!(w)
        }
        Block::Collapsed {
            summary,
            blocks,
            heading,
        } => {
            if *heading {
                writeln!(w, "### {}\n", text(summary))?;
            }
            for b in blocks {
                md_block(w, b)?;
            }
            Ok(())
        }
        Block::Only(Format::Markdown, b) => md_block(w, b),
        Block::Only(Format::Html, _) => Ok(()),
    }
}

impl Section {
    pub fn html(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "<section id=\"{}\">\n<h2>{}</h2>",
            self.id,
            escape(self.title)
        )?;
        for b in &self.blocks {
            html_block(w, b)?;
        }
        writeln!(w, "</section>")
    }

    pub fn markdown(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "## {}\n", self.title)?;
        for b in &self.blocks {
            md_block(w, b)?;
        }
        Ok(())
    }
}

// ------------------------------------------------------------ Sections

const NO_FINDINGS: &str = "No findings.";

/// "Totals": the summary, one figure a row.
pub fn totals(r: &Report) -> Section {
    let pairs = super::summary_rows(r)
        .into_iter()
        .map(|(k, v)| (Inline::spans(k), v))
        .collect();
    Section {
        id: "totals",
        title: "Totals",
        blocks: vec![Block::KeyValue(pairs)],
    }
}

/// "Findings per rule": a row per rule, then per category.
pub fn rules(r: &Report) -> Section {
    let mut blocks = Vec::new();
    if r.rules.is_empty() {
        blocks.push(Block::Para(vec![Inline::text(NO_FINDINGS)]));
    } else {
        let rows = r
            .rules
            .iter()
            .map(|x| {
                let code = if x.url.is_empty() {
                    Cell::plain(vec![Inline::Code(x.code.clone())])
                } else {
                    Cell::plain(vec![Inline::Link {
                        href: x.url.clone(),
                        label: vec![Inline::Code(x.code.clone())],
                    }])
                };
                vec![
                    code,
                    Cell::plain(vec![Inline::Code(x.name.clone())]),
                    Cell::text(x.category.as_deref().unwrap_or("-")),
                    Cell::number(x.count),
                    Cell::number(x.errors),
                    Cell::number(x.warnings),
                    Cell::number(x.fixable),
                    Cell::number(x.unsafe_fixable),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                col("Code"),
                col("Rule"),
                col("Category"),
                num("Findings"),
                num("Errors"),
                num("Warnings"),
                num("Safe fixes"),
                num("Unsafe fixes"),
            ],
            rows,
            compact: false,
        });
        if !r.categories.is_empty() {
            blocks.push(Block::Only(
                Format::Html,
                Box::new(Block::Heading("Per category".into())),
            ));
            let rows = r
                .categories
                .iter()
                .map(|c| {
                    vec![
                        Cell::text(&c.category),
                        Cell::number(c.count),
                        Cell::number(c.errors),
                        Cell::number(c.warnings),
                        Cell::number(c.fixable),
                        Cell::number(c.unsafe_fixable),
                        Cell::text(c.rules.join(", ")),
                    ]
                })
                .collect();
            blocks.push(Block::Table {
                columns: vec![
                    col("Category"),
                    num("Findings"),
                    num("Errors"),
                    num("Warnings"),
                    num("Safe fixes"),
                    num("Unsafe fixes"),
                    col("Rules"),
                ],
                rows,
                compact: false,
            });
        }
    }
    Section {
        id: "rules",
        title: "Findings per rule",
        blocks,
    }
}

/// "Findings per file": a row per file with findings, worst first.
pub fn files(r: &Report) -> Section {
    let blocks = if r.files.is_empty() {
        vec![Block::Para(vec![Inline::text(NO_FINDINGS)])]
    } else {
        let rows = r
            .files
            .iter()
            .map(|f| {
                vec![
                    Cell::mono(&f.path),
                    Cell::class(f.worst.as_str(), f.worst.as_str()),
                    Cell::number(f.count),
                    Cell::number(f.errors),
                    Cell::number(f.warnings),
                    Cell::number(f.fixable),
                    Cell::number(f.unsafe_fixable),
                    Cell::text(f.rules.join(", ")),
                ]
            })
            .collect();
        vec![
            Block::Collapsed {
                summary: format!("{} with findings, worst first", plural(r.files.len(), "file")),
                blocks: vec![Block::Table {
                    columns: vec![
                        col("File"),
                        col("Worst"),
                        num("Findings"),
                        num("Errors"),
                        num("Warnings"),
                        num("Safe fixes"),
                        num("Unsafe fixes"),
                        col("Rules"),
                    ],
                    rows,
                    compact: true,
                }],
                heading: false,
            },
            Block::Only(
                Format::Markdown,
                Box::new(Block::Para(
                    Inline::spans("Details: `oie-lint check PATH`; preview the fixes with `oie-lint check --diff` (add `--unsafe-fixes` for the reviewed ones)."),
                )),
            ),
        ]
    };
    Section {
        id: "files",
        title: "Findings per file",
        blocks,
    }
}

/// "Hosted pages and embedded widgets": each list with the lines of its
/// `new OktaSignIn` calls.
pub fn pages(r: &Report) -> Section {
    let list = |title: &str, pages: &[super::WidgetPage]| {
        let blocks = if pages.is_empty() {
            vec![Block::Para(vec![Inline::text("None found.")])]
        } else {
            let items = pages
                .iter()
                .map(|p| {
                    let mut item = vec![Inline::Code(p.path.clone())];
                    if !p.constructions.is_empty() {
                        let l: Vec<String> =
                            p.constructions.iter().map(|l| l.to_string()).collect();
                        item.extend([
                            Inline::text(" ("),
                            Inline::Code("new OktaSignIn".into()),
                            Inline::text(format!(
                                " on line{} {})",
                                if l.len() == 1 { "" } else { "s" },
                                l.join(", ")
                            )),
                        ]);
                    }
                    item
                })
                .collect();
            vec![Block::List(items)]
        };
        Block::Collapsed {
            summary: format!("{title} ({})", pages.len()),
            blocks,
            heading: true,
        }
    };
    Section {
        id: "pages",
        title: "Hosted pages and embedded widgets",
        blocks: vec![
            list("Okta-hosted sign-in templates", &r.pages.hosted),
            list("Embedded Sign-In Widgets", &r.pages.embedded),
        ],
    }
}

/// "Could not be read" (`None` when everything was read).
pub fn unreadable(r: &Report) -> Option<Section> {
    if r.unreadable.is_empty() {
        return None;
    }
    let items = r
        .unreadable
        .iter()
        .map(|u| {
            vec![
                Inline::Code(u.place()),
                Inline::text(": "),
                Inline::text(&u.error),
            ]
        })
        .collect();
    Some(Section {
        id: "unreadable",
        title: "Could not be read",
        blocks: vec![Block::List(items)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(s: &Section) -> (String, String) {
        let (mut h, mut m) = (Vec::new(), Vec::new());
        s.html(&mut h).unwrap();
        s.markdown(&mut m).unwrap();
        (String::from_utf8(h).unwrap(), String::from_utf8(m).unwrap())
    }

    #[test]
    fn one_document_two_renderings() {
        let s = Section {
            id: "x",
            title: "A <title>",
            blocks: vec![
                Block::Para(Inline::spans("Run `a|b` <now>")),
                Block::Table {
                    columns: vec![col("Where"), num("N")],
                    rows: vec![vec![Cell::mono("a<b>.js"), Cell::number(3)]],
                    compact: true,
                },
                Block::Only(Format::Html, Box::new(Block::Heading("Html only".into()))),
                Block::Collapsed {
                    heading: false,
                    summary: "More".into(),
                    blocks: vec![Block::List(vec![vec![Inline::Link {
                        href: "https://e.x/?a&b".into(),
                        label: vec![Inline::Code("OIE001".into())],
                    }]])],
                },
            ],
        };
        let (html, md) = both(&s);
        assert_eq!(
            html,
            "<section id=\"x\">\n<h2>A &lt;title&gt;</h2>\n<p>Run <code>a|b</code> &lt;now&gt;</p>\n\
             <table>\n<tr><th>Where</th><th class=\"n\">N</th></tr>\n\
             <tr><td class=\"m\">a&lt;b&gt;.js</td><td class=\"n\">3</td></tr>\n</table>\n\
             <h3>Html only</h3>\n<details><summary>More</summary>\n<ul>\n\
             <li><a href=\"https://e.x/?a&amp;b\"><code>OIE001</code></a></li>\n</ul>\n</details>\n</section>\n"
        );
        assert_eq!(
            md,
            "## A <title>\n\nRun `a\\|b` \\<now\\>\n\n| Where | N |\n|---|---:|\n| `a<b>.js` | 3 |\n\n\
             - [`OIE001`](https://e.x/?a&b)\n\n"
        );
    }

    #[test]
    fn code_spans_split_text() {
        assert_eq!(
            Inline::spans("Fix with `--fix` now"),
            [
                Inline::text("Fix with "),
                Inline::Code("--fix".into()),
                Inline::text(" now")
            ]
        );
    }
}
