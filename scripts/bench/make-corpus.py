#!/usr/bin/env python3
"""Build a deterministic benchmark corpus for oie-lint and its peers.

Noise: real JavaScript/TypeScript sources of a few large, popular npm
packages, installed at bench time with `npm install --prefix <cache>` at
pinned versions, copied until the corpus has `--files` files. Every copy gets
a unique one-line header, so no two files are byte-identical. A share of the
JavaScript is wrapped into HTML pages and Handlebars templates, and a few real
package.json manifests are copied too. Source files that already mention one
of the rules' trigger words are left out of the pool, so the planted code is
the only thing any rule should find.

Planted: realistic Okta sign-in code (hosted templates, embedded widgets in
js/ts/tsx/html/hbs, package.json with old and new widget ranges, snippets
appended to real files) at `--plant-rate`, plus near-misses that must stay
silent (`sessionTokenExpiry`, comments, strings, look-alike names, fine
configs). Each planted line that must be reported carries a marker in the
template below (`@@rule-id`), which is removed when the file is written and
recorded in the ground truth instead.

Ground truth (`--truth FILE`, JSON): every (file, line, rule) that must be
reported, with the canonical rule ids of the peer rule sets
(`set-cookie-redirect`, `session-token`, `widget-no-icf`,
`widget-old-version`) and oie-lint's codes (OIE001..OIE004). Only cases where
oie-lint's rules and the canonical checks agree are planted; BENCHMARKS.md
lists the deliberate differences.

    make-corpus.py --out DIR --truth FILE [--files N] [--seed S]
                   [--plant-rate R] [--dense] [--src CACHE | --synthetic]

`--dense`: every file is relevant (each is a real source file with a planted
snippet appended, or a planted sign-in file), for "check cost over parse".
`--synthetic`: no npm install; noise is generated (for the smoke test).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys

RULES = {
    "set-cookie-redirect": "OIE001",
    "session-token": "OIE002",
    "widget-no-icf": "OIE003",
    "widget-old-version": "OIE004",
}

# Pinned so that the corpus is the same on every run. Two noise sets:
# `issue` is the corpus issue 24 measured on (webpack, prettier, ant-design,
# eslint; MDN's learning-area is not an npm package and is left out): code
# that has nothing to do with Okta, as most of a customer's repository.
# `okta-heavy` mixes in the Sign-In Widget's own sources, which name its CSS
# classes and APIs everywhere: the worst case for the prefilter.
NOISE_SETS = {
    "issue": [
        "webpack@5.103.0",
        "prettier@3.6.2",
        "antd@5.27.4",
        "eslint@9.36.0",
    ],
    "okta-heavy": [
        "lodash-es@4.18.1",
        "rxjs@7.8.2",
        "date-fns@4.4.0",
        "core-js@3.51.0",
        "react-dom@19.3.1",
        "@okta/okta-signin-widget@7.49.0",
    ],
}
NPM_PACKAGES = NOISE_SETS["issue"]

# A pool file that contains any of these is not used as noise.
TRIGGERS = re.compile(
    r"sessionToken|setCookieAndRedirect|OktaSignIn|okta-signin-widget|useInteractionCodeFlow|oie-lint",
)
SCRIPT_EXTS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
MIN_BYTES, MAX_BYTES = 200, 100_000
MARK = re.compile(r"\s*@@([a-z-]+)\s*$")
FILES_PER_DIR = 50


# --------------------------------------------------------------------------
# Noise pool
# --------------------------------------------------------------------------


def npm_install(cache):
    """Installs NPM_PACKAGES into `cache` (one cache per noise set: a cache
    installed with another set is replaced, so no stale package leaks in)."""
    os.makedirs(cache, exist_ok=True)
    stamp = os.path.join(cache, "installed.txt")
    want = "\n".join(NPM_PACKAGES) + "\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        return
    shutil.rmtree(os.path.join(cache, "node_modules"), ignore_errors=True)
    pkg = os.path.join(cache, "package.json")
    with open(pkg, "w") as f:
        json.dump({"name": "oie-lint-bench-corpus-src", "private": True}, f)
    subprocess.run(
        ["npm", "install", "--prefix", cache, "--no-audit", "--no-fund",
         "--ignore-scripts", "--loglevel=error", *NPM_PACKAGES],
        check=True,
    )
    with open(stamp, "w") as f:
        f.write(want)


def is_minified(name):
    return name.endswith((".min.js", "-min.js", ".min.mjs", ".min.cjs"))


def collect_pool(cache):
    """Sorted list of (origin, ext, text) of usable source files and manifests."""
    root = os.path.join(cache, "node_modules")
    scripts, manifests = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            is_manifest = name == "package.json"
            if not is_manifest and (not name.endswith(SCRIPT_EXTS) or is_minified(name)):
                continue
            try:
                size = os.path.getsize(path)
                if not MIN_BYTES <= size <= MAX_BYTES:
                    continue
                data = open(path, "rb").read()
                if b"\0" in data:
                    continue
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if TRIGGERS.search(text):
                continue
            # Tools disagree on what ends a line beyond "\n": keep them out.
            if "\r" in text or "\u2028" in text or "\u2029" in text:
                continue
            if is_manifest:
                if "@okta/" in text:
                    continue
                try:
                    json.loads(text)
                except ValueError:
                    continue
                manifests.append((rel, ".json", text))
            else:
                ext = ".d.ts" if name.endswith(".d.ts") else os.path.splitext(name)[1]
                scripts.append((rel, ext, text))
    return scripts, manifests


def synthetic_pool(rng, count=60):
    """Small generated noise for the smoke test (no network)."""
    scripts = []
    for i in range(count):
        body = []
        for j in range(rng.randint(3, 12)):
            body.append(
                f"export function helper{i}_{j}(a, b) {{\n"
                f"  const session = {{ id: a, expires: b + {j} }};\n"
                f"  return session.id ? String(a) + '-{j}' : b;\n}}\n"
            )
        ext = [".js", ".ts", ".mjs"][i % 3]
        scripts.append((f"synthetic/mod{i}{ext}", ext, "".join(body)))
    manifests = [(f"synthetic/package{i}.json", ".json",
                  json.dumps({"name": f"synthetic-{i}", "version": "1.0.0",
                              "dependencies": {"lodash": "^4.17.21"}}, indent=2))
                 for i in range(3)]
    return scripts, manifests


# --------------------------------------------------------------------------
# Planted code. `@@rule` at the end of a line = that line must be reported.
# --------------------------------------------------------------------------

ORGS = ["example", "acme", "contoso", "initech", "globex", "umbrella"]


def ctx(rng):
    org = rng.choice(ORGS)
    return {
        "org": org,
        "base": f"https://{org}.okta.com",
        "cid": "0oa" + "".join(rng.choice("abcdefghijkLMNOPQRS0123456789") for _ in range(17)),
        "app": f"https://app.{org}.com",
    }


def widget_v6(rng):
    return rng.choice(["^6.9.0", "~6.3.1", "6.0.0", "^5.16.1", "^5.11.0"])


def widget_old(rng):
    return rng.choice(["~5.1.0", "^4.5.0", "2.21.0", "^3.9.2", "5.0.4"])


def cdn_old(rng):
    return rng.choice(["2.6.0", "3.9.0", "4.3.2", "5.1.5", "1.13.0"])


def manifest(name, deps, dev=None):
    m = {"name": name, "version": "1.0.0", "private": True,
         "scripts": {"start": "webpack serve", "build": "webpack"},
         "dependencies": deps}
    if dev:
        m["devDependencies"] = dev
    text = json.dumps(m, indent=2) + "\n"
    return text


def mark_manifest(text, package, rule):
    """Append a marker to the line that declares `package`."""
    out = []
    for line in text.splitlines():
        if f'"{package}"' in line:
            line += f" @@{rule}"
        out.append(line)
    return "\n".join(out) + "\n"


def embedded_js(c):
    return f"""import OktaSignIn from '@okta/okta-signin-widget';
