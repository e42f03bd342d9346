#!/usr/bin/env python3
"""Adversarial shapes at growing sizes: finds superlinear corners (issue 18).

Each shape (a deep binary chain of trigger reads, nested functions, nested
`renderEl` callbacks, nested objects/calls/arrays/ifs/arrows, a wide file,
nested widget constructors, nested HTML, many `afterRender` handlers inline
or as `this.method`, many `<style>` blocks, nested and wide SCSS) is written at each size of SIZES
(default 150,300,600) and checked with `check -j1 --format json`, then with
`--fix --unsafe-fixes` on a fresh copy; the best of two runs is shown with
the ratio of the last two sizes. Linear code doubles; a ratio above 3 is
marked. Not a test: the regressions it found are pinned in
tests/it/reliability.rs by work counts and ratios.

    python3 scripts/stress/shapes.py [path/to/oie-lint]
    SIZES=200,400,800 ONLY=deep_binary,nested_fn python3 scripts/stress/shapes.py
"""
import os, subprocess, sys, tempfile, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'target/release/oie-lint')
WORK = tempfile.mkdtemp(prefix='oie-lint-shapes-')
T = 'x.sessionToken'
S = 'res.session.setCookieAndRedirect(u);'
HEAD = "var s = new OktaSignIn({clientId: 'a', features: {idpDiscovery: true}, processCreds: f});\n"
def deep_binary(n): return HEAD + 'var a = ' + '+'.join([T]*n) + ';\n'
def nested_fn(n): return HEAD + ''.join(f'function f{i}(res) {{ {S} ' for i in range(n)) + '}'*n + '\n'
def nested_render(n): return HEAD + ''.join('s.renderEl({}, function (res) { if (res.status === "SUCCESS") { ' + S + ' ' for i in range(n)) + '} })'*n + '\n'
def nested_obj(n): return HEAD + 'var o = ' + '{a: '*n + '{sessionToken: 1}' + '}'*n + ';\n'
def nested_call(n): return HEAD + 'var a = ' + 'f('*n + T + ')'*n + ';\n'
def nested_call_each(n): return HEAD + 'var a = ' + ''.join(f'f({T}, ' for i in range(n)) + '1' + ')'*n + ';\n'
def nested_arr(n): return HEAD + 'var a = ' + ''.join(f'[{T}, ' for i in range(n)) + '1' + ']'*n + ';\n'
def nested_if(n): return HEAD + ''.join(f'if (a) {{ {S} ' for i in range(n)) + '}'*n + '\n'
def nested_arrow(n): return HEAD + 'var a = ' + ''.join(f'(res) => {{ {S} return ' for i in range(n)) + '1' + '}'*n + ';\n'
def wide(n): return HEAD + (S + '\n' + T + ';\n') * n
def nested_features(n): return HEAD + ''.join(f'new OktaSignIn({{clientId: "a", features: {{idpDiscovery: true}}, x: ' for i in range(n)) + '1' + '})'*n + ';\n'
def html_nested(n): return '<html><body>' + '<div>'*n + '<script>' + S + '</script>' + '</div>'*n + '{{{OktaUtil}}}</body></html>\n'
HOSTED = '<html><head>{{{SignInWidgetResources}}}</head><body>{{{OktaUtil}}}<script>var w = new OktaSignIn(OktaUtil.getSignInWidgetConfig());\n'
def after_render_many(n): return HOSTED + "w.on('afterRender', function (c) { $('.okta-form-title').text('x'); if (c.controller === 'unlock-account') {} });\n" * n + '</script></body></html>\n'
def this_methods(n): return HOSTED + 'var page = {\n' + ''.join(f"  m{i}: function (c) {{ $('.x{i}').addClass('y'); if (c.controller === 'unlock-account') {{}} }},\n  r{i}: function () {{ w.on('afterRender', this.m{i}.bind(this)); }},\n" for i in range(n)) + '};\n</script></body></html>\n'
def css_nested(n): return '.js-help { ' * n + '&-link { color: red; } #okta-signin-username { a: b } ' + '}' * n + '\n'
def css_wide(n): return '.js-help { &-link { color: red; } }\n#okta-signin-username, .auth-content .js-forgot-password, input[name="username"] { a: b }\n' * n
def style_blocks(n): return HOSTED.replace('<script>', '<style>.js-help-link { a: b }</style><script>') + '</script>' + '<style>.o-form .js-unlock { a: b } #okta-signin-submit { c: d }</style>\n' * n + '</body></html>\n'
EXT = {'after_render_many': 'html', 'this_methods': 'html', 'style_blocks': 'html', 'html_nested': 'html', 'css_nested': 'scss', 'css_wide': 'scss'}
SHAPES = [deep_binary, nested_fn, nested_render, nested_obj, nested_call, nested_call_each, nested_arr, nested_if, nested_arrow, wide, nested_features]
def run(path, extra, text):
    best = 1e9
    for _ in range(2):
        open(path, 'w').write(text)  # --fix rewrote it
        t = time.perf_counter()
        subprocess.run([BIN, 'check', '-j1', '--format', 'json', *extra, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        best = min(best, time.perf_counter() - t)
    return best
sizes = [int(x) for x in os.environ.get('SIZES', '150,300,600').split(',')]
only = os.environ.get('ONLY')
for shape in SHAPES + [html_nested, after_render_many, this_methods, style_blocks, css_nested, css_wide]:
    if only and shape.__name__ not in only.split(','): continue
    ext = EXT.get(shape.__name__, 'js')
    for extra in ([], ['--fix', '--unsafe-fixes']):
        ts = []
        for n in sizes:
            p = os.path.join(WORK, f'{shape.__name__}_{n}.{ext}')
            try: ts.append(run(p, extra, shape(n)))
            except subprocess.TimeoutExpired: ts.append(999)
        r = ts[-1] / max(ts[-2], 1e-3)
        print(f'{shape.__name__:18} {"fix" if extra else "chk"} ' + ' '.join(f'{t:7.2f}' for t in ts) + f'  ratio {r:5.1f} {"<-- SUPERLINEAR" if r > 3 and ts[-1] > 0.3 else ""}', flush=True)
