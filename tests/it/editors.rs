//! End to end with real editor clients: headless Neovim (Debian's 0.7,
//! its built-in LSP client) runs `oie-lint server`, applies a code action
//! and writes the file (tests/editors/nvim-e2e.lua); the file must equal
//! what `check --fix` writes. Without `nvim` the test says it is skipped;
//! in CI (`CI` set) scripts/install-ci-tools.sh installs it, so it runs.

use crate::common::{oie, write};
use std::process::Command;

const PAGE: &str = include_str!("../../fixtures/editor/sign-in.html");

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
