// The report in a real browser (Debian chromium via playwright-core): hostile values in every displayed field
// fire no sentinel and show faithfully (in their visible form), the CSP is never violated, the charts draw,
// and the filters and search box narrow the findings list. Screenshots go to .tmp/ for a look.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, hasChromium, NO_CHROMIUM, openReport, type Browser, type OpenedReport } from '../../../test/browser.js';
import { allShared, loadSharedHostile, OWN } from '../../../test/hostile-payloads.js';
import { hostileRun, sampleRun } from '../../../test/report-fixtures.js';
import { REPO_ROOT } from '../../../test/shared-data.js';
import { conn, CONN_COLUMNS, HTTP_COLUMNS, httpRequest, zeekTsv } from '../../../test/zeek-fixtures.js';
import { compareFindings, type Finding } from '../../core/findings.js';
import { parseConfig } from '../../pipeline/config.js';
import { run } from '../../pipeline/run.js';
import { ReportCollector } from './collect.js';
import { escapeVisible, truncateSafely } from '../escape.js';
import { htmlReportOptions } from './options.js';
import { renderReport } from './render.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

const MAX_VALUE = htmlReportOptions.parse({}).max_value_chars;
const SCREENSHOTS = join(REPO_ROOT, '.tmp');
/** Fields each hostile value is placed in and the page shows (list row, detail view, measurements, evidence). */
const FIELDS_SHOWN_PER_VALUE = 22;
const BROWSER_SETUP_MS = 120_000;

interface PageState {
  sentinels: unknown[];
  violations: string[];
  foreignElements: number;
  handlerAttributes: number;
  badLinks: string[];
  links: string[];
  values: string[];
}

async function inspect(report: OpenedReport): Promise<PageState> {
  const { page } = report;
  await page.evaluate(() => {
    // Open every detail row first: the long values inside them bring their own "show all" buttons.
    document.querySelectorAll<HTMLButtonElement>('button.toggle').forEach((b) => b.click());
    document.querySelectorAll<HTMLButtonElement>('button.more').forEach((b) => b.click());
    for (const node of document.querySelectorAll('*')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'load', 'error', 'animationstart', 'toggle']) node.dispatchEvent(new Event(type));
    }
  });
  for (const id of ['#chart-volume', '#chart-pairs', '#chart-payloads']) {
    const canvas = page.locator(`${id} canvas`).first();
    if ((await canvas.count()) === 0) continue;
    const box = await canvas.boundingBox();
    if (box !== null) for (let x = 0.1; x < 1; x += 0.2) await page.mouse.move(box.x + box.width * x, box.y + box.height / 2);
  }
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const sentinels = Object.keys(w).filter((k) => k.startsWith('__xss')).map((k) => w[k]);
    const all = [...document.querySelectorAll('*')];
    return {
      sentinels,
      violations: w.__cspViolations as string[],
      foreignElements: document.querySelectorAll('img, svg, iframe, math, object, embed, noscript, textarea, form, body script:not(:is(#report-data, body > script))').length,
      handlerAttributes: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
      badLinks: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').filter((h) => !/^(#[a-z-]+|https?:\/\/)/.test(h)),
      links: [...document.querySelectorAll('a')].map((a) => a.href),
      values: [...document.querySelectorAll('.v > :first-child')].map((n) => n.textContent ?? ''),
    };
  });
}

