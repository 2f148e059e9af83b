// The EVTX reader: Windows XML Event Log files read chunk by chunk (memory stays at one 64 KiB chunk plus
// its records whatever the file size). Damaged chunks and records are skipped and counted:
//   evtx.bad_chunk_magic, evtx.truncated_chunk, evtx.chunk_crc_mismatch, evtx.records_crc_mismatch,
//   evtx.zeroed_chunk, evtx.bad_record, evtx.bad_binxml, evtx.depth_exceeded, evtx.record_too_large,
//   evtx.header_crc_mismatch.
// `records()` yields the JSON form of record-json.ts; `events()` maps it to a WinEvent and normalises it.
import { z } from 'zod';
import type { Event } from '../../core/events.js';
import { InputError } from '../../core/errors.js';
import type { InputHealth } from '../../core/health.js';
import { ChunkReader } from '../io/chunk-reader.js';
import type { ByteStream } from '../io/open.js';
import type { ReadContext, Reader } from '../reader.js';
import { normaliseWinEvent } from '../winevent/normalise.js';
import type { WinEvent } from '../winevent/win-event.js';
import {
  CHUNK_HEADER_SIZE,
  CHUNK_SIZE,
  checkChunk,
  chunkRecords,
  FILE_HEADER_SIZE,
  FILE_MAGIC,
  parseFileHeader,
  type ChunkOptions,
  type ChunkProblem,
} from './chunk.js';
import { recordJson, type Json } from './record-json.js';

export const evtxOptions = z.strictObject({
  /** `report`: count checksum mismatches and read the chunk anyway; `skip_chunk`: count and skip it; `ignore`: do not check. */
  checksums: z.enum(['report', 'skip_chunk', 'ignore']).default('report'),
  /** Deepest element nesting in a record; deeper records are skipped as `evtx.depth_exceeded`. Windows uses under 10. */
  max_element_depth: z.number().int().min(2).max(1000).default(64),
  /** Deepest chain of templates and Binary XML values nested in substitutions (`evtx.depth_exceeded`). */
  max_fragment_nesting: z.number().int().min(1).max(64).default(8),
  /** Most elements and values one record may expand to (`evtx.record_too_large`); real records have a few hundred. */
  max_record_nodes: z.number().int().min(100).default(100_000),
});
export type EvtxOptions = z.infer<typeof evtxOptions>;

/** Problems that cost one record (the others concern a whole chunk). */
const RECORD_DAMAGE = new Set(['evtx.bad_record', 'evtx.bad_binxml', 'evtx.depth_exceeded', 'evtx.record_too_large']);

export interface ParsedRecord {
  /** Byte offset of the record in the file: the evidence location. */
  offset: number;
  json: Record<string, Json>;
}

function chunkOptions(options: EvtxOptions): ChunkOptions {
  return {
    checksums: options.checksums,
    maxElementDepth: options.max_element_depth,
    maxFragmentNesting: options.max_fragment_nesting,
    maxRecordNodes: options.max_record_nodes,
  };
}

function report(health: InputHealth, problems: ChunkProblem[]): void {
  for (const p of problems) health.anomalies.add(p.code, { offset: p.offset, detail: p.detail });
  problems.length = 0;
}

