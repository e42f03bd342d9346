//! The README's rule table and reference stay true to the code.

use oie_lint::rules::Registry;

#[test]
fn readme_lists_every_rule() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for r in &Registry::get().rules {
        assert!(
            readme.contains(&format!("`{}`", r.code)),
            "README does not list {}",
            r.code
        );
        assert!(
            readme.contains(&format!("`{}`", r.name)),
            "README does not name {}",
            r.name
        );
    }
}

#[test]
fn readme_quick_start_commands_exist() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- check fixtures/"));
    assert!(readme.contains("\ncargo test"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.contains("cargo test --locked"));
}
