// ftp.log conformance against Zeek's baselines (see app-logs.ts and CONFORMANCE.md).
import { describe, it } from 'vitest';
import { ZEEK_LOGGED_FTP_COMMANDS, ftpLog, ftpLogOf } from '../../src/sinks/zeek-logs/ftp-log.js';
import { hasSharedData } from '../shared-data.js';
import { appLogConformance } from './app-logs.js';
import type { ZeekTable } from './zeek-baselines.js';

/** Tests that log every command (policy scripts redefine FTP::logged_commands) are compared with all of ours. */
function logFor(zeek: ZeekTable) {
  const column = zeek.fields.indexOf('command');
  return zeek.rows.some((row) => !ZEEK_LOGGED_FTP_COMMANDS.has(row[column] ?? '')) ? ftpLogOf('all') : ftpLog;
}

describe.skipIf(!hasSharedData)('ftp.log conformance with Zeek baselines', () => {
  it('matches Zeek row by row at the recorded rates', () => appLogConformance('ftp', ['command', 'arg', 'file_size', 'reply_code'], logFor));
});
