// What content analysis costs: the capture path with every analytic on, against the same run with the content
// analytics (encrypted-payload, dns-tunnel, icmp-exfil) and the seed's payload analytic off. The input is the
// labelled emulation corpus (real uploads of ciphertext, archives, media and text over HTTP, FTP, SMTP, DNS and
// ICMP), repeated with shifted timestamps until it is large enough to time; `npm run emulate` records it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, markdownTable, measure } from './measure.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const corpus = join(root, 'test', 'emulation', 'corpus');
const REPEATS = Number(process.env.BENCH_CONTENT_REPEATS ?? 40);

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
  const mib = statSync(input).size / 2 ** 20;
  const runs = [
    measure('content analytics off', `${cli} --config ${off} > /dev/null`),
    measure('every analytic on', `${cli} > /dev/null`),
  ];
  const [without, withContent] = runs as [typeof runs[0], typeof runs[0]];
  const kept = (without.seconds / withContent.seconds) * 100;
  return [
    '## Content analysis cost',
    '',
    `${machineLine()}. Input: the emulation corpus (${readdirSync(corpus).filter((f) => f.endsWith('.pcap')).length} captures) merged and repeated ${REPEATS}× with shifted timestamps, ${mib.toFixed(0)} MiB.`,
    '',
    markdownTable(['run', 'seconds', 'MiB/s', 'peak RSS MiB'], runs.map((m) => [m.label, m.seconds.toFixed(2), (mib / m.seconds).toFixed(0), m.maxRssMiB.toFixed(0)])),
    '',
    `With content analysis on, the capture path keeps **${kept.toFixed(0)} %** of its throughput without it (target ≥ 70 %).`,
  ].join('\n');
}
