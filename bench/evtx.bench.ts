// EVTX parsing speed and memory: `exfilscope dump` against Debian's python3-evtx `evtx_dump.py` on the same
// files in the same run (the largest samples python-evtx can read), then exfilscope alone on a 128 MiB file
// built from real chunks to show that peak RSS does not grow with the input.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { machineLine, markdownTable, measure, type Measurement } from './measure.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLES = join(ROOT, '..', 'shared', 'data', 'evtx-rs-samples', 'samples');
/** Clean, python-readable samples: security (2 MiB), system and sysmon (1 MiB each), Security_with_size_t. */
const FILES = ['security.evtx', 'system.evtx', 'sysmon.evtx', 'Security_with_size_t.evtx'].map((f) => join(SAMPLES, f));
const BIG_CHUNKS = 2000;

function quote(paths: string[]): string {
  return paths.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** A big EVTX made of the security sample's chunks repeated (chunks are self-contained). */
function buildBigFile(): string {
  const source = readFileSync(join(SAMPLES, 'security.evtx'));
  const header = Buffer.from(source.subarray(0, 4096));
  const used = header.readUInt16LE(42);
  header.writeUInt32LE(0, 120);
  header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
  const parts = [header];
  for (let i = 0; i < BIG_CHUNKS; i++) parts.push(source.subarray(4096 + 65536 * (i % used), 4096 + 65536 * ((i % used) + 1)));
  const path = join(tmpdir(), 'exfilscope-bench-big.evtx');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Rates are per CPU second: the machine is shared, so wall time says more about the neighbours than the tool. */
function row(m: Measurement, mib: number, records: number): (string | number)[] {
  return [m.label, m.seconds.toFixed(2), m.cpuSeconds.toFixed(2), (mib / m.cpuSeconds).toFixed(2), Math.round(records / m.cpuSeconds), m.maxRssMiB.toFixed(0)];
}

export default async function bench(): Promise<string> {
  if (!FILES.every(existsSync)) return '## EVTX parsing\n\nSkipped: ../shared/data/evtx-rs-samples is absent.';
  measure('build', `cd '${ROOT}' && npm run build`);
  if (measure('python3-evtx present', 'command -v evtx_dump.py || true').stdout.trim() === '') {
    measure('install python3-evtx', 'apt-get install -y python3-evtx');
  }
  const cli = join(ROOT, 'bin', 'exfilscope.js');
  const files = quote(FILES);
  const mib = FILES.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20;
  const records = Number(measure('count', `node '${cli}' dump -q ${files} | wc -l`).stdout.trim());
  const ours = measure('exfilscope dump', `node '${cli}' dump -q ${files} > /dev/null`);
  const python = measure('python-evtx evtx_dump.py', `for f in ${files}; do evtx_dump.py "$f"; done > /dev/null`);

  const big = buildBigFile();
  const bigMib = statSync(big).size / 2 ** 20;
  const bigRecords = Number(measure('count big', `node '${cli}' dump -q '${big}' | wc -l`).stdout.trim());
  const bigRun = measure(`exfilscope dump, ${bigMib.toFixed(0)} MiB`, `node '${cli}' dump -q '${big}' > /dev/null`);
  const small = measure('exfilscope dump, one 1 MiB file', `node '${cli}' dump -q '${FILES[1]}' > /dev/null`);

  const header = ['run', 'wall s', 'CPU s', 'MiB per CPU s', 'records per CPU s', 'peak RSS MiB'];
  return [
    '## EVTX parsing',
    '',
    machineLine(),
    '',
    `Same run, same ${FILES.length} samples (${mib.toFixed(1)} MiB, ${records} records): ${FILES.map((f) => f.split('/').pop()).join(', ')}.`,
    'Times include process start-up. Other work shares the CPU, so rates are per CPU second (user + system); wall times are shown too. Numbers are provisional.',
    '',
    markdownTable(header, [row(ours, mib, records), row(python, mib, records)]),
    '',
    `**exfilscope is ${(python.cpuSeconds / ours.cpuSeconds).toFixed(0)}× faster** than python-evtx in CPU time (${(python.seconds / ours.seconds).toFixed(0)}× in wall time; target ≥ 20×).`,
    '',
    `Memory with input size: a ${bigMib.toFixed(0)} MiB file (${BIG_CHUNKS} chunks of security.evtx, ${bigRecords} records) against one 1 MiB file:`,
    '',
    markdownTable(header, [row(bigRun, bigMib, bigRecords), [small.label, small.seconds.toFixed(2), small.cpuSeconds.toFixed(2), '', '', small.maxRssMiB.toFixed(0)]]),
  ].join('\n');
}
