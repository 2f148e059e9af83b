// Capture throughput: the full pcap → events → detectors path (`exfilscope hunt X -q`) against tcpdump,
// tshark and cat on the same files in the same run. Captures are recorded from real traffic between two
// network namespaces by bench/record-captures.sh (root needed) into bench/out/, never committed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, markdownTable, measure, type Measurement } from './measure.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');

function ensureCaptures(): void {
  if (existsSync(join(out, 'bulk.pcap')) && existsSync(join(out, 'small.pcap'))) return;
  execFileSync('bash', [join(root, 'bench', 'record-captures.sh'), out, '1100'], { stdio: 'inherit' });
}

function packets(file: string): number {
  const text = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).stdout;
  return Number(/Number of packets:\s+(\d+)/.exec(text)?.[1] ?? NaN);
}

function row(m: Measurement, bytes: number, count: number): (string | number)[] {
  return [m.label, m.seconds.toFixed(2), m.cpuSeconds.toFixed(2), (bytes / 2 ** 20 / m.seconds).toFixed(0), Math.round(count / m.seconds / 1000).toLocaleString('en'), m.maxRssMiB.toFixed(0)];
}

export default async function capture(): Promise<string> {
  ensureCaptures();
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const cli = `node ${join(root, 'bin', 'exfilscope.js')}`;
  // A quarter of the bulk capture, to show whether memory grows with input size.
  const quarter = join(out, 'bulk-quarter.pcap');
  if (!existsSync(quarter)) execFileSync('editcap', ['-r', join(out, 'bulk.pcap'), quarter, `1-${Math.floor(packets(join(out, 'bulk.pcap')) / 4)}`]);
  const sections: string[] = [
    `Machine: ${machineLine()}. CPU seconds (user + system, all threads) are steadier than wall seconds when other jobs share the 2 cores. The issue's targets: ≥ 10× tshark and ≥ 20 % of tcpdump on the bulk capture, ≥ 500 k packets/s on the small-packet one.`,
  ];
  for (const [name, file] of [['bulk (HTTP over veth, 1500-byte MTU, offloads off)', join(out, 'bulk.pcap')], ['small packets (66-byte DNS queries and answers on port 5353: each datagram goes through the DNS analyzer)', join(out, 'small.pcap')], ['bulk, first quarter', quarter]] as const) {
    const bytes = statSync(file).size;
    const count = packets(file);
    measure('warm page cache', `cat ${file} > /dev/null`);
    const runs = [
      measure('cat', `cat ${file} > /dev/null`),
      measure('tcpdump -w /dev/null', `tcpdump -r ${file} -w /dev/null`),
      measure('tshark -z conv,tcp', `tshark -r ${file} -q -z conv,tcp > /dev/null 2>&1`),
      measure('exfilscope hunt', `${cli} hunt ${file} -q > /dev/null`),
    ];
    const ours = runs[3]!;
    const tshark = runs[2]!;
    const tcpdump = runs[1]!;
    sections.push(
      `**${name}**: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${count.toLocaleString('en')} packets. ` +
        `exfilscope = ${(tshark.seconds / ours.seconds).toFixed(1)}× tshark, ${((100 * tcpdump.seconds) / ours.seconds).toFixed(0)} % of tcpdump's throughput; ` +
        `${Math.round(count / ours.cpuSeconds / 1000).toLocaleString('en')} k packets per CPU second.`,
      markdownTable(['tool', 'seconds', 'CPU seconds', 'MiB/s', 'k packets/s', 'peak RSS MiB'], runs.map((m) => row(m, bytes, count))),
    );
  }
  return `## Capture reading (pcap → events → detectors)\n\n${sections.join('\n\n')}`;
}
