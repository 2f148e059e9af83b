// Every Zeek log kind `exfilscope logs` can write. Adding one: a ZeekLog definition and one line here.
import { connLog } from './conn-log.js';
import type { ZeekLog } from './zeek-log.js';

export const ZEEK_LOGS: readonly ZeekLog<any>[] = [
  connLog,
];
