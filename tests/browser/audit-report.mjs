// Renders an `oie-lint audit --format html` report in headless Chromium at
// 1280 px and checks what a reader relies on:
//
// - no element is wider than the viewport, with every <details> closed and
//   again with all of them open (the page never scrolls sideways);
// - every in-page link (the table of contents, the status board's app
//   links) points at an element that exists;
// - the three SVG charts are present, drawn (bars with a size) and labelled;
// - the page logs no console error (a blocked fetch under the report's
//   Content-Security-Policy would be one) and throws nothing.
//
// Usage: node audit-report.mjs REPORT.html SCREENSHOT.png
// Prints one JSON object; exits 1 when a check fails.
import { launch } from './launch.mjs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [html, shot] = process.argv.slice(2);
if (!html || !shot) {
  console.error('usage: node audit-report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}

const WIDTH = 1280;
const problems = [];
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()}`));
  await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });

  // Screenshot of the first screen, as a reader sees it.
  await page.screenshot({ path: shot });

  const overflow = () =>
    page.evaluate((width) => {
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} right=${Math.round(r.right)}`);
        }
      }
      return {
        scrollWidth: document.documentElement.scrollWidth,
        wide: wide.slice(0, 10),
        count: wide.length,
      };
    }, WIDTH);
  const closed = await overflow();
  const details = await page.evaluate(() => {
    const all = [...document.querySelectorAll('details')];
    all.forEach((d) => (d.open = true));
    return all.length;
  });
  const open = await overflow();
  for (const [state, o] of [['closed', closed], ['open', open]]) {
    if (o.scrollWidth > WIDTH || o.count > 0) {
      problems.push(`details ${state}: page ${o.scrollWidth}px wide, ${o.count} elements past ${WIDTH}px: ${o.wide.join(', ')}`);
    }
  }

  const links = await page.evaluate(() => {
    const hrefs = [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href'));
    const toc = [...document.querySelectorAll('nav#toc a[href^="#"]')].length;
    const broken = hrefs.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1))));
    return { count: hrefs.length, toc, broken };
  });
  if (links.toc < 5) problems.push(`table of contents has ${links.toc} links`);
  if (links.broken.length) problems.push(`links to missing anchors: ${links.broken.join(', ')}`);

  const charts = await page.evaluate(() =>
    [...document.querySelectorAll('svg.chart')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const bars = [...svg.querySelectorAll('rect')].filter((r) => {
        const b = r.getBoundingClientRect();
        return b.width > 0 && b.height > 0;
      });
      return {
        id: svg.id,
        width: box.width,
        height: box.height,
        bars: bars.length,
        labels: svg.querySelectorAll('text').length,
        title: svg.querySelector('title')?.textContent ?? '',
      };
    }),
  );
  if (charts.length !== 3) problems.push(`expected 3 charts, found ${charts.length}`);
  for (const c of charts) {
    if (!(c.width > 0 && c.height > 0 && c.bars > 0 && c.labels > 0 && c.title)) {
      problems.push(`chart ${c.id} is empty: ${JSON.stringify(c)}`);
    }
  }
  if (consoleErrors.length) problems.push(`console errors: ${consoleErrors.join(' | ')}`);

  console.log(JSON.stringify({ ok: problems.length === 0, problems, details, links, charts, closed, open }));
} finally {
  await browser.close();
}
process.exit(problems.length === 0 ? 0 : 1);
