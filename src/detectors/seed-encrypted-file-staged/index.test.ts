import { describe, expect, it } from 'vitest';
import type { Event, FileEvent, ProcessEvent } from '../../core/events.js';
import { AnomalyCounter } from '../../core/anomalies.js';
import type { Finding } from '../../core/findings.js';
import { options, seedEncryptedFileStaged } from './index.js';

let line = 0;
const T0 = 1_700_000_000;
function file(path: string, extra: Partial<FileEvent> = {}): FileEvent {
  line++;
  return { kind: 'file', ts: T0 + line, host: 'WS01', action: 'create', path, source: { reader: 'test', path: 'f.jsonl', line }, ...extra };
}
function proc(commandLine: string, pid: number, extra: Partial<ProcessEvent> = {}): ProcessEvent {
  line++;
  return { kind: 'process', ts: T0 + line, host: 'WS01', process: { pid, command_line: commandLine }, source: { reader: 'test', path: 'f.jsonl', line }, ...extra };
}
let limits = new AnomalyCounter();
function run(events: Event[], raw: unknown = {}): Finding[] {
  limits = new AnomalyCounter();
  const detector = seedEncryptedFileStaged.create(options.parse(raw), limits);
  const out: Finding[] = [];
  for (const e of events) detector.onEvent(e, (f) => out.push(f));
  detector.flush((f) => out.push(f));
  return out;
}
const riskOf = (path: string, extra?: Partial<FileEvent>): number | undefined => run([file(path, extra)])[0]?.risk;

describe('seed-encrypted-file-staged: the seed patterns and extensions', () => {
  it.each([
    ['/tmp/loot.tar.aes', 9],
    ['/var/tmp/.x/data.enc', 9],
    ['/home/bob/Downloads/blob.bin', 8],
    ['C:\\Users\\bob\\Documents\\exfil\\q3.enc', 9],
    ['c:\\users\\BOB\\documents\\Exfil\\DUMP.BIN', 8],
    ['\\??\\C:\\Users\\bob\\Documents\\exfil\\a.AES', 9],
    ['/tmp/x.gpg', 9],
    ['/tmp/x.asc', 7],
  ])('%s → %i', (path, risk) => {
    expect(riskOf(path)).toBe(risk);
  });
  it.each([
    '/tmp/notes.txt',
    '/etc/data.enc',
    '/home/bob/Documents/x.aes',
    'C:\\Users\\bob\\Documents\\report.enc',
    '/tmp/archive.7z',
    '/tmp/backup.zip',
  ])('does not fire on %s', (path) => {
    expect(riskOf(path)).toBeUndefined();
  });
  it('ignores reads and deletes', () => {
    expect(riskOf('/tmp/a.enc', { action: 'access' })).toBeUndefined();
    expect(riskOf('/tmp/a.enc', { action: 'delete' })).toBeUndefined();
    expect(riskOf('/tmp/a.enc', { action: 'write' })).toBe(9);
  });
});

