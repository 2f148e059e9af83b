// Zeek conn.log throughput: a conn.log of 5 million rows made by repeating real rows from Zeek's own baselines
// (timestamps shifted a day per repetition), as TSV and JSON, plain and gzipped; `exfilscope hunt` with both seed
// network analytics on, beside `wc -l` and `awk` doing a comparable single pass over the same bytes.
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { execSync } from 'node:child_process';
import { machineLine, markdownTable, measure, type Measurement } from './measure.js';

const ROWS = Number(process.env.BENCH_ZEEK_ROWS ?? 5_000_000);
const root = join(import.meta.dirname, '..');
const out = join(import.meta.dirname, 'out');
const baselines = join(root, '..', 'shared', 'data', 'zeek', 'testing', 'btest', 'Baseline');
const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];

/** Real conn rows with the default column set, from every baseline that has it. */
function realRows(): string[][] {
  const rows: string[][] = [];
  for (const test of readdirSync(baselines)) {
    const file = join(baselines, test, 'conn.log');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const fields = /^#fields\t(.*)$/m.exec(text)?.[1]?.split('\t');
    if (fields === undefined || FIELDS.some((f) => !fields.includes(f))) continue;
    const index = FIELDS.map((f) => fields.indexOf(f));
    for (const line of text.split('\n')) {
      if (line.length === 0 || line.startsWith('#')) continue;
      const values = line.split('\t');
      if (values.length !== fields.length) continue;
      rows.push(index.map((i) => values[i]!));
    }
  }
  return rows;
}

async function write(path: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(path);
  for (const line of lines) if (!stream.write(line)) await once(stream, 'drain');
  stream.end();
  await once(stream, 'finish');
}

function* tsvLines(rows: string[][]): Iterable<string> {
  yield ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2026-01-01-00-00-00',
    '#fields\t' + FIELDS.join('\t'), '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]'].join('\n') + '\n';
  let block = '';
  for (let n = 0; n < ROWS; n++) {
    const row = rows[n % rows.length]!;
    const ts = (1_700_000_000 + Math.floor(n / rows.length) * 86_400 + (n % rows.length) * 0.001).toFixed(6);
    block += ts + '\t' + row.slice(1).join('\t') + '\n';
    if (block.length > 1 << 20) {
      yield block;
      block = '';
    }
  }
  yield block + '#close\t2026-01-02-00-00-00\n';
}

function* jsonLines(rows: string[][]): Iterable<string> {
  const numeric = new Set(['id.orig_p', 'id.resp_p', 'duration', 'orig_bytes', 'resp_bytes', 'missed_bytes', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes']);
  let block = '';
  for (let n = 0; n < ROWS; n++) {
    const row = rows[n % rows.length]!;
    const obj: Record<string, unknown> = { ts: 1_700_000_000 + Math.floor(n / rows.length) * 86_400 + (n % rows.length) * 0.001 };
    FIELDS.forEach((f, i) => {
      const v = row[i]!;
      if (i === 0 || v === '-' || v === '(empty)') return;
      obj[f] = numeric.has(f) ? Number(v) : v === 'T' || v === 'F' ? v === 'T' : v;
    });
    block += JSON.stringify(obj) + '\n';
    if (block.length > 1 << 20) {
      yield block;
      block = '';
    }
  }
  yield block;
}

function row(m: Measurement, bytes: number): (string | number)[] {
  return [m.label, m.seconds.toFixed(2), (ROWS / m.seconds / 1e6).toFixed(2), (bytes / m.seconds / 1e6).toFixed(0), m.maxRssMiB.toFixed(0)];
}

export default async function zeekBench(): Promise<string> {
  mkdirSync(out, { recursive: true });
  const rows = realRows();
  const tsv = join(out, 'conn-5m.log');
  const json = join(out, 'conn-5m.json.log');
  await write(tsv, tsvLines(rows));
  await write(json, jsonLines(rows));
  execSync(`gzip -1 -kf ${tsv} ${json}`);
  execSync('npm run build --silent', { cwd: root });
  const cli = `node ${join(root, 'bin', 'exfilscope.js')} hunt`;
  // The measure is the reader with the two seed network analytics; the default runs every analytic.
  const seedOnly = join(out, 'seed-network-only.json');
  const { DETECTORS } = await import('../src/detectors/index.js');
  const keep = new Set(['seed-encoded-payload', 'seed-alt-protocol-volume']);
  writeFileSync(seedOnly, JSON.stringify({ detectors: Object.fromEntries(DETECTORS.filter((d) => !keep.has(d.id)).map((d) => [d.id, { enabled: false }])) }));
  const table: (string | number)[][] = [];
  for (const [name, file, awkProgram] of [
    ['TSV', tsv, `-F'\\t' '!/^#/ && ($6==21||$6==25||$6==53||$6==139||$6==445||$6==587||$6==990) && $10>10000000 {n++} END {print n+0}'`],
    ['JSON', json, `'/"id.resp_p":(21|25|53|139|445|587|990),/ && /"orig_bytes":[0-9]{8}/ {n++} END {print n+0}'`],
  ] as const) {
    for (const gz of [false, true]) {
      const path = gz ? `${file}.gz` : file;
      const cat = gz ? `gzip -dc ${path}` : `cat ${path}`;
      const bytes = statSync(file).size;
      const label = `${name}${gz ? ' gz' : ''}`;
      table.push(row(measure(`exfilscope hunt, ${label}, seed network analytics`, `${cli} ${path} -q --format jsonl --config ${seedOnly} > /dev/null`), bytes));
      table.push(row(measure(`exfilscope hunt, ${label}, every analytic`, `${cli} ${path} -q --format jsonl > /dev/null`), bytes));
      table.push(row(measure(`wc -l, ${label}`, `${cat} | wc -l > /dev/null`), bytes));
      table.push(row(measure(`awk, ${label}`, `${cat} | awk ${awkProgram} > /dev/null`), bytes));
      if (name === 'JSON' && !gz) {
        table.push(row(measure('node, JSON.parse of every line (no reader, no events)', `node ${join(import.meta.dirname, 'json-parse-floor.mjs')} ${path} > /dev/null`), bytes));
      }
    }
  }
  return [
    '## Zeek conn.log',
    '',
    `${machineLine()}. ${ROWS.toLocaleString('en')} conn rows repeated from ${rows.length} real rows of Zeek's baselines; ` +
      `TSV ${(statSync(tsv).size / 1e6).toFixed(0)} MB, JSON ${(statSync(json).size / 1e6).toFixed(0)} MB (MB/s on uncompressed bytes). ` +
      'exfilscope runs with the two seed network analytics only (the issue\'s measure), then with every analytic on (flow-asymmetry and beaconing also read conn rows); awk counts rows matching analytic 4\'s port and size test; `node, JSON.parse` only parses each JSON line, the floor of any JavaScript reader of JSON logs.',
    '',
    markdownTable(['command', 'seconds', 'M rows/s', 'MB/s', 'peak RSS MiB'], table),
  ].join('\n');
}
