// Makes a one-chunk EVTX fixture from a larger sample: the sample's file header (chunk count 1, first and
// last chunk 0, flags clear, checksum recomputed) followed by chunk N of the sample, byte for byte.
// Usage: node extract-chunk.mjs SOURCE.evtx CHUNK_INDEX OUT.evtx
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const [source, index, out] = process.argv.slice(2);
const file = readFileSync(source);
const header = Buffer.from(file.subarray(0, 4096));
header.writeBigUInt64LE(0n, 8);
header.writeBigUInt64LE(0n, 16);
header.writeUInt16LE(1, 42);
header.writeUInt32LE(0, 120);
header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
const start = 4096 + 65536 * Number(index);
writeFileSync(out, Buffer.concat([header, file.subarray(start, start + 65536)]));