describe.skipIf(!hasChromium)('HTML report in Chromium', () => {
  let browser: Browser;
  let payloads: string[] = OWN;

  beforeAll(async () => {
    const shared = await loadSharedHostile();
    if (shared !== undefined) payloads = [...OWN, ...allShared(shared)];
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, BROWSER_SETUP_MS);

  afterAll(async () => {
    await browser?.close();
  });

  describe('with hostile values in every displayed field', () => {
    let report: OpenedReport;
    let state: PageState;

    beforeAll(async () => {
      report = await openReport(browser, 'hostile', renderReport(hostileRun(payloads)));
      state = await inspect(report);
      await report.page.screenshot({ path: join(SCREENSHOTS, 'report-hostile.png') });
    }, BROWSER_SETUP_MS);

    it('fires no sentinel, adds no element or handler, breaks no CSP rule and throws nothing', () => expectUntouched(state, report));

    it('links only parsed http(s) URLs, with internationalised hosts in punycode', () => {
      expect(state.badLinks).toEqual([]);
      expect(state.links).toContain('https://xn--80ak6aa92e.com/login');
    });

    it('shows each value in its visible form in every field it was put in', () => {
      const shown = new Map<string, number>();
      for (const v of state.values) shown.set(v, (shown.get(v) ?? 0) + 1);
      for (const p of payloads) {
        const expected = escapeVisible(truncateSafely(p, MAX_VALUE));
        expect(shown.get(expected) ?? 0, JSON.stringify(p.slice(0, 60))).toBeGreaterThanOrEqual(FIELDS_SHOWN_PER_VALUE);
      }
    });

    it('draws the charts with hostile labels', async () => {
      expect(await colouredPixels(report, '#chart-pairs')).toBeGreaterThan(50);
      expect(await colouredPixels(report, '#chart-volume')).toBeGreaterThan(50);
    });
  });

  describe('with hostile values read by the Zeek reader from http.log and its file name', () => {
    let report: OpenedReport;
    let state: PageState;
    let carried: string[];
    const fileName = 'http <img src=x onerror=window.__xss="file"> \u202Egol.log';

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'exfilscope-zeek-hostile-'));
      // Values a Zeek log line can carry (the 1 MiB ones exceed the reader's line limit and are skipped, counted).
      carried = [...new Set(payloads.filter((p) => p.length < 60_000))];
      const base64Run = 'QUJD'.repeat(60); // a URI over the seed analytic's 200 characters
      const dst = (i: number): string => `203.0.${113 + Math.floor(i / 250)}.${i % 250}`;
      const http = carried.map((p, i) => httpRequest(1_767_258_000 + i, '10.20.1.17', dst(i), 'GET', p, `/up?d=${base64Run}&x=${p}`, 0, p));
      const flows = carried.map((_, i) => conn(1_767_258_000 + i, '10.20.1.17', dst(i), 80, 5000 + i, 200));
      writeFileSync(join(dir, fileName), zeekTsv('http', HTTP_COLUMNS, http));
      writeFileSync(join(dir, 'conn.log'), zeekTsv('conn', CONN_COLUMNS, flows));
      const findings: Finding[] = [];
      const collector = new ReportCollector();
      const summary = await run([dir], { config: parseConfig({}), detect: true, onFinding: (f) => findings.push(f), onEvents: (b) => collector.add(b) });
      rmSync(dir, { recursive: true, force: true });
      const input = { summary, findings: findings.sort(compareFindings), aggregates: collector.snapshot(), generatedAt: new Date(0), version: 'test' };
      report = await openReport(browser, 'zeek-hostile', renderReport(input));
      state = await inspect(report);
    }, BROWSER_SETUP_MS);

    it('fires no sentinel, adds no element or handler, breaks no CSP rule and throws nothing', () => expectUntouched(state, report));

    it('shows each Host header and the file name in their visible form', () => {
      const shown = new Set(state.values);
      const wellFormed = (v: string): string => Buffer.from(v, 'utf8').toString('utf8');
      for (const p of carried) expect(shown.has(escapeVisible(wellFormed(p))), JSON.stringify(p.slice(0, 60))).toBe(true);
      expect([...shown].some((v) => v.endsWith('http <img src=x onerror=window.__xss="file"> ⟪U+202E⟫gol.log'))).toBe(true);
    });
  });

  describe('with an ordinary run', () => {
    let report: OpenedReport;

    beforeAll(async () => {
      report = await openReport(browser, 'sample', renderReport(sampleRun()));
    }, BROWSER_SETUP_MS);

    it('draws all three charts', async () => {
      for (const id of ['#chart-volume', '#chart-pairs', '#chart-payloads']) expect(await colouredPixels(report, id), id).toBeGreaterThan(50);
      await report.page.screenshot({ path: join(SCREENSHOTS, 'report-sample.png'), fullPage: true });
      expect(report.errors).toEqual([]);
    });

    it('filters by host, risk, analytic and technique, and searches by plain substring', async () => {
      const { page } = report;
      const count = async (): Promise<number> => page.locator('#finding-rows tr.finding').count();
      const host = async (text: string): Promise<string> =>
        page.locator('#f-host option', { hasText: text }).first().getAttribute('value') as Promise<string>;
      expect(await count()).toBe(6);
      await page.selectOption('#f-host', await host('WS-FIN-042'));
      expect(await count()).toBe(5);
      await page.selectOption('#f-risk', '8');
      expect(await count()).toBe(4);
      await page.selectOption('#f-host', '');
      await page.selectOption('#f-risk', '0');
      await page.selectOption('#f-analytic', await page.locator('#f-analytic option', { hasText: 'alt-protocol-volume' }).getAttribute('value') as string);
      expect(await count()).toBe(2);
      await page.selectOption('#f-analytic', '');
      await page.selectOption('#f-technique', await page.locator('#f-technique option', { hasText: 'T1560' }).getAttribute('value') as string);
      expect(await count()).toBe(1);
      await page.selectOption('#f-technique', '');
      await search(report, 'OPENSSL enc', 1);
      await search(report, 'ws-fin', 5);
      await search(report, '(a+)+$', 0);
      await search(report, '.*', 0);
      await search(report, '', 6);
      expect(report.errors).toEqual([]);
    });
  });
});

/** The page did only what its own script does: no sentinel, no element or handler from data, no CSP report. */
function expectUntouched(state: PageState, report: OpenedReport): void {
  expect(state.sentinels).toEqual([]);
  expect(state.foreignElements).toBe(0);
  expect(state.handlerAttributes).toBe(0);
  expect(state.violations).toEqual([]);
  expect(report.errors).toEqual([]);
}

/** Types into the search box and waits for the count line to show the expected number of matches. */
async function search(report: OpenedReport, query: string, expected: number): Promise<void> {
  await report.page.fill('#f-search', query);
  const counted = (n: number): boolean => document.getElementById('f-count')?.textContent?.startsWith(`${n} of `) ?? false;
  await report.page.waitForFunction(counted, expected, { timeout: 5000 }).catch(async (err: Error) => {
    throw new Error(`search ${JSON.stringify(query)}: count line is ${await report.page.textContent('#f-count')}: ${err.message}`);
  });
  expect(await report.page.locator('#finding-rows tr.finding').count()).toBe(expected);
}

/** Pixels drawn in a saturated colour: series, not the grey grid and axes. */
async function colouredPixels(report: OpenedReport, container: string): Promise<number> {
  return report.page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${selector} canvas`);
    if (canvas === null) return 0;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 80) n++;
    }
    return n;
  }, container);
}