import '@okta/okta-signin-widget/css/okta-sign-in.min.css';

const signIn = new OktaSignIn({{ @@widget-no-icf
  baseUrl: '{c['base']}',
  clientId: '{c['cid']}',
  redirectUri: window.location.origin + '/login/callback',
  authParams: {{ issuer: '{c['base']}/oauth2/default', scopes: ['openid', 'profile'] }},
}});

export function mount(el) {{
  signIn.renderEl({{ el }}, function (res) {{
    if (res.status === 'SUCCESS') {{
      res.session.setCookieAndRedirect('{c['app']}/home'); @@set-cookie-redirect
    }}
  }});
}}

export function exchange(authClient, res) {{
  return authClient.token.getWithRedirect({{ sessionToken: res.sessionToken, responseType: 'id_token' }}); @@session-token
}}
"""


def embedded_tsx(c):
    return f"""import React, {{ useEffect, useRef }} from 'react';
import OktaSignIn from '@okta/okta-signin-widget';

interface Props {{ onSuccess: (tokens: unknown) => void; onError: (e: Error) => void }}

export default function SignInWidget({{ onSuccess, onError }}: Props) {{
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {{
    const widget = new OktaSignIn({{ baseUrl: '{c['base']}', clientId: '{c['cid']}', redirectUri: '{c['app']}/callback' }}); @@widget-no-icf
    widget.showSignInToGetTokens({{ el: ref.current as HTMLElement }}).then(onSuccess).catch(onError);
    return () => widget.remove();
  }}, [onSuccess, onError]);
  return <div ref={{ref}} className="okta-widget" />;
}}
"""


def embedded_ts_false(c):
    return f"""import OktaSignIn from '@okta/okta-signin-widget';
