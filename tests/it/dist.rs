//! The packages users install: `scripts/dist.sh` builds them for this
//! machine, and each test installs them the way the README's "Install"
//! section says, with the README's own snippets, on a `PATH` where `cargo`
//! and `rustc` are stubs that record any call (a Rust build would fail, and
//! the tests assert nothing called them):
//!
//! - npm: the launcher and platform tarballs into a fresh JavaScript
//!   project, `npx oie-lint check`, then husky + lint-staged on real
//!   `git commit`s (a safe fix is applied and committed; an error stops the
//!   commit);
//! - pnpm, Yarn 1 and Yarn 4 (Plug'n'Play and `nodeLinker: node-modules`):
//!   `oie-lint` by name from a local registry (`tests/dist/registry.mjs`,
//!   serving the same tarballs), with each manager's README command, so the
//!   platform package arrives as the launcher's optional dependency, as from
//!   registry.npmjs.org; then a check, `--version` and exit code 2 through
//!   each manager's own way of running a package's binary;
//! - PyPI: the wheel into a fresh virtualenv with `pip install oie-lint`,
//!   pip finding it through `PIP_FIND_LINKS` with no index;
//! - pre-commit: the generated mirror repository (`language: python`) with a
//!   fresh `PRE_COMMIT_HOME`, the same way, timed;
//! - cargo: the contributors' `cargo install --locked --path .`.
//!
//! They need maturin, node/npm, python3 and pre-commit (see
//! `scripts/install-ci-tools.sh`), and pnpm and yarn from
//! `scripts/install-package-managers.sh`; without them build.rs compiles
//! them as ignored outside CI. The npm test also fetches husky and lint-staged from
//! the npm registry (`--prefer-offline`: the install script warms the cache).
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Prints past libtest's capture, so timings show in a normal run.
fn say(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what}: {}", text(&out));
    out
}

/// What `scripts/dist.sh` built, once per test binary.
struct Dist {
    npm: Vec<PathBuf>,
    wheels: PathBuf,
    mirror: PathBuf,
}

fn dist() -> &'static Dist {
    static DIST: OnceLock<Dist> = OnceLock::new();
    DIST.get_or_init(|| {
        let started = Instant::now();
        let out = Command::new("bash")
            .arg("scripts/dist.sh")
            .current_dir(root())
            .output()
            .expect("bash runs");
        ok(out, "scripts/dist.sh");
        say(&format!("scripts/dist.sh: {:.0?}", started.elapsed()));
        let dir = root().join("dist");
        let mut npm: Vec<PathBuf> = std::fs::read_dir(dir.join("npm"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        npm.sort();
        let names: Vec<String> = npm
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        // The launcher and exactly one platform package, at this version.
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&format!("oie-lint-{}.tgz", version())),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.starts_with("oie-lint-")
                && n.ends_with(&format!("-{}.tgz", version()))
                && n.len() > 20),
            "{names:?}"
        );
        let wheels = dir.join("wheels");
        let whl: Vec<String> = std::fs::read_dir(&wheels)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(whl.len(), 1, "{whl:?}");
        assert!(
            whl[0].starts_with(&format!("oie_lint-{}-py3-none-", version())),
            "{whl:?}"
        );
        let archives: Vec<String> = std::fs::read_dir(dir.join("archives"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            archives.len(),
            2,
            "an archive and its .sha256: {archives:?}"
        );
        Dist {
            npm,
            wheels,
            mirror: dir.join("pre-commit-mirror"),
        }
    })
}

/// A `PATH` without any directory that holds `cargo` or `rustc`, with stubs
/// of both first that log their call to `<dir>/rust-called` and fail.
struct NoRust {
    path: OsString,
    log: PathBuf,
    /// A fresh home folder (no user config, empty caches), when set.
    home: Option<PathBuf>,
}

