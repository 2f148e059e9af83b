// The CSV export against hostile values: parsed back by an independent RFC 4180 parser (csv-parse), every cell
// is the original value (with the `'` that neutralises a formula), and no cell can start a formula.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { allShared, loadSharedHostile, OWN } from '../../../test/hostile-payloads.js';
import { hostileRun } from '../../../test/report-fixtures.js';
import { csvCell, CSV_HEADER, renderCsv } from './csv.js';

// UTF-8 (the file, and the parser's input) cannot hold a lone surrogate: it becomes U+FFFD on the way.
const wellFormed = (value: string): string => Buffer.from(value, 'utf8').toString('utf8');
const neutralised = (value: string): string => wellFormed(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

describe('csvCell', () => {
  it('prefixes formula starters and quotes per RFC 4180', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(1,1)')).toBe(`"'@SUM(1,1)"`);
    expect(csvCell('"=1+1"')).toBe('"""=1+1"""');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('renderCsv with hostile values in every field', async () => {
  const shared = await loadSharedHostile();
  const payloads = shared === undefined ? OWN : [...OWN, ...allShared(shared)];
  const { findings } = hostileRun(payloads);
  const rows: string[][] = parse(renderCsv(findings), { relax_quotes: false, record_delimiter: '\r\n' });

  it('parses back into one row per finding with every field intact', () => {
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(findings.length + 1);
    const col = (name: string): number => CSV_HEADER.indexOf(name);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    for (const f of findings) {
      const row = byId.get(f.id)!;
      for (const name of ['host', 'src_ip', 'dst_ip', 'reason', 'process_image', 'process_command_line', 'process_user']) {
        const raw = name.startsWith('process_') ? f.process![name.slice(8) as 'image' | 'command_line' | 'user']! : (f[name as 'host'] as string);
        expect(row[col(name)]).toBe(neutralised(raw));
      }
    }
  });

  it('starts no cell with a formula character', () => {
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