import {{ environment }} from './environment';

// Okta sign-in for the admin console.
export const widget = new OktaSignIn({{ issuer: environment.issuer, clientId: '{c['cid']}', useInteractionCodeFlow: false }}); @@widget-no-icf

export async function login(): Promise<void> {{
  const tokens = await widget.showSignInToGetTokens({{ el: '#sign-in' }});
  widget.authClient.tokenManager.setTokens(tokens);
}}
"""


def classic_authjs(c, ext):
    ann = ": OktaAuth" if ext == ".ts" else ""
    return f"""import {{ OktaAuth }} from '@okta/okta-auth-js';

const authClient{ann} = new OktaAuth({{ issuer: '{c['base']}/oauth2/default' }});

export async function signIn(username, password) {{
  const tx = await authClient.signInWithCredentials({{ username, password }});
  if (tx.status === 'SUCCESS') {{
    const {{ sessionToken }} = tx; @@session-token
    return authClient.token.getWithRedirect({{ sessionToken }}); @@session-token
  }}
  throw new Error('MFA required: ' + tx.status);
}}

export function legacyRedirect(tx) {{
  authClient.session.setCookieAndRedirect(tx.sessionToken, '{c['app']}/app'); @@set-cookie-redirect @@session-token
}}
"""


def fine_js(c):
    return f"""import OktaSignIn from '@okta/okta-signin-widget';

// Okta widget 7: Identity Engine is the default.
// Old code called res.session.setCookieAndRedirect(url) and read the sessionToken.
const sessionTokenExpiry = Date.now() + 3600 * 1000;
const label = "sessionToken";
function setCookieAndRedirectFallback(url) {{ window.location.assign(url); }}

export const signIn = new OktaSignIn({{
  baseUrl: '{c['base']}',
  clientId: '{c['cid']}',
  redirectUri: '{c['app']}/callback',
  useInteractionCodeFlow: true,
}});

