// Turns assembled audit events into exfilscope events:
//   process  — a successful execve/execveat: argv from EXECVE (PROCTITLE when EXECVE was lost), exe, cwd,
//              pid/ppid, user (the ENRICHED UID name when logged, else the numeric uid);
//   file     — a successful syscall that creates, modifies, renames or deletes a path (table below);
//              read-only opens are not file events (they are not staging);
//   net_conn — connect/sendto/sendmsg with an inet/inet6 SOCKADDR (connect's EINPROGRESS counts: a
//              non-blocking connect that went on to succeed).
// The host is the `node=` name when logged. Paths are made absolute from CWD (or the PARENT record for
// dirfd-relative *at calls) and normalised lexically, as the kernel resolved them at the time.
import { posix } from 'node:path';
import type { Event, FileEvent, ProcessRef, Proto, Source } from '../../core/events.js';
import type { AuditEvent } from './assemble.js';
import { decodeSockaddr, openFlagsWrite, syscallName } from './decode.js';
import type { AuditRecord } from './record.js';

type FileAction = FileEvent['action'];

/**
 * Which syscalls make file events, and how. `flags` names the argument holding open(2) flags: the event is
 * a write only when they ask for write access, truncation or creation.
 */
const FILE_SYSCALLS = new Map<string, { action: FileAction; flags?: 'a1' | 'a2' | 'openat2' }>([
  ['open', { action: 'write', flags: 'a1' }],
  ['openat', { action: 'write', flags: 'a2' }],
  ['openat2', { action: 'write', flags: 'openat2' }],
  ['creat', { action: 'create' }],
  ['truncate', { action: 'write' }],
  ['mkdir', { action: 'create' }], ['mkdirat', { action: 'create' }],
  ['mknod', { action: 'create' }], ['mknodat', { action: 'create' }],
  ['link', { action: 'create' }], ['linkat', { action: 'create' }],
  ['symlink', { action: 'create' }], ['symlinkat', { action: 'create' }],
  ['rename', { action: 'rename' }], ['renameat', { action: 'rename' }], ['renameat2', { action: 'rename' }],
  ['unlink', { action: 'delete' }], ['unlinkat', { action: 'delete' }], ['rmdir', { action: 'delete' }],
]);

const NET_SYSCALLS = new Map<string, Proto>([
  // connect() does not say TCP or UDP; sendto/sendmsg with a destination address are datagram sends.
  ['connect', 'unknown'], ['sendto', 'udp'], ['sendmsg', 'udp'], ['sendmmsg', 'udp'],
]);

const EINPROGRESS = '-115';
const AT_FDCWD_SUFFIX = 'ffffff9c';

export function normaliseAuditEvent(event: AuditEvent, path: string): Event[] {
  const source: Source = { reader: 'auditd', path, line: event.line };
  const syscall = event.records.find((r) => r.type === 'SYSCALL');
  const base = { ts: event.time, source, ...(event.node !== undefined ? { host: event.node } : {}) };
  const name = syscall === undefined ? undefined : syscallName(syscall.fields.get('arch'), syscall.fields.get('syscall') ?? syscall.enriched?.get('SYSCALL'));
  const failed = syscall?.fields.get('success') === 'no';

  if (name === 'execve' || name === 'execveat' || (syscall === undefined && event.argv !== undefined)) {
    if (failed) return [];
    const argv = event.argv ?? proctitle(event);
    const process = processRef(syscall);
    if (argv !== undefined && argv.length > 0) process.command_line = joinArgv(argv);
    process.image ??= paths(event).find((p) => p.item === 0)?.name;
    const out: Event = { kind: 'process', ...base, process };
    if (argv !== undefined) out.argv = argv;
    const cwd = cwdOf(event);
    if (cwd !== undefined) out.cwd = cwd;
    if (process.ppid !== undefined) out.parent = { pid: process.ppid };
    return [out];
  }
  if (syscall === undefined || name === undefined || (failed && syscall.fields.get('exit') !== EINPROGRESS)) return [];

  const file = FILE_SYSCALLS.get(name);
  if (file !== undefined) {
    if (failed) return [];
    const action = fileAction(file, syscall, event);
    if (action === undefined) return [];
    const target = targetPath(action, event);
    if (target === undefined) return [];
    const resolved = resolvePath(target.name, name, syscall, event);
    return [{ kind: 'file', ...base, action, path: resolved, process: withTitle(processRef(syscall), event) }];
  }

  const proto = NET_SYSCALLS.get(name);
  if (proto !== undefined) {
    const saddr = event.records.find((r) => r.type === 'SOCKADDR')?.fields.get('saddr');
    const addr = saddr === undefined ? undefined : decodeSockaddr(saddr);
    if (addr === undefined || (addr.family !== 'inet' && addr.family !== 'inet6')) return [];
    return [{
      kind: 'net_conn', ...base, proto, outbound: true,
      // The local end is not in the record: the unspecified address of the family stands for "unknown".
      src_ip: addr.family === 'inet' ? '0.0.0.0' : '::', src_port: 0,
      dst_ip: addr.address!, dst_port: addr.port!,
      process: withTitle(processRef(syscall), event),
    }];
  }
  return [];
}

