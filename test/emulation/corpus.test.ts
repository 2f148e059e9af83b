// End to end over the committed corpus subset: pcap → capture path → detectors. Every exfiltration scenario
// is found with its expected sub-technique, and no benign one is called T1048.001.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { parseConfig } from '../../src/pipeline/config.js';
import { run } from '../../src/pipeline/run.js';

const DIR = fileURLToPath(new URL('./testdata/', import.meta.url));

const rows = readFileSync(join(DIR, 'labels.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));

async function findings(name: string): Promise<Finding[]> {
  const out: Finding[] = [];
  await run([join(DIR, `${name}.pcap`)], { config: parseConfig({}), detect: true, onFinding: (f) => out.push(f) });
  return out.filter((f) => f.risk >= 5);
}

describe('emulation corpus subset', () => {
  for (const [name, , , , , expected, label] of rows) {
    it(`${label} ${name}`, async () => {
      const found = await findings(name!);
      if (label === 'exfil') expect(found.map((f) => f.technique)).toContain(expected);
      else expect(found.filter((f) => f.technique === 'T1048.001')).toEqual([]);
    });
  }
});
