// One Linux audit record per line, as auditd writes it (audit.log, `ausearch --raw`, audispd/syslog
// forwarding): `[node=N ]type=T msg=audit(SEC.MSEC:SERIAL): k=v k="v" k='v'…[\x1d K="v"…]`.
// Format: linux-audit/audit-documentation "Audit event fields" and auparse's field encoding rules:
// untrusted strings are logged either "quoted" or, when they hold a space, quote, control or non-ASCII
// byte, as bare hex; `(null)` and `?` are literal. With log_format=ENRICHED auditd appends, after a
// \x1d (GS) byte, the translated fields in UPPERCASE (`AUID="alice" SYSCALL=execve`).
// The scanner is single-pass and index-based: no regex ever runs on attacker bytes.

/** One parsed record: its header and its fields, untrusted strings already decoded. */
export interface AuditRecord {
  node?: string;
  type: string;
  /** Event time in epoch seconds (fractional), from `audit(SEC.MSEC:…)`. */
  time: number;
  /** The `SEC.MSEC` text exactly as logged, so records of one event group by exact text. */
  timeText: string;
  serial: number;
  /** Raw fields, values unquoted and hex-decoded where the field holds an encoded string. */
  fields: Map<string, string>;
  /** Translated fields of log_format=ENRICHED (after the \x1d separator), keys in UPPERCASE. */
  enriched?: Map<string, string>;
  /** EXECVE only: arguments by index (`aN`, or `aN[i]` chunks joined in order). */
  args?: Map<number, string>;
  /** EXECVE only: arguments not kept for being at or beyond `maxArgs`. */
  argsDropped?: number;
  /** EXECVE only: indexes whose first chunk here continues an argument begun in an earlier record. */
  continued?: Set<number>;
  /** PROCTITLE only: the NUL-separated title split into arguments. */
  proctitle?: string[];
  /** 1-based input line. */
  line: number;
}

export type RecordProblem = 'not_audit' | 'bad_header';

export interface ParseOptions {
  /** Arguments with an index at or above this are dropped (counted in the record's `argsDropped`). */
  maxArgs: number;
}

export interface ParseResult {
  record?: AuditRecord;
  problem?: RecordProblem;
  /** Fields whose hex encoding was damaged (kept as the raw text). */
  badHex: number;
}

/** Numeric record types that matter here, as printed by kernels and journald (`type=1300`). */
const NUMERIC_TYPES = new Map<string, string>([
  ['1300', 'SYSCALL'], ['1302', 'PATH'], ['1306', 'SOCKADDR'], ['1307', 'CWD'], ['1309', 'EXECVE'],
  ['1320', 'EOE'], ['1327', 'PROCTITLE'], ['1400', 'AVC'], ['1325', 'NETFILTER_CFG'], ['1324', 'NETFILTER_PKT'],
]);

/** Fields that carry untrusted strings and so may be hex-encoded (auparse `is_hex_string` callers). */
const ENCODED_FIELDS = new Set([
  'exe', 'comm', 'cwd', 'name', 'proctitle', 'key', 'path', 'cmd', 'acct', 'data', 'dir', 'file',
  'old-name', 'new-name', 'vm', 'root_dir', 'ocomm', 'watch', 'sw',
]);

const SPACE = 0x20;
const GS = 0x1d;

/** Decodes an even-length hex string as UTF-8 (invalid bytes become U+FFFD); undefined if not hex. */
export function decodeHex(text: string): string | undefined {
  const bytes = hexBytes(text);
  return bytes === undefined ? undefined : bytes.toString('utf8');
}

export function hexBytes(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 2 !== 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex) return undefined;
  }
  return Buffer.from(text, 'hex');
}

/** Finds `type=` at the start of the line or after a space (syslog/journald prefixes are skipped). */
function findType(line: string): number {
  let at = line.startsWith('type=') ? 0 : -1;
  let from = 0;
  while (at === -1) {
    const i = line.indexOf(' type=', from);
    if (i === -1) return -1;
    at = i + 1;
    from = i + 1;
  }
  return at;
}

/** The `node=` value immediately before `type=`, if any. */
function nodeBefore(line: string, typeAt: number): string | undefined {
  const head = line.slice(0, typeAt).trimEnd();
  const n = head.lastIndexOf('node=');
  if (n === -1 || (n > 0 && head.charCodeAt(n - 1) !== SPACE)) return undefined;
  const value = head.slice(n + 5);
  return value.length > 0 && !value.includes(' ') ? value : undefined;
}

