// `npm run screenshot`: hunts samples/ with the real CLI (`exfilscope hunt samples/ --report …`), opens the
// report in Chromium and saves the top of the page (summary, findings, charts) as docs/report.png for the README.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { hasChromium, launchChromium, NO_CHROMIUM, openReport } from './browser.js';
import { REPO_ROOT } from './shared-data.js';

if (!hasChromium) throw new Error(NO_CHROMIUM);
const scratch = mkdtempSync(join(tmpdir(), 'exfilscope-screenshot-'));
const reportPath = join(scratch, 'report.html');
process.chdir(REPO_ROOT); // so the report names inputs as samples/…, not by this machine's absolute path
const code = await main(['node', 'exfilscope', 'hunt', '--quiet', 'samples', '--report', reportPath]);
if (code === 2) throw new Error('hunting samples/ failed');
const out = join(REPO_ROOT, 'docs', 'report.png');
mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
const browser = await launchChromium();
try {
  const { page, errors } = await openReport(browser, 'samples', readFileSync(reportPath, 'utf8'));
  if (errors.length > 0) throw new Error(errors.join('; '));
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1300, height: 2000 } });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
