// Every Zeek log kind `exfilscope logs` can write. Adding one: a ZeekLog definition and one line here.
import { connLog } from './conn-log.js';
import { dnsLog } from './dns-log.js';
import { ftpLog } from './ftp-log.js';
import { httpLog } from './http-log.js';
import { smtpLog } from './smtp-log.js';
import type { ZeekLog } from './zeek-log.js';

export const ZEEK_LOGS: readonly ZeekLog<any>[] = [
  connLog,
  httpLog,
  dnsLog,
  ftpLog,
  smtpLog,
];
