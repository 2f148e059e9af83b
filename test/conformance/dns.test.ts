// dns.log conformance against Zeek's baselines (see zeek-app-logs.ts and CONFORMANCE.md).
import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../shared-data.js';
import { conformance, recordedLevels, table } from './zeek-app-logs.js';

const LOG = 'dns';
const FIELDS = ['query', 'qtype_name', 'rcode_name', 'answers'];

describe.skipIf(!hasSharedData)(`${LOG}.log conformance`, () => {
  it('matches Zeek at the recorded per-field rates', async () => {
    const result = await conformance(LOG, FIELDS);
    console.log(table(LOG, result));
    if (process.env.CONFORMANCE_MISMATCHES) for (const m of result.mismatches) console.log(JSON.stringify(m));
    const levels = recordedLevels(LOG);
    for (const field of FIELDS) {
      const t = result.tally.get(field);
      if (t === undefined) continue;
      expect.soft((100 * t.matched) / t.total, field).toBeGreaterThanOrEqual((levels.get(field) ?? 0) - 0.05);
    }
  });
});
