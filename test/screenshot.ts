// `npm run screenshot`: renders the report of the sample run, opens it in Chromium and saves the top of the
// page (summary, findings, charts) as docs/report.png for the README.
// The run is constructed in test/report-fixtures.ts until samples/ exists; then point this at a real hunt.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from '../src/sinks/html-report/render.js';
import { hasChromium, launchChromium, NO_CHROMIUM, openReport } from './browser.js';
import { sampleRun } from './report-fixtures.js';
import { REPO_ROOT } from './shared-data.js';

if (!hasChromium) throw new Error(NO_CHROMIUM);
const out = join(REPO_ROOT, 'docs', 'report.png');
mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
const browser = await launchChromium();
try {
  const { page, errors } = await openReport(browser, 'sample', renderReport(sampleRun()));
  if (errors.length > 0) throw new Error(errors.join('; '));
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1300, height: 2250 } });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
}
