// ftp.log: one row per logged command with its reply, Zeek's base/protocols/ftp/main.zeek Info record (the
// columns we fill). Like Zeek, only the commands in FTP::logged_commands make rows; the events carry all.
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

/** Zeek's default `FTP::logged_commands`. */
const LOGGED_COMMANDS = new Set(['APPE', 'DELE', 'RETR', 'STOR', 'STOU', 'ACCT', 'PORT', 'PASV', 'EPRT', 'EPSV']);

export const ftpLog: ZeekLog<'ftp'> = {
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
  row: (e) => LOGGED_COMMANDS.has(e.command)
    ? [...connectionCells(e), e.user, e.command, e.arg, e.file_size, e.reply_code, e.reply_msg]
    : undefined,
};
