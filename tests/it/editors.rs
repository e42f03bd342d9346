//! End to end with real editor clients: headless Neovim (Debian's 0.7,
//! its built-in LSP client) runs `oie-lint server`, applies a code action
//! (fix all, chosen from its code-action menu) and writes the file
//! (tests/editors/nvim-e2e.lua); the file must equal
//! what `check --fix` writes. Without `nvim` the test says it is skipped;
//! in CI (`CI` set) scripts/install-ci-tools.sh installs it, so it runs.

use crate::common::{oie, write};
use std::process::Command;

const PAGE: &str = include_str!("../editors/sign-in.html");

fn have_nvim() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "nvim is missing in CI");
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
    }
    found
}

#[test]
fn neovim_applies_a_code_action_and_writes_what_check_fix_writes() {
    if !have_nvim() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "edited/sign-in.html", PAGE);
    write(dir.path(), "fixed/sign-in.html", PAGE);
    let log = dir.path().join("nvim.log");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/editors/nvim-e2e.lua");
    let status = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .args(["-c", &format!("luafile {script}")])
        .env("OIE_LINT_BIN", assert_cmd::cargo::cargo_bin("oie-lint"))
        .env("OIE_LINT_FILE", dir.path().join("edited/sign-in.html"))
        .env("OIE_LINT_LOG", &log)
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        status.success() && said.lines().last() == Some("OK"),
        "{status}\n{said}"
    );
    // What Neovim received and offered.
    assert_eq!(
        said.lines().filter(|l| l.starts_with("DIAG OIE")).count(),
        4,
        "{said}"
    );
    assert!(
        said.contains("ACTION Suppress OIE003 on this line"),
        "{said}"
    );
    oie()
        .current_dir(dir.path().join("fixed"))
        .args(["check", "--fix", "sign-in.html"])
        .output()
        .unwrap();
    let edited = std::fs::read_to_string(dir.path().join("edited/sign-in.html")).unwrap();
    let fixed = std::fs::read_to_string(dir.path().join("fixed/sign-in.html")).unwrap();
    assert_ne!(edited, PAGE);
    assert_eq!(edited, fixed);
}

/// `editors/vscode` builds into a `.vsix` (`npm ci`, `npm run package`:
/// type check, esbuild bundle, `vsce package`) holding the bundled
/// extension, which starts `oie-lint server`. Built in a copy, so the
/// source tree gets no node_modules. Without npm the test says it is
/// skipped; CI has npm.
#[test]
fn the_vscode_extension_packages_into_a_vsix() {
    let npm_found = Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !npm_found {
        assert!(std::env::var_os("CI").is_none(), "npm is missing in CI");
        eprintln!("skipped: npm is not installed");
        return;
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".vscodeignore",
        "README.md",
        "src/extension.ts",
    ] {
        write(dir.path(), f, std::fs::read(src.join(f)).unwrap());
    }
    for args in [
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"][..],
        &["run", "package"],
    ] {
        let out = Command::new("npm")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "npm {args:?}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let vsix = dir.path().join("oie-lint.vsix");
    // A .vsix is a zip: list it and read the bundled extension with Python's zipfile.
    let list = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print('\\n'.join(z.namelist())); print('-- extension.js --'); print(z.read('extension/dist/extension.js').decode())"])
        .arg(&vsix)
        .output()
        .unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let out = String::from_utf8_lossy(&list.stdout);
    let (names, text) = out.split_once("-- extension.js --\n").unwrap();
    for name in [
        "extension/package.json",
        "extension/dist/extension.js",
        "extension/readme.md",
    ] {
        assert!(
            names.lines().any(|l| l == name),
            "{name} missing from the vsix:\n{names}"
        );
    }
    assert!(
        !names
            .lines()
            .any(|l| l.contains("node_modules") || l.ends_with(".ts")),
        "sources or node_modules in the vsix:\n{names}"
    );
    // The bundle starts the server and carries the language client.
    for needle in [
        "\"server\"",
        "oie-lint.applyAutofix",
        "oie-lint.path",
        "textDocument/codeAction",
    ] {
        assert!(
            text.contains(needle),
            "{needle} not in the bundled extension"
        );
    }
}
