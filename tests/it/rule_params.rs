//! Lists a rule matches live in one place, its rule file's
//! `[detect.params]`: the rule's triggers (which decide whether a file is
//! parsed at all), its query patterns and its documentation must cover
//! every entry, or a name added to the list would never fire, or fire
//! undocumented.

use oie_lint::rules::Registry;

fn rule(code: &str) -> &'static oie_lint::rules::Rule {
    let reg = Registry::get();
    &reg.rules[reg.find(code).unwrap()]
}

#[test]
fn classic_selector_names_are_triggered_matched_and_documented() {
    let r = rule("OIE016");
    let params = &r.detect.params;
    let classic = params["classic"]
        .as_array()
        .expect("[[detect.params.classic]]");
    assert!(classic.len() >= 10);
    let patterns: String = r.detect.query.iter().map(|q| q.pattern.as_str()).collect();
    let mut missing = Vec::new();
    for c in classic {
        let (kind, name) = (c["kind"].as_str().unwrap(), c["name"].as_str().unwrap());
        let shown = match kind {
            "id" => format!("`#{name}`"),
            "class" => format!("`.{name}`"),
            "data-se" => format!("`[data-se=\"{name}\"]`"),
            "name" => format!("`input[name=\"{name}\"]`"),
            other => panic!("unknown kind {other}"),
        };
        if !r.docs().what.contains(&shown) {
            missing.push(format!("docs do not name {shown}"));
        }
        if kind == "name" {
            // Generic names fire only in sign-in context: the containers'
            // triggers and `name=` in the pattern cover them.
            assert!(patterns.contains("name="));
            continue;
        }
        if !r.triggers.iter().any(|t| name.contains(t.as_str())) {
            missing.push(format!("no trigger admits a file naming {name}"));
        }
        if !patterns
            .split(['"', '|'])
            .any(|alt| !alt.is_empty() && name.contains(alt) && alt.len() > 3)
        {
            missing.push(format!("no pattern alternative matches {name}"));
        }
    }
    for (key, sigil) in [("container_ids", '#'), ("container_classes", '.')] {
        for c in params[key].as_array().unwrap() {
            let name = c.as_str().unwrap();
            if !r.docs().what.contains(&format!("`{sigil}{name}`")) {
                missing.push(format!("docs do not name the container {sigil}{name}"));
            }
            if !r
                .triggers
                .iter()
                .any(|t| name.contains(t.trim_start_matches('.')))
            {
                missing.push(format!("no trigger admits a file naming {name}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
