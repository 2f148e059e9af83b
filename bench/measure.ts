// Shared benchmark plumbing: run a command under GNU time and report wall seconds and peak RSS.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface Measurement {
  label: string;
  seconds: number;
  /** User + system CPU seconds: steadier than wall time when other work shares the machine. */
  cpuSeconds: number;
  maxRssMiB: number;
  /** The command's stdout, for tools whose output carries a count. */
  stdout: string;
}

/** Runs `command` once through `/usr/bin/time` (shell syntax allowed) and measures it. */
export function measure(label: string, command: string): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', 'bash', '-c', command], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, rssKb, user, system] = last.split(' ').map(Number);
  const cpuSeconds = (user ?? NaN) + (system ?? NaN);
  return { label, seconds: seconds ?? NaN, cpuSeconds, maxRssMiB: (rssKb ?? NaN) / 1024, stdout: result.stdout };
}

/** The machine line every BENCHMARKS.md section starts with. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