export function expired(now) {{
  if (now > sessionTokenExpiry) setCookieAndRedirectFallback('/login');
  return label.length > 0;
}}
"""


def cdn_head(version, host):
    if host == "global":
        base = f"https://global.oktacdn.com/okta-signin-widget/{version}"
        js, css = f"{base}/js/okta-sign-in.min.js", f"{base}/css/okta-sign-in.min.css"
    elif host == "shard":
        base = f"https://ok1static.oktacdn.com/assets/js/sdk/okta-signin-widget/{version}"
        js, css = f"{base}/js/okta-sign-in.min.js", f"{base}/css/okta-sign-in.min.css"
    else:
        base = f"https://unpkg.com/@okta/okta-signin-widget@{version}/dist"
        js, css = f"{base}/js/okta-sign-in.min.js", f"{base}/css/okta-sign-in.min.css"
    return js, css


def page_old_cdn(c, rng):
    js, css = cdn_head(cdn_old(rng), rng.choice(["global", "shard", "unpkg"]))
    return f"""<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>Sign in</title>
  <script src="{js}" type="text/javascript"></script> @@widget-old-version
  <link href="{css}" type="text/css" rel="stylesheet"/> @@widget-old-version
</head>
<body>
  <div id="okta-login-container"></div>
  <script type="text/javascript">
    var config = {{ baseUrl: '{c['base']}', logo: '/img/logo.png' }};
    var signIn = new OktaSignIn(config);
    signIn.renderEl({{ el: '#okta-login-container' }}, function success(res) {{
      if (res.status === 'SUCCESS') {{
        res.session.setCookieAndRedirect('{c['app']}/dashboard'); @@set-cookie-redirect
      }}
    }});
  </script>
</body>
</html>
"""


def page_v6_cdn(c, rng):
    js, css = cdn_head(rng.choice(["6.9.0", "5.16.1", "6.3.3"]), rng.choice(["global", "unpkg"]))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <script src="{js}"></script>
  <link href="{css}" rel="stylesheet">
</head>
<body>
  <main><div id="widget-container"></div></main>
  <script>
    const signIn = new OktaSignIn({{ baseUrl: '{c['base']}', clientId: '{c['cid']}', redirectUri: '{c['app']}/callback' }}); @@widget-no-icf
    signIn.showSignInToGetTokens({{ el: '#widget-container' }}).then(function (tokens) {{
      signIn.authClient.tokenManager.setTokens(tokens);
    }});
  </script>
</body>
</html>
"""


def page_v7_cdn(c, rng):
    js, css = cdn_head(rng.choice(["7.14.0", "7.49.0", "7.0.1"]), "global")
    old_js, _ = cdn_head(cdn_old(rng), "global")
    return f"""<!DOCTYPE html>
<html>
<head>
  <!-- upgraded from <script src="{old_js}"></script> -->
  <script src="{js}"></script>
  <link href="{css}" rel="stylesheet">
</head>
<body>
  <div id="okta"></div>
  <script>
    // previously {old_js}
    var sessionTokenExpiry = 0;
    var signIn = new OktaSignIn({{ baseUrl: '{c['base']}', clientId: '{c['cid']}', useInteractionCodeFlow: true }});
    signIn.showSignInAndRedirect({{ el: '#okta' }});
  </script>
</body>
</html>
"""


def hosted_classic(c, hbs):
    head = "{{{SignInWidgetResources}}}" if hbs else ""
    return f"""<!DOCTYPE html>
<html>
<head>
  <meta name="robots" content="noindex,nofollow" />
  <title>{{{{pageTitle}}}}</title>
  {head}
</head>
<body>
  <div id="okta-login-container"></div>
  {{{{{{OktaUtil}}}}}}
  <script type="text/javascript" nonce="{{{{nonceValue}}}}">
    var config = OktaUtil.getSignInWidgetConfig();
    var oktaSignIn = new OktaSignIn(config);
    oktaSignIn.renderEl({{ el: '#okta-login-container' }}, function (res) {{
      if (res.status === 'SUCCESS') {{
        res.session.setCookieAndRedirect(config.relayState || '{c['app']}'); @@set-cookie-redirect
      }}
    }}, function (err) {{ console.error(err); }});
  </script>
</body>
</html>
"""


