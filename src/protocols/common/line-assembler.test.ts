import { describe, expect, it } from 'vitest';
import { LineAssembler, parseDecimal } from './line-assembler.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function lines(assembler: LineAssembler, chunks: string[]): [string, boolean, boolean, number][] {
  const out: [string, boolean, boolean, number][] = [];
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk, 'latin1');
    let pos = 0;
    while (pos < bytes.length) {
      const { line, end } = assembler.next(bytes, pos);
      pos = end;
      if (line !== undefined) out.push([text(line.line), line.tooLong, line.complete, line.eol]);
    }
  }
  return out;
}

describe('LineAssembler', () => {
  it('joins lines across pieces and strips CRLF or LF', () => {
    expect(lines(new LineAssembler(100), ['ab', 'c\r', '\nd\n', '\r\n'])).toEqual([['abc', false, true, 2], ['d', false, true, 1], ['', false, true, 2]]);
  });

  it('truncates an over-long line, counting it once as soon as it passes the cap', () => {
    let overflows = 0;
    const assembler = new LineAssembler(4, 'truncate', () => overflows++);
    expect(lines(assembler, ['abcdef', 'ghi'])).toEqual([]);
    expect(overflows).toBe(1);
    expect(lines(assembler, ['\r\nok\n'])).toEqual([['abcd', true, true, 1], ['ok', false, true, 1]]);
    expect(overflows).toBe(1);
  });

  it('splits an over-long line into cap-sized pieces in split mode, losing no byte', () => {
    expect(lines(new LineAssembler(4, 'split'), ['abcdefghij\r\nx\n'])).toEqual([
      ['abcd', true, false, 0], ['efgh', true, false, 0], ['ij', true, true, 2], ['x', false, true, 1],
    ]);
  });
});

describe('parseDecimal', () => {
  it('accepts digits within the cap and rejects everything else', () => {
    expect(parseDecimal('0000000000000000000042')).toBe(42);
    expect(parseDecimal('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseDecimal('99999999999999999')).toBeUndefined();
    expect(parseDecimal('12a')).toBeUndefined();
    expect(parseDecimal('-1')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
    expect(parseDecimal('1000', 999)).toBeUndefined();
  });
});
