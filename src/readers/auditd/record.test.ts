import { describe, expect, it } from 'vitest';
import { parseAuditLine } from './record.js';

const OPTS = { maxArgs: 1000 };

describe('parseAuditLine', () => {
  it('reads the header and raw fields of a SYSCALL record, quoted and bare', () => {
    const { record } = parseAuditLine(
      'type=SYSCALL msg=audit(1700000000.123:4567): arch=c000003e syscall=59 success=yes exit=0 ppid=10 pid=11 auid=1000 uid=0 comm="openssl" exe="/usr/bin/openssl" key="exfil"',
      7, OPTS);
    expect(record).toMatchObject({ type: 'SYSCALL', time: 1700000000.123, timeText: '1700000000.123', serial: 4567, line: 7 });
    expect(record!.node).toBeUndefined();
    expect(Object.fromEntries(record!.fields)).toMatchObject({ syscall: '59', pid: '11', ppid: '10', exe: '/usr/bin/openssl', comm: 'openssl', key: 'exfil' });
  });

  it('takes node= and the ENRICHED fields after the \\x1d separator', () => {
    const { record } = parseAuditLine(
      'node=web-01 type=SYSCALL msg=audit(1.5:9): arch=c000003e syscall=59 uid=1000 exe="/bin/ls"\x1dARCH=x86_64 SYSCALL=execve UID="alice" AUID="alice"',
      1, OPTS);
    expect(record!.node).toBe('web-01');
    expect(record!.fields.get('uid')).toBe('1000');
    expect(Object.fromEntries(record!.enriched!)).toEqual({ ARCH: 'x86_64', SYSCALL: 'execve', UID: 'alice', AUID: 'alice' });
  });

  it('finds the record behind syslog and kernel prefixes, with numeric types', () => {
    const forwarded = parseAuditLine('Mar  1 12:00:00 web-01 audispd: node=db-02 type=CWD msg=audit(10.000:1): cwd="/tmp"', 1, OPTS).record;
    expect(forwarded).toMatchObject({ node: 'db-02', type: 'CWD' });
    expect(forwarded!.fields.get('cwd')).toBe('/tmp');
    const kernel = parseAuditLine('[  12.5] audit: type=1309 audit(10.000:2): argc=2 a0="ls" a1="-l"', 1, OPTS).record;
    expect(kernel!.type).toBe('EXECVE');
    expect([...kernel!.args!.values()]).toEqual(['ls', '-l']);
  });

  it('decodes hex-encoded untrusted strings and splits PROCTITLE on NUL', () => {
    const exe = Buffer.from('/tmp/my tool').toString('hex').toUpperCase();
    const title = Buffer.from('sh\0-c\0echo hi').toString('hex').toUpperCase();
    expect(parseAuditLine(`type=SYSCALL msg=audit(1.0:1): exe=${exe} comm="my tool"`, 1, OPTS).record!.fields.get('exe')).toBe('/tmp/my tool');
    expect(parseAuditLine(`type=PROCTITLE msg=audit(1.0:1): proctitle=${title}`, 1, OPTS).record!.proctitle).toEqual(['sh', '-c', 'echo hi']);
  });

  it('keeps EXECVE arguments whole, hex and chunked', () => {
    const spaced = Buffer.from('pass phrase').toString('hex').toUpperCase();
    const { record } = parseAuditLine(`type=EXECVE msg=audit(1.0:1): argc=3 a0="gpg" a1=${spaced} a2_len=6 a2[0]=616263 a2[1]="def"`, 1, OPTS);
    expect([...record!.args!.entries()]).toEqual([[0, 'gpg'], [1, 'pass phrase'], [2, 'abcdef']]);
    expect(record!.fields.get('argc')).toBe('3');
  });

  it('counts damaged hex and keeps the raw text (RELIABILITY E38)', () => {
    const result = parseAuditLine('type=EXECVE msg=audit(1.0:1): argc=2 a0=6F70656E73736C a1=ZZ9', 1, OPTS);
    expect(result.badHex).toBe(1);
    expect([...result.record!.args!.values()]).toEqual(['openssl', 'ZZ9']);
    expect(parseAuditLine('type=PROCTITLE msg=audit(1.0:1): proctitle=ABC', 1, OPTS).badHex).toBe(1);
  });

  it('drops arguments beyond maxArgs and counts them', () => {
    const result = parseAuditLine('type=EXECVE msg=audit(1.0:1): argc=4 a0="a" a1="b" a2="c" a3="d"', 1, { maxArgs: 2 });
    expect([...result.record!.args!.values()]).toEqual(['a', 'b']);
    expect(result.record!.argsDropped).toBe(2);
  });

  it('reads the fields inside a user-space msg=\'…\'', () => {
    const { record } = parseAuditLine(`type=USER_CMD msg=audit(1.0:5): pid=1 uid=1000 auid=1000 msg='cwd="/home/a" cmd=6C73 exe="/usr/bin/sudo" res=success'`, 1, OPTS);
    expect(record!.fields.get('exe')).toBe('/usr/bin/sudo');
    expect(record!.fields.get('cmd')).toBe('ls');
    expect(record!.fields.get('cwd')).toBe('/home/a');
  });

  it('names what is wrong with lines that are not records', () => {
    expect(parseAuditLine('hello world', 1, OPTS).problem).toBe('not_audit');
    expect(parseAuditLine('type=SYSCALL msg=?', 1, OPTS).problem).toBe('bad_header');
    expect(parseAuditLine('type=SYSCALL msg=audit(abc:1): x=1', 1, OPTS).problem).toBe('bad_header');
  });

  it('keeps attacker field names such as __proto__ as plain map keys', () => {
    const { record } = parseAuditLine('type=SYSCALL msg=audit(1.0:1): __proto__=x constructor=y', 1, OPTS);
    expect(record!.fields.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
