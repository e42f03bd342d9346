// Proof by execution for oie-lint's migration fixes (issue 12).
//
// For every fixture directory under the given root (default fixtures/fix)
// that has a `browser.json`, the page before the fix and the page after it
// are loaded in headless Chromium against oie-lint's stubs of an Identity
// Engine widget and org (stubs/widget.js, stubs/oktautil.js). The original
// must fail to complete sign-in (or throw), the fixed page must complete it
// with no uncaught error:
//   hosted   : OktaUtil.completeLogin is called;
//   embedded : tokens stored (tokenManager.setTokens) and the widget removed;
//   authjs   : tokens stored;
// and, with "navigate", the page reaches that path of the app's origin.
//
// browser.json: { "kind": "hosted"|"embedded"|"authjs", "navigate": "/app",
//                 "values": { "name": "value" } (template placeholders),
//                 "run": "js run after the script or the page's scripts (to call a function)",
//                 "prelude": "js run first (globals the page expects, e.g. analytics)" }
//
// TypeScript fixtures (before.ts/after.ts) are transpiled with TypeScript's
// transpileModule first.
//
// Usage: node tests/browser/fix-proof.mjs [ROOT] ; exits 1 on any failure.
import { launch } from './launch.mjs';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.argv[2] || join(here, '../../fixtures/fix');
const ORIGIN = 'http://app.test';
const stub = (name) => readFileSync(join(here, 'stubs', name), 'utf8');

const DEFAULTS = {
  nonceValue: 'n0nce', pageTitle: 'Sign in', orgName: 'Example', helpUrl: '/help',
  themedStylesUrl: '/theme.css', faviconUrl: '/favicon.ico', bgImageUrl: 'none',
  oktaBaseUrl: 'https://org.example', baseUrl: 'https://org.example',
  clientId: '0oaclientstub', redirectUri: `${ORIGIN}/callback`, appUrl: '/app',
};

/// A template rendered with placeholder values, as the server would.
function renderTemplate(text, values) {
  const value = (name) => (name in values ? values[name] : name in DEFAULTS ? DEFAULTS[name] : 'x');
  return text
    .replace(/\{\{\{\s*SignInWidgetResources\s*\}\}\}/g, '<script src="/__stubs/widget.js"></script>')
    .replace(/\{\{\{\s*OktaUtil\s*\}\}\}/g, '<script src="/__stubs/oktautil.js"></script>')
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![^}]*\}\}/g, '')
    .replace(/\{\{#if\s+[^}]*\}\}[\s\S]*?\{\{\/if\}\}/g, '')
    .replace(/\{\{\{?\s*([\w.]+)\s*\}?\}\}/g, (_, n) => value(n))
    .replace(/<%--[\s\S]*?--%>/g, '')
    .replace(/<%=\s*([\w.]+)\s*%>/g, (_, n) => value(n))
    .replace(/<\?php[\s\S]*?\?>/g, '')
    // `<?= $name ?>`, `<?= $config['name'] ?>`: the last name is the key.
    .replace(/<\?=([\s\S]*?)\?>/g, (_, e) => value((e.match(/\w+/g) || ['x']).pop()))
    .replace(/\$\{\s*([\w.]+)\s*\}/g, (_, n) => value(n));
}

/// A script fixture wrapped in a page (ES imports and `export` dropped: the
/// widget is the stub's global).
function scriptPage(code, run) {
  const body = code
    .replace(/^\s*import\s+[^;\n]*;?\s*$/gm, '')
    .replace(/^export\s+(default\s+)?/gm, '');
  return `<!DOCTYPE html><html><head><script src="/__stubs/widget.js"></script></head>
<body><div id="okta-login-container"></div><div id="widget"></div><div id="login"></div>
<script>var store = { save: function () {} };</script>
<script>${body}\n${run || ''}</script></body></html>`;
}

/// TypeScript fixtures run as the browser gets them: transpiled by
/// TypeScript's own `transpileModule` (types erased, nothing checked).
let typescript;
async function transpile(code, file) {
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  return ts.transpileModule(code, {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.React },
  }).outputText;
}

/// A page with `run` executed after its own scripts (before `</body>`).
function withRun(html, run) {
  if (!run) return html;
  const tag = `<script>${run}</script>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${tag}</body>`) : `${html}\n${tag}`;
}