describe('seed-encrypted-file-staged: files written by flagged processes', () => {
  it('links a password archive to the 7z process that wrote it (Sysmon GUIDs)', () => {
    const guid = '{A1B2C3D4-0000-1111-2222-333344445555}';
    const findings = run([
      proc('7z a -pS3cret C:\\ProgramData\\o.7z C:\\Users\\bob\\Documents', 4242, { process: { guid, pid: 4242, command_line: '"C:\\Program Files\\7-Zip\\7z.exe" a -pS3cret -mhe C:\\ProgramData\\o.7z C:\\Users\\bob\\Documents' } }),
      file('C:\\ProgramData\\o.7z', { process: { guid: guid.toLowerCase() } }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.risk).toBe(8);
    expect(findings[0]!.details!.flagged_command).toBe('7z a -p -mhe');
    expect(findings[0]!.reason).toContain('7z a -p -mhe');
  });
  it('links by PID within the window (auditd), and not after it', () => {
    // `zip -P x -r - /srv/www > …` names no archive, so only the PID ties files to it.
    const p = proc('zip -P x -r - /srv/www', 77);
    expect(run([p, file('/srv/out.zip', { process: { pid: 77 }, ts: p.ts + 10 })])[0]!.risk).toBe(8);
    expect(run([p, file('/srv/out.zip', { process: { pid: 77 }, ts: p.ts + 7200 })])).toEqual([]);
    expect(run([p, file('/srv/out.zip', { process: { pid: 78 }, ts: p.ts + 10 })])).toEqual([]);
  });
  it('flags the declared output of a cipher whatever its extension, even without a process reference', () => {
    const findings = run([proc('openssl enc -aes-256-cbc -k pw -in /etc/shadow -out /srv/cache/x.dat', 5), file('/srv/cache/x.dat')]);
    expect(findings[0]!.risk).toBe(8);
    expect(findings[0]!.details!.declared_output).toBe(true);
  });
  it('flags encrypted extensions outside staging paths when a flagged process wrote them', () => {
    expect(run([proc('gpg -c /srv/db.sql', 9), file('/srv/db.sql.gpg', { process: { pid: 9 } })])[0]!.risk).toBe(9);
  });
  it('does not tie files to processes of another host', () => {
    expect(run([proc('zip -e -r /srv/o.zip /srv', 5), file('/srv/o.zip', { host: 'OTHER', process: { pid: 5 } })])).toEqual([]);
  });
});

describe('seed-encrypted-file-staged: state, options, determinism', () => {
  it('reports a path once however many writes it sees', () => {
    expect(run([file('/tmp/a.enc', { action: 'write' }), file('/tmp/a.enc', { action: 'write' }), file('/tmp/A.enc')])).toHaveLength(2);
  });
  it('forgets the oldest flagged process past max_flagged_per_host', () => {
    const events: Event[] = [proc('zip -e -r /srv/o.zip /srv', 1)];
    for (let pid = 2; pid <= 5; pid++) events.push(proc(`gpg -c f${pid}`, pid));
    events.push(file('/srv/o.zip', { process: { pid: 1 } }));
    expect(run(events, { max_flagged_per_host: 8 })).toHaveLength(1);
    expect(limits.count('seed-encrypted-file-staged.max_flagged_per_host')).toBe(0);
    expect(run(events, { max_flagged_per_host: 3 })).toEqual([]);
    expect(limits.count('seed-encrypted-file-staged.max_flagged_per_host')).toBe(3);
  });
  it('forgets the oldest host past max_hosts', () => {
    const events: Event[] = [proc('zip -e -r /srv/o.zip /srv', 1, { host: 'H0' }), proc('gpg -c a', 2, { host: 'H1' }), proc('gpg -c a', 2, { host: 'H2' })];
    events.push(file('/srv/o.zip', { host: 'H0', process: { pid: 1 } }));
    expect(run(events, { max_hosts: 3 })).toHaveLength(1);
    expect(run(events, { max_hosts: 2 })).toEqual([]);
    expect(limits.count('seed-encrypted-file-staged.max_hosts')).toBe(1);
  });
  it('reports again once a path falls out of max_reported_paths', () => {
    const events = [file('/tmp/a.enc', { action: 'write' }), file('/tmp/b.enc'), file('/tmp/a.enc', { action: 'write' })];
    expect(run(events)).toHaveLength(2);
    expect(run(events, { max_reported_paths: 1 })).toHaveLength(3);
    expect(limits.count('seed-encrypted-file-staged.max_reported_paths')).toBe(2);
  });
  it('takes paths and extensions from config', () => {
    expect(run([file('/data/out/x.crypt')], { paths: ['/data/*'], extensions: { crypt: 6 } })[0]!.risk).toBe(6);
    expect(run([file('/tmp/x.aes')], { paths: ['/data/*'] })).toEqual([]);
    expect(() => options.parse({ extensions: { '.aes': 9 } })).toThrow();
  });
  it('gives deterministic IDs and cites the event', () => {
    const e = file('/tmp/a.enc');
    const [a] = run([e]);
    const [b] = run([e]);
    expect(a!.id).toBe(b!.id);
    expect(a!.evidence).toEqual([{ ...e.source, note: 'file create' }]);
    expect(a!.technique).toBe('T1074');
  });
  it('survives hostile host names and paths', () => {
    const findings = run([proc('gpg -c x', 1, { host: '__proto__' }), file('/tmp/__proto__.enc', { host: '__proto__', process: { pid: 1 } })]);
    expect(findings).toHaveLength(1);
    expect(({} as Record<string, unknown>).flagged).toBeUndefined();
  });
});
