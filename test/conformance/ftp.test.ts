// ftp.log conformance against Zeek's baselines (see zeek-app-logs.ts and CONFORMANCE.md).
import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../shared-data.js';
import { ZEEK_LOGGED_FTP_COMMANDS, ftpLog, ftpLogOf } from '../../src/sinks/zeek-logs/ftp-log.js';
import type { Row } from './zeek-app-logs.js';
import { conformance, recordedLevels, table } from './zeek-app-logs.js';

/** Tests that log every command (policy scripts redefine FTP::logged_commands) are compared with all of ours. */
const logFor = (zeek: Row[]) => (zeek.some((r) => !ZEEK_LOGGED_FTP_COMMANDS.has(r.get('command') ?? '')) ? ftpLogOf('all') : ftpLog);

const LOG = 'ftp';
const FIELDS = ['command', 'arg', 'file_size', 'reply_code'];

describe.skipIf(!hasSharedData)(`${LOG}.log conformance`, () => {
  it('matches Zeek at the recorded per-field rates', async () => {
    const result = await conformance(LOG, FIELDS, logFor);
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
