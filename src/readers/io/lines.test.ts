import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../../core/anomalies.js';
import { readLines } from './lines.js';

async function collect(chunks: string[], maxLineLength = 1024) {
  const anomalies = new AnomalyCounter();
  async function* stream() {
    for (const c of chunks) yield Buffer.from(c, 'latin1');
  }
  const out: { line: number; text: string }[] = [];
  for await (const batch of readLines(stream(), { maxLineLength, anomalies })) {
    batch.lines.forEach((text, i) => out.push({ line: batch.firstLine + i, text }));
  }
  return { out, anomalies };
}

describe('readLines', () => {
  it('joins lines split across chunks and strips CRLF', async () => {
    const { out } = await collect(['a\r\nb', 'c\nd', '\n']);
    expect(out).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'bc' },
      { line: 3, text: 'd' },
    ]);
  });

  it('yields an unterminated last line', async () => {
    const { out } = await collect(['x\ny']);
    expect(out.map((l) => l.text)).toEqual(['x', 'y']);
  });

  it('skips an over-long line, counts it, and keeps exact line numbers after it', async () => {
    const long = 'A'.repeat(5000);
    const { out, anomalies } = await collect(['ok\n', long.slice(0, 2500), long.slice(2500) + '\nafter\n'], 1024);
    expect(out).toEqual([
      { line: 1, text: 'ok' },
      { line: 3, text: 'after' },
    ]);
    expect(anomalies.count('input.line_too_long')).toBe(1);
    expect(anomalies.entries()[0]?.examples[0]?.line).toBe(2);
  });

  it('skips an over-long line inside one chunk without shifting later numbers', async () => {
    const { out } = await collect(['a\n' + 'B'.repeat(2000) + '\nc\n'], 1024);
    expect(out).toEqual([
      { line: 1, text: 'a' },
      { line: 3, text: 'c' },
    ]);
  });

  it('decodes UTF-8 split across chunk boundaries and replaces invalid bytes', async () => {
    const anomalies = new AnomalyCounter();
    const euro = Buffer.from('€\n', 'utf8');
    async function* stream() {
      yield euro.subarray(0, 1);
      yield euro.subarray(1);
      yield Buffer.from([0xff, 0x0a]);
    }
    const lines: string[] = [];
    for await (const b of readLines(stream(), { maxLineLength: 100, anomalies })) lines.push(...b.lines);
    expect(lines).toEqual(['€', '\uFFFD']);
  });
});
