// Where CLI output goes: findings as records (jsonl or ECS) to a file or stdout, the human view to the terminal.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Finding } from '../core/findings.js';
import { ecsRecord } from '../sinks/ecs.js';
import { findingRecord, toJsonLine } from '../sinks/jsonl.js';

export type RecordFormat = 'jsonl' | 'ecs';

export function formatFinding(finding: Finding, format: RecordFormat): string {
  return toJsonLine(format === 'ecs' ? ecsRecord(finding) : findingRecord(finding));
}

/** Output files may hold attacker strings and internal addresses: created readable by the owner only. */
export function createPrivateFile(path: string): WriteStream {
  return createWriteStream(path, { mode: 0o600 });
}

export function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/** Writes to stdout and waits when the pipe is full, so huge outputs stay within bounded memory. */
export async function writeStdout(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
