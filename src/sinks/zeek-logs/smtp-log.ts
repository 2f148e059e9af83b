// smtp.log: one row per mail transaction, Zeek's base/protocols/smtp/main.zeek Info record (the columns we fill).
import { CONNECTION_FIELDS, connectionCells } from './endpoints.js';
import type { ZeekLog } from './zeek-log.js';

export const smtpLog: ZeekLog<'smtp'> = {
  path: 'smtp',
  kind: 'smtp',
  fields: [
    ...CONNECTION_FIELDS,
    { name: 'helo', type: 'string' },
    { name: 'mailfrom', type: 'string' },
    { name: 'rcptto', type: 'set[string]' },
    { name: 'from', type: 'string' },
    { name: 'to', type: 'set[string]' },
    { name: 'subject', type: 'string' },
  ],
  row: (e) => [
    ...connectionCells(e), e.helo, e.mailfrom, e.rcptto !== undefined && e.rcptto.length > 0 ? e.rcptto : undefined, e.from, e.to, e.subject,
  ],
};