fn no_rust(dir: &Path) -> NoRust {
    let stubs = dir.join("rust-stubs");
    std::fs::create_dir_all(&stubs).unwrap();
    let log = dir.join("rust-called");
    for tool in ["cargo", "rustc", "rustup"] {
        let p = stubs.join(tool);
        std::fs::write(
            &p,
            format!(
                "#!/bin/sh\necho \"{tool} $*\" >> '{}'\necho '{tool} is not installed' >&2\nexit 127\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let kept = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("cargo").exists() && !d.join("rustc").exists())
        .collect::<Vec<_>>();
    let path = std::env::join_paths(std::iter::once(stubs).chain(kept)).unwrap();
    NoRust {
        path,
        log,
        home: None,
    }
}

impl NoRust {
    /// A command on this PATH, with Cargo's variables for the test removed.
    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(dir)
            .env("PATH", &self.path)
            .env_remove("CARGO")
            .env_remove("RUSTC")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env("NO_COLOR", "1")
            .env("npm_config_audit", "false")
            .env("npm_config_fund", "false")
            .env("npm_config_update_notifier", "false")
            .env("npm_config_prefer_offline", "true")
            .env("npm_config_loglevel", "error");
        if let Some(home) = &self.home {
            c.env("HOME", home);
            for var in [
                "XDG_CACHE_HOME",
                "XDG_CONFIG_HOME",
                "XDG_DATA_HOME",
                "XDG_STATE_HOME",
            ] {
                c.env_remove(var);
            }
        }
        c
    }

    /// The same environment with `dir` first on `PATH` and `home` as `HOME`.
    fn with(&self, dir: &Path, home: &Path) -> NoRust {
        std::fs::create_dir_all(home).unwrap();
        let mut path = OsString::from(dir);
        path.push(":");
        path.push(&self.path);
        NoRust {
            path,
            log: self.log.clone(),
            home: Some(home.to_path_buf()),
        }
    }

    fn sh(&self, script: &str, dir: &Path) -> Output {
        self.cmd("sh", dir)
            .args(["-c", script])
            .output()
            .expect("sh runs")
    }

    /// Nothing compiled: no call but `rustc --version`, which pip makes for
    /// its User-Agent header on every run (it answers "not installed" here).
    fn assert_untouched(&self) {
        let called = std::fs::read_to_string(&self.log).unwrap_or_default();
        let builds: Vec<&str> = called.lines().filter(|l| *l != "rustc --version").collect();
        assert!(builds.is_empty(), "a Rust tool was called: {builds:?}");
    }
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=oie-lint test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs")
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The README's "Install" section.
fn install_section() -> String {
    let readme = readme();
    let start = readme
        .find("\n## Install\n")
        .expect("README has ## Install");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// The fenced blocks of `section`, as (info string, body).
fn blocks(section: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((info.to_string(), body));
        }
    }
    out
}

/// The first block of the Install section whose body contains `needle`.
fn block(needle: &str) -> String {
    blocks(&install_section())
        .into_iter()
        .map(|(_, b)| b)
        .find(|b| b.contains(needle))
        .unwrap_or_else(|| panic!("no README Install block contains {needle:?}"))
}

/// A shell block's commands, comments dropped.
fn commands(block: &str) -> Vec<String> {
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

const BAD_JS: &str =
    "import OktaSignIn from '@okta/okta-signin-widget';\nconst t = res.sessionToken;\n";
const GOOD_JS: &str =
    "import OktaSignIn from '@okta/okta-signin-widget';\nsignIn.showSignIn({ el: '#app' });\n";

#[test]
fn readme_install_leads_with_npm_and_pip_then_hooks_then_cargo() {
    let section = install_section();
    let order = [
        "npm install --save-dev oie-lint",
        "pnpm add --save-dev oie-lint",
        "yarn add --dev oie-lint",
        "pip install oie-lint",
        "oie-lint-pre-commit",
        "lint-staged",
        "cargo install --locked --path .",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|n| section.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    // Every `cargo install` command the README shows is locked (prose that
    // names the command alone, "`cargo install` on first use", is not one).
    let readme = readme();
    for (at, _) in readme.match_indices("cargo install ") {
        let rest = &readme[at..];
        let cmd = &rest[..rest.find(['`', '\n']).unwrap_or(rest.len())];
        assert!(cmd.contains("--locked"), "{cmd}");
    }
    // Every block of the section is one the tests below run.
    let known = [
        "npm install --save-dev oie-lint\n",
        "pnpm add --save-dev oie-lint\n",
        "yarn add --dev oie-lint\n",
        "pip install oie-lint\n",
        "repo: https://github.com/OWNER/oie-lint-pre-commit\n",
        "npx husky init\n",
        "\"lint-staged\"",
        "cargo install --locked --path .",
    ];
    for (_, body) in blocks(&section) {
        assert!(
            known.iter().any(|k| body.contains(k)),
            "untested block:\n{body}"
        );
    }
}

#[test]
fn no_placeholder_addresses() {
    // The project has no public home: nothing may point at an invented one.
    let listed = Command::new("git")
        .current_dir(root())
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .unwrap();
    assert!(listed.status.success());
    for rel in listed.stdout.split(|&b| b == 0).filter(|s| !s.is_empty()) {
        let rel = std::str::from_utf8(rel).unwrap();
        if rel == "tests/it/dist.rs" {
            continue;
        }
        let Ok(body) = std::fs::read_to_string(root().join(rel)) else {
            continue;
        };
        for bad in ["github.com/oie-lint/", "github.com/oie-lint\""] {
            assert!(!body.contains(bad), "{rel} names {bad}");
        }
    }
    // While Cargo.toml has no `repository`, the binary links nowhere of its own.
    if oie_lint::repository().is_none() {
        let out = Command::new(env!("CARGO_BIN_EXE_oie-lint"))
            .args(["rule", "OIE900"])
            .output()
            .unwrap();
        let docs = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && docs.contains("unused-suppression"),
            "{docs}"
        );
        assert!(!docs.contains("https://"), "{docs}");
        let reg = oie_lint::rules::Registry::get();
        for code in ["OIE900", "OIE901"] {
            assert_eq!(reg.rules[reg.find(code).unwrap()].url, "", "{code}");
        }
    }
}

#[test]
fn release_workflow_builds_every_npm_platform() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let platforms: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("npm/platforms.json")).unwrap())
            .unwrap();
    let platforms = platforms.as_array().unwrap();
    assert_eq!(platforms.len(), 7);
    for p in platforms {
        let target = p["target"].as_str().unwrap();
        assert!(
            workflow.contains(&format!("target: {target}\n")),
            "release.yml does not build {target}"
        );
    }
    // Every target the workflow builds has a package.
    for line in workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- target: "))
    {
        assert!(
            platforms.iter().any(|p| p["target"] == line.trim()),
            "{line} has no npm package"
        );
    }
    assert!(workflow.contains("scripts/dist.sh"));
}

