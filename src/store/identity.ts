// Input identity for checkpoints: device, inode and size from stat, a hash of the first 64 KiB (to notice a file
// replaced in place) and a hash of the whole content, which is the key: the same bytes under another name or in
// another directory are the same input, and are not read twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export const HEAD_BYTES = 64 * 1024;

export interface InputIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
  head_sha256: string;
  content_sha256: string;
}

/** Hashes the file in one streaming pass; undefined for stdin and anything that is not a regular file. */
export async function identify(path: string): Promise<InputIdentity | undefined> {
  if (path === '-') return undefined;
  const info = await stat(path);
  if (!info.isFile()) return undefined;
  const content = createHash('sha256');
  const head = createHash('sha256');
  let seen = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    content.update(chunk);
    if (seen < HEAD_BYTES) head.update(chunk.subarray(0, HEAD_BYTES - seen));
    seen += chunk.length;
  }
  return { path, dev: info.dev, ino: info.ino, size: seen, head_sha256: head.digest('hex'), content_sha256: content.digest('hex') };
}
