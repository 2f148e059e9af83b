// The EVTX reader on a real one-chunk Sysmon file (testdata/), and on damaged files built from it at test
// time (RELIABILITY E32): bad chunk magic, bad checksums, zeroed chunk, a cut mid-chunk, absurd record
// sizes, endless nesting — each with exact counts of records read and skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/events.js';
import { InputError } from '../../core/errors.js';
import { newInputHealth } from '../../core/health.js';
import { evtxOptions, evtxReader, type EvtxOptions } from './index.js';

const FIXTURE = readFileSync(join(import.meta.dirname, 'testdata', 'sysmon-chunk0.evtx'));
const HEADER = FIXTURE.subarray(0, 4096);
const CHUNK = FIXTURE.subarray(4096, 4096 + 65536);
const RECORDS_PER_CHUNK = 41;

/** Offsets (in the chunk) and sizes of the fixture chunk's records, read from their size fields. */
function recordLayout(chunk: Buffer): { at: number; size: number }[] {
  const out: { at: number; size: number }[] = [];
  const end = chunk.readUInt32LE(48);
  for (let at = 512; at < end; ) {
    const size = chunk.readUInt32LE(at + 4);
    out.push({ at, size });
    at += size;
  }
  return out;
}

/** A file of the fixture's header (chunk count fixed) and these chunks. */
function evtxFile(chunks: Buffer[]): Buffer {
  const header = Buffer.from(HEADER);
  header.writeUInt16LE(chunks.length, 42);
  header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
  return Buffer.concat([header, ...chunks]);
}

function copies(n: number): Buffer[] {
  return Array.from({ length: n }, () => Buffer.from(CHUNK));
}

/** Recomputes a chunk's two checksums after its records were edited. */
function reseal(chunk: Buffer): Buffer {
  chunk.writeUInt32LE(crc32(chunk.subarray(512, chunk.readUInt32LE(48))), 52);
  chunk.writeUInt32LE(crc32(chunk.subarray(128, 512), crc32(chunk.subarray(0, 120))), 124);
  return chunk;
}

/** A chunk with the fixture's header and string tables and these records (zeroed after them). */
function chunkWith(records: Buffer[]): Buffer {
  const chunk = Buffer.alloc(65536);
  CHUNK.copy(chunk, 0, 0, 512);
  Buffer.concat(records).copy(chunk, 512);
  chunk.writeUInt32LE(512 + records.reduce((n, r) => n + r.length, 0), 48);
  return reseal(chunk);
}

/** An EVTX record around Binary XML bytes: magic, size, id, time, data, size again. */
function record(id: number, binxml: Buffer): Buffer {
  const size = 28 + binxml.length + ((8 - ((28 + binxml.length) % 8)) % 8);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(0x2a2a, 0);
  out.writeUInt32LE(size, 4);
  out.writeBigUInt64LE(BigInt(id), 8);
  binxml.copy(out, 24);
  out.writeUInt32LE(size, size - 4);
  return out;
}

async function* streamOf(bytes: Buffer, pieceSize = 7000) {
  for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
}

async function read(bytes: Buffer, options: Partial<EvtxOptions> = {}) {
  const health = newInputHealth('test.evtx');
  const ctx = { path: 'test.evtx', health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 }, options: evtxOptions.parse(options) };
  const records: Record<string, unknown>[] = [];
  for await (const batch of evtxReader.records!(streamOf(bytes), ctx)) records.push(...(batch as Record<string, unknown>[]));
  const anomalies = Object.fromEntries(health.anomalies.entries().map((e) => [e.code, e.count]));
  return { records, anomalies, health };
}

