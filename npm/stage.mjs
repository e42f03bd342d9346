// Stages and packs oie-lint's npm packages (called by scripts/dist.sh):
//
//   node npm/stage.mjs --version 0.1.0 --target x86_64-unknown-linux-gnu \
//     --binary target/release/oie-lint --out dist/npm
//
// writes `npm pack` tarballs of the launcher (`oie-lint`, whose
// optionalDependencies name every platform package of npm/platforms.json at
// the same version) and of the platform package for `--target`, which
// carries the binary. `--launcher-only` / `--platform-only` pack one of them
// (the release workflow packs the launcher once and a platform package per
// build). Nothing here downloads anything.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    version: { type: "string" },
    target: { type: "string" },
    binary: { type: "string" },
    out: { type: "string" },
    "launcher-only": { type: "boolean", default: false },
    "platform-only": { type: "boolean", default: false },
  },
});
for (const need of ["version", "out"]) {
  if (!opts[need]) throw new Error(`--${need} is required`);
}
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(opts.version)) throw new Error(`bad version ${opts.version}`);
const platforms = JSON.parse(readFileSync(join(here, "platforms.json"), "utf8"));
const out = resolve(opts.out);
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "oie-lint-npm-"));

function pack(dir) {
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: dir, encoding: "utf8" });
  console.log(join(out, name.trim().split("\n").pop()));
}

try {
  if (!opts["platform-only"]) {
    const dir = join(work, "launcher");
    mkdirSync(join(dir, "bin"), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(here, "oie-lint/package.json"), "utf8"));
    pkg.version = opts.version;
    pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [p.package, opts.version]));
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    copyFileSync(join(here, "oie-lint/bin/oie-lint.js"), join(dir, "bin/oie-lint.js"));
    chmodSync(join(dir, "bin/oie-lint.js"), 0o755);
    copyFileSync(join(here, "oie-lint/README.md"), join(dir, "README.md"));
    copyFileSync(join(here, "platforms.json"), join(dir, "platforms.json"));
    pack(dir);
  }
  if (!opts["launcher-only"]) {
    if (!opts.target || !opts.binary) throw new Error("--target and --binary are required for the platform package");
    const p = platforms.find((x) => x.target === opts.target);
    if (!p) throw new Error(`${opts.target} is not in npm/platforms.json`);
    const dir = join(work, "platform");
    mkdirSync(join(dir, "bin"), { recursive: true });
    const exe = `oie-lint${p.exe || ""}`;
    const pkg = {
      name: p.package,
      version: opts.version,
      description: `The oie-lint binary for ${p.target} (installed by the oie-lint package)`,
      license: "MIT",
      os: [p.os],
      cpu: [p.cpu],
      ...(p.libc ? { libc: [p.libc] } : {}),
      files: [`bin/${exe}`, "README.md"],
      // Yarn Plug'n'Play must unpack the binary to run it.
      preferUnplugged: true,
    };
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    copyFileSync(resolve(opts.binary), join(dir, "bin", exe));
    chmodSync(join(dir, "bin", exe), 0o755);
    const readme = readFileSync(join(here, "platform/README.md"), "utf8")
      .replaceAll("@PACKAGE@", p.package)
      .replaceAll("@TARGET@", p.target);
    writeFileSync(join(dir, "README.md"), readme);
    pack(dir);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
