// The HTML report at scale: a generated run of 100 000 findings is rendered, then opened from file:// in
// Chromium and filtered. Budget (issue 8): under 20 MB, opened and filtered in under 2 s. Throws when a
// budget is missed, so `npm run bench report` is the check; unit tests stay free of timing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasChromium, launchChromium, NO_CHROMIUM, openReport } from '../test/browser.js';
import { generatedRun } from '../test/report-fixtures.js';
import { renderReport } from '../src/sinks/html-report/render.js';
import { machineLine, markdownTable } from './measure.js';

const FINDINGS = 100_000;
const MAX_BYTES = 20 * 1000 * 1000;
const MAX_SECONDS = 2;
const ROUNDS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<string> {
  if (!hasChromium) throw new Error(NO_CHROMIUM);
  const run = generatedRun(FINDINGS);
  let started = performance.now();
  const html = renderReport(run);
  const renderSeconds = (performance.now() - started) / 1000;
  const bytes = Buffer.byteLength(html);
  const outDir = join(import.meta.dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report-100k.html'), html);

  const browser = await launchChromium();
  const open: number[] = [];
  const search: number[] = [];
  const risk: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      started = performance.now();
      const { page, errors } = await openReport(browser, `report-100k-${round}`, html);
      open.push((performance.now() - started) / 1000);
      if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
      const countChanged = (before: string): boolean => document.getElementById('f-count')?.textContent !== before;
      const timed = async (act: () => Promise<void>): Promise<number> => {
        const before = (await page.textContent('#f-count')) ?? '';
        const t = performance.now();
        await act();
        await page.waitForFunction(countChanged, before);
        return (performance.now() - t) / 1000;
      };
      search.push(await timed(() => page.fill('#f-search', '198.51.1')));
      risk.push(await timed(async () => void (await page.selectOption('#f-risk', '9'))));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const openS = median(open);
  const filterS = median(search) + median(risk);
  const section = [
    '## HTML report: 100 000 findings',
    '',
    machineLine() + `, Chromium (${'/usr/bin/chromium'}) headless via playwright-core; median of ${ROUNDS} rounds.`,
    'Open = from navigation to the page script finishing (findings list, tables and charts drawn). The search',
    'time includes the 120 ms input debounce. Budget: under 20 MB, open + filter under 2 s.',
    '',
    markdownTable(['measure', 'value'], [
      ['report size', `${(bytes / 1e6).toFixed(1)} MB`],
      ['render in Node (renderReport)', `${renderSeconds.toFixed(2)} s`],
      ['open in Chromium', `${openS.toFixed(2)} s`],
      ['search "198.51.1" (substring over all fields)', `${median(search).toFixed(2)} s`],
      ['risk filter ≥ 9', `${median(risk).toFixed(2)} s`],
    ]),
  ].join('\n');
  if (bytes >= MAX_BYTES) throw new Error(`report is ${bytes} bytes, over the ${MAX_BYTES} budget\n${section}`);
  if (openS >= MAX_SECONDS || filterS >= MAX_SECONDS) throw new Error(`report too slow in Chromium\n${section}`);
  return section;
}
