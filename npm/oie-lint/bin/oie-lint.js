#!/usr/bin/env node
// Launcher of the `oie-lint` npm package: runs the prebuilt binary of the
// platform package npm (pnpm, yarn) installed next to it through
// `optionalDependencies` (each one restricted by `os`/`cpu`/`libc`, so only
// the matching one is installed). No postinstall script, no download: the
// binary arrives as an ordinary package, as Biome and oxlint ship theirs.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");
const platforms = require("../platforms.json");

/** `glibc` or `musl` on Linux (Node reports the glibc it runs on), else undefined. */
function libc() {
  if (process.platform !== "linux") return undefined;
  const report = process.report && process.report.getReport();
  const header = report && report.header;
  return header && header.glibcVersionRuntime ? "glibc" : "musl";
}

function binaryPath() {
  // An explicit binary (a local `cargo build`, an unsupported platform).
  if (process.env.OIE_LINT_BINARY) return process.env.OIE_LINT_BINARY;
  const c = libc();
  const entry = platforms.find(
    (p) => p.os === process.platform && p.cpu === process.arch && (p.libc === undefined || p.libc === c),
  );
  const where = `${process.platform}-${process.arch}${c ? ` (${c})` : ""}`;
  if (!entry) {
    fail(
      `oie-lint has no prebuilt binary for ${where}. Build it from a checkout of its source ` +
        "with `cargo install --locked --path .` and set OIE_LINT_BINARY to the binary's path.",
    );
  }
  // Resolved from this file, so it finds the package wherever the manager
  // put it: hoisted next to this one (npm, yarn), a sibling in pnpm's
  // `.pnpm` store, or `.yarn/unplugged/` through Yarn's Plug'n'Play runtime
  // (the platform package declares `preferUnplugged`, so its binary is a real
  // file). tests/it/dist.rs runs all of them.
  let dir;
  try {
    dir = path.dirname(require.resolve(`${entry.package}/package.json`));
  } catch {
    fail(
      `the package ${entry.package}, which carries oie-lint's binary for ${where}, is not installed. ` +
        "It is an optional dependency of oie-lint: reinstall without --no-optional / --omit=optional " +
        "(and with the lockfile made on a machine that includes it), or set OIE_LINT_BINARY.",
    );
  }
  return path.join(dir, "bin", `oie-lint${entry.exe || ""}`);
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (result.error) fail(`cannot run ${result.error.path || "oie-lint"}: ${result.error.message}`);
if (result.signal) {
  // Die of the same signal, so a caller sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);
