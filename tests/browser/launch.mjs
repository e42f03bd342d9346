// Shared Chromium launcher for the browser tests (fix proofs, audit report).
//
// Uses Debian's Chromium through playwright-core; nothing is downloaded. The
// flags keep a sandboxed, offline machine quiet: no background networking, no
// component updates (playwright gives every launch a fresh profile).
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.OIE_LINT_CHROMIUM || '/usr/bin/chromium';

export function chromiumAvailable() {
  return existsSync(CHROMIUM);
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
