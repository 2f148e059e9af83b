// `exfilscope logs`: reads inputs and writes one Zeek log file per log kind that has rows, in Zeek's TSV or
// JSON format, so our decoding can be compared with Zeek's line by line.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../../core/events.js';
import type { RunSummary } from '../../core/health.js';
import type { Config } from '../../pipeline/config.js';
import { run } from '../../pipeline/run.js';
import { jsonRow, tsvHeader, tsvRow, zeekStamp, type ZeekFormat } from './format.js';
import { ZEEK_LOGS } from './index.js';
import type { ZeekLog } from './zeek-log.js';

export interface ZeekLogFiles {
  summary: RunSummary;
  /** Log path → rows written. */
  rows: Map<string, number>;
}

/** Rows of every log kind for a batch of events, in event order. */
export function zeekRows(events: readonly Event[], format: ZeekFormat, out: (log: ZeekLog, line: string) => void): void {
  for (const event of events) {
    for (const log of ZEEK_LOGS) {
      if (log.kind !== event.kind) continue;
      const cells = log.row(event as never);
      if (cells === undefined) continue;
      out(log, format === 'zeek-tsv' ? tsvRow(log, cells) : jsonRow(log, cells));
    }
  }
}

export async function writeZeekLogs(paths: readonly string[], outDir: string, format: ZeekFormat, config: Config): Promise<ZeekLogFiles> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const files = new Map<string, WriteStream>();
  const rows = new Map<string, number>();
  const opened = zeekStamp(new Date());
  const write = (log: ZeekLog, line: string): void => {
    let file = files.get(log.path);
    if (file === undefined) {
      file = createWriteStream(join(outDir, `${log.path}.log`), { mode: 0o600 });
      files.set(log.path, file);
      if (format === 'zeek-tsv') file.write(tsvHeader(log, opened));
    }
    rows.set(log.path, (rows.get(log.path) ?? 0) + 1);
    file.write(line);
  };
  const summary = await run(paths, { config, detect: false, onEvents: (batch) => zeekRows(batch, format, write) });
  await Promise.all(
    [...files.values()].map(
      (file) =>
        new Promise<void>((resolve, reject) => {
          if (format === 'zeek-tsv') file.write(`#close\t${zeekStamp(new Date())}\n`);
          file.end((err?: Error | null) => (err ? reject(err) : resolve()));
        }),
    ),
  );
  return { summary, rows };
}