describe('EVTX reader on a real Sysmon chunk', () => {
  it('sniffs the file magic only', () => {
    expect(evtxReader.sniff(FIXTURE.subarray(0, 100))).toBe(true);
    expect(evtxReader.sniff(Buffer.from('ElfChnk\0'))).toBe(false);
  });

  it('reads every record with its headline, System and EventData fields', async () => {
    const { records, anomalies } = await read(FIXTURE);
    expect(anomalies).toEqual({});
    expect(records).toHaveLength(RECORDS_PER_CHUNK);
    const first = records[0]!;
    expect(first).toMatchObject({
      EventRecordID: 1742,
      EventID: 1,
      Provider: 'Microsoft-Windows-Sysmon',
      Channel: 'Microsoft-Windows-Sysmon/Operational',
    });
    expect(first.TimeCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const create = records[0]!;
    const data = create.EventData as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(expect.arrayContaining(['Image', 'CommandLine', 'ParentImage', 'ProcessGuid', 'Hashes', 'User']));
    expect(data.ProcessGuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(typeof data.ProcessId).toBe('number');
    const system = create.System as Record<string, unknown>;
    expect(system.Keywords).toBe('0x8000000000000000');
    expect((system.Security as { '#attributes': { UserID: string } })['#attributes'].UserID).toBe('S-1-5-18');
  });

  it('normalises Sysmon process creation (event 1) into process events citing the record offset', async () => {
    const health = newInputHealth('test.evtx');
    const ctx = { path: 'test.evtx', health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 }, options: evtxOptions.parse({}) };
    const events: Event[] = [];
    for await (const batch of evtxReader.events(streamOf(FIXTURE), ctx)) events.push(...batch);
    const { records } = await read(FIXTURE);
    const processes = events.filter((e) => e.kind === 'process');
    expect(processes).toHaveLength(records.filter((r) => r.EventID === 1).length);
    const ev = processes[0]!;
    expect(ev.kind).toBe('process');
    expect(ev.source.reader).toBe('evtx');
    expect(ev.source.offset).toBeGreaterThanOrEqual(4096 + 512);
    expect(FIXTURE.readUInt32LE(ev.source.offset!)).toBe(0x2a2a);
    if (ev.kind === 'process') expect(ev.process.command_line).toBeTruthy();
  });

  it('rejects a file without a whole header', async () => {
    await expect(read(FIXTURE.subarray(0, 3000))).rejects.toBeInstanceOf(InputError);
  });
});

describe('EVTX reader on damaged files (RELIABILITY E32)', () => {
  it('reads a clean four-chunk file whole', async () => {
    const { records, anomalies } = await read(evtxFile(copies(4)));
    expect(records).toHaveLength(4 * RECORDS_PER_CHUNK);
    expect(anomalies).toEqual({});
  });

  it('skips a chunk with a bad magic and reads the chunks after it', async () => {
    const file = evtxFile(copies(4));
    file.write('XXXXXXXX', 4096 + 65536 * 2, 'latin1');
    const { records, anomalies } = await read(file);
    expect(records).toHaveLength(3 * RECORDS_PER_CHUNK);
    expect(anomalies).toEqual({ 'evtx.bad_chunk_magic': 1 });
  });

  it('reports checksum mismatches and reads, skips or ignores the chunk as configured', async () => {
    const chunks = copies(4);
    // A flipped bit in the first record's write time: covered by the records checksum only, still parseable.
    chunks[1]!.writeUInt8(chunks[1]!.readUInt8(512 + 16) ^ 1, 512 + 16);
    chunks[2]!.writeUInt32LE((chunks[2]!.readUInt32LE(124) ^ 0x100) >>> 0, 124);
    const file = evtxFile(chunks);
    const report = await read(file);
    expect(report.records).toHaveLength(4 * RECORDS_PER_CHUNK);
    expect(report.anomalies).toEqual({ 'evtx.records_crc_mismatch': 1, 'evtx.chunk_crc_mismatch': 1 });
    const skip = await read(file, { checksums: 'skip_chunk' });
    expect(skip.records).toHaveLength(2 * RECORDS_PER_CHUNK);
    const ignore = await read(file, { checksums: 'ignore' });
    expect(ignore.records).toHaveLength(4 * RECORDS_PER_CHUNK);
    expect(ignore.anomalies).toEqual({});
  });

  it('counts a zeroed chunk between used ones, and notes zeroed chunks at the end as unused', async () => {
    const middle = copies(4);
    middle[1]!.fill(0);
    const damaged = await read(evtxFile(middle));
    expect(damaged.records).toHaveLength(3 * RECORDS_PER_CHUNK);
    expect(damaged.anomalies).toEqual({ 'evtx.zeroed_chunk': 1 });
    const tail = copies(4);
    tail[3]!.fill(0);
    const unused = await read(evtxFile(tail));
    expect(unused.records).toHaveLength(3 * RECORDS_PER_CHUNK);
    expect(unused.anomalies).toEqual({});
    expect(unused.health.notes).toContain('1 unused (all-zero) chunks at the end');
  });

  it('reads a file cut mid-chunk up to its last whole record', async () => {
    const cut = 4096 + 65536 * 3 + 5000;
    const whole = recordLayout(CHUNK).filter((r) => r.at + r.size <= 5000).length;
    const { records, anomalies } = await read(evtxFile(copies(4)).subarray(0, cut));
    expect(whole).toBeGreaterThan(0);
    expect(records).toHaveLength(3 * RECORDS_PER_CHUNK + whole);
    expect(anomalies).toEqual({ 'evtx.truncated_chunk': 1, 'evtx.bad_record': 1 });
  });

  it.each([0, 0xffffffff, 27])('skips a record whose size is %d and finds the next one', async (size) => {
    const chunks = copies(2);
    const third = recordLayout(CHUNK)[2]!;
    chunks[0]!.writeUInt32LE(size, third.at + 4);
    const { records, anomalies } = await read(evtxFile(chunks), { checksums: 'ignore' });
    expect(records).toHaveLength(2 * RECORDS_PER_CHUNK - 1);
    expect(anomalies).toEqual({ 'evtx.bad_record': 1 });
  });

  it('stops endless element nesting at the depth cap without a stack overflow', async () => {
    // Fragment header, one element whose name is inline, then 100 000 more opening the same name.
    const name = Buffer.alloc(10 + 2);
    name.writeUInt16LE(1, 6);
    name.write('a', 8, 'utf16le');
    const open = (nameOffset: number): Buffer => {
      const b = Buffer.alloc(9);
      b[0] = 0x01;
      b.writeUInt32LE(nameOffset, 5);
      return b;
    };
    const first = 512 + 24 + 4;
    const deep = Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), open(first + 9), name, ...Array.from({ length: 100_000 }, () => open(first + 9))]);
    const chunk = Buffer.alloc(65536);
    CHUNK.copy(chunk, 0, 0, 512);
    const rec = record(1, deep.subarray(0, 60_000));
    rec.copy(chunk, 512);
    chunk.writeUInt32LE(512 + rec.length, 48);
    const { records, anomalies } = await read(evtxFile([reseal(chunk)]));
    expect(records).toHaveLength(0);
    expect(anomalies).toEqual({ 'evtx.depth_exceeded': 1 });
  });

  it('stops a template that instantiates itself at the nesting cap', async () => {
    // Record Binary XML at chunk offset 536: fragment header (4), template instance token (10) whose
    // definition follows inline at 550; the definition's body instantiates the template at 550 again.
    const defAt = 512 + 24 + 4 + 10;
    const body = Buffer.concat([Buffer.from([0x0f, 1, 1, 0, 0x0c, 1]), Buffer.alloc(8), Buffer.from([0, 0, 0, 0, 0x00])]);
    body.writeUInt32LE(defAt, 10);
    const definition = Buffer.concat([Buffer.alloc(24), body]);
    definition.writeUInt32LE(body.length, 20);
    const instance = Buffer.from([0x0c, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    instance.writeUInt32LE(defAt, 6);
    const binxml = Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), instance, definition, Buffer.alloc(4), Buffer.from([0x00])]);
    const { records, anomalies } = await read(evtxFile([chunkWith([record(7, binxml)])]));
    expect(records).toHaveLength(0);
    expect(anomalies).toEqual({ 'evtx.depth_exceeded': 1 });
  });

  it('stops a record whose templates multiply into too many nodes', async () => {
    // Record 1 defines template A at chunk offset 550: 50 empty elements <a/>. Record 2 defines template B,
    // whose body instantiates A 3 000 times: 150 000 elements from a 42 KiB record.
    const aAt = 512 + 24 + 4 + 10;
    const name = Buffer.alloc(12);
    name.writeUInt16LE(1, 6);
    name.write('a', 8, 'utf16le');
    const element = (inline: boolean): Buffer => {
      const open = Buffer.alloc(11);
      open[0] = 0x01;
      open.writeUInt32LE(aAt + 24 + 4 + 11, 7);
      return Buffer.concat([open, inline ? name : Buffer.alloc(0), Buffer.from([0x03])]);
    };
    const bodyA = Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), element(true), ...Array.from({ length: 49 }, () => element(false)), Buffer.from([0])]);
    const definition = (body: Buffer): Buffer => {
      const head = Buffer.alloc(24);
      head.writeUInt32LE(body.length, 20);
      return Buffer.concat([head, body]);
    };
    const instance = (defAt: number): Buffer => {
      const b = Buffer.from([0x0c, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
      b.writeUInt32LE(defAt, 6);
      return b;
    };
    const noValues = Buffer.alloc(4);
    const record1 = record(1, Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), instance(aAt), definition(bodyA), noValues, Buffer.from([0])]));
    const bAt = 512 + record1.length + 24 + 4 + 10;
    const bodyB = Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), ...Array.from({ length: 3000 }, () => Buffer.concat([instance(aAt), noValues])), Buffer.from([0])]);
    const record2 = record(2, Buffer.concat([Buffer.from([0x0f, 1, 1, 0]), instance(bAt), definition(bodyB), noValues, Buffer.from([0])]));
    const file = evtxFile([chunkWith([record1, record2])]);
    const capped = await read(file);
    expect(capped.records).toHaveLength(1);
    expect(capped.anomalies).toEqual({ 'evtx.record_too_large': 1 });
    const raised = await read(file, { max_record_nodes: 200_000 });
    expect(raised.records).toHaveLength(2);
    expect(raised.anomalies).toEqual({});
  });

  it('survives random byte damage anywhere in the records without throwing', async () => {
    let seed = 20261128;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 300; round++) {
      const file = Buffer.from(FIXTURE);
      for (let i = 0, n = 1 + Math.floor(random() * 16); i < n; i++) {
        file[4096 + 512 + Math.floor(random() * (65536 - 512))] = Math.floor(random() * 256);
      }
      const { records, health } = await read(file, { checksums: 'ignore' });
      expect(health.records).toBeGreaterThanOrEqual(records.length);
      expect(() => JSON.stringify(records)).not.toThrow();
    }
  });

  it('applies the element depth limit from the config', async () => {
    const { records, anomalies } = await read(FIXTURE, { max_element_depth: 2 });
    expect(records).toHaveLength(0);
    expect(anomalies).toEqual({ 'evtx.depth_exceeded': RECORDS_PER_CHUNK });
  });
});
