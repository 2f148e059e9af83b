// Real-browser harness for the report: Debian's chromium driven by playwright-core, headless, with a fresh
// profile and background networking off. Tests skip (saying why) where /usr/bin/chromium is absent;
// .ci/run installs it so CI always runs them.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const NO_CHROMIUM = `browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install -y chromium; .ci/run does this)`;

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  /** A scratch folder for report files and screenshots, removed by close(). */
  dir: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'exfilscope-chromium-'));
  const dir = mkdtempSync(join(tmpdir(), 'exfilscope-pages-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1300, height: 900 },
  });
  return {
    context,
    dir,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  page: Page;
  /** Uncaught errors and console errors seen while the page ran. */
  errors: string[];
}

/** Writes the page to a file and opens it from file://, waiting until the page script says it is done. */
export async function openReport(browser: Browser, name: string, html: string): Promise<OpenedReport> {
  const file = join(browser.dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  // Count CSP violations: a report that needs anything its policy forbids is broken (or under attack).
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
  return { page, errors };
}