#[test]
#[cfg_attr(
    oie_missing_dist_tools,
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn npm_package_runs_the_binary_and_lint_staged_fixes_staged_files_on_commit() {
    let dist = dist();
    let tmp = tempfile::tempdir().unwrap();
    let env = no_rust(tmp.path());
    let project = tmp.path().join("web-app");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("package.json"),
        r#"{ "name": "web-app", "version": "1.0.0", "private": true }"#,
    )
    .unwrap();
    ok(git(&project, &["init", "-q"]), "git init");
    // The tarballs stand for the registry's `oie-lint` (and the platform
    // package it pulls in); everything else is the README's command.
    let packages: Vec<String> = dist.npm.iter().map(|p| p.display().to_string()).collect();
    let from_dist = |cmd: &str| cmd.replacen(" oie-lint", &format!(" {}", packages.join(" ")), 1);

    let npm_block = commands(&block("npm install --save-dev oie-lint\n"));
    assert_eq!(
        npm_block,
        ["npm install --save-dev oie-lint", "npx oie-lint check"]
    );
    let started = Instant::now();
    ok(env.sh(&from_dist(&npm_block[0]), &project), "npm install");
    say(&format!(
        "npm install of oie-lint: {:.1?}",
        started.elapsed()
    ));
    let installed = project.join("node_modules/@oie-lint");
    let platform_dirs: Vec<_> = std::fs::read_dir(&installed).unwrap().collect();
    assert_eq!(platform_dirs.len(), 1, "only the host's platform package");

    std::fs::write(project.join("bad.js"), BAD_JS).unwrap();
    let out = env.sh(&npm_block[1], &project);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("OIE002") && text(&out).contains("bad.js"),
        "{}",
        text(&out)
    );
    let out = ok(env.sh("npx oie-lint --version", &project), "--version");
    assert!(text(&out).contains(version()), "{}", text(&out));
    // Exit codes pass through the launcher unchanged.
    let out = env.sh("npx oie-lint check --no-such-flag", &project);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    std::fs::remove_file(project.join("bad.js")).unwrap();

    // husky + lint-staged, as the README sets them up.
    let hook_block = commands(&block("npx husky init\n"));
    assert_eq!(
        hook_block[0],
        "npm install --save-dev oie-lint husky lint-staged"
    );
    ok(
        env.sh(&from_dist(&hook_block[0]), &project),
        "npm install husky lint-staged",
    );
    for cmd in &hook_block[1..] {
        ok(env.sh(cmd, &project), cmd);
    }
    let config: serde_json::Value = serde_json::from_str(&block("\"lint-staged\"")).unwrap();
    let mut pkg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("package.json")).unwrap())
            .unwrap();
    pkg["lint-staged"] = config["lint-staged"].clone();
    std::fs::write(
        project.join("package.json"),
        serde_json::to_string_pretty(&pkg).unwrap(),
    )
    .unwrap();
    std::fs::write(project.join(".gitignore"), "node_modules/\n").unwrap();
    let commit = |msg: &str| {
        env.cmd("git", &project)
            .args([
                "-c",
                "user.name=oie-lint test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                msg,
            ])
            .output()
            .unwrap()
    };
    ok(git(&project, &["add", "-A"]), "git add");
    ok(commit("set up oie-lint"), "first commit");

    // A safe fix (OIE003) is applied and committed.
    std::fs::write(
        project.join("login.js"),
        "import OktaSignIn from '@okta/okta-signin-widget';\nconst w = new OktaSignIn({ baseUrl: 'https://example.okta.com', clientId: '0oa1abcdEFGH', redirectUri: uri });\n",
    )
    .unwrap();
    std::fs::write(project.join("unstaged.js"), BAD_JS).unwrap();
    ok(git(&project, &["add", "login.js"]), "git add");
    ok(commit("sign-in page"), "commit with a safe fix");
    let committed = ok(git(&project, &["show", "HEAD:login.js"]), "git show");
    assert!(
        text(&committed).contains("redirectUri: uri, useInteractionCodeFlow: true })"),
        "{}",
        text(&committed)
    );
    let status = ok(git(&project, &["status", "--porcelain"]), "git status");
    // Only the unstaged file is left over: lint-staged checked staged files only.
    assert_eq!(text(&status), "?? unstaged.js\n");

    // An error without a safe fix stops the commit.
    let head = text(&git(&project, &["rev-parse", "HEAD"]));
    std::fs::rename(project.join("unstaged.js"), project.join("session.js")).unwrap();
    ok(git(&project, &["add", "session.js"]), "git add");
    let out = commit("session token");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("OIE002"), "{}", text(&out));
    assert_eq!(text(&git(&project, &["rev-parse", "HEAD"])), head);
    env.assert_untouched();
}

