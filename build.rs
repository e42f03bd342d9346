//! Embeds every `rules/*.toml` into the binary, so adding a rule is adding a
//! file: no list in Rust code to keep in sync.
//!
//! Each rule is embedded twice: as written (tests edit it) and converted to
//! JSON here, which is what the binary reads at start-up. Reading the TOML
//! of every rule was a third of a one-file (pre-commit) run; JSON reads in
//! a fraction of that, and a TOML syntax error in a rule file now fails the
//! build, naming the file and line.
use std::{env, fs, path::Path};

/// The keys of a rule file a check run never reads (src/rules/mod.rs,
/// `Documentation`).
const DOCUMENTATION_KEYS: &[&str] = &["docs", "valid", "invalid"];

fn main() {
    detect_test_tools();
    check_modules();
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
        "/// `(file name, what a check run reads as JSON, the docs and examples as JSON)` of every\n/// rule file, sorted by name: a run parses only the first; the docs and examples are parsed\n/// when something asks for them (`oie-lint rule`, SARIF, tests).\npub const RULE_JSON: &[(&str, &str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        toml_out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
        let text = fs::read_to_string(f).unwrap();
        let mut value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{name}: {e}"));
        let mut documentation = toml::Table::new();
        if let Some(table) = value.as_table_mut() {
            for key in DOCUMENTATION_KEYS {
                if let Some(v) = table.remove(*key) {
                    documentation.insert(key.to_string(), v);
                }
            }
        }
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        let docs = serde_json::to_string(&documentation).expect("TOML values are JSON values");
        json_out.push_str(&format!("    ({name:?}, {json:?}, {docs:?}),\n"));
    }
    toml_out.push_str("];\n");
    json_out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("rule_files.rs"),
        toml_out + &json_out,
    )
    .unwrap();
}

/// Tests that drive outside tools (headless Chromium through playwright-core,
/// the real `pre-commit`, the packaging tools of `scripts/dist.sh` and the
/// package managers that install its npm packages) are compiled as
/// `#[ignore]`d, with a reason that says how to install them, when a tool is
/// missing on a developer machine: `cargo test` then lists them as *ignored*
/// instead of passing them silently. Under CI (`CI` set) they are never
/// ignored, so a missing tool fails the run. The cfgs only change the test
/// binaries' attributes.
fn detect_test_tools() {
    println!("cargo::rustc-check-cfg=cfg(oie_missing_browser)");
    println!("cargo::rustc-check-cfg=cfg(oie_missing_pre_commit)");
    println!("cargo::rustc-check-cfg=cfg(oie_missing_dist_tools)");
    println!("cargo::rustc-check-cfg=cfg(oie_missing_package_managers)");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=OIE_LINT_CHROMIUM");
    // Directories whose contents change when the tools are installed (a
    // missing path would make Cargo rerun this script on every build).
    println!("cargo:rerun-if-changed=tests/browser");
    println!("cargo:rerun-if-changed=/usr/bin");
    if env::var_os("CI").is_some() {
        return;
    }
    let manifest = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let chromium = env::var_os("OIE_LINT_CHROMIUM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    let browser = chromium.exists()
        && on_path("node")
        && manifest
            .join("tests/browser/node_modules/playwright-core/package.json")
            .exists();
    if !browser {
        println!("cargo:rustc-cfg=oie_missing_browser");
    }
    if !on_path("pre-commit") {
        println!("cargo:rustc-cfg=oie_missing_pre_commit");
    }
    // tests/it/dist.rs: scripts/dist.sh (maturin, node, npm) and the installs
    // it checks (python3's venv, pre-commit).
    if !["maturin", "node", "npm", "python3", "pre-commit"]
        .iter()
        .all(|t| on_path(t))
    {
        println!("cargo:rustc-cfg=oie_missing_dist_tools");
    }
    // tests/it/dist.rs also installs the npm packages with pnpm, yarn 1 and
    // Yarn 4, each from its own prefix (scripts/install-package-managers.sh;
    // the tests look in the same place).
    println!("cargo:rerun-if-env-changed=OIE_LINT_PM_TOOLS");
    println!("cargo:rerun-if-env-changed=XDG_CACHE_HOME");
    println!("cargo:rerun-if-env-changed=HOME");
    let tools = env::var_os("OIE_LINT_PM_TOOLS")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            env::var_os("XDG_CACHE_HOME")
                .filter(|d| !d.is_empty())
                .map(|d| Path::new(&d).join("oie-lint-ci/pm-tools"))
        })
        .or_else(|| env::var_os("HOME").map(|d| Path::new(&d).join(".cache/oie-lint-ci/pm-tools")));
    let found = tools.as_deref().is_some_and(|t| {
        [
            "pnpm/node_modules/.bin/pnpm",
            "yarn-classic/node_modules/.bin/yarn",
            "yarn-berry/node_modules/.bin/yarn",
        ]
        .iter()
        .all(|bin| t.join(bin).exists())
    });
    // Watch the prefixes, or the folder the script creates them in, when it
    // exists (a missing path would rerun this script on every build).
    if let Some(watch) = tools.as_deref().and_then(|t| {
        [Some(t), t.parent()]
            .into_iter()
            .flatten()
            .find(|d| d.is_dir())
    }) {
        println!("cargo:rerun-if-changed={}", watch.display());
    }
    if !found {
        println!("cargo:rustc-cfg=oie_missing_package_managers");
    }
}

fn on_path(tool: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|paths| env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// The built-in checks' modules, so that adding a check is adding its rule
/// file and one Rust file: every `src/rules/checks/NAME.rs` (and
/// `NAME/mod.rs`) becomes `pub mod NAME`, and the modules that define
/// `pub const CHECKS` (the check names rule files give in `[detect] check`,
/// with their constructors) are listed for `checks::make`. Written to
/// `$OUT_DIR/check_modules.rs`, which `src/rules/checks/mod.rs` includes.
fn check_modules() {
    let manifest = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let dir = manifest.join("src/rules/checks");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut modules: Vec<(String, std::path::PathBuf)> = fs::read_dir(&dir)
        .expect("src/rules/checks")
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            if p.is_dir() && p.join("mod.rs").exists() {
                Some((name, p.join("mod.rs")))
            } else if p.extension().is_some_and(|e| e == "rs") && name != "mod" {
                Some((name, p))
            } else {
                None
            }
        })
        .collect();
    modules.sort();
    let mut out = String::new();
    let mut registered = Vec::new();
    for (name, path) in &modules {
        let text = fs::read_to_string(path).unwrap();
        out.push_str(&format!(
            "#[path = {:?}]\npub mod {name};\n",
            path.display().to_string()
        ));
        if text.contains("\npub const CHECKS: ") {
            registered.push(format!("{name}::CHECKS"));
        }
    }
    out.push_str(&format!(
        "/// The `CHECKS` of every check module, in file-name order.\nconst MODULE_CHECKS: &[&[(&str, MakeCheck)]] = &[{}];\n",
        registered.join(", ")
    ));
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("check_modules.rs"),
        out,
    )
    .unwrap();
}
