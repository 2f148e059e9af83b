// The auditd reader end to end on hostile input (RELIABILITY E35–E38, E40) and on the dump view.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { EventOf } from '../../core/events.js';
import { openInput } from '../io/open.js';
import { readEvents, readRecords, streamOf } from '../testing.js';
import { auditdReader } from './index.js';

const hex = (text: string): string => Buffer.from(text).toString('hex').toUpperCase();

/** One execve event's records as the kernel sends them (with EOE). */
function execve(serial: number, pid: number, argv: string[], time = '1700000000.100'): string[] {
  const at = `msg=audit(${time}:${serial}):`;
  return [
    `type=SYSCALL ${at} arch=c000003e syscall=59 success=yes exit=0 ppid=100 pid=${pid} auid=1000 uid=1000 comm="x" exe="/usr/bin/${argv[0]}"`,
    `type=EXECVE ${at} argc=${argv.length} ${argv.map((a, i) => `a${i}=${/[\s"]/.test(a) ? hex(a) : `"${a}"`}`).join(' ')}`,
    `type=CWD ${at} cwd="/tmp"`,
    `type=PATH ${at} item=0 name="/usr/bin/${argv[0]}" nametype=NORMAL`,
    `type=EOE ${at}`,
  ];
}

function processes(events: { kind: string }[]): EventOf<'process'>[] {
  return events.filter((e): e is EventOf<'process'> => e.kind === 'process');
}

describe('auditd reader', () => {
  it('sniffs audit logs, ausearch output and forwarded records, not other text', () => {
    expect(auditdReader.sniff(Buffer.from('type=DAEMON_START msg=audit(1.0:1): op=start\n'))).toBe(true);
    expect(auditdReader.sniff(Buffer.from('----\ntime->Mon Jan  1 00:00:00 2024\ntype=EOE msg=audit(1.0:1): \n'))).toBe(true);
    expect(auditdReader.sniff(Buffer.from('Jan  1 00:00:00 h kernel: IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8\n'))).toBe(false);
  });

  it('assembles interleaved events by serial (E38)', async () => {
    const a = execve(1, 11, ['openssl', 'enc', '-aes-256-cbc', '-k', 'pass word']);
    const b = execve(2, 12, ['gpg', '--batch', '-c', 'db.tar']);
    const shuffled = [a[0], b[0], b[1], a[1], a[2], b[2], b[3], a[3], b[4], a[4]].join('\n') + '\n';
    const { items, health } = await readEvents(auditdReader, shuffled);
    const argvByPid = new Map(processes(items).map((p) => [p.process.pid, p.argv]));
    expect(argvByPid.get(11)).toEqual(['openssl', 'enc', '-aes-256-cbc', '-k', 'pass word']);
    expect(argvByPid.get(12)).toEqual(['gpg', '--batch', '-c', 'db.tar']);
    expect(health.anomalies.total).toBe(0);
  });

  it('closes an event whose EOE was lost, by age, by record gap and at the end, and counts it (E38)', async () => {
    const lost = execve(1, 11, ['tar', 'cf', 'x.tar']).slice(0, 4);
    // An input that carries EOE (so a missing one means a lost record): a complete event first.
    const first = execve(0, 10, ['id'], '1699999999.000');
    const later = execve(2, 12, ['ls'], '1700000009.000');
    const { items, health } = await readEvents(auditdReader, [...first, ...lost, ...later].join('\n'));
    expect(processes(items).map((p) => p.argv)).toEqual([['id'], ['tar', 'cf', 'x.tar'], ['ls']]);
    expect(health.anomalies.count('auditd.event_unterminated')).toBe(1);

    const gap = [...lost, ...execve(2, 12, ['ls']), ...execve(3, 13, ['id'])].join('\n');
    const gapped = await readEvents(auditdReader, gap, { max_event_gap_records: 3 });
    expect(processes(gapped.items).map((p) => p.argv![0])).toEqual(['tar', 'ls', 'id']);

    const unterminated = await readEvents(auditdReader, lost.join('\n'));
    expect(processes(unterminated.items)).toHaveLength(1);
  });

  it('does not call events incomplete in logs that never carry EOE (auditd 3.x)', async () => {
    const noEoe = [...execve(1, 11, ['a']).slice(0, 4), ...execve(2, 12, ['b']).slice(0, 4)].join('\n');
    const { items, health } = await readEvents(auditdReader, noEoe);
    expect(processes(items)).toHaveLength(2);
    expect(health.anomalies.count('auditd.event_unterminated')).toBe(0);
  });

  it('evicts the oldest open event beyond max_pending_events and counts it', async () => {
    const open = [1, 2, 3].flatMap((n) => execve(n, 10 + n, [`p${n}`]).slice(0, 2));
    const { items, health } = await readEvents(auditdReader, open.join('\n'), { max_pending_events: 2, max_event_gap_records: 100 });
    expect(processes(items)).toHaveLength(3);
    expect(health.anomalies.count('auditd.event_evicted')).toBe(1);
  });

  it('caps records per event and counts the dropped ones', async () => {
    const at = 'msg=audit(5.0:1):';
    const lines = [`type=SYSCALL ${at} arch=c000003e syscall=2 success=yes a1=241 pid=1`];
    for (let i = 0; i < 10; i++) lines.push(`type=PATH ${at} item=${i} name="/tmp/f${i}" nametype=CREATE`);
    const { health } = await readEvents(auditdReader, lines.join('\n'), { max_records_per_event: 4 });
    expect(health.anomalies.count('auditd.event_records_capped')).toBe(7);
  });

  it('caps an argc 100000 execve at max_args, counted (E38)', async () => {
    const args: string[] = [];
    for (let i = 0; i < 100000; i++) args.push(`a${i}="x"`);
    const text = `type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes pid=5 exe="/bin/echo"\ntype=EXECVE msg=audit(1.0:1): argc=100000 ${args.join(' ')}\n`;
    const { items, health } = await readEvents(auditdReader, text, { max_args: 1000 }, { max_line_length: 4 << 20 });
    expect(processes(items)[0]!.argv).toHaveLength(1000);
    expect(health.anomalies.count('auditd.argv_capped')).toBe(1);
  });

  it('counts arguments dropped at max_args even when argc understates them', async () => {
    const text = 'type=EXECVE msg=audit(1.0:1): argc=1 a0="a" a1="b" a2="c" a3="d"\n';
    const { items, health } = await readEvents(auditdReader, text, { max_args: 2 });
    expect(processes(items)[0]!.argv).toEqual(['a', 'b']);
    expect(health.anomalies.count('auditd.argv_capped')).toBe(1);
  });

  it('joins an argument chunked over several EXECVE records', async () => {
    const at = 'msg=audit(1.0:9):';
    const text = [
      `type=SYSCALL ${at} arch=c000003e syscall=59 success=yes pid=5 exe="/bin/echo"`,
      `type=EXECVE ${at} argc=2 a0="echo" a1_len=6 a1[0]=616263`,
      `type=EXECVE ${at} a1[1]=646566`,
      `type=EOE ${at}`,
    ].join('\n');
    const { items } = await readEvents(auditdReader, text);
    expect(processes(items)[0]!.argv).toEqual(['echo', 'abcdef']);
  });

  it('counts hex garbage and keeps going (E38)', async () => {
    const text = ['type=EXECVE msg=audit(1.0:1): argc=2 a0="cat" a1=4G4G', 'type=PROCTITLE msg=audit(1.0:1): proctitle=123', ...execve(2, 12, ['ls'])].join('\n');
    const { items, health } = await readEvents(auditdReader, text);
    expect(health.anomalies.count('auditd.bad_hex')).toBe(2);
    expect(processes(items).map((p) => p.argv)).toEqual([['cat', '4G4G'], ['ls']]);
  });

  it('reads a last line with no newline, split across stream chunks', async () => {
    const text = execve(1, 11, ['curl', '-T', '-', 'ftp://203.0.113.9/']).slice(0, 2).join('\n');
    const health = (await readEvents(auditdReader, streamOf(text, 7))).health;
    const { items } = await readEvents(auditdReader, streamOf(text, 7));
    expect(processes(items)[0]!.argv).toEqual(['curl', '-T', '-', 'ftp://203.0.113.9/']);
    expect(health.records).toBe(2);
  });

  it('skips a 10 MB single line and still reads the lines after it (E35)', async () => {
    const huge = 'type=EXECVE msg=audit(1.0:1): argc=1 a0=' + 'A'.repeat(10 * 1024 * 1024);
    const text = [huge, ...execve(2, 12, ['id'])].join('\n');
    const { items, health } = await readEvents(auditdReader, streamOf(text, 1 << 16), {}, { max_line_length: 4096 });
    expect(health.anomalies.count('input.line_too_long')).toBe(1);
    expect(processes(items).map((p) => p.argv)).toEqual([['id']]);
  });

  it('processes a truncated .gz up to the damage, then fails naming the line (E40)', async () => {
    const lines: string[] = [];
    for (let n = 1; n <= 400; n++) lines.push(...execve(n, 1000 + n, ['cat', `/etc/file${n}`], `1700000000.${n}`));
    const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'));
    const opened = await openInput(streamOf(gz.subarray(0, Math.floor(gz.length / 2)), 4096));
    const { items, error } = await readEvents(auditdReader, opened.stream);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where?.line).toBeGreaterThan(1);
    expect(processes(items).length).toBeGreaterThan(10);
    expect(processes(items).length).toBeLessThan(400);
  });

  it('stops a file that is not audit at all after max_consecutive_bad_lines', async () => {
    const { error, health } = await readEvents(auditdReader, 'type=X msg=audit(1.0:1): a=1\n' + 'junk\n'.repeat(50), {}, { max_consecutive_bad_lines: 10 });
    expect(error).toBeInstanceOf(InputError);
    expect(health.anomalies.count('auditd.not_audit_line')).toBe(10);
  });

  it('dumps assembled events with decoded argv and socket addresses', async () => {
    const at = 'msg=audit(1.0:3):';
    const text = [
      `node=h1 type=SYSCALL ${at} arch=c000003e syscall=42 success=yes pid=7 exe="/usr/bin/curl"`,
      `node=h1 type=SOCKADDR ${at} saddr=02000015CB0071090000000000000000`,
      `node=h1 type=EOE ${at}`,
    ].join('\n');
    const { items } = await readRecords(auditdReader, text);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ node: 'h1', serial: 3, complete: true, records: [{ type: 'SYSCALL' }, { type: 'SOCKADDR', saddr: { family: 'inet', address: '203.0.113.9', port: 21 } }] });
  });
});
