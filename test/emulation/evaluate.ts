// `npm run evaluate`: runs exfilscope over the labelled emulation corpus (test/emulation/corpus from
// `npm run emulate`, else the committed subset in test/emulation/testdata) and writes EVALUATION.md — per
// scenario what was found, and precision/recall per protocol — side by side with the seed analytics alone.
//
// A scenario is flagged when a finding of the T1048 family reaches risk 5 (risk-3 shape notes such as DNS
// hash lookups are informational). An exfiltration scenario counts as detected when flagged, and as right
// when its expected sub-technique is among the flagged findings; a benign scenario flagged is a false positive.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/core/findings.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { parseConfig, type Config } from '../../src/pipeline/config.js';
import { run } from '../../src/pipeline/run.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const MIN_RISK = 5;

interface Scenario {
  scenario: string;
  protocol: string;
  cipher: string;
  encoding: string;
  size: string;
  expected: string;
  label: 'exfil' | 'benign';
  note: string;
}

interface Outcome {
  flagged: Finding[];
  detected: boolean;
  right: boolean;
}

function readLabels(dir: string): Scenario[] {
  const [header, ...rows] = readFileSync(join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  const keys = header!.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? ''])) as unknown as Scenario;
  });
}

/** Config with only the detectors `keep` accepts enabled. */
function configWith(keep: (id: string) => boolean): Config {
  const raw: Record<string, { enabled: boolean }> = {};
  for (const d of DETECTORS) raw[d.id] = { enabled: keep(d.id) };
  return parseConfig({ detectors: raw });
}

async function findingsOf(pcap: string, config: Config): Promise<Finding[]> {
  const findings: Finding[] = [];
  const summary = await run([pcap], { config, detect: true, onFinding: (f) => findings.push(f) });
  for (const input of summary.inputs) if (input.error !== undefined) throw new Error(`${pcap}: ${input.error}`);
  return findings;
}

function judge(s: Scenario, findings: Finding[]): Outcome {
  const flagged = findings.filter((f) => f.risk >= MIN_RISK && f.technique.startsWith('T1048'));
  const detected = flagged.length > 0;
  const right = s.label === 'exfil' ? flagged.some((f) => f.technique === s.expected) : !flagged.some((f) => f.technique === 'T1048.001');
  return { flagged, detected, right };
}

function describe(o: Outcome | undefined): string {
  if (o === undefined) return 'n/a';
  if (!o.detected) return '—';
  const parts = new Map<string, number>();
  for (const f of o.flagged) {
    const key = `${f.analytic} ${f.technique}`;
    parts.set(key, Math.max(parts.get(key) ?? 0, f.risk));
  }
  return [...parts].map(([k, risk]) => `${k} (${risk})`).join('; ');
}

function verdict(s: Scenario, o: Outcome | undefined): string {
  if (o === undefined) return 'n/a';
  if (s.label === 'exfil') return o.detected ? (o.right ? 'TP' : 'TP, wrong sub-technique') : 'FN';
  if (!o.detected) return 'TN';
  return o.right ? 'FP (not T1048.001)' : 'FP';
}

function rates(rows: { s: Scenario; o: Outcome | undefined }[]): string {
  if (rows.some((r) => r.o === undefined)) return 'n/a | n/a | n/a';
  let tp = 0, fp = 0, fn = 0, right = 0;
  for (const { s, o } of rows) {
    if (s.label === 'exfil' && o!.detected) tp++;
    if (s.label === 'exfil' && !o!.detected) fn++;
    if (s.label === 'benign' && o!.detected) fp++;
    if (s.label === 'exfil' && o!.detected && o!.right) right++;
  }
  const pct = (a: number, b: number): string => (b === 0 ? '–' : `${Math.round((100 * a) / b)} %`);
  return `${pct(tp, tp + fp)} | ${pct(tp, tp + fn)} | ${pct(right, tp + fn)}`;
}

async function main(): Promise<void> {
  const full = join(HERE, 'corpus');
  const dir = process.argv[2] ?? (existsSync(join(full, 'labels.tsv')) ? full : join(HERE, 'testdata'));
  const scenarios = readLabels(dir).filter((s) => existsSync(join(dir, `${s.scenario}.pcap`)));
  const seedIds = DETECTORS.map((d) => d.id).filter((id) => id.startsWith('seed-'));
  const exfilscope = configWith(() => true);
  const seedOnly = seedIds.length > 0 ? configWith((id) => id.startsWith('seed-')) : undefined;

  const rows: { s: Scenario; o: Outcome; seed: Outcome | undefined }[] = [];
  for (const s of scenarios) {
    const pcap = join(dir, `${s.scenario}.pcap`);
    const o = judge(s, await findingsOf(pcap, exfilscope));
    const seed = seedOnly === undefined ? undefined : judge(s, await findingsOf(pcap, seedOnly));
    rows.push({ s, o, seed });
    console.log(`${verdict(s, o).padEnd(24)} ${s.scenario.padEnd(28)} ${describe(o)}`);
  }

  const protocols = [...new Set(rows.map((r) => r.s.protocol))].sort();
  const lines: string[] = [
    '# Evaluation on the emulation corpus',
    '',
    `Made by \`npm run evaluate\` over \`${dir.startsWith(ROOT) ? relative(ROOT, dir) : dir}\` (${scenarios.length} scenarios: ` +
      `${rows.filter((r) => r.s.label === 'exfil').length} exfiltration, ${rows.filter((r) => r.s.label === 'benign').length} benign), ` +
      'recorded by `npm run emulate` (test/emulation/emulate.sh: real servers and clients in two network namespaces).',
    '',
    `A scenario is *flagged* when a T1048-family finding reaches risk ${MIN_RISK}. Exfiltration: TP when flagged (and the`,
    'expected sub-technique is among the findings, else "wrong sub-technique"), FN otherwise. Benign: TN when not flagged;',
    'FP when flagged (marked "not T1048.001" when no finding claims ciphertext). "Right sub-technique" is the share of',
    'exfiltration scenarios detected with the expected sub-technique.',
    seedOnly === undefined ? '\nThe seed analytics (`seed-*` detectors) are not on this branch: their columns read n/a.\n' : '',
    '## Per protocol',
    '',
    '| protocol | exfilscope precision | recall | right sub-technique | seed alone precision | recall | right sub-technique |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of [...protocols, 'all']) {
    const subset = rows.filter((r) => p === 'all' || r.s.protocol === p);
    lines.push(`| ${p} | ${rates(subset.map((r) => ({ s: r.s, o: r.o })))} | ${rates(subset.map((r) => ({ s: r.s, o: r.seed })))} |`);
  }
  lines.push('', '## Per scenario', '', '| scenario | protocol | cipher | encoding | label | expected | exfilscope | result | seed alone | result |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { s, o, seed } of rows) {
    lines.push(`| ${s.scenario} | ${s.protocol} | ${s.cipher} | ${s.encoding} | ${s.label} | ${s.expected} | ${describe(o)} | ${verdict(s, o)} | ${describe(seed)} | ${verdict(s, seed)} |`);
  }
  writeFileSync(join(ROOT, 'EVALUATION.md'), lines.join('\n') + '\n');
  console.log(`wrote ${join(ROOT, 'EVALUATION.md')}`);
}

await main();
