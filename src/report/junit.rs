//! The `junit` format: JUnit XML for CI test-report views (GitLab
//! `artifacts: reports: junit:`, Jenkins' JUnit plugin).
//!
//! One `<testsuite>` per file, one failing `<testcase>` per finding, as
//! ESLint's and ruff's JUnit reporters do: both GitLab and Jenkins list
//! suites and cases, so a suite per file reads as "these files have these
//! problems" and the `file`/`line` attributes link the case to the code.
//! The failure's `type` is the rule code and its body the concise line plus
//! the docs link. Paths that could not be checked are `<error>` cases in a
//! suite named `oie-lint`; a clean run is one passing case, so the report is
//! never empty (GitLab shows an empty report as "no tests").
//!
//! Written with `quick-xml`, which escapes attribute values and text.

use super::Run;
use crate::diagnostic::Diagnostic;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::io::{self, Write};

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let mut xml = Writer::new_with_indent(&mut *w, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let clean = run.diagnostics.is_empty() && run.errors.is_empty();
    let tests = run.diagnostics.len() + run.errors.len() + usize::from(clean);
    let failures = run.diagnostics.len().to_string();
    let errors = run.errors.len().to_string();
    xml.create_element("testsuites")
        .with_attributes([
            ("name", "oie-lint"),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
        ])
        .write_inner_content(|xml| {
            for file in run.diagnostics.chunk_by(|a, b| a.path == b.path) {
                suite(xml, &file[0].path, file.len(), file.len(), 0, |xml| {
                    file.iter().try_for_each(|d| case(xml, d))
                })?;
            }
            if !run.errors.is_empty() {
                suite(
                    xml,
                    "oie-lint",
                    run.errors.len(),
                    0,
                    run.errors.len(),
                    |xml| {
                        for (path, msg) in &run.errors {
                            xml.create_element("testcase")
                                .with_attributes([
                                    ("name", format!("check {path}").as_str()),
                                    ("classname", path.as_str()),
                                    ("file", path.as_str()),
                                ])
                                .write_inner_content(|xml| {
                                    xml.create_element("error")
                                        .with_attributes([
                                            ("message", msg.as_str()),
                                            ("type", "io"),
                                        ])
                                        .write_text_content(BytesText::new(&format!(
                                            "{path}: {msg}"
                                        )))?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    },
                )?;
            }
            if clean {
                let checked = format!(
                    "{} checked, no findings",
                    super::plural(run.files_checked, "file")
                );
                suite(xml, "oie-lint", 1, 0, 0, |xml| {
                    xml.create_element("testcase")
                        .with_attributes([("name", checked.as_str()), ("classname", "oie-lint")])
                        .write_empty()?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    drop(xml);
    writeln!(w)
}

fn suite<W: Write>(
    xml: &mut Writer<W>,
    name: &str,
    tests: usize,
    failures: usize,
    errors: usize,
    body: impl FnOnce(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    xml.create_element("testsuite")
        .with_attributes([
            ("name", name),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", errors.to_string().as_str()),
            ("skipped", "0"),
        ])
        .write_inner_content(body)?;
    Ok(())
}

fn case<W: Write>(xml: &mut Writer<W>, d: &Diagnostic) -> io::Result<()> {
    let name = format!(
        "{} {} (line {}, column {})",
        d.code, d.name, d.start.line, d.start.column
    );
    let line = d.start.line.to_string();
    let mut body = format!(
        "{}:{}:{}: {} [{}] {}",
        d.path, d.start.line, d.start.column, d.code, d.severity, d.message,
    );
    let url = crate::rules::docs_url(d.code, d.name);
    if !url.is_empty() {
        body.push('\n');
        body.push_str(&url);
    }
    xml.create_element("testcase")
        .with_attributes([
            ("name", name.as_str()),
            ("classname", d.path.as_str()),
            ("file", d.path.as_str()),
            ("line", line.as_str()),
        ])
        .write_inner_content(|xml| {
            xml.create_element("failure")
                .with_attributes([("message", d.message.as_str()), ("type", d.code)])
                .write_text_content(BytesText::new(&body))?;
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, Severity};

    #[test]
    fn markup_in_messages_and_paths_is_escaped() {
        let p = Position { line: 2, column: 5 };
        let run = Run {
            diagnostics: vec![Diagnostic {
                code: "OIE001",
                name: "set-cookie-and-redirect",
                severity: Severity::Error,
                message: r#"<script> & "quotes" 'apostrophes'"#.into(),
                path: "a&b/<x>.html".into(),
                start_byte: 0,
                end_byte: 0,
                start: p,
                end: p,
                fix: None,
                no_fix: None,
            }],
            ..Run::default()
        };
        let mut out = Vec::new();
        render(&run, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(!xml.contains("<script>") && !xml.contains("<x>"), "{xml}");
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            if reader.read_event().expect("well-formed XML") == Event::Eof {
                break;
            }
        }
        assert!(
            xml.contains("a&amp;b/&lt;x&gt;.html:2:5: OIE001 [error] &lt;script&gt; &amp; "),
            "{xml}"
        );
        assert!(
            xml.contains(r#"classname="a&amp;b/&lt;x&gt;.html""#),
            "{xml}"
        );
    }
}
