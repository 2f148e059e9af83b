// ftp.log: one row per logged command with its reply, Zeek's base/protocols/ftp/main.zeek Info record (the
// columns we fill). Like Zeek, only the commands in FTP::logged_commands make rows; the events carry all.
import type { FtpEvent } from '../../core/events.js';
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

/** Zeek's default `FTP::logged_commands`. */
export const ZEEK_LOGGED_FTP_COMMANDS: ReadonlySet<string> = new Set(['APPE', 'DELE', 'RETR', 'STOR', 'STOU', 'ACCT', 'PORT', 'PASV', 'EPRT', 'EPSV']);

/** The ftp.log definition for a set of logged commands (`all` for every command, as some Zeek setups do). */
export function ftpLogOf(logged: ReadonlySet<string> | 'all'): ZeekLog<'ftp'> {
  return {
    path: 'ftp',
    kind: 'ftp',
    fields: [
      ...CONNECTION_FIELDS,
      { name: 'user', type: 'string' },
      { name: 'command', type: 'string' },
      { name: 'arg', type: 'string' },
      { name: 'file_size', type: 'count' },
      { name: 'reply_code', type: 'count' },
      { name: 'reply_msg', type: 'string' },
    ],
    row: (e: FtpEvent) => logged === 'all' || logged.has(e.command)
      ? [...connectionCells(e), e.user, e.command, e.arg, e.file_size, e.reply_code, e.reply_msg]
      : undefined,
  };
}

export const ftpLog = ftpLogOf(ZEEK_LOGGED_FTP_COMMANDS);