/// The folder `scripts/install-package-managers.sh` installs pnpm, yarn 1
/// and Yarn 4 in, one prefix each (build.rs looks in the same place).
fn pm_tools() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("OIE_LINT_PM_TOOLS")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("oie-lint-ci/pm-tools")))
        .or_else(|| var("HOME").map(|d| d.join(".cache/oie-lint-ci/pm-tools")))
        .expect("HOME is set")
}

/// The platform package `scripts/dist.sh` built for this machine, without
/// its scope: `linux-x64-gnu` for `@oie-lint/linux-x64-gnu`.
fn host_platform() -> String {
    let suffix = format!("-{}.tgz", version());
    dist()
        .npm
        .iter()
        .find_map(|p| {
            let name = p.file_name()?.to_str()?;
            Some(
                name.strip_prefix("oie-lint-")?
                    .strip_suffix(&suffix)?
                    .to_string(),
            )
        })
        .expect("a platform tarball")
}

/// `tests/dist/registry.mjs` serving the tarballs of dist/npm, as the npm
/// registry serves the published packages; stopped when dropped.
struct Registry {
    child: std::process::Child,
    url: String,
}

fn registry(tarballs: &[PathBuf]) -> Registry {
    use std::io::BufRead;
    let mut child = Command::new("node")
        .arg(root().join("tests/dist/registry.mjs"))
        .args(tarballs)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "registry said {url:?}"
    );
    Registry { child, url }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A JavaScript project in which a package manager installed `oie-lint`