function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function processRef(syscall: AuditRecord | undefined): ProcessRef {
  const ref: ProcessRef = {};
  if (syscall === undefined) return ref;
  const f = syscall.fields;
  const pid = int(f.get('pid'));
  const ppid = int(f.get('ppid'));
  if (pid !== undefined) ref.pid = pid;
  if (ppid !== undefined) ref.ppid = ppid;
  const exe = f.get('exe');
  if (exe !== undefined && exe !== '(null)') ref.image = exe;
  const user = syscall.enriched?.get('UID') ?? f.get('uid');
  if (user !== undefined) ref.user = user;
  return ref;
}

/** File and network events carry the process's command line from PROCTITLE when it was logged. */
function withTitle(ref: ProcessRef, event: AuditEvent): ProcessRef {
  const title = proctitle(event);
  if (title !== undefined && title.length > 0) ref.command_line = joinArgv(title);
  return ref;
}

function proctitle(event: AuditEvent): string[] | undefined {
  return event.records.find((r) => r.type === 'PROCTITLE')?.proctitle;
}

function cwdOf(event: AuditEvent): string | undefined {
  return event.records.find((r) => r.type === 'CWD')?.fields.get('cwd');
}

interface PathItem {
  item: number;
  name: string;
  nametype?: string;
  mode?: string;
}

function paths(event: AuditEvent): PathItem[] {
  const out: PathItem[] = [];
  for (const r of event.records) {
    if (r.type !== 'PATH') continue;
    const name = r.fields.get('name');
    if (name === undefined || name === '(null)') continue;
    out.push({ item: int(r.fields.get('item')) ?? out.length, name, nametype: r.fields.get('nametype'), mode: r.fields.get('mode') });
  }
  return out;
}

function fileAction(rule: { action: FileAction; flags?: 'a1' | 'a2' | 'openat2' }, syscall: AuditRecord, event: AuditEvent): FileAction | undefined {
  if (rule.flags === undefined) return rule.action;
  const flags = rule.flags === 'openat2'
    ? event.records.find((r) => r.type === 'OPENAT2')?.fields.get('oflag')?.replace(/^0x/, '')
    : syscall.fields.get(rule.flags);
  const parsed = openFlagsWrite(flags);
  const created = paths(event).some((p) => p.nametype === 'CREATE');
  if (parsed === undefined) return created ? 'create' : undefined;
  if (!parsed.write) return undefined;
  return created ? 'create' : 'write';
}

/** The PATH record naming the file acted on: CREATE for creations and a rename's new name, DELETE for removals. */
function targetPath(action: FileAction, event: AuditEvent): PathItem | undefined {
  const items = paths(event);
  const want = action === 'delete' ? 'DELETE' : action === 'create' || action === 'rename' ? 'CREATE' : undefined;
  if (want !== undefined) {
    const found = items.find((p) => p.nametype === want);
    if (found !== undefined) return found;
  }
  const candidates = items.filter((p) => p.nametype !== 'PARENT');
  return candidates[candidates.length - 1] ?? items[items.length - 1];
}

function resolvePath(name: string, syscall: string, record: AuditRecord, event: AuditEvent): string {
  if (name.startsWith('/')) return posix.normalize(name);
  const dirfd = record.fields.get('a0');
  const dirRelative = syscall.endsWith('at') || syscall.endsWith('at2');
  if (dirRelative && dirfd !== undefined && !dirfd.endsWith(AT_FDCWD_SUFFIX)) {
    const parent = paths(event).find((p) => p.nametype === 'PARENT' && p.name.startsWith('/'));
    if (parent !== undefined) return posix.join(parent.name, posix.basename(name));
  }
  const cwd = cwdOf(event);
  return cwd !== undefined && cwd.startsWith('/') ? posix.join(cwd, name) : name;
}

/** A command line for display and matching: arguments joined by spaces, POSIX-shell quoted when needed. */
export function joinArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

function quoteArg(arg: string): string {
  if (arg.length === 0) return "''";
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x5c || c === 0x24 || c === 0x60 || c === 0x7f) {
      return `'${arg.replaceAll("'", "'\\''")}'`;
    }
  }
  return arg;
}
