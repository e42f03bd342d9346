//! The file system under `--fix` and hostile names (issue 18): owner,
//! group, mode and links survive or the write is refused; symlinked folders
//! are not written through; FIFOs are refused; stdin `--fix` prints the text
//! and nothing else; names that are not UTF-8 are checked and shown escaped.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// One safe fix (OIE003: `useInteractionCodeFlow: true`).
const FIXABLE: &str = "const signIn = new OktaSignIn({ baseUrl: base, clientId: id });\n";
const FIXED: &str =
    "const signIn = new OktaSignIn({ baseUrl: base, clientId: id, useInteractionCodeFlow: true });\n";

fn oie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.current_dir(dir).args(["check", "--color", "never"]);
    c
}

fn is_root() -> bool {
    // SAFETY: no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn fix_as_root_keeps_another_users_owner_group_and_mode() {
    if !is_root() {
        eprintln!("skipped: needs root to own a file as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("login.js");
    fs::write(&p, FIXABLE).unwrap();
    std::os::unix::fs::chown(&p, Some(1000), Some(1000)).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    oie(dir.path()).args(["login.js", "--fix"]).assert().code(0);
    assert_eq!(fs::read_to_string(&p).unwrap(), FIXED);
    let m = fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (1000, 1000, 0o640));
}

#[test]
fn a_hard_linked_file_is_refused_and_both_names_keep_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("login.js");
    fs::write(&p, FIXABLE).unwrap();
    fs::hard_link(&p, dir.path().join("other.js")).unwrap();
    oie(dir.path())
        .args(["login.js", "--fix"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: login.js: has 2 hard links; fixes are not written",
        ))
        .stdout(predicate::str::contains(
            "1 file checked but could not be written",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), FIXABLE);
    let m = fs::metadata(&p).unwrap();
    assert_eq!(m.nlink(), 2, "the link is not split");
}

