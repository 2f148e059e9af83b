// Conformance of the auditd reader against four peers' expected outputs in ../shared/data:
// go-libaudit (record goldens per line; coalesced-event goldens per test), audit-userspace (auparse's
// reference walk of test.log), laurel (event JSON per test log) and jorgehermo9/auditd-parser (one
// .snap per line). Compared: type, serial, time, syscall, exe, argv, paths, cwd, socket address.
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { newInputHealth } from '../../src/core/health.js';
import { auditdOptions, auditEvents } from '../../src/readers/auditd/index.js';
import type { AuditEvent } from '../../src/readers/auditd/assemble.js';
import { archName, decodeSockaddr, syscallName } from '../../src/readers/auditd/decode.js';
import { parseAuditLine, type AuditRecord } from '../../src/readers/auditd/record.js';
import { hasSharedData, sharedPath } from '../shared-data.js';
import { FieldTally, recordedFloor } from './tally.js';

const PARSE = { maxArgs: 1 << 20 };

function parse(line: string): AuditRecord | undefined {
  return parseAuditLine(line, 1, PARSE).record;
}

async function events(text: string): Promise<AuditEvent[]> {
  const health = newInputHealth('conformance');
  const ctx = { path: 'conformance', health, limits: { max_line_length: 1 << 22, max_consecutive_bad_lines: 1000 }, options: auditdOptions.parse({}) };
  const out: AuditEvent[] = [];
  for await (const batch of auditEvents(Readable.from([Buffer.from(text)]), ctx)) out.push(...batch);
  return out;
}

/** Epoch milliseconds of an audit time, to compare with RFC 3339 text whatever its fraction digits. */
function millis(time: number): number {
  return Math.round(time * 1000);
}

function recordSyscall(r: AuditRecord): string | undefined {
  return syscallName(r.fields.get('arch'), r.fields.get('syscall'));
}

/** go-libaudit auparse: one golden object (or null for an unparsable line) per input line. */
function goLibauditRecords(tally: FieldTally): void {
  const dir = sharedPath('go-libaudit', 'auparse', 'testdata');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log.golden'))) {
    const golden = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as ({ '@timestamp': string; record_type: string; sequence: number; data: Record<string, string> } | null)[];
    const lines = readFileSync(`${dir}/${name.replace(/\.golden$/, '')}`, 'utf8').split('\n');
    golden.forEach((g, i) => {
      if (g === null) return;
      const where = `${name}:${i + 1}`;
      const r = parse(lines[i]!);
      const src = 'go-libaudit records';
      tally.compare(src, 'type', g.record_type, r?.type.toLowerCase(), `${name}:${i + 1}`);
      if (r === undefined) return;
      tally.compare(src, 'serial', g.sequence, r.serial, where);
      tally.compare(src, 'time', Date.parse(g['@timestamp']), millis(r.time), where);
      const d = g.data;
      if (d === null || d === undefined) return;
      if (d.syscall !== undefined && r.type === 'SYSCALL') tally.compare(src, 'syscall', d.syscall, recordSyscall(r), where);
      if (d.arch !== undefined && r.type === 'SYSCALL') tally.compare(src, 'arch', d.arch, archName(r.fields.get('arch')), where);
      for (const field of ['exe', 'cwd', 'name']) {
        if (d[field] !== undefined) tally.compare(src, field, d[field], r.fields.get(field), where);
      }
      if (r.type === 'EXECVE') {
        for (const [key, value] of Object.entries(d)) {
          const m = /^a(\d+)$/.exec(key);
          if (m !== null) tally.compare(src, 'argv', value, r.args?.get(Number(m[1])), where);
        }
      }
      if (r.type === 'PROCTITLE' && d.proctitle !== undefined) tally.compare(src, 'proctitle', d.proctitle, r.proctitle?.join(' '), where);
      if (r.type === 'SOCKADDR') {
        const s = decodeSockaddr(r.fields.get('saddr') ?? '');
        if (d.addr !== undefined) tally.compare(src, 'saddr', `${d.addr}:${d.port}`, `${s?.address}:${s?.port}`, where);
        if (d.path !== undefined) tally.compare(src, 'saddr', d.path, s?.path, where);
      }
    });
  }
}