def hosted_sso(c):
    return f"""<div id="okta-login-container"></div>
{{{{{{OktaUtil}}}}}}
<script type="text/javascript" nonce="{{{{nonceValue}}}}">
  var config = OktaUtil.getSignInWidgetConfig();
  var oktaSignIn = new OktaSignIn(config);
  oktaSignIn.renderEl({{ el: '#okta-login-container' }}, function (res) {{
    if (res.status === 'SUCCESS') {{
      var redirect = '{c['base']}/login/sessionCookieRedirect?redirectUrl=' + encodeURIComponent('{c['app']}');
      window.location.href = redirect + '&token=' + res.sessionToken; @@session-token
    }}
  }});
</script>
"""


def hosted_modern(c):
    return f"""<div id="okta-login-container"></div>
{{{{{{OktaUtil}}}}}}
<script type="text/javascript" nonce="{{{{nonceValue}}}}">
  // setCookieAndRedirect is gone: OktaUtil.completeLogin finishes the flow.
  var config = OktaUtil.getSignInWidgetConfig();
  var oktaSignIn = new OktaSignIn(config);
  oktaSignIn.renderEl({{ el: '#okta-login-container' }}, OktaUtil.completeLogin, function (e) {{}});
</script>
"""


APPEND_JS = [
    lambda c: f"""

// Okta sign-in glue added by the portal team.
export function oktaFinish(authClient, res) {{
  return authClient.session.setCookieAndRedirect(res.sessionToken, '{c['app']}/home'); @@set-cookie-redirect @@session-token
}}
""",
    lambda c: f"""

/* Okta: classic success handler */
export function oktaSuccess(res) {{
  if (res.status === 'SUCCESS') {{
    res.session.setCookieAndRedirect('{c['app']}'); @@set-cookie-redirect
  }}
}}
""",
    lambda c: f"""

// Okta session helpers (near-miss: nothing here breaks under OIE).
export const oktaSessionTokenExpiry = 3600;
export function describeOkta() {{ return "sessionToken and setCookieAndRedirect were removed"; }}
""",
]

APPEND_TS = [
    lambda c: f"""

// Okta authn transaction handling.
export function oktaToken(tx: OktaTransaction): string | undefined {{
  return tx.status === 'SUCCESS' ? tx.sessionToken : undefined; @@session-token
}}
""",
    lambda c: f"""

// Okta: nothing to report here (comments and strings only).
// res.session.setCookieAndRedirect(url) used to live here.
export const oktaNote: string = 'sessionToken';
""",
]


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


class Corpus:
    def __init__(self, out):
        self.out = out
        self.truth = []
        self.count = 0
        self.bytes = 0
        self.planted_files = 0

    def write(self, rel, text, planted=False):
        """Write `text` (with @@ markers) at `rel`; record the markers."""
        lines = []
        for n, line in enumerate(text.split("\n"), 1):
            rules = []
            while True:
                m = MARK.search(line)
                if not m:
                    break
                rules.append(m.group(1))
                line = line[: m.start()]
            for r in rules:
                assert r in RULES, r
                self.truth.append({"file": rel, "line": n, "rule": r, "code": RULES[r]})
            lines.append(line)
        data = "\n".join(lines).encode("utf-8")
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.count += 1
        self.bytes += len(data)
        self.planted_files += planted


def clean_origin(origin):
    """The origin path without trigger words (a header is a comment, but it
    would still pass the literal prefilter and `rg`)."""
    return origin.replace("okta-signin-widget", "okta-widget")


def js_header(idx, origin):
    origin = clean_origin(origin)
    return f"/* oie-lint bench corpus #{idx}: copy of {origin} */\n"


def html_wrap(idx, origin, js, hbs):
    title = "{{title}}" if hbs else f"Page {idx}"
    pre = "{{#if user}}<p>Hello {{user.name}}</p>{{/if}}\n" if hbs else ""
    origin = clean_origin(origin)
    return (f"<!DOCTYPE html>\n<!-- oie-lint bench corpus #{idx}: {origin} wrapped in a page -->\n"
            f"<html>\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n{pre}"
            f"<div id=\"app\"></div>\n<script>\n{js}\n</script>\n</body>\n</html>\n")


