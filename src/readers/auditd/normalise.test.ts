import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/events.js';
import { readEvents } from '../testing.js';
import { auditdReader } from './index.js';

/** Normalised events of one event's records (EOE appended). */
async function normalise(...records: string[]): Promise<Event[]> {
  const at = 'msg=audit(1700000000.500:77):';
  const text = [...records.map((r) => r.replace('@', at)), `type=EOE ${at}`].join('\n');
  return (await readEvents(auditdReader, text)).items;
}

const SYS = (rest: string) => `type=SYSCALL @ arch=c000003e ${rest} ppid=1 pid=2 auid=1000 uid=1000 exe="/usr/bin/tool"`;

describe('normaliseAuditEvent', () => {
  it('makes no file event for read-only opens, and a write or create event otherwise', async () => {
    const read = await normalise(SYS('syscall=257 success=yes a0=ffffff9c a2=0'), 'type=CWD @ cwd="/tmp"', 'type=PATH @ item=0 name="x.db" nametype=NORMAL');
    expect(read).toEqual([]);
    const write = await normalise(SYS('syscall=257 success=yes a0=ffffff9c a2=241'), 'type=CWD @ cwd="/home/a"', 'type=PATH @ item=0 name="/home/a/" nametype=PARENT', 'type=PATH @ item=1 name="out/../x.enc" nametype=CREATE');
    expect(write).toMatchObject([{ kind: 'file', action: 'create', path: '/home/a/x.enc', process: { pid: 2, image: '/usr/bin/tool' } }]);
    const truncate = await normalise(SYS('syscall=2 success=yes a1=201'), 'type=PATH @ item=0 name="/var/tmp/y.bin" nametype=NORMAL');
    expect(truncate).toMatchObject([{ kind: 'file', action: 'write', path: '/var/tmp/y.bin' }]);
  });

  it('resolves a dirfd-relative name against the PARENT record, not the cwd', async () => {
    const out = await normalise(SYS('syscall=263 success=yes a0=3'), 'type=CWD @ cwd="/root"', 'type=PATH @ item=0 name="/tmp/stage/" nametype=PARENT', 'type=PATH @ item=1 name="part1" nametype=DELETE');
    expect(out).toMatchObject([{ kind: 'file', action: 'delete', path: '/tmp/stage/part1' }]);
  });

  it('uses the new name of a rename', async () => {
    const out = await normalise(SYS('syscall=316 success=yes a0=ffffff9c'), 'type=PATH @ item=2 name="/tmp/a" nametype=DELETE', 'type=PATH @ item=3 name="/tmp/b.aes" nametype=CREATE');
    expect(out).toMatchObject([{ kind: 'file', action: 'rename', path: '/tmp/b.aes' }]);
  });

  it('drops failed syscalls but keeps a non-blocking connect in progress', async () => {
    expect(await normalise(SYS('syscall=59 success=no exit=-2'), 'type=EXECVE @ argc=1 a0="nope"')).toEqual([]);
    expect(await normalise(SYS('syscall=85 success=no exit=-13'), 'type=PATH @ item=0 name="/etc/x" nametype=CREATE')).toEqual([]);
    const inProgress = await normalise(SYS('syscall=42 success=no exit=-115'), 'type=SOCKADDR @ saddr=0200003BC63364070000000000000000');
    expect(inProgress).toMatchObject([{ kind: 'net_conn', proto: 'unknown', dst_ip: '198.51.100.7', dst_port: 59, src_ip: '0.0.0.0' }]);
    expect(await normalise(SYS('syscall=42 success=no exit=-111'), 'type=SOCKADDR @ saddr=0200003BC63364070000000000000000')).toEqual([]);
  });

  it('reads a sendto as a datagram and ignores unix sockets', async () => {
    const dns = await normalise(SYS('syscall=44 success=yes'), 'type=SOCKADDR @ saddr=02000035080808080000000000000000');
    expect(dns).toMatchObject([{ kind: 'net_conn', proto: 'udp', dst_ip: '8.8.8.8', dst_port: 53 }]);
    expect(await normalise(SYS('syscall=42 success=yes'), 'type=SOCKADDR @ saddr=01002F746D702F7800')).toEqual([]);
  });

  it('names aarch64 syscalls and takes the ENRICHED user name', async () => {
    const out = await normalise(
      'type=SYSCALL @ arch=c00000b7 syscall=221 success=yes ppid=1 pid=9 uid=1000 exe="/usr/bin/7z"\x1dARCH=aarch64 SYSCALL=execve UID="alice"',
      'type=EXECVE @ argc=4 a0="7z" a1="a" a2="-pSecret" a3="out.7z"');
    expect(out).toMatchObject([{ kind: 'process', argv: ['7z', 'a', '-pSecret', 'out.7z'], process: { user: 'alice', pid: 9, command_line: '7z a -pSecret out.7z' } }]);
  });

  it('still makes a process event when the SYSCALL record was lost, from EXECVE alone', async () => {
    const out = await normalise('type=EXECVE @ argc=3 a0="openssl" a1="enc" a2="-aes-256-cbc"', 'type=PATH @ item=0 name="/usr/bin/openssl" nametype=NORMAL');
    expect(out).toMatchObject([{ kind: 'process', argv: ['openssl', 'enc', '-aes-256-cbc'], process: { image: '/usr/bin/openssl' } }]);
  });
});
