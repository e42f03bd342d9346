//! `package.json`: the dependency specs it declares, with byte positions.
//!
//! Parsed with jsonc-parser, which keeps byte ranges for every node and
//! tolerates comments and trailing commas (some repos have them).

use jsonc_parser::{ast::Value, CollectOptions, ParseOptions};

/// The dependency sections whose entries get installed.
pub const SECTIONS: &[&str] = &["dependencies", "devDependencies", "optionalDependencies"];

/// One `"name": "spec"` entry of a dependency section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencySpec {
    pub name: String,
    pub spec: String,
    pub section: &'static str,
    /// Byte range of the spec text, without its quotes.
    pub start: usize,
    pub end: usize,
    /// 1-based line of the spec (for messages that point at the manifest).
    pub line: usize,
}

/// `LINE:COL: invalid JSON: …` (see [`crate::diagnostic::located`]) for a
/// parse error in `body`, the JSON text after `shift` bytes (a BOM) of the
/// file: the position is in the file's lines and characters, as findings'
/// positions are (CRLF, CR-only, BOM).
pub fn json_error(body: &str, shift: usize, e: &jsonc_parser::errors::ParseError) -> String {
    let kind = e.kind().to_string();
    let mut chars = kind.chars();
    let kind = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => kind,
    };
    // Positions in the file: the BOM counts for offsets, not for columns.
    let file: String;
    let (text, offset) = if shift > 0 {
        file = format!("\u{feff}{body}");
        (file.as_str(), shift + e.range().start)
    } else {
        (body, e.range().start)
    };
    let at = crate::source::lines::LineIndex::new(text).position(text, offset);
    crate::diagnostic::located(at, format!("invalid JSON: {kind}"))
}

#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub dependencies: Vec<DependencySpec>,
    /// `workspaces` globs (npm/yarn: an array, or `{ "packages": [...] }`).
    pub workspaces: Vec<String>,
}

impl Manifest {
    /// Parses a manifest; `Err` carries a one-line reason.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        // A UTF-8 BOM is not JSON; positions stay positions in `text`.
        let (text, shift) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, '\u{feff}'.len_utf8()),
            None => (text, 0),
        };
        let ast =
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
                .map_err(|e| json_error(text, shift, &e))?;
        let Some(Value::Object(root)) = ast.value else {
            return Err("not a JSON object".into());
        };
        // Line numbers by binary search over the newlines, found once: a
        // count from the start per dependency was quadratic in their number.
        let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        let line_of = |offset: usize| 1 + newlines.partition_point(|&n| n < offset);
        let mut dependencies = Vec::new();
        for &section in SECTIONS {
            let Some(obj) = root.get_object(section) else {
                continue;
            };
            for prop in &obj.properties {
                if let Value::StringLit(s) = &prop.value {
                    dependencies.push(DependencySpec {
                        name: prop.name.as_str().to_string(),
                        spec: s.value.to_string(),
                        section,
                        start: shift + s.range.start + 1,
                        end: shift + s.range.end.saturating_sub(1).max(s.range.start + 1),
                        line: line_of(s.range.start),
                    });
                }
            }
        }
        let list = root.get_array("workspaces").or_else(|| {
            root.get_object("workspaces")
                .and_then(|o| o.get_array("packages"))
        });
        let workspaces = list
            .map(|a| {
                a.elements
                    .iter()
                    .filter_map(|e| {
                        if let Value::StringLit(s) = e {
                            Some(s.value.to_string())
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Manifest {
            dependencies,
            workspaces,
        })
    }

    pub fn dependency(&self, name: &str) -> Option<&DependencySpec> {
        self.dependencies.iter().find(|d| d.name == name)
    }

    pub fn has_okta_dependency(&self) -> bool {
        self.dependencies
            .iter()
            .any(|d| d.name.starts_with("@okta/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_specs_with_positions() {
        let text = "{\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"^5.1.0\"\n  },\n  // comment\n  \"devDependencies\": {\"x\": \"1\"},\n}";
        let m = Manifest::parse(text).unwrap();
        let d = m.dependency("@okta/okta-signin-widget").unwrap();
        assert_eq!(&text[d.start..d.end], "^5.1.0");
        assert_eq!(d.section, "dependencies");
        assert!(m.has_okta_dependency());
        assert_eq!(d.line, 3);
        assert_eq!(m.dependency("x").unwrap().section, "devDependencies");
    }

    #[test]
    fn a_bom_is_skipped_and_positions_stay_in_the_text() {
        let text = "\u{feff}{\"dependencies\": {\"@okta/okta-signin-widget\": \"^5.1.0\"}}";
        let m = Manifest::parse(text).unwrap();
        let d = m.dependency("@okta/okta-signin-widget").unwrap();
        assert_eq!(&text[d.start..d.end], "^5.1.0");
    }

    #[test]
    fn workspaces_in_both_shapes() {
        assert_eq!(
            Manifest::parse(r#"{"workspaces": ["apps/*", "packages/ui"]}"#)
                .unwrap()
                .workspaces,
            ["apps/*", "packages/ui"]
        );
        assert_eq!(
            Manifest::parse(r#"{"workspaces": {"packages": ["apps/*"]}}"#)
                .unwrap()
                .workspaces,
            ["apps/*"]
        );
        assert!(Manifest::parse("{}").unwrap().workspaces.is_empty());
    }

    #[test]
    fn invalid_json_is_an_error() {
        assert!(Manifest::parse("{\"dependencies\": ").is_err());
        assert!(Manifest::parse("[]").is_err());
    }
}
