// What content analysis costs: the capture path with every analytic on, against the same run with the content
// analytics (encrypted-payload, dns-tunnel, icmp-exfil) and the seed's payload analytic off. The input is the
// labelled emulation corpus (real uploads of ciphertext, archives, media and text over HTTP, FTP, SMTP, DNS and
// ICMP), repeated with shifted timestamps until it is large enough to time; `npm run emulate` records it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineLine, markdownTable, measure, type Measurement } from './measure.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const corpus = join(root, 'test', 'emulation', 'corpus');
const REPEATS = Number(process.env.BENCH_CONTENT_REPEATS ?? 40);
/** Runs of each configuration, alternated so that load from other work weighs on both alike; medians are kept. */
const ROUNDS = Number(process.env.BENCH_CONTENT_ROUNDS ?? 5);

function buildInput(): string {
  const merged = join(out, `corpus-x${REPEATS}.pcap`);
  if (existsSync(merged)) return merged;
  if (!existsSync(corpus)) execFileSync('npm', ['run', 'emulate'], { cwd: root, stdio: 'inherit' });
  mkdirSync(out, { recursive: true });
  const once = join(out, 'corpus-once.pcap');
  const pcaps = readdirSync(corpus).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(corpus, f));
  execFileSync('mergecap', ['-F', 'pcap', '-w', once, ...pcaps]);
  const parts: string[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const part = join(out, `corpus-part${i}.pcap`);
    execFileSync('editcap', ['-F', 'pcap', '-t', String(i * 3600), once, part]);
    parts.push(part);
  }
  execFileSync('mergecap', ['-F', 'pcap', '-a', '-w', merged, ...parts]);
  for (const part of parts) execFileSync('rm', ['-f', part]);
  return merged;
}

export default async function content(): Promise<string> {
  const input = buildInput();
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const off = join(out, 'content-off.json');
  writeFileSync(off, JSON.stringify({ detectors: Object.fromEntries(['encrypted-payload', 'dns-tunnel', 'icmp-exfil', 'seed-encoded-payload'].map((d) => [d, { enabled: false }])) }));
  const cli = `node ${join(root, 'bin', 'exfilscope.js')} hunt ${input} -q --format jsonl`;
  measure('warm page cache', `cat ${input} > /dev/null`);
  const loadBefore = loadavg()[0]!;
  const mib = statSync(input).size / 2 ** 20;
  const rounds: Record<'off' | 'on', Measurement[]> = { off: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) {
    rounds.off.push(measure('content analytics off', `${cli} --config ${off} > /dev/null`));
    rounds.on.push(measure('every analytic on', `${cli} > /dev/null`));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const summary = (runs: Measurement[]) => ({
    label: runs[0]!.label,
    seconds: median(runs.map((m) => m.seconds)),
    cpuSeconds: median(runs.map((m) => m.cpuSeconds)),
    maxRssMiB: Math.max(...runs.map((m) => m.maxRssMiB)),
  });
  const without = summary(rounds.off);
  const withContent = summary(rounds.on);
  const kept = (without.seconds / withContent.seconds) * 100;
  const keptCpu = (without.cpuSeconds / withContent.cpuSeconds) * 100;
  return [
    '## Content analysis cost',
    '',
    `${machineLine()}. Input: the emulation corpus (${readdirSync(corpus).filter((f) => f.endsWith('.pcap')).length} captures) merged and repeated ${REPEATS}× with shifted timestamps, ${mib.toFixed(0)} MiB. Median of ${ROUNDS} alternated runs each; load average when the runs started: ${loadBefore.toFixed(1)} (on a shared machine wall and CPU times grow with it, so numbers taken under load are provisional).`,
    '',
    markdownTable(['run', 'seconds', 'CPU seconds', 'MiB/s', 'peak RSS MiB'], [without, withContent].map((m) => [m.label, m.seconds.toFixed(2), m.cpuSeconds.toFixed(2), (mib / m.seconds).toFixed(0), m.maxRssMiB.toFixed(0)])),
    '',
    `With content analysis on, the capture path keeps **${kept.toFixed(0)} %** of its throughput without it (${keptCpu.toFixed(0)} % in CPU time; target ≥ 70 %).`,
  ].join('\n');
}
