// EVTX file and chunk layout (libevtx "Windows XML Event Log (EVTX) format" §2.1 file header, §2.2 chunk,
// §2.3 event record): header fields, CRC32 checks, and the walk over one chunk's records. Damage is
// reported per chunk or per record so the caller can skip the smallest unit and keep reading.
import { crc32 } from 'node:zlib';
import type { AnomalyCode } from '../../core/anomalies.js';
import { BinXmlError, ChunkBinXml, type BinXmlLimits, type XmlContent } from './binxml.js';
import { filetime } from './values.js';

export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
/** Magic (4), size (4), record id (8), written time (8), then Binary XML, then the size again (4). */
const RECORD_OVERHEAD = 28;
const FILE_FLAG_DIRTY = 0x1;

export interface FileHeader {
  /** Set while the log is open for writing: a file copied from a live system is usually dirty. */
  dirty: boolean;
  crcOk: boolean;
}

/** Reads the 4096-byte file header (the caller checked the magic and the length). */
export function parseFileHeader(buf: Buffer): FileHeader {
  return {
    dirty: (buf.readUInt32LE(120) & FILE_FLAG_DIRTY) !== 0,
    crcOk: crc32(buf.subarray(0, 120)) === buf.readUInt32LE(124),
  };
}

export interface EvtxRecord {
  /** Byte offset of the record in the file. */
  offset: number;
  recordId: number | string;
  /** The record header's write time (ISO 8601), for records whose XML has no TimeCreated: made on demand. */
  written: () => string;
  content: XmlContent[];
}

export interface ChunkProblem {
  code: AnomalyCode;
  offset: number;
  detail: string;
}

export type ChecksumPolicy = 'report' | 'skip_chunk' | 'ignore';

export interface ChunkOptions extends BinXmlLimits {
  checksums: ChecksumPolicy;
}

export type ChunkState = 'ok' | 'empty' | 'skipped';

/** Checks a chunk's header; returns why it cannot be read, or the problems it has but can still be read with. */
export function checkChunk(chunk: Buffer, fileOffset: number, options: ChunkOptions, problems: ChunkProblem[]): ChunkState {
  if (!chunk.subarray(0, 8).equals(CHUNK_MAGIC)) {
    if (chunk.every((b) => b === 0)) return 'empty';
    problems.push({ code: 'evtx.bad_chunk_magic', offset: fileOffset, detail: `chunk starts ${chunk.subarray(0, 8).toString('hex')}` });
    return 'skipped';
  }
  if (chunk.length < CHUNK_SIZE) {
    problems.push({ code: 'evtx.truncated_chunk', offset: fileOffset, detail: `chunk has ${chunk.length} of ${CHUNK_SIZE} bytes` });
  }
  if (options.checksums === 'ignore' || chunk.length < CHUNK_SIZE) return 'ok';
  let bad = false;
  const headerCrc = crc32(chunk.subarray(128, CHUNK_HEADER_SIZE), crc32(chunk.subarray(0, 120)));
  if (headerCrc !== chunk.readUInt32LE(124)) {
    problems.push({ code: 'evtx.chunk_crc_mismatch', offset: fileOffset, detail: 'chunk header checksum differs' });
    bad = true;
  }
  const freeSpace = chunk.readUInt32LE(48);
  if (freeSpace >= CHUNK_HEADER_SIZE && freeSpace <= CHUNK_SIZE) {
    if (crc32(chunk.subarray(CHUNK_HEADER_SIZE, freeSpace)) !== chunk.readUInt32LE(52)) {
      problems.push({ code: 'evtx.records_crc_mismatch', offset: fileOffset, detail: 'event records checksum differs' });
      bad = true;
    }
  }
  return bad && options.checksums === 'skip_chunk' ? 'skipped' : 'ok';
}

/** Record sizes are 8-byte aligned: after a damaged record, the next one is searched for on that grid. */
function nextRecordMagic(chunk: Buffer, from: number, end: number): number {
  for (let at = from; at + RECORD_OVERHEAD <= end; at += 8) if (chunk.readUInt32LE(at) === RECORD_MAGIC) return at;
  return end;
}

/**
 * Walks the records of one chunk (checked by `checkChunk`). Records end at the chunk's free-space offset
 * when it is sane, else at the last whole record. A damaged record is reported and the walk resumes at
 * the next record magic; a record whose Binary XML cannot be expanded is reported and skipped.
 */
export function* chunkRecords(
  chunk: Buffer,
  fileOffset: number,
  options: ChunkOptions,
  problems: ChunkProblem[],
): Generator<EvtxRecord> {
  const binxml = new ChunkBinXml(chunk, options);
  const freeSpace = chunk.readUInt32LE(48);
  const end = freeSpace > CHUNK_HEADER_SIZE && freeSpace <= chunk.length ? freeSpace : chunk.length;
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_OVERHEAD <= end) {
    const at = fileOffset + pos;
    if (chunk.readUInt32LE(pos) !== RECORD_MAGIC) {
      // Zeroes after the last record are unused space, not damage.
      if (chunk.readUInt32LE(pos) === 0 && chunk.readUInt32LE(pos + 4) === 0) break;
      problems.push({ code: 'evtx.bad_record', offset: at, detail: 'no record magic' });
      pos = nextRecordMagic(chunk, pos + 8, end);
      continue;
    }
    const size = chunk.readUInt32LE(pos + 4);
    if (size < RECORD_OVERHEAD || size > end - pos) {
      problems.push({ code: 'evtx.bad_record', offset: at, detail: `record size ${size} does not fit its chunk` });
      pos = nextRecordMagic(chunk, pos + 8, end);
      continue;
    }
    if (chunk.readUInt32LE(pos + size - 4) !== size) {
      problems.push({ code: 'evtx.bad_record', offset: at, detail: 'record size and its trailing copy differ' });
      pos = nextRecordMagic(chunk, pos + 8, end);
      continue;
    }
    const lo = chunk.readUInt32LE(pos + 8);
    const hi = chunk.readUInt32LE(pos + 12);
    const recordId = hi < 0x200000 ? hi * 0x100000000 + lo : chunk.readBigUInt64LE(pos + 8).toString();
    let content: XmlContent[];
    try {
      content = binxml.expand(pos + 24, pos + size - 4);
    } catch (err) {
      if (!(err instanceof BinXmlError)) throw err;
      problems.push({ code: err.code, offset: at, detail: `record ${recordId}: ${err.message}` });
      pos += size;
      continue;
    }
    const timeAt = pos + 16;
    yield { offset: at, recordId, written: () => filetime(chunk, timeAt), content };
    pos += size;
  }
}
