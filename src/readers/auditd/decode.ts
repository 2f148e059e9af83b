// Decoding of audit fields that are numbers or binary: syscall numbers by architecture (`arch=` is the
// AUDIT_ARCH_* constant of linux/audit.h; tables generated from the UAPI headers), `saddr` (a struct sockaddr in hex, linux/socket.h, in.h, in6.h,
// un.h) and open(2) flags (asm-generic/fcntl.h).
import { formatIpv6 } from '../../core/ip.js';
import { hexBytes } from './record.js';
import { SYSCALL_NAMES } from './syscall-table.js';

/** AUDIT_ARCH_* → architecture name (linux/audit.h: EM_* | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE). */
const ARCHES = new Map<string, string>([
  ['c000003e', 'x86_64'], ['40000003', 'i386'], ['c00000b7', 'aarch64'], ['40000028', 'arm'],
]);

const SYSCALLS = new Map<string, Map<number, string>>();

function syscallTable(arch: string): Map<number, string> | undefined {
  let table = SYSCALLS.get(arch);
  if (table === undefined) {
    const packed = SYSCALL_NAMES[arch];
    if (packed === undefined) return undefined;
    table = new Map(packed.split(',').map((entry) => {
      const colon = entry.indexOf(':');
      return [Number(entry.slice(0, colon)), entry.slice(colon + 1)] as const;
    }));
    SYSCALLS.set(arch, table);
  }
  return table;
}

/** `arch=c000003e` → `x86_64`; unknown values are returned as logged. */
export function archName(arch: string | undefined): string | undefined {
  if (arch === undefined) return undefined;
  return ARCHES.get(arch.toLowerCase().replace(/^0x/, '')) ?? arch;
}

/** The syscall's name: from the number for a known arch, or as logged when already a name (ausearch -i). */
export function syscallName(arch: string | undefined, syscall: string | undefined): string | undefined {
  if (syscall === undefined) return undefined;
  const n = Number(syscall);
  if (!Number.isInteger(n)) return syscall;
  const name = archName(arch);
  return name === undefined || !Object.hasOwn(SYSCALL_NAMES, name) ? undefined : syscallTable(name)?.get(n);
}

export type SockaddrFamily = 'inet' | 'inet6' | 'unix' | 'netlink' | 'other';

export interface Sockaddr {
  family: SockaddrFamily;
  /** AF_* number as found. */
  familyNumber: number;
  address?: string;
  port?: number;
  /** AF_UNIX path; an abstract socket name is shown with a leading `@`. */
  path?: string;
}

/** Decodes `saddr` hex. The family is host-endian: little on x86/arm, big on s390x (detected). */
export function decodeSockaddr(hex: string): Sockaddr | undefined {
  const b = hexBytes(hex);
  if (b === undefined || b.length < 2) return undefined;
  const familyNumber = b[0] !== 0 || b[1] === 0 ? b[0]! | (b[1]! << 8) : (b[0]! << 8) | b[1]!;
  switch (familyNumber) {
    case 2:
      if (b.length < 8) return undefined;
      return { family: 'inet', familyNumber, port: b.readUInt16BE(2), address: `${b[4]}.${b[5]}.${b[6]}.${b[7]}` };
    case 10:
      if (b.length < 24) return undefined;
      return { family: 'inet6', familyNumber, port: b.readUInt16BE(2), address: formatIpv6(b.subarray(8, 24)) };
    case 1: {
      const raw = b.subarray(2);
      if (raw.length === 0) return { family: 'unix', familyNumber, path: '' };
      if (raw[0] === 0) return { family: 'unix', familyNumber, path: '@' + raw.subarray(1).toString('utf8').replace(/\0+$/, '') };
      const nul = raw.indexOf(0);
      return { family: 'unix', familyNumber, path: raw.subarray(0, nul === -1 ? raw.length : nul).toString('utf8') };
    }
    case 16:
      return { family: 'netlink', familyNumber };
    default:
      return { family: 'other', familyNumber };
  }
}

// open(2) flags, asm-generic/fcntl.h (x86_64 and aarch64 agree on these).
const O_ACCMODE = 0o3;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;

/** Whether open flags (hex, as logged in a1/a2) ask to create or modify the file. */
export function openFlagsWrite(flagsHex: string | undefined): { write: boolean; create: boolean } | undefined {
  if (flagsHex === undefined || !/^[0-9a-fA-F]{1,16}$/.test(flagsHex)) return undefined;
  const flags = Number.parseInt(flagsHex.slice(-8), 16);
  const create = (flags & O_CREAT) !== 0;
  return { write: (flags & O_ACCMODE) !== 0 || (flags & O_TRUNC) !== 0 || create, create };
}
