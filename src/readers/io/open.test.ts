import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, tempDir } from '../../../test/harness.js';
import { openInput, peek } from './open.js';

async function* chunks(...parts: Uint8Array[]) {
  yield* parts;
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('openInput', () => {
  it('peeks without losing a byte, across chunk boundaries', async () => {
    const { head, stream } = await peek(chunks(Buffer.from('abc'), Buffer.from('defg'), Buffer.from('h')), 5);
    expect(Buffer.from(head).toString()).toBe('abcde');
    expect((await drain(stream)).toString()).toBe('abcdefgh');
  });

  it('removes zstd and nested gzip layers by magic number', async () => {
    const zst = readFileSync(join(import.meta.dirname, 'testdata', 'conn.log.zst'));
    const opened = await openInput(chunks(zst));
    expect(opened.compression).toEqual(['zstd']);
    expect((await drain(opened.stream)).toString()).toMatch(/^#separator/);
    const twice = await openInput(chunks(gzipSync(gzipSync('hello'))));
    expect(twice.compression).toEqual(['gzip', 'gzip']);
    expect((await drain(twice.stream)).toString()).toBe('hello');
  });

  it('reads a zstd Zeek log through the pipeline', async () => {
    const zst = readFileSync(join(import.meta.dirname, 'testdata', 'conn.log.zst'));
    const { summary } = await hunt([tempDir({ 'a.bin': zst })]);
    expect(summary.inputs[0]).toMatchObject({ format: 'zeek', compression: ['zstd'], events: 1 });
  });

  it('keeps what a truncated gzip held before the damage and names the damage', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `1700000000.${String(i).padStart(6, '0')}\tC${i}\t10.0.0.1\t40000\t10.0.0.2\t21\ttcp\t123\t45`);
    const log = '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_bytes\tresp_bytes\n' + rows.join('\n') + '\n';
    const gz = gzipSync(log);
    const { summary } = await hunt([tempDir({ 'cut.log.gz': gz.subarray(0, Math.floor(gz.length * 0.6)) })]);
    const input = summary.inputs[0]!;
    expect(input.error).toMatch(/gzip data is damaged or truncated/);
    expect(input.events).toBeGreaterThan(1000);
    expect(input.events).toBeLessThan(5000);
  });
});
