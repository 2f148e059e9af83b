// A progress bar on stderr for big inputs: only on a terminal, never with --quiet.
import { SingleBar } from 'cli-progress';
import type { Progress } from '../pipeline/run.js';
import { escapeTerminal } from '../sinks/escape.js';

/** Inputs smaller than this finish before a bar would be worth drawing. */
const MIN_BYTES_FOR_BAR = 4 * 1024 * 1024;

export function progressReporter(quiet: boolean): { update(p: Progress): void; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  let bar: SingleBar | undefined;
  let path = '';
  const started = performance.now();
  return {
    update(p) {
      if (p.size === undefined || p.size < MIN_BYTES_FOR_BAR) return;
      if (p.path !== path) {
        bar?.stop();
        path = p.path;
        bar = new SingleBar({
          stream: process.stderr,
          format: `${escapeTerminal(p.path).slice(-40)} [{bar}] {percentage}% {done}/{total} MB | {rate} rec/s | ETA {eta_formatted}`,
          hideCursor: true,
        });
        bar.start(Math.round(p.size / 1e6), 0, { done: 0, rate: 0 });
      }
      const seconds = (performance.now() - started) / 1000;
      // Progress is measured on decompressed bytes; it can pass the on-disk size of a compressed input.
      const done = Math.min(Math.round(p.bytes / 1e6), Math.round(p.size / 1e6));
      bar?.update(done, { done, rate: seconds > 0 ? Math.round(p.records / seconds) : 0 });
    },
    stop() {
      bar?.stop();
    },
  };
}