#[test]
fn a_file_without_write_permission_is_refused_whoever_runs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("login.js");
    fs::write(&p, FIXABLE).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
    oie(dir.path())
        .args(["login.js", "--fix"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: login.js: is read-only"))
        .stdout(predicate::str::contains(
            "1 file checked but could not be written (see the errors above)",
        ))
        .stdout(predicate::str::contains("could not be checked").not());
    assert_eq!(fs::read_to_string(&p).unwrap(), FIXABLE);
}

#[test]
fn a_file_of_another_user_in_a_shared_folder_is_refused_for_a_user() {
    if !is_root() {
        eprintln!("skipped: needs root to run the binary as another user");
        return;
    }
    // The folder is writable by everyone (rename would succeed); the file
    // belongs to root, 0644: user 1000 may not write it.
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let p = dir.path().join("login.js");
    fs::write(&p, FIXABLE).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oie-lint");
    let status = std::process::Command::new("setpriv")
        .args(["--reuid=1000", "--regid=1000", "--clear-groups"])
        .arg(&bin)
        .args(["check", "--isolated", "login.js", "--fix"])
        .current_dir(dir.path())
        .output();
    let Ok(out) = status else {
        eprintln!("skipped: setpriv not available");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is read-only"));
    assert_eq!(fs::read_to_string(&p).unwrap(), FIXABLE);
    assert_eq!(fs::metadata(&p).unwrap().uid(), 0);
}

#[test]
fn a_symlinked_folder_is_not_written_through() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("login.js"), FIXABLE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linkdir")).unwrap();
    oie(dir.path())
        .args(["linkdir/login.js", "--fix"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: linkdir/login.js: is reached through a symbolic link to a folder",
        ));
    assert_eq!(
        fs::read_to_string(outside.path().join("login.js")).unwrap(),
        FIXABLE
    );
    // Checking (without --fix) through the link still works.
    oie(dir.path())
        .args(["linkdir/login.js"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 fixable with `--fix`"));
}

/// A link at or above the tree being checked is not a write outside it:
/// on macOS `/var` is a link to `/private/var`, and temporary folders live
/// there. Only links below the checked folder (or below the working
/// directory, for a file named by a relative path) are refused.
#[test]
fn a_link_above_the_checked_tree_does_not_stop_fix() {
    let real = tempfile::tempdir().unwrap();
    fs::create_dir(real.path().join("proj")).unwrap();
    fs::write(real.path().join("proj/login.js"), FIXABLE).unwrap();
    let top = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(real.path(), top.path().join("var")).unwrap();
    let through = top.path().join("var/proj");
    // A folder argument reached through the link.
    oie(top.path())
        .arg(&through)
        .arg("--fix")
        .assert()
        .stderr(predicate::str::contains("symbolic link").not());
    let fixed = fs::read_to_string(real.path().join("proj/login.js")).unwrap();
    assert_ne!(fixed, FIXABLE, "the file was fixed");
    // A file named by an absolute path through the link, from elsewhere.
    fs::write(real.path().join("proj/login.js"), FIXABLE).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    oie(elsewhere.path())
        .arg(through.join("login.js"))
        .arg("--fix")
        .assert()
        .stderr(predicate::str::contains("symbolic link").not());
    assert_ne!(
        fs::read_to_string(real.path().join("proj/login.js")).unwrap(),
        FIXABLE
    );
    // A link below the checked folder is still refused.
    fs::write(real.path().join("proj/login.js"), FIXABLE).unwrap();
    let tree = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(real.path().join("proj"), tree.path().join("inner")).unwrap();
    oie(elsewhere.path())
        .arg(tree.path())
        .arg(tree.path().join("inner/login.js"))
        .arg("--fix")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is reached through a symbolic link to a folder",
        ));
    assert_eq!(
        fs::read_to_string(real.path().join("proj/login.js")).unwrap(),
        FIXABLE
    );
}

#[test]
fn a_fifo_on_the_command_line_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.js");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    fs::write(dir.path().join("a.js"), FIXABLE).unwrap();
    oie(dir.path())
        .args(["pipe.js", "a.js"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: pipe.js: is a FIFO (named pipe), not a regular file; not read",
        ));
    // A device too.
    oie(dir.path())
        .args(["/dev/zero"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a device"));
}

#[test]
fn stdin_fix_prints_only_the_text_when_excluded_or_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("oie-lint.toml"),
        "extend-exclude = [\"vendor/\"]\n",
    )
    .unwrap();
    // Excluded by --force-exclude: the text comes back unchanged, nothing else.
    oie(dir.path())
        .args([
            "-",
            "--fix",
            "--force-exclude",
            "--stdin-filename",
            "vendor/login.js",
        ])
        .write_stdin(FIXABLE)
        .assert()
        .code(0)
        .stdout(FIXABLE);
    // Not UTF-8: the bytes come back unchanged; the error goes to stderr.
    let bad = b"var a = '\xff';\n".to_vec();
    for format in ["full", "json"] {
        oie(dir.path())
            .args(["-", "--fix", "--format", format])
            .write_stdin(bad.clone())
            .assert()
            .code(2)
            .stdout(bad.clone())
            .stderr(predicate::str::contains("error: -:"));
    }
    // Fixed, with a machine format: still only the text on stdout.
    oie(dir.path())
        .args(["-", "--fix", "--format", "json", "--stdin-filename", "a.js"])
        .write_stdin(FIXABLE)
        .assert()
        .code(0)
        .stdout(FIXED);
}

#[test]
fn a_name_that_is_not_utf8_is_checked_and_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9\x1b[31m.js");
    fs::write(dir.path().join(name), FIXABLE).unwrap();
    let out = oie(dir.path())
        .arg(name)
        .args(["--format", "concise"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("the report is UTF-8");
    assert!(
        out.contains(r"caf\xe9\x1b[31m.js:1:"),
        "escaped name in: {out}"
    );
    assert!(!out.contains('\x1b'), "no raw ESC in the terminal output");
    assert!(out.contains("(1 file checked)"), "{out}");
    // JUnit stays well-formed XML with the control character in the name.
    let xml = oie(dir.path())
        .arg(name)
        .args(["--format", "junit"])
        .assert()
        .get_output()
        .stdout
        .clone();
    let xml = String::from_utf8(xml).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed JUnit: {e}\n{xml}"),
        }
    }
    assert!(!xml.contains('\x1b'));
    // The fix is written under the same (non-UTF-8) name.
    oie(dir.path()).arg(name).arg("--fix").assert().code(0);
    assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), FIXED);
}

#[test]
fn terminal_formats_never_print_a_raw_escape_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.js"),
        "x.sessionToken = \"\x1b[2J\x1b[31m\" + okta;\n",
    )
    .unwrap();
    for format in ["full", "concise"] {
        let out = oie(dir.path())
            .args(["--isolated", "--format", format, "a.js"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("OIE002"), "{out}");
        assert!(
            !out.contains('\x1b'),
            "raw ESC in --format {format}: {out:?}"
        );
    }
}
