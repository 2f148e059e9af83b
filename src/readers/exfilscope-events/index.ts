// Reads back the JSON lines `exfilscope events` writes (one normalised event per line), so events can be saved,
// filtered or generated once and hunted many times, and so the store's resume and dedup are testable on any
// volume. Each line is checked for the fields its kind requires; a line that fails is skipped and counted.
// The event's own `source` is kept, so evidence still points at the original input it was read from.
import { InputError } from '../../core/errors.js';
import { EVENT_KINDS, type Event, type EventKind } from '../../core/events.js';
import { readLines } from '../io/lines.js';
import type { Reader } from '../reader.js';

const KINDS = new Set<string>(EVENT_KINDS);
const ENDPOINT_KINDS = new Set<EventKind>(['flow', 'http', 'dns', 'ftp', 'smtp', 'tls', 'payload', 'net_conn']);
type FieldType = 'string' | 'number' | 'object';
/** Fields each kind cannot do without, beyond ts, kind and source (and endpoints for conversations). */
const REQUIRED = new Map<EventKind, [string, FieldType][]>([
  ['flow', [['proto', 'string']]],
  ['dns', [['proto', 'string'], ['query', 'string']]],
  ['ftp', [['command', 'string']]],
  ['icmp', [['src_ip', 'string'], ['dst_ip', 'string'], ['icmp_type', 'number'], ['icmp_code', 'number'], ['payload_len', 'number']]],
  ['payload', [['protocol', 'string'], ['context', 'string'], ['direction', 'string'], ['sample', 'object']]],
  ['process', [['process', 'object']]],
  ['file', [['action', 'string'], ['path', 'string']]],
  ['net_conn', [['proto', 'string']]],
  ['firewall', [['proto', 'string'], ['src_ip', 'string'], ['dst_ip', 'string']]],
]);
const ENDPOINTS: [string, FieldType][] = [['src_ip', 'string'], ['src_port', 'number'], ['dst_ip', 'string'], ['dst_port', 'number']];
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that drops keys which could reach an object's prototype if the value were ever merged. */
function parseJson(line: string): unknown {
  return JSON.parse(line, (key, value: unknown) => (UNSAFE_KEYS.has(key) ? undefined : value));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(value: unknown, type: FieldType): boolean {
  return type === 'object' ? isObject(value) : type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
}

/** Why the record is not an event, or undefined when it is one. */
function problem(record: Record<string, unknown>): string | undefined {
  const kind = record.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return 'unknown kind';
  if (!hasType(record.ts, 'number')) return 'ts is not a number';
  const source = record.source;
  if (!isObject(source) || typeof source.reader !== 'string' || typeof source.path !== 'string') return 'source missing';
  const required = [...(ENDPOINT_KINDS.has(kind as EventKind) ? ENDPOINTS : []), ...(REQUIRED.get(kind as EventKind) ?? [])];
  for (const [field, type] of required) if (!hasType(record[field], type)) return `${field} missing or not a ${type}`;
  return undefined;
}

/** Byte samples were written as `{ base64 }` (sinks/jsonl.ts); they become bytes again. */
function restoreSample(record: Record<string, unknown>): boolean {
  for (const key of ['sample', 'request_body']) {
    const sample = record[key];
    if (sample === undefined) continue;
    if (!isObject(sample) || !isObject(sample.bytes) || typeof sample.bytes.base64 !== 'string' || typeof sample.total !== 'number') return false;
    sample.bytes = new Uint8Array(Buffer.from(sample.bytes.base64, 'base64'));
  }
  return true;
}

function looksLikeEvent(line: string): boolean {
  try {
    const value = parseJson(line);
    return isObject(value) && problem(value) === undefined;
  } catch {
    return false;
  }
}

export const exfilscopeEventsReader: Reader = {
  name: 'exfilscope-events',
  description: 'normalised events as written by `exfilscope events` (JSON lines)',
  sniff(head) {
    if (head[0] !== 0x7b) return false;
    const text = Buffer.from(head).toString('utf8');
    const nl = text.indexOf('\n');
    return nl > 0 && looksLikeEvent(text.slice(0, nl));
  },
  async *events(stream, ctx) {
    const { health } = ctx;
    let badInARow = 0;
    for await (const batch of readLines(stream, { maxLineLength: ctx.limits.max_line_length, anomalies: health.anomalies })) {
      const events: Event[] = [];
      for (let i = 0; i < batch.length; i++) {
        const line = batch.line(i);
        const lineNo = batch.firstLine + i;
        health.records++;
        if (line.trim() === '') continue;
        let reason: string | undefined;
        try {
          const value = parseJson(line);
          if (!isObject(value)) reason = 'not a JSON object';
          else if ((reason = problem(value)) === undefined && !restoreSample(value)) reason = 'bad byte sample';
          if (reason === undefined) {
            events.push(value as unknown as Event);
            badInARow = 0;
            continue;
          }
          health.anomalies.add('events.bad_event', { line: lineNo, detail: reason });
        } catch {
          health.anomalies.add('events.bad_json', { line: lineNo });
        }
        if (++badInARow >= ctx.limits.max_consecutive_bad_lines) {
          throw new InputError(ctx.path, `${badInARow} bad lines in a row: not exfilscope events`, { line: lineNo });
        }
      }
      health.bytes = batch.bytes;
      if (events.length > 0) yield events;
    }
  },
};