/// with the README's command and ran it.
struct Installed {
    project: PathBuf,
    _registry: Registry,
    _tmp: tempfile::TempDir,
}

/// In a fresh project `web-app`, with `command` (`pnpm` or `yarn`) of the
/// prefix `prefix` of `pm_tools()` first on PATH, a fresh HOME (empty caches,
/// no user config) and no Rust: `configure` points the project at the local
/// registry (the one setting a user of registry.npmjs.org does not need),
/// then the README block that contains `readme` installs oie-lint by name and
/// runs it on a file with a finding; `--version` and a usage error (exit 2)
/// go through the same command.
fn install_with(
    prefix: &str,
    command: &str,
    readme: &str,
    configure: impl FnOnce(&Path, &str),
) -> Installed {
    let dist = dist();
    let tmp = tempfile::tempdir().unwrap();
    let bin = pm_tools()
        .join(prefix)
        .join("node_modules/.bin")
        .join(command);
    assert!(
        bin.exists(),
        "{} is missing: run `bash scripts/install-package-managers.sh`",
        bin.display()
    );
    let shims = tmp.path().join("pm-bin");
    std::fs::create_dir_all(&shims).unwrap();
    let shim = shims.join(command);
    std::fs::write(
        &shim,
        format!("#!/bin/sh\nexec '{}' \"$@\"\n", bin.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    let env = no_rust(tmp.path()).with(&shims, &tmp.path().join("home"));
    let out = ok(
        env.sh(&format!("{command} --version"), tmp.path()),
        "--version",
    );
    let pm_version = text(&out).trim().lines().last().unwrap_or("").to_string();

    let registry = registry(&dist.npm);
    let project = tmp.path().join("web-app");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("package.json"),
        r#"{ "name": "web-app", "version": "1.0.0", "private": true }"#,
    )
    .unwrap();
    configure(&project, &registry.url);

    let readme_block = commands(&block(readme));
    assert_eq!(readme_block.len(), 2, "{readme_block:?}");
    let started = Instant::now();
    ok(env.sh(&readme_block[0], &project), &readme_block[0]);
    say(&format!(
        "{prefix} {pm_version}: `{}`: {:.1?}",
        readme_block[0],
        started.elapsed()
    ));

    std::fs::write(project.join("bad.js"), BAD_JS).unwrap();
    let out = env.sh(&readme_block[1], &project);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("OIE002") && text(&out).contains("bad.js"),
        "{}",
        text(&out)
    );
    let run = readme_block[1]
        .strip_suffix(" check")
        .expect("the README runs `… oie-lint check`");
    let out = ok(env.sh(&format!("{run} --version"), &project), "--version");
    assert!(
        text(&out).contains(&format!("oie-lint {}", version())),
        "{}",
        text(&out)
    );
    // The binary's own usage error and exit code, through the launcher and
    // the package manager.
    let out = env.sh(&format!("{run} check --no-such-flag"), &project);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("unexpected argument '--no-such-flag'"),
        "{}",
        text(&out)
    );
    env.assert_untouched();
    Installed {
        project,
        _registry: registry,
        _tmp: tmp,
    }
}

