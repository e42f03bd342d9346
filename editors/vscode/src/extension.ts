// The oie-lint extension: starts `oie-lint server` (the language server in
// the oie-lint binary) and connects VS Code to it with
// vscode-languageclient. Everything else (findings, quick fixes, fix all,
// suppress on this line, rule docs on hover) comes from the server.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The npm platform packages that carry the binary (npm/platforms.json). */
const PLATFORM_PACKAGES: Record<string, string> = {
  "linux-x64": "@oie-lint/linux-x64-gnu",
  "linux-arm64": "@oie-lint/linux-arm64-gnu",
  "darwin-x64": "@oie-lint/darwin-x64",
  "darwin-arm64": "@oie-lint/darwin-arm64",
  "win32-x64": "@oie-lint/win32-x64",
};

/**
 * The binary to run: the `oie-lint.path` setting; else the binary of the
 * oie-lint npm package installed in a workspace folder (or a folder above
 * it); else `oie-lint` on PATH.
 */
export function findBinary(configured: string | null | undefined, folders: string[]): string {
  if (configured) return configured;
  const exe = process.platform === "win32" ? ".exe" : "";
  const musl = process.platform === "linux" && !isGlibc();
  let pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (pkg && musl) pkg = pkg.replace("-gnu", "-musl");
  for (const folder of folders) {
    for (let dir = folder; ; dir = path.dirname(dir)) {
      const candidates = [
        pkg && path.join(dir, "node_modules", pkg, "bin", `oie-lint${exe}`),
        path.join(dir, "node_modules", ".bin", `oie-lint${process.platform === "win32" ? ".cmd" : ""}`),
      ];
      for (const c of candidates) {
        if (c && fs.existsSync(c)) return c;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return `oie-lint${exe}`;
}

function isGlibc(): boolean {
  const report = (process as any).report?.getReport?.();
  return Boolean(report?.header?.glibcVersionRuntime);
}

/** The server's settings (`initializationOptions` and `workspace/configuration`). */
function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("oie-lint");
  return {
    unsafeFixes: c.get<boolean>("unsafeFixes", true),
    extendSelect: c.get<string[]>("extendSelect", []),
    ignore: c.get<string[]>("ignore", []),
    debounceMs: c.get<number>("debounceMs", 150),
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const command = findBinary(vscode.workspace.getConfiguration("oie-lint").get<string | null>("path"), folders);
  const run = { command, args: ["server"], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file" }],
    initializationOptions: settings(),
    synchronize: { configurationSection: "oie-lint" },
  };
  client = new LanguageClient("oie-lint", "oie-lint", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("oie-lint.fixAll", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client || !editor) return;
      await client.sendRequest(ExecuteCommandRequest.type, {
        command: "oie-lint.applyAutofix",
        arguments: [{ uri: editor.document.uri.toString() }],
      });
    }),
    vscode.commands.registerCommand("oie-lint.restart", async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("oie-lint.path")) {
        await client?.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
