// A minimal npm registry on 127.0.0.1 for tests/it/dist.rs: serves the
// tarballs of dist/npm (`oie-lint` and the host's platform package) by name,
// so pnpm and yarn install `oie-lint` the way they would from
// registry.npmjs.org: the launcher first, then its optionalDependencies,
// which the package manager filters by `os`/`cpu`/`libc`.
//
//   node tests/dist/registry.mjs TARBALL... [--log FILE]
//
// Prints its base URL as the first line of stdout and serves until stdin is
// closed (the test holds it open) or it is killed. The platform packages that
// were not built here get stand-in tarballs (their package.json only, with
// the real `os`/`cpu`/`libc`), as on the real registry, where all of them
// exist and a manager only reads their metadata to skip them. `--log` records
// each tarball downloaded, so a test can tell which packages were fetched.
// Written with Node's standard library only.
import { createHash } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let log = null;
const tarballs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--log") log = args[++i];
  else tarballs.push(args[i]);
}

/** The `package/package.json` of a gzipped tarball (ustar, as `npm pack` writes). */
function manifestOf(tgz) {
  const tar = gunzipSync(tgz);
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from, len) => header.subarray(from, from + len).toString("latin1").replace(/\0.*$/s, "");
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join("/");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const body = at + 512;
    if (name === "package/package.json") return JSON.parse(tar.subarray(body, body + size).toString("utf8"));
    at = body + Math.ceil(size / 512) * 512;
  }
  throw new Error("no package/package.json in the tarball");
}

/** A gzipped ustar archive of `files` (path → string), under `package/`. */
function pack(files) {
  const blocks = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text, "utf8");
    const header = Buffer.alloc(512);
    header.write(`package/${name}`, 0, 100, "latin1");
    header.write("0000644\0", 100, "latin1");
    header.write("0000000\0", 108, "latin1");
    header.write("0000000\0", 116, "latin1");
    header.write(body.length.toString(8).padStart(11, "0") + "\0", 124, "latin1");
    header.write("00000000000\0", 136, "latin1");
    header.write("        ", 148, "latin1");
    header.write("0", 156, "latin1");
    header.write("ustar\0", 257, "latin1");
    header.write("00", 263, "latin1");
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

// name → { manifest, tgz }
const packages = new Map();
for (const file of tarballs) {
  const tgz = readFileSync(file);
  const manifest = manifestOf(tgz);
  packages.set(manifest.name, { manifest, tgz });
}
const launcher = packages.get("oie-lint");
if (!launcher) throw new Error("no oie-lint tarball given");
const platforms = JSON.parse(readFileSync(join(here, "../../npm/platforms.json"), "utf8"));
for (const p of platforms) {
  if (packages.has(p.package)) continue;
  const manifest = {
    name: p.package,
    version: launcher.manifest.version,
    description: `stand-in for ${p.target} (tests/dist/registry.mjs)`,
    license: "MIT",
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
  };
  const tgz = pack({ "package.json": JSON.stringify(manifest, null, 2) + "\n" });
  packages.set(p.package, { manifest, tgz });
}

const published = new Date().toISOString();
function packument(base, name) {
  const { manifest, tgz } = packages.get(name);
  const v = manifest.version;
  const file = `${name.split("/").pop()}-${v}.tgz`;
  const dist = {
    tarball: `${base}/${name}/-/${file}`,
    shasum: createHash("sha1").update(tgz).digest("hex"),
    integrity: `sha512-${createHash("sha512").update(tgz).digest("base64")}`,
  };
  return {
    _id: name,
    name,
    "dist-tags": { latest: v },
    versions: { [v]: { ...manifest, _id: `${name}@${v}`, dist } },
    time: { created: published, modified: published, [v]: published },
  };
}

const server = createServer((req, res) => {
  const base = `http://${req.headers.host}`;
  const path = decodeURIComponent(new URL(req.url, base).pathname).replace(/^\/+/, "");
  const send = (status, type, body) => {
    res.writeHead(status, { "content-type": type, "content-length": body.length });
    res.end(body);
  };
  const tarball = path.match(/^(.+)\/-\/[^/]+\.tgz$/);
  if (tarball && packages.has(tarball[1])) {
    if (log) appendFileSync(log, `${tarball[1]}\n`);
    return send(200, "application/octet-stream", packages.get(tarball[1]).tgz);
  }
  if (req.method === "GET" && packages.has(path)) {
    return send(200, "application/json", Buffer.from(JSON.stringify(packument(base, path))));
  }
  send(404, "application/json", Buffer.from(JSON.stringify({ error: "Not found" })));
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