/** Parses an EVTX stream into one batch of JSON records per chunk. */
export async function* readEvtx(stream: ByteStream, ctx: ReadContext<EvtxOptions>): AsyncIterable<ParsedRecord[]> {
  const { health } = ctx;
  const options = chunkOptions(ctx.options ?? evtxOptions.parse({}));
  const input = new ChunkReader(stream);
  if (!(await input.ensure(FILE_HEADER_SIZE)) || !input.peek(8).equals(FILE_MAGIC)) {
    throw new InputError(ctx.path, `not a whole EVTX file header (${input.available} bytes)`, { offset: 0 });
  }
  const header = parseFileHeader(input.take(FILE_HEADER_SIZE));
  if (!header.crcOk) health.anomalies.add('evtx.header_crc_mismatch', { offset: 0, detail: 'file header checksum differs' });
  if (header.dirty) health.notes.push('the file was not closed cleanly (dirty flag): read to its last whole record');
  health.bytes = FILE_HEADER_SIZE;
  const problems: ChunkProblem[] = [];
  // All-zero chunks are unused space at the end of a preallocated file, or damage when a chunk follows them.
  let zeroedChunks: number[] = [];
  for (;;) {
    await input.ensure(CHUNK_SIZE);
    if (input.available === 0) break;
    const offset = input.offset;
    const chunk = input.take(Math.min(CHUNK_SIZE, input.available));
    health.bytes += chunk.length;
    if (chunk.length < CHUNK_HEADER_SIZE) {
      health.anomalies.add('evtx.truncated_chunk', { offset, detail: `${chunk.length} bytes after the last whole chunk` });
      break;
    }
    const state = checkChunk(chunk, offset, options, problems);
    if (state === 'empty') {
      zeroedChunks.push(offset);
      continue;
    }
    for (const at of zeroedChunks) health.anomalies.add('evtx.zeroed_chunk', { offset: at, detail: 'all-zero chunk before a used one' });
    zeroedChunks = [];
    const batch: ParsedRecord[] = [];
    if (state === 'ok') {
      for (const record of chunkRecords(chunk, offset, options, problems)) {
        batch.push({ offset: record.offset, json: recordJson(record.content, record) });
      }
    }
    health.records += batch.length + problems.filter((p) => RECORD_DAMAGE.has(p.code)).length;
    report(health, problems);
    if (batch.length > 0) yield batch;
  }
  if (zeroedChunks.length > 0) health.notes.push(`${zeroedChunks.length} unused (all-zero) chunks at the end`);
}

/** A value as Windows renders it in text: what the Sysmon/Security mappings compare and store. */
function renderedText(value: Json): string | undefined {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (Array.isArray(value)) return value.map((v) => renderedText(v) ?? '').join(',');
  const inner = value['#text'];
  return inner === undefined ? undefined : renderedText(inner);
}

/** EventData fields, or the fields of UserData's single top element, by name. */
function dataFields(json: Record<string, Json>): Map<string, string> {
  const data = new Map<string, string>();
  let fields = json.EventData;
  const user = json.UserData;
  if ((fields === undefined || fields === null) && user !== null && typeof user === 'object' && !Array.isArray(user)) {
    const top = Object.keys(user)[0];
    fields = top === undefined ? null : user[top]!;
  }
  if (fields === null || fields === undefined || typeof fields !== 'object' || Array.isArray(fields)) return data;
  for (const key of Object.keys(fields)) {
    if (key === '#attributes') continue;
    const text = renderedText(fields[key]!);
    if (text !== undefined) data.set(key, text);
  }
  return data;
}

/** Epoch seconds of an ISO 8601 time with any number of fractional digits. */
function epochSeconds(iso: string): number {
  const whole = Date.parse(`${iso.slice(0, 19)}Z`) / 1000;
  const fraction = /^\.(\d+)/.exec(iso.slice(19));
  return whole + (fraction === null ? 0 : Number(`0.${fraction[1]}`));
}

/** The WinEvent view of a record, or undefined when it lacks a provider or event ID. */
export function toWinEvent(json: Record<string, Json>): WinEvent | undefined {
  const eventId = Number(json.EventID);
  if (typeof json.Provider !== 'string' || !Number.isInteger(eventId)) return undefined;
  return {
    provider: json.Provider,
    eventId,
    ts: typeof json.TimeCreated === 'string' ? epochSeconds(json.TimeCreated) : NaN,
    channel: typeof json.Channel === 'string' ? json.Channel : undefined,
    computer: typeof json.Computer === 'string' ? json.Computer : undefined,
    recordId: json.EventRecordID === null || json.EventRecordID === undefined ? undefined : String(json.EventRecordID),
    data: dataFields(json),
  };
}

export const evtxReader: Reader<EvtxOptions> = {
  name: 'evtx',
  description: 'Windows XML Event Log files (.evtx): Sysmon, Security and any other channel',
  options: evtxOptions,
  sniff: (head) => head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).equals(FILE_MAGIC),
  async *records(stream, ctx) {
    for await (const batch of readEvtx(stream, ctx)) yield batch.map((r) => r.json);
  },
  async *events(stream, ctx) {
    for await (const batch of readEvtx(stream, ctx)) {
      const events: Event[] = [];
      for (const record of batch) {
        const ev = toWinEvent(record.json);
        if (ev !== undefined) events.push(...normaliseWinEvent(ev, { reader: 'evtx', path: ctx.path, offset: record.offset }));
      }
      yield events;
    }
  },
};
