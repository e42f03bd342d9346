//! Embeds every `rules/*.toml` into the binary, so adding a rule is adding a
//! file: no list in Rust code to keep in sync.
//!
//! Each rule is embedded twice: as written (tests edit it) and converted to
//! JSON here, which is what the binary reads at start-up. Reading the TOML
//! of every rule was a third of a one-file (pre-commit) run; JSON reads in
//! a fraction of that, and a TOML syntax error in a rule file now fails the
//! build, naming the file and line.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("rules/ directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut toml_out = String::from(
        "/// `(file name, contents)` of every rule file, sorted by name.\npub const RULE_FILES: &[(&str, &str)] = &[\n",
    );
    let mut json_out = String::from(
        "/// `(file name, contents as JSON)` of every rule file, sorted by name.\npub const RULE_JSON: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        toml_out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
        let text = fs::read_to_string(f).unwrap();
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{name}: {e}"));
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        json_out.push_str(&format!("    ({name:?}, {json:?}),\n"));
    }
    toml_out.push_str("];\n");
    json_out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("rule_files.rs"),
        toml_out + &json_out,
    )
    .unwrap();
}