def out_ext(ext):
    return ext


def plant_group(corpus, rng, base, kind, idx):
    """One planted unit (a file or a small app) under `base`."""
    c = ctx(rng)
    app = f"{base}/okta-{kind}-{idx}"
    if kind == "embedded-v6":
        corpus.write(f"{app}/package.json", manifest(f"portal-{idx}", {
            "@okta/okta-signin-widget": widget_v6(rng), "react": "^18.2.0"}), True)
        corpus.write(f"{app}/src/login.js", embedded_js(c), True)
        corpus.write(f"{app}/src/SignInWidget.tsx", embedded_tsx(c), True)
        corpus.write(f"{app}/src/admin.ts", embedded_ts_false(c), True)
        return 4
    if kind == "old-pkg":
        text = manifest(f"legacy-{idx}", {"@okta/okta-signin-widget": widget_old(rng),
                                          "@okta/okta-auth-js": "^4.9.0", "jquery": "^3.6.0"})
        corpus.write(f"{app}/package.json", mark_manifest(text, "@okta/okta-signin-widget", "widget-old-version"), True)
        ext = rng.choice([".js", ".ts"])
        corpus.write(f"{app}/src/auth{ext}", classic_authjs(c, ext), True)
        return 2
    if kind == "new-pkg":
        corpus.write(f"{app}/package.json", manifest(f"modern-{idx}", {
            "@okta/okta-signin-widget": rng.choice(["^7.14.0", "7.49.0", "^7.0.0"]),
            "@okta/okta-auth-js": "^7.8.0"}), True)
        corpus.write(f"{app}/src/login.js", fine_js(c), True)
        return 2
    if kind == "page-old":
        corpus.write(f"{app}.html", page_old_cdn(c, rng), True)
        return 1
    if kind == "page-v6":
        corpus.write(f"{app}.html", page_v6_cdn(c, rng), True)
        return 1
    if kind == "page-v7":
        corpus.write(f"{app}.html", page_v7_cdn(c, rng), True)
        return 1
    if kind == "hosted":
        hbs = rng.random() < 0.5
        corpus.write(f"{app}{'.hbs' if hbs else '.html'}", hosted_classic(c, hbs), True)
        return 1
    if kind == "hosted-sso":
        corpus.write(f"{app}.html", hosted_sso(c), True)
        return 1
    if kind == "hosted-modern":
        corpus.write(f"{app}.hbs", hosted_modern(c), True)
        return 1
    raise ValueError(kind)


GROUP_KINDS = ["embedded-v6", "old-pkg", "new-pkg", "page-old", "page-v6", "page-v7",
               "hosted", "hosted-sso", "hosted-modern", "append", "append"]