/// The names in `dir`, sorted; none if it does not exist.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
#[cfg_attr(
    oie_missing_package_managers,
    ignore = "needs pnpm, yarn 1 and Yarn 4 from the npm registry: `bash scripts/install-package-managers.sh`"
)]
#[cfg_attr(
    all(oie_missing_dist_tools, not(oie_missing_package_managers)),
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn pnpm_runs_the_binary_from_its_isolated_store() {
    let host = host_platform();
    let installed = install_with(
        "pnpm",
        "pnpm",
        "pnpm add --save-dev oie-lint\n",
        |project, url| {
            std::fs::write(project.join(".npmrc"), format!("registry={url}/\n")).unwrap();
        },
    );
    // pnpm's default (isolated) layout: node_modules/oie-lint is a link into
    // node_modules/.pnpm, and the platform package is only the launcher's
    // dependency there, not hoisted next to it.
    let modules = installed.project.join("node_modules");
    let launcher = std::fs::symlink_metadata(modules.join("oie-lint")).unwrap();
    assert!(launcher.file_type().is_symlink());
    assert!(!modules.join("@oie-lint").exists());
    let store: Vec<String> = names(&modules.join(".pnpm"))
        .into_iter()
        .filter(|n| n.starts_with("@oie-lint+"))
        .collect();
    assert_eq!(store, [format!("@oie-lint+{host}@{}", version())]);
    assert!(modules
        .join(format!(
            ".pnpm/oie-lint@{}/node_modules/@oie-lint/{host}/bin/oie-lint",
            version()
        ))
        .is_file());
    // The README: `pnpm add` exempts the fresh release from pnpm's
    // minimumReleaseAge (the local registry publishes everything now).
    let workspace =
        std::fs::read_to_string(installed.project.join("pnpm-workspace.yaml")).unwrap_or_default();
    assert!(
        workspace.contains("minimumReleaseAgeExclude:")
            && workspace.contains(&format!("- oie-lint@{}\n", version())),
        "{workspace}"
    );
}

#[test]
#[cfg_attr(
    oie_missing_package_managers,
    ignore = "needs pnpm, yarn 1 and Yarn 4 from the npm registry: `bash scripts/install-package-managers.sh`"
)]
#[cfg_attr(
    all(oie_missing_dist_tools, not(oie_missing_package_managers)),
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn yarn_1_runs_the_binary_of_the_machine() {
    let host = host_platform();
    let installed = install_with(
        "yarn-classic",
        "yarn",
        "yarn add --dev oie-lint\n",
        |project, url| {
            std::fs::write(project.join(".yarnrc"), format!("registry \"{url}/\"\n")).unwrap();
        },
    );
    // Yarn 1 reads `os` and `cpu` but not `libc`: on Linux it installs the
    // glibc and the musl package of the CPU, and the launcher runs the one
    // that matches (the README says so).
    let platforms = names(&installed.project.join("node_modules/@oie-lint"));
    let expected = match host.strip_suffix("-gnu").or(host.strip_suffix("-musl")) {
        Some(linux) => vec![format!("{linux}-gnu"), format!("{linux}-musl")],
        None => vec![host.clone()],
    };
    assert_eq!(platforms, expected);
}

/// The setting of `.yarnrc.yml` the README gives for Yarn 4 on a release's
/// first day (Yarn 4 installs no version younger than `npmMinimalAgeGate`,
/// a day by default; the local registry publishes everything now).
const YARN_PREAPPROVED: &str = r#"npmPreapprovedPackages: ["oie-lint", "@oie-lint/*"]"#;

