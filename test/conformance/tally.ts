// Per-field match counting for conformance tests: each comparison against a peer's expected value is
// tallied under (source, field), mismatches keep a few examples, and the table is printed. The floor a
// source must reach is read from CONFORMANCE.md (a `| <source> | … | floor % |` row), so lowering it is
// a visible edit to the documented record.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../shared-data.js';

interface Cell {
  compared: number;
  matched: number;
  examples: string[];
}

export class FieldTally {
  private readonly cells = new Map<string, Map<string, Cell>>();

  compare(source: string, field: string, expected: unknown, actual: unknown, where: string): void {
    let fields = this.cells.get(source);
    if (fields === undefined) this.cells.set(source, (fields = new Map()));
    let cell = fields.get(field);
    if (cell === undefined) fields.set(field, (cell = { compared: 0, matched: 0, examples: [] }));
    cell.compared++;
    if (JSON.stringify(expected) === JSON.stringify(actual)) cell.matched++;
    else if (cell.examples.length < 3) {
      cell.examples.push(`${where}: expected ${JSON.stringify(expected)?.slice(0, 120)} got ${JSON.stringify(actual)?.slice(0, 120)}`);
    }
  }

  /** Overall rate of a source, in percent. */
  rate(source: string): number {
    let compared = 0;
    let matched = 0;
    for (const cell of this.cells.get(source)?.values() ?? []) {
      compared += cell.compared;
      matched += cell.matched;
    }
    return compared === 0 ? 0 : (100 * matched) / compared;
  }

  sources(): string[] {
    return [...this.cells.keys()];
  }

  table(): string {
    const rows = ['source | field | compared | matched | rate', '--- | --- | ---: | ---: | ---:'];
    for (const [source, fields] of this.cells) {
      for (const [field, cell] of fields) {
        rows.push(`${source} | ${field} | ${cell.compared} | ${cell.matched} | ${((100 * cell.matched) / cell.compared).toFixed(1)} %`);
        for (const example of cell.examples) rows.push(`    ↳ ${example}`);
      }
      rows.push(`${source} | (all) | | | ${this.rate(source).toFixed(1)} %`);
    }
    return rows.join('\n');
  }
}

/** The floor recorded for a source in CONFORMANCE.md: the last cell of its table row, in percent. */
export function recordedFloor(source: string): number {
  const text = readFileSync(join(REPO_ROOT, 'CONFORMANCE.md'), 'utf8');
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter((c) => c.length > 0);
    if (cells[0] === source) return Number.parseFloat(cells[cells.length - 1]!);
  }
  throw new Error(`CONFORMANCE.md records no floor for ${source}`);
}