/** Parses one line; a line that is not an audit record or is damaged returns a problem, never throws. */
export function parseAuditLine(line: string, lineNo: number, options: ParseOptions): ParseResult {
  const result: ParseResult = { badHex: 0 };
  const typeAt = findType(line);
  if (typeAt === -1) {
    result.problem = 'not_audit';
    return result;
  }
  let i = typeAt + 5;
  const typeEnd = indexOfSpace(line, i);
  let type = line.slice(i, typeEnd);
  type = NUMERIC_TYPES.get(type) ?? type;
  const audit = line.indexOf('audit(', typeEnd);
  const close = audit === -1 ? -1 : line.indexOf(')', audit);
  if (type.length === 0 || close === -1 || close - audit > 64) {
    result.problem = 'bad_header';
    return result;
  }
  const stamp = line.slice(audit + 6, close);
  const colon = stamp.lastIndexOf(':');
  const timeText = stamp.slice(0, colon);
  const time = Number(timeText);
  const serial = Number(stamp.slice(colon + 1));
  if (colon <= 0 || !/^\d+(\.\d+)?$/.test(timeText) || !Number.isFinite(time) || !Number.isSafeInteger(serial)) {
    result.problem = 'bad_header';
    return result;
  }
  i = close + 1;
  if (line.charCodeAt(i) === 0x3a) i++;
  const record: AuditRecord = { type, time, timeText, serial, fields: new Map(), line: lineNo };
  const node = nodeBefore(line, typeAt);
  if (node !== undefined) record.node = node;
  scanFields(line, i, record, options, result);
  if (type === 'PROCTITLE') {
    const raw = record.fields.get('proctitle');
    if (raw !== undefined) record.proctitle = raw.split('\0').filter((part, k, all) => part.length > 0 || k < all.length - 1);
  }
  result.record = record;
  return result;
}

function indexOfSpace(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === GS) return i;
  }
  return line.length;
}

/**
 * Reads `key=value` tokens from `start`. Words without `=` (AVC's `avc: denied { read } for`) are skipped.
 * A `msg='…'` value (user-space records) is itself a field list: its fields are read too (one level only).
 */
function scanFields(line: string, start: number, record: AuditRecord, options: ParseOptions, result: ParseResult): void {
  let enriched = false;
  let i = start;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === SPACE) {
      i++;
      continue;
    }
    if (c === GS) {
      enriched = true;
      record.enriched ??= new Map();
      i++;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = line.charCodeAt(j);
      if (d === 0x3d || d === SPACE || d === GS) break;
      j++;
    }
    if (j >= n || line.charCodeAt(j) !== 0x3d) {
      i = j;
      continue;
    }
    const key = line.slice(i, j);
    j++;
    let value: string;
    let quoted = false;
    const q = line.charCodeAt(j);
    if (q === 0x22 || q === 0x27) {
      const end = line.indexOf(String.fromCharCode(q), j + 1);
      const stop = end === -1 ? n : end;
      value = line.slice(j + 1, stop);
      quoted = true;
      i = stop + 1;
      if (q === 0x27 && key === 'msg' && !enriched) {
        // The user-space message: its inner fields are what matters (op=, acct=, exe=, res=).
        scanFields(value, 0, record, options, result);
        continue;
      }
    } else {
      const end = indexOfSpace(line, j);
      value = line.slice(j, end);
      i = end;
    }
    if (enriched) record.enriched!.set(key, value);
    else storeField(record, key, value, quoted, options, result);
  }
}

function storeField(record: AuditRecord, key: string, value: string, quoted: boolean, options: ParseOptions, result: ParseResult): void {
  if (record.type === 'EXECVE' && key.charCodeAt(0) === 0x61 && key !== 'argc') {
    storeArg(record, key, value, quoted, options, result);
    return;
  }
  if (!quoted && ENCODED_FIELDS.has(key)) value = decodeUntrusted(value, result);
  record.fields.set(key, value);
}

function decodeUntrusted(value: string, result: ParseResult): string {
  if (value === '(null)' || value === '?' || value === '(none)') return value;
  const decoded = decodeHex(value);
  if (decoded !== undefined) return decoded;
  result.badHex++;
  return value;
}

/** `aN`, `aN_len` and `aN[i]`: EXECVE arguments, whole or in chunks (kernel audit_log_execve_info). */
function storeArg(record: AuditRecord, key: string, value: string, quoted: boolean, options: ParseOptions, result: ParseResult): void {
  let k = 1;
  let index = 0;
  while (k < key.length) {
    const c = key.charCodeAt(k);
    if (c < 0x30 || c > 0x39) break;
    index = index * 10 + (c - 0x30);
    if (index > 0x7fffffff) return;
    k++;
  }
  if (k === 1) {
    record.fields.set(key, value);
    return;
  }
  const rest = key.slice(k);
  if (rest === '_len') return;
  if (rest !== '' && !(rest.startsWith('[') && rest.endsWith(']'))) {
    record.fields.set(key, value);
    return;
  }
  if (index >= options.maxArgs) {
    if (rest === '' || rest === '[0]') record.argsDropped = (record.argsDropped ?? 0) + 1;
    return;
  }
  const text = quoted ? value : decodeUntrusted(value, result);
  record.args ??= new Map();
  // Chunks arrive in order (a1[0], a1[1]…), possibly spread over several records of the event.
  const previous = record.args.get(index);
  if (rest === '' || rest === '[0]') record.args.set(index, text);
  else if (previous !== undefined) record.args.set(index, previous + text);
  else {
    record.args.set(index, text);
    (record.continued ??= new Set()).add(index);
  }
}