#[test]
#[cfg_attr(
    oie_missing_package_managers,
    ignore = "needs pnpm, yarn 1 and Yarn 4 from the npm registry: `bash scripts/install-package-managers.sh`"
)]
#[cfg_attr(
    all(oie_missing_dist_tools, not(oie_missing_package_managers)),
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn yarn_4_runs_the_binary_with_plug_n_play_and_with_node_modules() {
    let host = host_platform();
    assert!(install_section().contains(YARN_PREAPPROVED));
    let yarnrc = |linker: &'static str| {
        move |project: &Path, url: &str| {
            std::fs::write(
                project.join(".yarnrc.yml"),
                format!(
                    "npmRegistryServer: \"{url}\"\nunsafeHttpWhitelist: [\"127.0.0.1\"]\nenableTelemetry: false\n{YARN_PREAPPROVED}\n{linker}"
                ),
            )
            .unwrap();
            // Marks the project's root, as `yarn init` does.
            std::fs::write(project.join("yarn.lock"), "").unwrap();
        }
    };

    // Plug'n'Play, Yarn's default: no node_modules; the launcher runs from
    // its zip archive, and the platform package is unpacked
    // (`preferUnplugged`), so its binary can be executed.
    say("Yarn 4, Plug'n'Play:");
    let pnp = install_with(
        "yarn-berry",
        "yarn",
        "yarn add --dev oie-lint\n",
        yarnrc(""),
    );
    assert!(!pnp.project.join("node_modules").exists());
    assert!(pnp.project.join(".pnp.cjs").is_file());
    let unplugged = names(&pnp.project.join(".yarn/unplugged"));
    assert_eq!(unplugged.len(), 1, "{unplugged:?}");
    assert!(
        unplugged[0].starts_with(&format!("@oie-lint-{host}-npm-{}-", version())),
        "{unplugged:?}"
    );
    assert!(pnp
        .project
        .join(".yarn/unplugged")
        .join(&unplugged[0])
        .join(format!("node_modules/@oie-lint/{host}/bin/oie-lint"))
        .is_file());
    drop(pnp);

    say("Yarn 4, nodeLinker: node-modules:");
    let modules = install_with(
        "yarn-berry",
        "yarn",
        "yarn add --dev oie-lint\n",
        yarnrc("nodeLinker: node-modules\n"),
    );
    assert!(!modules.project.join(".pnp.cjs").exists());
    assert_eq!(
        names(&modules.project.join("node_modules/@oie-lint")),
        [host]
    );
}

#[test]
#[cfg_attr(
    oie_missing_dist_tools,
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn wheel_installs_into_a_fresh_virtualenv_without_an_index() {
    let dist = dist();
    let tmp = tempfile::tempdir().unwrap();
    let env = no_rust(tmp.path());
    ok(
        env.cmd("python3", tmp.path())
            .args(["-m", "venv", "venv"])
            .output()
            .unwrap(),
        "python3 -m venv",
    );
    let pip_block = commands(&block("pip install oie-lint\n"));
    assert_eq!(pip_block, ["pip install oie-lint", "oie-lint check"]);
    // The venv's pip and its scripts first on PATH (an activated venv).
    let venv_bin = tmp.path().join("venv/bin");
    let mut path = OsString::from(&venv_bin);
    path.push(":");
    path.push(&env.path);
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("bad.js"), BAD_JS).unwrap();
    let run = |cmd: &str| {
        env.cmd("sh", &project)
            .args(["-c", cmd])
            .env("PATH", &path)
            .env("PIP_FIND_LINKS", &dist.wheels)
            .env("PIP_NO_INDEX", "1")
            .env_remove("PYTHONHOME")
            .output()
            .unwrap()
    };
    let started = Instant::now();
    ok(run(&pip_block[0]), "pip install");
    say(&format!("pip install oie-lint: {:.1?}", started.elapsed()));
    assert!(venv_bin.join("oie-lint").is_file());
    let out = run(&pip_block[1]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("OIE002"), "{}", text(&out));
    env.assert_untouched();
}

