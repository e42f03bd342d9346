//! Proof by execution: every fix fixture with a `browser.json` is loaded
//! before and after its fix in headless Chromium against oie-lint's stubs
//! of an Identity Engine widget and org (`tests/browser/fix-proof.mjs`,
//! `tests/browser/stubs/`). The original page must fail to complete sign-in,
//! the fixed page must complete it (hosted: `OktaUtil.completeLogin`;
//! embedded: tokens stored and widget removed; the original redirect target
//! reached) with no uncaught error.

use std::path::Path;
use std::process::Command;

#[test]
#[cfg_attr(
    oie_missing_browser,
    ignore = "needs Chromium and playwright-core: run scripts/install-browser.sh"
)]
fn fixed_pages_complete_sign_in_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(root.join("tests/browser/fix-proof.mjs"))
        .arg(root.join("fixtures/fix"))
        .output()
        .expect("node runs (scripts/install-browser.sh installs the browser tools)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every fixture that has a page to run is proven, not skipped.
    let proven = stdout.lines().filter(|l| l.starts_with("ok ")).count();
    let with_spec = std::fs::read_dir(root.join("fixtures/fix"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("browser.json").exists())
        .count();
    assert!(proven >= 4 && proven == with_spec, "{stdout}");
}