/** go-libaudit aucoalesce: raw lines per named test, and the coalesced event expected from them. */
async function goLibauditEvents(tally: FieldTally): Promise<void> {
  const dir = sharedPath('go-libaudit', 'aucoalesce', 'testdata');
  const src = 'go-libaudit events';
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const tests = (parseYaml(readFileSync(`${dir}/${name}`, 'utf8')) as { tests: Record<string, string> }).tests;
    const golden = JSON.parse(readFileSync(`${dir}/${name.replace(/\.yaml$/, '.json.golden')}`, 'utf8')) as { test_name: string; event: Record<string, any> }[];
    for (const { test_name: test, event: g } of golden) {
      const text = tests[test];
      if (text === undefined) continue;
      const where = `${name}:${test}`;
      const got = (await events(text))[0];
      tally.compare(src, 'serial', Number(g.sequence), got?.serial, where);
      if (got === undefined) continue;
      tally.compare(src, 'time', Date.parse(g['@timestamp']), millis(got.time), where);
      const syscall = got.records.find((r) => r.type === 'SYSCALL');
      if (g.data?.syscall !== undefined && syscall !== undefined) tally.compare(src, 'syscall', g.data.syscall, recordSyscall(syscall), where);
      // User-space records carry exe and cwd inside msg='…', which the parser reads as fields too.
      const fieldOf = (field: string) => got.records.find((r) => r.fields.has(field))?.fields.get(field);
      if (g.process?.exe !== undefined) tally.compare(src, 'exe', g.process.exe, fieldOf('exe'), where);
      if (g.process?.args !== undefined) tally.compare(src, 'argv', g.process.args, got.argv, where);
      if (g.process?.cwd !== undefined) tally.compare(src, 'cwd', g.process.cwd, fieldOf('cwd'), where);
      if (g.destination?.ip !== undefined) {
        const s = decodeSockaddr(got.records.find((r) => r.type === 'SOCKADDR')?.fields.get('saddr') ?? '');
        tally.compare(src, 'saddr', `${g.destination.ip}:${g.destination.port}`, `${s?.address}:${s?.port}`, where);
      }
    }
  }
}

/** laurel: each record-*.txt log and the JSON event laurel writes for it. */
async function laurel(tally: FieldTally): Promise<void> {
  const dir = sharedPath('laurel', 'src', 'testdata');
  const src = 'laurel';
  for (const name of readdirSync(dir).filter((n) => n.startsWith('record-') && n.endsWith('.json'))) {
    const expected = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8').split('\n')[0]!) as Record<string, any>;
    const got = (await events(readFileSync(`${dir}/${name.replace(/\.json$/, '.txt')}`, 'utf8')))[0];
    const where = name;
    tally.compare(src, 'id', expected.ID, got === undefined ? undefined : `${got.timeText}:${got.serial}`, where);
    if (got === undefined) continue;
    const syscall = got.records.find((r) => r.type === 'SYSCALL');
    if (expected.SYSCALL?.SYSCALL !== undefined) tally.compare(src, 'syscall', expected.SYSCALL.SYSCALL, syscall && recordSyscall(syscall), where);
    if (expected.SYSCALL?.exe !== undefined) tally.compare(src, 'exe', expected.SYSCALL.exe, syscall?.fields.get('exe'), where);
    if (expected.EXECVE?.ARGV !== undefined) tally.compare(src, 'argv', expected.EXECVE.ARGV, got.argv, where);
    if (expected.CWD?.cwd !== undefined) tally.compare(src, 'cwd', expected.CWD.cwd, got.records.find((r) => r.type === 'CWD')?.fields.get('cwd'), where);
    if (Array.isArray(expected.PATH)) {
      tally.compare(src, 'paths', expected.PATH.map((p: { name: string }) => p.name), got.records.filter((r) => r.type === 'PATH').map((r) => r.fields.get('name')), where);
    }
    if (expected.PROCTITLE?.ARGV !== undefined) tally.compare(src, 'proctitle', expected.PROCTITLE.ARGV, got.records.find((r) => r.type === 'PROCTITLE')?.proctitle, where);
  }
}

