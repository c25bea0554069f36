import { existsSync } from 'node:fs';

/** Debian's Chromium (never a browser that Playwright downloads). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every browser test runs Chromium with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumPresent = existsSync(CHROMIUM_PATH);
if (!chromiumPresent && !process.env.CI) {
  console.warn(
    `SKIPPED test/browser: no Chromium at ${CHROMIUM_PATH}. ` +
      'Install it with `apt-get install -y chromium` (CI does) or set CHROMIUM_PATH.',
  );
}

/** `describe` where Chromium is (and always in CI, where its absence must fail); else skipped. */
export const describeInBrowser = chromiumPresent || process.env.CI ? describe : describe.skip;

/** Fails a suite that must run in a browser when none is installed. */
export function requireChromium(): void {
  if (!chromiumPresent) {
    throw new Error(
      `Chromium is required for the browser tests but was not found at ${CHROMIUM_PATH}. ` +
        'Install it with `apt-get install -y chromium` (the test step of .ci/run does this).',
    );
  }
}
