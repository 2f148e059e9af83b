import { describe, expect, it } from 'vitest';
import { AnomalyCounter } from '../../core/anomalies.js';
import { readLines, type LineBatch } from './lines.js';

const linesOf = (batch: LineBatch): string[] => Array.from({ length: batch.length }, (_, i) => batch.line(i));

async function collect(chunks: string[], maxLineLength = 1024) {
  const anomalies = new AnomalyCounter();
  async function* stream() {
    for (const c of chunks) yield Buffer.from(c, 'latin1');
  }
  const out: { line: number; text: string }[] = [];
  for await (const batch of readLines(stream(), { maxLineLength, anomalies })) {
    for (let i = 0; i < batch.length; i++) out.push({ line: batch.firstLine + i, text: batch.line(i) });
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

  it('joins a line spread over several chunks and numbers the lines after it', async () => {
    const { out } = await collect(['ab', 'cd', 'ef\r', '\ng\nh']);
    expect(out).toEqual([
      { line: 1, text: 'abcdef' },
      { line: 2, text: 'g' },
      { line: 3, text: 'h' },
    ]);
  });

  it('reads a chunk far larger than one text piece, lines crossing the piece boundaries intact', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`);
    const { out } = await collect([lines.join('\n') + '\n'], 1024);
    expect(out.length).toBe(20000);
    expect(out.every((l, i) => l.line === i + 1 && l.text === lines[i])).toBe(true);
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
    for await (const b of readLines(stream(), { maxLineLength: 100, anomalies })) lines.push(...linesOf(b));
    expect(lines).toEqual(['€', '\uFFFD']);
  });

  it('reads ASCII chunks directly and still finishes a character cut before an ASCII chunk', async () => {
    const anomalies = new AnomalyCounter();
    async function* stream() {
      yield Buffer.from('plain\n', 'ascii');
      yield Buffer.from([0x61, 0xe2, 0x82]); // "a" and the first two bytes of "€"
      yield Buffer.from([0xac, 0x0a]);
      yield Buffer.from([0x62, 0xe2]); // "b" and a cut lead byte, then ASCII: the lead byte becomes U+FFFD
      yield Buffer.from('c\nd\n', 'ascii');
    }
    const lines: string[] = [];
    for await (const b of readLines(stream(), { maxLineLength: 100, anomalies })) lines.push(...linesOf(b));
    expect(lines).toEqual(['plain', 'a€', 'b\uFFFDc', 'd']);
  });

  it('yields long runs of lines in bounded batches with exact line numbers', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `row ${i + 1}`).join('\n') + '\n';
    const anomalies = new AnomalyCounter();
    async function* stream() {
      yield Buffer.from(text, 'ascii');
    }
    const batches: { firstLine: number; count: number }[] = [];
    for await (const b of readLines(stream(), { maxLineLength: 100, anomalies })) batches.push({ firstLine: b.firstLine, count: b.length });
    expect(batches.length).toBeGreaterThan(1);
    expect(Math.max(...batches.map((b) => b.count))).toBeLessThanOrEqual(1024);
    expect(batches.reduce((n, b) => n + b.count, 0)).toBe(3000);
    for (let k = 1; k < batches.length; k++) expect(batches[k]!.firstLine).toBe(batches[k - 1]!.firstLine + batches[k - 1]!.count);
  });
});