/** jorgehermo9/auditd-parser: one insta snapshot per line; the line itself is in the header's `info`. */
function jorgehermo9(tally: FieldTally): void {
  const dir = sharedPath('auditd-parser-rs-jorgehermo9', 'tests', 'snapshots');
  const src = 'auditd-parser-rs';
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.snap'))) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    const [, header, body] = text.split(/^---$/m);
    const line = (parseYaml(header!) as { info: string }).info;
    const expected = JSON.parse(body!) as { record_type: string; timestamp: number; id: number; fields: Record<string, any> };
    // Snapshots of lines auditd-parser rejects hold an error, not a record: nothing to compare.
    if (expected.record_type === undefined) continue;
    const r = parseAuditLine(line, 1, PARSE).record;
    const where = name.slice(name.indexOf('@') + 1, name.indexOf('@') + 9);
    tally.compare(src, 'type', expected.record_type, r?.type, where);
    if (r === undefined) continue;
    tally.compare(src, 'serial', expected.id, r.serial, where);
    tally.compare(src, 'time', expected.timestamp, millis(r.time), where);
    const f = expected.fields;
    for (const field of ['exe', 'cwd', 'name', 'proctitle']) {
      const want = f[field];
      if (typeof want !== 'string') continue;
      // auditd-parser keeps hex-encoded values as hex; compare them decoded, as we keep them.
      const decoded = /^[0-9A-F]+$/.test(want) && want.length % 2 === 0 ? Buffer.from(want, 'hex').toString('utf8') : want;
      // It shows a decoded proctitle with its NULs as spaces.
      const got = field === 'proctitle' && r.proctitle !== undefined ? r.proctitle.join(' ') : r.fields.get(field);
      tally.compare(src, field, decoded, got, where);
    }
    if (r.type === 'EXECVE') {
      for (const [key, value] of Object.entries(f)) {
        const m = /^a(\d+)$/.exec(key);
        if (m === null || typeof value !== 'string') continue;
        const decoded = /^[0-9A-F]+$/.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex').toString('utf8') : value;
        tally.compare(src, 'argv', decoded, r.args?.get(Number(m[1])), where);
      }
    }
    if (f.saddr !== undefined && typeof f.saddr === 'object' && f.saddr.address !== undefined) {
      const s = decodeSockaddr(r.fields.get('saddr') ?? '');
      const got = s?.family === 'inet6' ? `[${s.address}]:${s.port}` : s?.family === 'unix' ? s.path : `${s?.address}:${s?.port}`;
      tally.compare(src, 'saddr', f.saddr.address ?? f.saddr.path, got, where);
    }
  }
}

/** audit-userspace: "Test 4" of auparse_test.ref walks test.log: per record its type, event time and raw fields. */
function auparse(tally: FieldTally): void {
  const ref = readFileSync(sharedPath('audit-userspace', 'auparse', 'test', 'auparse_test.ref'), 'utf8');
  const lines = readFileSync(sharedPath('audit-userspace', 'auparse', 'test', 'test.log'), 'utf8').split('\n');
  const section = ref.slice(ref.indexOf('Starting Test 4'), ref.indexOf('Test 4 Done'));
  const src = 'audit-userspace';
  let current: AuditRecord | undefined;
  let where = '';
  for (const raw of section.split('\n')) {
    const line = raw.trim();
    let m = /^record \d+ of type \d+\((\w+)\)/.exec(line);
    if (m !== null) {
      current = undefined;
      where = m[1]!;
      continue;
    }
    m = /^line=(\d+) file=/.exec(line);
    if (m !== null) {
      current = parse(lines[Number(m[1]) - 1]!);
      tally.compare(src, 'type', where, current?.type, `line ${m[1]}`);
      where = `test.log:${m[1]}`;
      continue;
    }
    m = /^event time: (\d+\.\d+):(\d+), host=(.*)$/.exec(line);
    if (m !== null && current !== undefined) {
      tally.compare(src, 'time', m[1], current.timeText, where);
      tally.compare(src, 'serial', Number(m[2]), current.serial, where);
      continue;
    }
    m = /^(exe|cwd|name|syscall|comm|key|saddr|argc|a\d+)=(.*)$/.exec(line);
    if (m !== null && current !== undefined && current.type !== 'AVC') {
      const [, field, value] = m as unknown as [string, string, string];
      const unquoted = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
      const got = /^a\d+$/.test(field) && current.type === 'EXECVE' ? current.args?.get(Number(field.slice(1))) : current.fields.get(field);
      const hex = !value.startsWith('"') && ['exe', 'cwd', 'name', 'comm', 'key'].includes(field) && /^([0-9A-F]{2})+$/.test(value);
      const want = hex ? Buffer.from(unquoted, 'hex').toString('utf8') : unquoted;
      tally.compare(src, /^a\d+$/.test(field) && current.type === 'EXECVE' ? 'argv' : field, want, got, where);
    }
  }
}

describe.skipIf(!hasSharedData)('auditd conformance', () => {
  it('matches the peers on the fields that carry meaning', async () => {
    const tally = new FieldTally();
    goLibauditRecords(tally);
    await goLibauditEvents(tally);
    await laurel(tally);
    jorgehermo9(tally);
    auparse(tally);
    console.log(`\nauditd conformance\n${tally.table()}\n`);
    for (const source of tally.sources()) {
      expect.soft(tally.rate(source), source).toBeGreaterThanOrEqual(recordedFloor(`auditd: ${source}`));
    }
  });
});