#[test]
#[cfg_attr(
    oie_missing_dist_tools,
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn pre_commit_mirror_installs_the_wheel_in_seconds_without_rust() {
    let dist = dist();
    let tmp = tempfile::tempdir().unwrap();
    let env = no_rust(tmp.path());

    // The mirror repository as the release workflow publishes it: one
    // commit, tagged with the version.
    let mirror = tmp.path().join("oie-lint-pre-commit");
    ok(
        Command::new("cp")
            .arg("-R")
            .arg(&dist.mirror)
            .arg(&mirror)
            .output()
            .unwrap(),
        "cp",
    );
    let hooks = std::fs::read_to_string(mirror.join(".pre-commit-hooks.yaml")).unwrap();
    assert_eq!(hooks.matches("language: python").count(), 2, "{hooks}");
    assert!(!hooks.contains("language: rust"));
    ok(git(&mirror, &["init", "-q"]), "git init");
    ok(git(&mirror, &["add", "-A"]), "git add");
    ok(
        git(&mirror, &["commit", "-q", "-m", "oie-lint hooks"]),
        "git commit",
    );
    ok(
        git(&mirror, &["tag", &format!("v{}", version())]),
        "git tag",
    );

    // The user's project with the README's config, the mirror standing in
    // for its URL.
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("legacy")).unwrap();
    std::fs::write(project.join("bad.js"), BAD_JS).unwrap();
    std::fs::write(project.join("good.js"), GOOD_JS).unwrap();
    std::fs::write(project.join("legacy/old.js"), BAD_JS).unwrap();
    std::fs::write(
        project.join("oie-lint.toml"),
        "extend-exclude = [\"legacy/\"]\n",
    )
    .unwrap();
    let config = block("oie-lint-pre-commit\n");
    assert!(
        config.contains(&format!("rev: v{}\n", version())),
        "{config}"
    );
    let config = config.replace(
        "https://github.com/OWNER/oie-lint-pre-commit",
        &mirror.display().to_string(),
    );
    std::fs::write(project.join(".pre-commit-config.yaml"), config).unwrap();
    ok(git(&project, &["init", "-q"]), "git init");
    ok(git(&project, &["add", "-A"]), "git add");

    let home = tmp.path().join("pre-commit-home");
    let pre_commit = |files: &[&str]| {
        let mut cmd = env.cmd("pre-commit", &project);
        cmd.args(["run", "oie-lint", "--color", "never"]);
        if !files.is_empty() {
            cmd.arg("--files").args(files);
        }
        let out = cmd
            .env("PRE_COMMIT_HOME", &home)
            .env("PIP_FIND_LINKS", &dist.wheels)
            .env("PIP_NO_INDEX", "1")
            .output()
            .expect("pre-commit runs");
        (out.status.code().unwrap_or(-1), text(&out))
    };

    let started = Instant::now();
    let (code, out) = pre_commit(&["bad.js"]);
    let first = started.elapsed();
    say(&format!(
        "first pre-commit run (hook environment created, wheel installed): {first:.1?}"
    ));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Failed") && out.contains("OIE002") && out.contains("bad.js"),
        "{out}"
    );
    env.assert_untouched();
    // Seconds, not the 3 to 6 minutes of a compile (generous: a shared,
    // busy CI machine creates the virtualenv slowly).
    assert!(first < Duration::from_secs(150), "first run took {first:?}");

    let started = Instant::now();
    let (code, out) = pre_commit(&["good.js"]);
    say(&format!("second pre-commit run: {:.1?}", started.elapsed()));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");

    // On the staged files: bad.js only; legacy/ stays excluded.
    let (code, out) = pre_commit(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        !out.contains("legacy/old.js") && !out.contains("good.js"),
        "{out}"
    );
    assert_eq!(out.matches("OIE002").count(), 1, "{out}");
    env.assert_untouched();
}

#[test]
#[cfg_attr(
    oie_missing_dist_tools,
    ignore = "needs maturin, node/npm, python3 and pre-commit: `python3 -m pip install maturin pre-commit`"
)]
fn cargo_install_locked_from_a_checkout() {
    // After dist.sh, the release build is in target/release and `cargo
    // install --path` reuses it (it builds in the package's target/).
    dist();
    let tmp = tempfile::tempdir().unwrap();
    let cargo_block = commands(&block("cargo install --locked --path ."));
    assert_eq!(
        cargo_block,
        ["cargo install --locked --path .", "oie-lint check"]
    );
    let install_root = tmp.path().join("cargo-root");
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(root())
        .args(cargo_block[0].split_whitespace().skip(1))
        .arg("--root")
        .arg(&install_root)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    ok(out, "cargo install");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("bad.js"), BAD_JS).unwrap();
    let out = Command::new(install_root.join("bin/oie-lint"))
        .args(cargo_block[1].split_whitespace().skip(1))
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("OIE002"), "{}", text(&out));
}
