// The report's escaping, checked on the page text itself (no DOM needed): the data island cannot end early,
// no markup carries a handler or an external reference, the CSP allows exactly the inlined code, and every
// hostile value reaches the page in its visible form, with links only for http(s) URLs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allShared, loadSharedHostile, OWN, OWN_HUGE } from '../../../test/hostile-payloads.js';
import { hostileRun, sampleRun } from '../../../test/report-fixtures.js';
import { escapeVisible, truncateSafely } from '../escape.js';
import { htmlReportOptions } from './options.js';
import { parseConfig } from '../../pipeline/config.js';
import { jsonForScript, renderReport } from './render.js';

const MAX_VALUE = htmlReportOptions.parse({}).max_value_chars;

interface PageParts {
  html: string;
  markup: string;
  scripts: string[];
  style: string;
  csp: string;
  data: { strings: { text: string[]; cut: [number, number][]; href: [number, string][]; idn: [number, string][] } };
}

function split(html: string): PageParts {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!;
  const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '<script></script>').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  return { html, markup, scripts, style, csp, data: JSON.parse(json) };
}

const sha = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

let payloads: string[] = OWN;
let page: PageParts;

beforeAll(async () => {
  const shared = await loadSharedHostile();
  if (shared !== undefined) payloads = [...OWN, ...allShared(shared)];
  page = split(renderReport(hostileRun(payloads)));
});

describe('jsonForScript', () => {
  it('leaves no character that could end the data island or break a line, and round-trips', () => {
    for (const p of [...OWN, '</script>', '<!--', ']]>', '\u2028\u2029']) {
      const text = jsonForScript({ p });
      expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      expect(JSON.parse(text)).toEqual({ p });
    }
  });
});

describe('renderReport with hostile values in every field', () => {
  it("has exactly the page's own three script elements and no markup from data", () => {
    expect(page.html.match(/<script/gi)).toHaveLength(3);
    expect(page.html.match(/<\/script/gi)).toHaveLength(3);
    expect(page.markup).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    for (const tag of ['img', 'svg', 'iframe', 'math', 'object', 'embed', 'link', 'base', 'form', 'noscript', 'textarea']) {
      expect(page.markup).not.toMatch(new RegExp(`<${tag}[\\s>/]`, 'i'));
    }
  });

  it('references nothing outside the file', () => {
    expect(page.markup).not.toMatch(/\ssrc\s*=/i);
    for (const m of page.markup.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^#[a-z-]+$/);
    expect(page.style).not.toMatch(/@import|url\(/i);
  });

  it('has a strict CSP naming the hash of each inlined script and of the stylesheet', () => {
    const directives = new Map(page.csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(page.scripts.map(sha));
    expect(directives.get('style-src')).toEqual([sha(page.style)]);
    expect(page.csp).not.toMatch(/unsafe-|\*|http/);
  });

  it('carries every value in its visible form, cut to the limit, and never a raw control or bidi character', () => {
    const text = new Set(page.data.strings.text);
    for (const p of payloads) expect(text.has(escapeVisible(truncateSafely(p, MAX_VALUE)))).toBe(true);
    expect(page.html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(page.html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('counts what it cut from very long values', () => {
    const idx = page.data.strings.text.indexOf(OWN_HUGE.slice(0, MAX_VALUE));
    expect(page.data.strings.cut).toContainEqual([idx, OWN_HUGE.length - MAX_VALUE]);
    expect(page.html.length).toBeLessThan(2 * (1 << 20));
  });

  it('marks links only for values that parse as http(s) URLs', () => {
    const linked = page.data.strings.href.map(([idx, href]) => ({ shown: page.data.strings.text[idx]!, href }));
    expect(linked.length).toBeGreaterThan(0);
    for (const { shown, href } of linked) {
      expect(new URL(href).protocol).toMatch(/^https?:$/);
      expect(shown).toMatch(/^https?:\/\//i);
    }
    const shown = new Set(linked.map((l) => l.shown));
    for (const p of ['javascript:window.__xss="own-10"', 'JaVaScRiPt:window.__xss="own-11"', '//evil.example/path']) expect(shown.has(p)).toBe(false);
    expect(shown.has('data:text/html,<script>window.__xss="own-12"</script>')).toBe(false);
  });

  it('shows the punycode beside internationalised domain names', () => {
    const { text, idn } = page.data.strings;
    const byText = new Map(idn.map(([idx, ascii]) => [text[idx], ascii]));
    expect(byText.get('аррӏе.com')).toBe('xn--80ak6aa92e.com');
    expect(byText.get('https://аррӏе.com/login')).toBe('xn--80ak6aa92e.com');
  });
});

describe('page.js', () => {
  const source = readFileSync(new URL('./page.js', import.meta.url), 'utf8');

  it('never parses strings as markup or code', () => {
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"](on|href|src|style)/);
  });

  it('matches the search box as a plain substring, never as a pattern', () => {
    expect(source).not.toMatch(/new RegExp/);
  });
});

describe('report limits', () => {
  it('keeps max_evidence_per_finding rows and counts the rest', () => {
    const run = sampleRun();
    const [first, ...rest] = run.findings;
    const many = { ...first!, evidence: Array.from({ length: 60 }, (_, i) => ({ reader: 'zeek', path: 'conn.log', line: i + 1 })) };
    const { data } = split(renderReport({ ...run, findings: [many, ...rest] }, { max_evidence_per_finding: 50 })) as unknown as {
      data: { findingColumns: string[]; findings: unknown[][] };
    };
    const row = data.findings[0]!;
    expect((row[data.findingColumns.indexOf('evidence')] as unknown[]).length).toBe(50);
    expect(row[data.findingColumns.indexOf('evidence_omitted')]).toBe(10);
  });

  it('are the `report` section of the config, checked like every other', () => {
    expect(parseConfig({ report: { max_value_chars: 1000 } }).report.max_value_chars).toBe(1000);
    expect(parseConfig({}).report.max_pairs).toBe(5000);
    expect(() => parseConfig({ report: { max_value_char: 1000 } })).toThrow(/report/);
  });
});

describe('renderReport of an ordinary run', () => {
  it('embeds the findings in risk order with their columns named', () => {
    const { data } = split(renderReport(sampleRun())) as unknown as { data: { findingColumns: string[]; findings: unknown[][] } };
    const risk = data.findingColumns.indexOf('risk');
    const risks = data.findings.map((row) => row[risk] as number);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    expect(risks.length).toBe(6);
  });
});
