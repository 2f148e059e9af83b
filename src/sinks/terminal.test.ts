// The terminal view against hostile values: nothing from the inputs reaches the terminal as a control,
// bidi or lone-surrogate character, and each value is shown in its escaped form (cut to the column width).
import { describe, expect, it } from 'vitest';
import { allShared, loadSharedHostile, OWN } from '../../test/hostile-payloads.js';
import { hostileRun } from '../../test/report-fixtures.js';
import { escapeTerminal } from './escape.js';
import { renderFindings, renderSummary } from './terminal.js';

// Our own colour codes (SGR) are the only escape sequences allowed; anything else is a leak.
const stripOwnColour = (line: string): string => line.replace(/\x1b\[[0-9;]*m/g, '');
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('terminal output with hostile values in every field', async () => {
  const shared = await loadSharedHostile();
  const payloads = shared === undefined ? OWN : [...OWN, ...allShared(shared)];
  const run = hostileRun(payloads);
  const lines = [...renderFindings(run.findings, payloads.length), ...renderSummary(run.summary)];

  it('prints no control, bidi or lone-surrogate character from the inputs, one line per entry', () => {
    for (const line of lines) {
      const plain = stripOwnColour(line);
      expect(plain).not.toMatch(UNSAFE);
      expect(plain.includes('\t')).toBe(false);
    }
  });

  it('shows each value escaped, starting as the value starts', () => {
    const text = lines.map(stripOwnColour).join('\n');
    for (const p of payloads) {
      const shown = escapeTerminal(p).slice(0, 20);
      const safePrefix = shown.replace(/[\uD800-\uDBFF]$/, '');
      expect(text).toContain(safePrefix);
    }
  });
});

describe('terminal column cuts', () => {
  it('never split a surrogate pair when a value is cut to its column', () => {
    const [finding] = hostileRun(['x'.repeat(38) + '😀😀😀']).findings;
    const lines = renderFindings([finding!]).map(stripOwnColour);
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
    expect(lines.join('\n')).toContain('x'.repeat(38) + '…');
  });
});
