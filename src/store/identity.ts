// Input identity for checkpoints. The quick identity — device, inode, size and a hash of the first 64 KiB — spots
// a file already ingested without reading it all; the content hash is the key: the same bytes under another name
// or in another directory are the same input, and are not read twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export const HEAD_BYTES = 64 * 1024;

export interface QuickIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
  head_sha256: string;
}

export interface InputIdentity extends QuickIdentity {
  content_sha256: string;
}

/** stat plus a hash of the head; undefined for stdin and anything that is not a regular file. */
export async function quickIdentity(path: string): Promise<QuickIdentity | undefined> {
  if (path === '-') return undefined;
  const info = await stat(path);
  if (!info.isFile()) return undefined;
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return { path, dev: info.dev, ino: info.ino, size: info.size, head_sha256: createHash('sha256').update(head.subarray(0, bytesRead)).digest('hex') };
  } finally {
    await file.close();
  }
}

/** Adds the hash of the whole content, read in one streaming pass. */
export async function identify(quick: QuickIdentity): Promise<InputIdentity> {
  const content = createHash('sha256');
  for await (const chunk of createReadStream(quick.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) content.update(chunk);
  return { ...quick, content_sha256: content.digest('hex') };
}
