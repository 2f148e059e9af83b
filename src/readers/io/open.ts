// Opening inputs: files, directories (walked recursively) and stdin; compression removed by magic bytes,
// never by file name; the first bytes kept aside so readers can be sniffed without consuming the stream.
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';

export type ByteStream = AsyncIterable<Uint8Array>;

/** How many leading bytes readers may look at to recognise their format. */
export const SNIFF_BYTES = 64 * 1024;
/** gzip inside gzip is unwrapped, but no deeper: a capped number of layers bounds the work. */
const MAX_COMPRESSION_LAYERS = 2;
const FILE_CHUNK_BYTES = 1 << 20;

/** An input file to read; `found` when it was found by walking a directory rather than named by the user. */
export interface FoundInput {
  path: string;
  found: boolean;
  error?: string;
}

/** Expands the paths a user gave into input files, in a stable order; `-` stands for stdin. */
export async function* expandPaths(paths: readonly string[]): AsyncIterable<FoundInput> {
  for (const path of paths) {
    if (path === '-') yield { path, found: false };
    else yield* walk(path, false);
  }
}

async function* walk(path: string, found: boolean): AsyncIterable<FoundInput> {
  let info;
  try {
    info = await lstat(path);
  } catch (err) {
    yield { path, found, error: describeFsError(err) };
    return;
  }
  if (info.isDirectory()) {
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch (err) {
      yield { path, found, error: describeFsError(err) };
      return;
    }
    for (const name of names) yield* walk(join(path, name), true);
  } else if (info.isFile()) {
    yield { path, found };
  } else if (info.isSymbolicLink()) {
    // Links are not followed when walking: a link loop or a link out of the tree is not an input.
    yield { path, found, error: 'symbolic link not followed' };
  } else {
    yield { path, found, error: 'not a regular file' };
  }
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return e.message ?? String(err);
  }
}

export function openRaw(path: string): ByteStream {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES });
}

/** An opened input: its decompressed bytes, their first bytes for sniffing, and the layers removed. */
export interface OpenedInput {
  head: Uint8Array;
  stream: ByteStream;
  compression: string[];
}

type Compression = 'gzip' | 'zstd';

function compressionOf(head: Uint8Array): Compression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return undefined;
}

/** Peeks at the first bytes and removes gzip/zstd layers found by their magic numbers. */
export async function openInput(raw: ByteStream): Promise<OpenedInput> {
  const compression: string[] = [];
  let { head, stream } = await peek(raw, SNIFF_BYTES);
  for (let layer = 0; layer < MAX_COMPRESSION_LAYERS; layer++) {
    const kind = compressionOf(head);
    if (kind === undefined) break;
    compression.push(kind);
    ({ head, stream } = await peek(kind === 'gzip' ? gunzip(stream) : unzstd(stream), SNIFF_BYTES));
  }
  return { head, stream, compression };
}

/** Reads up to `n` leading bytes and returns them with a stream that still yields every byte. */
export async function peek(source: ByteStream, n: number): Promise<{ head: Uint8Array; stream: ByteStream }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    buffered.push(next.value);
    have += next.value.length;
  }
  const all = Buffer.concat(buffered);
  const head = all.subarray(0, Math.min(n, all.length));
  async function* replay(): ByteStream {
    if (all.length > 0) yield all;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return { head, stream: replay() };
}

async function* gunzip(source: ByteStream): ByteStream {
  // 64 KiB output pieces (zlib's default is 16 KiB): a quarter of the stream events for the same bytes.
  const inflater = createGunzip({ chunkSize: 64 * 1024 });
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (!inflater.write(chunk)) await new Promise((resolve) => inflater.once('drain', resolve));
      }
      inflater.end();
    } catch (err) {
      inflater.destroy(err as Error);
    }
  })();
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (err) {
    throw new Error(`gzip data is damaged or truncated (${(err as Error).message})`);
  } finally {
    inflater.destroy();
    await feeding;
  }
}

async function* unzstd(source: ByteStream): ByteStream {
  const out: Uint8Array[] = [];
  const decoder = new ZstdDecompress((chunk) => {
    out.push(chunk);
  });
  try {
    for await (const chunk of source) {
      decoder.push(chunk);
      while (out.length > 0) yield out.shift()!;
    }
    decoder.push(new Uint8Array(0), true);
  } catch (err) {
    throw new Error(`zstd data is damaged or truncated (${(err as Error).message})`);
  }
  while (out.length > 0) yield out.shift()!;
}