def build(args):
    rng = random.Random(args.seed)
    if args.synthetic:
        scripts, manifests = synthetic_pool(rng)
    else:
        npm_install(args.src)
        scripts, manifests = collect_pool(args.src)
    if not scripts:
        sys.exit("make-corpus: no usable source files in the pool")
    appendable_js = [s for s in scripts if s[1] in (".js", ".mjs")]
    appendable_ts = [s for s in scripts if s[1] in (".ts",)]
    wrappable = [s for s in scripts if s[1] in (".js",)] or appendable_js

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    corpus = Corpus(args.out)

    target = args.files
    order = list(range(len(scripts)))
    rng.shuffle(order)
    cursor = 0
    idx = 0
    group = 0
    # Planted units are spread over the run so that they land in many dirs.
    plant_every = max(1, int(round(1.0 / args.plant_rate))) if not args.dense else 1
    while corpus.count < target:
        idx += 1
        d = f"p{(idx - 1) // FILES_PER_DIR:03d}"
        if idx % plant_every == 0:
            kind = GROUP_KINDS[group % len(GROUP_KINDS)] if not args.dense else \
                rng.choice(GROUP_KINDS + ["append"] * 4)
            group += 1
            if kind != "append":
                plant_group(corpus, rng, d, kind, group)
                continue
            c = ctx(rng)
            if appendable_ts and rng.random() < 0.3:
                origin, ext, text = appendable_ts[rng.randrange(len(appendable_ts))]
                tail = rng.choice(APPEND_TS)(c)
            else:
                origin, ext, text = appendable_js[rng.randrange(len(appendable_js))]
                tail = rng.choice(APPEND_JS)(c)
            name = os.path.basename(origin)
            # Markers only ever occur in the tail; escape stray "@@x" in real text.
            body = js_header(idx, origin) + text.replace("@@", "@ @")
            corpus.write(f"{d}/{idx:05d}_{name}", body.rstrip("\n") + "\n" + tail, True)
            continue
        if manifests and not args.dense and idx % 211 == 0:
            origin, _, text = manifests[rng.randrange(len(manifests))]
            m = json.loads(text)
            m["name"] = f"{m.get('name', 'pkg')}-bench-{idx}"
            corpus.write(f"{d}/pkg-{idx:05d}/package.json", json.dumps(m, indent=2) + "\n")
            continue
        origin, ext, text = scripts[order[cursor % len(order)]]
        cursor += 1
        text = text.replace("@@", "@ @")
        name = os.path.basename(origin)
        r = rng.random()
        if args.dense:
            # Every file relevant: real code with a planted tail.
            c = ctx(rng)
            if ext == ".ts" and appendable_ts:
                tail = rng.choice(APPEND_TS)(c)
            elif ext in (".js", ".mjs"):
                tail = rng.choice(APPEND_JS)(c)
            else:
                origin, ext, text = appendable_js[rng.randrange(len(appendable_js))]
                name = os.path.basename(origin)
                tail = rng.choice(APPEND_JS)(c)
            corpus.write(f"{d}/{idx:05d}_{name}", js_header(idx, origin) + text.rstrip("\n") + "\n" + tail, True)
        elif r < 0.05 and wrappable:
            origin, ext, text = wrappable[rng.randrange(len(wrappable))]
            hbs = rng.random() < 0.3
            stem = os.path.splitext(os.path.basename(origin))[0]
            # "</script" inside the JS would end the element early.
            corpus.write(f"{d}/{idx:05d}_{stem}{'.hbs' if hbs else '.html'}",
                         html_wrap(idx, origin, text.replace("</script", "<\\/script").replace("@@", "@ @"), hbs))
        else:
            corpus.write(f"{d}/{idx:05d}_{name}", js_header(idx, origin) + text)

    truth = sorted(corpus.truth, key=lambda t: (t["file"], t["line"], t["rule"]))
    meta = {
        "seed": args.seed,
        "files": corpus.count,
        "bytes": corpus.bytes,
        "planted_files": corpus.planted_files,
        "dense": bool(args.dense),
        "noise": "synthetic" if args.synthetic else NPM_PACKAGES,
        "pool_files": len(scripts),
        "rules": RULES,
        "findings": truth,
    }
    with open(args.truth, "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"make-corpus: {corpus.count} files, {corpus.bytes / 1e6:.1f} MB, "
          f"{corpus.planted_files} planted, {len(truth)} ground-truth findings -> {args.out}",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="corpus directory (replaced)")
    ap.add_argument("--truth", required=True, help="ground-truth JSON file to write")
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--plant-rate", type=float, default=0.02,
                    help="planted units per noise file (each unit is 1 to 4 files)")
    ap.add_argument("--dense", action="store_true", help="every file is Okta-relevant")
    ap.add_argument("--noise", choices=sorted(NOISE_SETS), default="issue",
                    help="npm packages the noise comes from (see NOISE_SETS)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--src", default=os.environ.get("BENCH_NPM_SRC", "/tmp/oie-lint-bench/npm-src"),
                     help="npm prefix to install the noise packages into")
    src.add_argument("--synthetic", action="store_true", help="generated noise, no npm")
    args = ap.parse_args()
    global NPM_PACKAGES
    NPM_PACKAGES = NOISE_SETS[args.noise]
    build(args)


if __name__ == "__main__":
    main()
