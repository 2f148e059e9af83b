// Where CLI output goes: findings as records (jsonl or ECS) to a file or stdout, the human view to the terminal.
import { createWriteStream, fchmodSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Finding } from '../core/findings.js';
import { ecsRecord } from '../sinks/ecs.js';
import { findingRecord, toJsonLine } from '../sinks/jsonl.js';

export type RecordFormat = 'jsonl' | 'ecs';

export function formatFinding(finding: Finding, format: RecordFormat): string {
  return toJsonLine(format === 'ecs' ? ecsRecord(finding) : findingRecord(finding));
}

/** Output files may hold attacker strings and internal addresses: created readable by the owner only. */
export function createPrivateFile(path: string): WriteStream {
  const stream = createWriteStream(path, { mode: 0o600 });
  // `mode` applies only when the file is created: an existing file is narrowed before anything is written.
  stream.once('open', (fd: number) => fchmodSync(fd, 0o600));
  return stream;
}

/** Writes a whole output file readable by the owner only, also when it existed before with wider permissions. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

export function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/**
 * A reader that stops reading (`exfilscope events … | head`) closes the pipe: that ends the run quietly,
 * as it ends `cat` or `grep`, instead of an unhandled EPIPE error.
 */
let closedStdoutHandled = false;
export function endQuietlyOnClosedStdout(): void {
  if (closedStdoutHandled) return;
  closedStdoutHandled = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Writes to stdout and waits when the pipe is full, so huge outputs stay within bounded memory. */
export async function writeStdout(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