async function pageOf(file, spec) {
  let text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (/\.(ts|tsx|mts|cts)$/.test(file)) text = await transpile(text, file);
  const html = /\.(js|mjs|cjs|ts|tsx|mts|cts)$/.test(file)
    ? scriptPage(text, spec.run)
    : withRun(renderTemplate(text, spec.values || {}), spec.run);
  // The page's own globals the fixture does not define (analytics, helpers).
  return spec.prelude ? `<script>${spec.prelude}</script>\n${html}` : html;
}

async function load(browser, html) {
  const page = await browser.newPage();
  const events = [];
  const errors = [];
  const navigations = [];
  await page.exposeFunction('__oieRecord', (e) => events.push(e));
  page.on('pageerror', (e) => errors.push(String(e && e.message ? e.message : e)));
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations.push(r.url());
  });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === ORIGIN && url.pathname === '/page.html') {
      return route.fulfill({ contentType: 'text/html', body: html });
    }
    // The widget bundle and the auth-js bundle: the stub defines both globals.
    if (url.pathname === '/__stubs/widget.js' || /(okta-sign-in|okta-auth-js)[^/]*\.js$/.test(url.pathname)) {
      return route.fulfill({ contentType: 'text/javascript', body: stub('widget.js') });
    }
    if (url.pathname === '/__stubs/oktautil.js') {
      return route.fulfill({ contentType: 'text/javascript', body: stub('oktautil.js') });
    }
    if (route.request().isNavigationRequest()) {
      return route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><p>reached</p>' });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/page.html`);
  await page.waitForTimeout(400);
  await page.close();
  return { events, errors, navigations: navigations.slice(1) };
}

function completed(spec, run) {
  const has = (t) => run.events.some((e) => e.type === t);
  let ok;
  switch (spec.kind) {
    case 'hosted': ok = has('completeLogin'); break;
    case 'embedded': ok = has('setTokens') && has('remove'); break;
    case 'authjs': ok = has('setTokens'); break;
    default: throw new Error(`unknown kind ${spec.kind}`);
  }
  if (spec.navigate) {
    const target = new URL(spec.navigate, ORIGIN).href;
    ok = ok && run.navigations.includes(target);
  }
  return ok;
}

const dirs = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'browser.json')))
  .map((d) => d.name)
  .sort();
if (dirs.length === 0) {
  console.error(`no fixtures with browser.json under ${root}`);
  process.exit(1);
}
const browser = await launch();
let failures = 0;
try {
  for (const name of dirs) {
    const dir = join(root, name);
    const spec = JSON.parse(readFileSync(join(dir, 'browser.json'), 'utf8'));
    const files = readdirSync(dir);
    const before = files.find((f) => f.startsWith('before.'));
    const after = files.find((f) => f.startsWith('after.'));
    const b = await load(browser, await pageOf(join(dir, before), spec));
    const a = await load(browser, await pageOf(join(dir, after), spec));
    const problems = [];
    if (completed(spec, b) && b.errors.length === 0) {
      problems.push('the original page completes sign-in under the Identity Engine stubs (nothing to prove)');
    }
    if (!completed(spec, a)) {
      problems.push(`the fixed page does not complete sign-in (events: ${JSON.stringify(a.events.map((e) => e.type))}, navigations: ${JSON.stringify(a.navigations)})`);
    }
    if (a.errors.length) problems.push(`uncaught errors in the fixed page: ${a.errors.join(' | ')}`);
    if (problems.length) {
      failures++;
      console.log(`FAIL ${name}\n  - ${problems.join('\n  - ')}`);
    } else {
      const why = b.errors.length ? `throws: ${b.errors[0]}` : 'does not complete';
      console.log(`ok   ${name} (${spec.kind}; original ${why}; fixed completes${spec.navigate ? ` and reaches ${spec.navigate}` : ''})`);
    }
  }
} finally {
  await browser.close();
}
console.log(`${dirs.length - failures} of ${dirs.length} fix fixtures proven in Chromium`);
process.exit(failures ? 1 : 0);
