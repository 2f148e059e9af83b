// Host and firewall log throughput: an audit.log made by repeating the real recorded attack log
// (src/readers/auditd/testdata/attack.audit.log, serials and times shifted per copy) and a firewall syslog
// file repeating the mixed-dialect fixture. `exfilscope hunt` reads and normalises them (events counted by
// `exfilscope events`); beside it `ausearch --raw` (auditd's own parser and event grouper, when installed)
// and `wc -l` / `awk` single passes over the same bytes.
import { execSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, markdownTable, measure, type Measurement } from './measure.js';

const AUDIT_COPIES = Number(process.env.BENCH_AUDIT_COPIES ?? 1000);
const FIREWALL_COPIES = Number(process.env.BENCH_FIREWALL_COPIES ?? 50_000);
const root = join(import.meta.dirname, '..');
const out = join(import.meta.dirname, 'out');

async function write(path: string, blocks: Iterable<string>): Promise<void> {
  const stream = createWriteStream(path);
  for (const block of blocks) if (!stream.write(block)) await once(stream, 'drain');
  stream.end();
  await once(stream, 'finish');
}

/** The attack log again and again, each copy a minute later with fresh serials, as one long-running host. */
function* auditCopies(text: string): Iterable<string> {
  for (let copy = 0; copy < AUDIT_COPIES; copy++) {
    yield text.replace(/audit\((\d+)\.(\d+):(\d+)\)/g, (_, sec: string, ms: string, serial: string) =>
      `audit(${Number(sec) + copy * 60}.${ms}:${Number(serial) + copy * 100_000})`);
  }
}

function* firewallCopies(text: string): Iterable<string> {
  let block = '';
  for (let copy = 0; copy < FIREWALL_COPIES; copy++) {
    block += text;
    if (block.length > 1 << 20) {
      yield block;
      block = '';
    }
  }
  yield block;
}

function hasAusearch(): boolean {
  try {
    execSync('command -v ausearch', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function row(m: Measurement, lines: number, bytes: number): (string | number)[] {
  return [m.label, m.seconds.toFixed(2), (lines / m.seconds / 1e3).toFixed(0), (bytes / m.seconds / 1e6).toFixed(0), m.maxRssMiB.toFixed(0)];
}

export default async function auditdFirewallBench(): Promise<string> {
  mkdirSync(out, { recursive: true });
  const auditText = readFileSync(join(root, 'src/readers/auditd/testdata/attack.audit.log'), 'utf8');
  const firewallText = readFileSync(join(root, 'src/readers/firewall/testdata/mixed-syslog.log'), 'utf8');
  const audit = join(out, 'audit-big.log');
  const firewall = join(out, 'firewall-big.log');
  await write(audit, auditCopies(auditText));
  await write(firewall, firewallCopies(firewallText));
  execSync('npm run build --silent', { cwd: root });
  const cli = `node ${join(root, 'bin', 'exfilscope.js')}`;
  const count = (path: string) => Number(execSync(`${cli} events -q ${path} | wc -l`, { maxBuffer: 1 << 20 }).toString().trim());
  const table: (string | number)[][] = [];
  const sizes: string[] = [];
  for (const [name, path, awkProgram] of [
    ['audit.log', audit, `'/ type=EXECVE / {n++} END {print n+0}'`],
    ['firewall syslog', firewall, `'/ SRC=| src=|filterlog/ {n++} END {print n+0}'`],
  ] as const) {
    const bytes = statSync(path).size;
    const lines = Number(execSync(`wc -l < ${path}`).toString().trim());
    sizes.push(`${name}: ${(bytes / 1e6).toFixed(0)} MB, ${lines.toLocaleString('en')} lines, ${count(path).toLocaleString('en')} events`);
    table.push(row(measure(`exfilscope hunt, ${name}`, `${cli} hunt -q --format jsonl ${path} > /dev/null`), lines, bytes));
    if (name === 'audit.log' && hasAusearch()) table.push(row(measure('ausearch --raw, audit.log', `ausearch --raw -if ${path} > /dev/null`), lines, bytes));
    table.push(row(measure(`wc -l, ${name}`, `wc -l ${path} > /dev/null`), lines, bytes));
    table.push(row(measure(`awk, ${name}`, `awk ${awkProgram} ${path} > /dev/null`), lines, bytes));
  }
  return [
    '## auditd and firewall logs',
    '',
    `${machineLine()}. ${sizes.join('; ')}. The audit log is the recorded attack log repeated ${AUDIT_COPIES} times; ` +
      `the firewall file the mixed netfilter/filterlog/CEF/pf fixture repeated ${FIREWALL_COPIES.toLocaleString('en')} times. ` +
      'awk only counts EXECVE or firewall lines (no field parsing, no event grouping).',
    '',
    markdownTable(['command', 'seconds', 'k lines/s', 'MB/s', 'peak RSS MiB'], table),
  ].join('\n');
}
