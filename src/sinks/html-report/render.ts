// The self-contained HTML report: a fixed page skeleton, the data as JSON in <script type="application/json">,
// uPlot and the page script inlined, and a Content-Security-Policy that allows exactly those inline scripts
// and the one stylesheet by hash. No value from the inputs is ever written into markup: the page script
// reads the JSON and builds the DOM with textContent (see page.js).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildReportData, type ReportInput } from './model.js';
import type { HtmlReportOptions } from './options.js';

interface Assets {
  scripts: string[];
  style: string;
}

let assets: Assets | undefined;

/** uPlot comes pinned from node_modules; page.js/page.css sit beside this module (copied to dist by the build). */
function loadAssets(): Assets {
  if (assets !== undefined) return assets;
  const require = createRequire(import.meta.url);
  const read = (path: string | URL): string => readFileSync(path, 'utf8');
  const scripts = [read(require.resolve('uplot/dist/uPlot.iife.min.js')), read(new URL('./page.js', import.meta.url))];
  const style = read(require.resolve('uplot/dist/uPlot.min.css')) + '\n' + read(new URL('./page.css', import.meta.url));
  for (const text of [...scripts, style]) {
    // An asset that could close its own element would let the next bytes be parsed as markup.
    if (/<\/(script|style)|<!--/i.test(text)) throw new Error('report asset contains a closing tag or comment opener');
  }
  assets = { scripts, style };
  return assets;
}

/** JSON safe inside a <script> element: no `<`, `>` or `&` can start markup, U+2028/2029 cannot end a line. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function contentSecurityPolicy(scripts: readonly string[], style: string): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${sha256(style)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const SKELETON = `<header>
<h1>exfilscope report</h1>
<p id="generated" class="muted"></p>
<nav><a href="#findings">Findings</a> <a href="#charts">Charts</a> <a href="#destinations">Destinations</a> <a href="#health">Input health</a></nav>
</header>
<section id="summary"><h2>Run summary</h2><div id="cards" class="cards"></div><div id="by-analytic"></div></section>
<section id="findings"><h2>Findings</h2>
<div class="filters">
<label>Host <select id="f-host"><option value="">all</option></select></label>
<label>Risk at least <select id="f-risk"></select></label>
<label>Analytic <select id="f-analytic"><option value="">all</option></select></label>
<label>Technique <select id="f-technique"><option value="">all</option></select></label>
<label>Search <input id="f-search" type="search" placeholder="text in any field" autocomplete="off" spellcheck="false"></label>
<span id="f-count" class="muted"></span>
</div>
<table id="finding-table"><thead><tr><th></th><th>Risk</th><th>Analytic</th><th>Technique</th><th>Window (UTC)</th><th>Host</th><th>Destination</th><th>Reason</th></tr></thead><tbody id="finding-rows"></tbody></table>
<p><button id="more-findings" type="button" hidden>show more</button></p>
</section>
<section id="charts"><h2>Charts</h2>
<div class="chart"><h3>Outbound volume over time per destination</h3><div id="chart-volume"></div></div>
<div class="chart"><h3>Bytes out vs bytes in per host pair (log scale)</h3><div id="chart-pairs"></div></div>
<div class="chart"><h3>Inspected payloads: entropy vs chi-square</h3><p class="muted">Encrypted data is near 8 bits/byte <em>and</em> uniform (low chi-square); compressed data is dense but not uniform (high chi-square).</p><div id="chart-payloads"></div></div>
</section>
<section id="destinations"><h2>Destinations</h2>
<h3>Top destinations by bytes out</h3><div id="top-destinations"></div>
<h3>Newest destinations (latest first seen in this run)</h3><div id="new-destinations"></div>
</section>
<section id="health"><h2>Input health</h2><div id="inputs"></div></section>
<footer class="muted">Made by exfilscope. Every value from the inputs is shown as text: control and bidirectional characters appear as ␀ or ⟪U+202E⟫.</footer>`;

/** Renders the whole report page as one string. */
export function renderReport(input: ReportInput, options: Partial<HtmlReportOptions> = {}): string {
  const { scripts, style } = loadAssets();
  const data = jsonForScript(buildReportData(input, options));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts, style)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exfilscope report</title>
<style>${style}</style>
</head>
<body>
${SKELETON}
<script type="application/json" id="report-data">${data}</script>
${scripts.map((script) => `<script>${script}</script>`).join('\n')}
</body>
</html>
`;
}
