// Turns Windows events (Sysmon, Security) into exfilscope events, whatever format they were read from.
// Field names follow the Sysmon schema (`sysmon -s`) and Microsoft's Security audit event reference
// (4688 "A new process has been created", 4663 "An attempt was made to access an object",
// 5156 "The Windows Filtering Platform has permitted a connection").
import type { Event, FileEvent, ProcessRef, Proto, Source } from '../../core/events.js';
import { parseWinTime } from './time.js';
import type { WinEvent } from './win-event.js';

const SYSMON = 'microsoft-windows-sysmon';
const SECURITY = 'microsoft-windows-security-auditing';

/** Decimal or `0x` hex (Security logs write process IDs in hex); undefined when not a safe integer. */
export function parseWinInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text.slice(2), 16) : /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A field, with the placeholders Windows writes for "nothing" (`-`, empty) treated as absent. */
function field(ev: WinEvent, name: string): string | undefined {
  const value = ev.data.get(name);
  return value === undefined || value === '' || value === '-' ? undefined : value;
}

function domainUser(domain: string | undefined, user: string | undefined): string | undefined {
  if (user === undefined) return undefined;
  return domain === undefined ? user : `${domain}\\${user}`;
}

function protoOf(value: string | undefined): Proto {
  const v = value?.toLowerCase();
  if (v === 'tcp' || v === '6') return 'tcp';
  if (v === 'udp' || v === '17') return 'udp';
  if (v === 'icmp' || v === '1' || v === '58') return 'icmp';
  return 'unknown';
}

/** Sysmon's process fields for the process an event is about. */
function sysmonProcess(ev: WinEvent): ProcessRef {
  return { pid: parseWinInt(field(ev, 'ProcessId')), guid: field(ev, 'ProcessGuid'), image: field(ev, 'Image'), user: field(ev, 'User') };
}

interface Base {
  ts: number;
  host?: string;
  source: Source;
}

/** Sysmon stamps the moment of the action in UtcTime; the record's SystemTime is when it was logged. */
function sysmonBase(ev: WinEvent, source: Source): Base {
  return { ts: parseWinTime(field(ev, 'UtcTime')) ?? ev.ts, host: ev.computer, source };
}

function sysmonProcessCreate(ev: WinEvent, base: Base): Event[] {
  const process: ProcessRef = { ...sysmonProcess(ev), command_line: field(ev, 'CommandLine') };
  const parent: ProcessRef = {
    pid: parseWinInt(field(ev, 'ParentProcessId')),
    guid: field(ev, 'ParentProcessGuid'),
    image: field(ev, 'ParentImage'),
    command_line: field(ev, 'ParentCommandLine'),
    user: field(ev, 'ParentUser'),
  };
  return [{ kind: 'process', ...base, process, parent, cwd: field(ev, 'CurrentDirectory'), hashes: field(ev, 'Hashes') }];
}

function sysmonNetwork(ev: WinEvent, base: Base): Event[] {
  const srcPort = parseWinInt(field(ev, 'SourcePort'));
  const dstPort = parseWinInt(field(ev, 'DestinationPort'));
  const src = field(ev, 'SourceIp');
  const dst = field(ev, 'DestinationIp');
  if (src === undefined || dst === undefined || srcPort === undefined || dstPort === undefined) return [];
  // Sysmon names the initiator "source" whatever the direction; Initiated says whether that was this host.
  const initiated = field(ev, 'Initiated')?.toLowerCase();
  return [{
    kind: 'net_conn',
    ...base,
    src_ip: src,
    src_port: srcPort,
    dst_ip: dst,
    dst_port: dstPort,
    proto: protoOf(field(ev, 'Protocol')),
    outbound: initiated === undefined ? undefined : initiated === 'true',
    dst_hostname: field(ev, 'DestinationHostname'),
    process: sysmonProcess(ev),
  }];
}

function sysmonFile(ev: WinEvent, base: Base, action: FileEvent['action']): Event[] {
  const path = field(ev, 'TargetFilename');
  return path === undefined ? [] : [{ kind: 'file', ...base, action, path, process: sysmonProcess(ev) }];
}

/** Windows DNS status codes Sysmon reports in QueryStatus, for the ones that are DNS rcodes (9001–9005). */
const DNS_STATUS = new Map<number, [number, string]>([
  [0, [0, 'NOERROR']], [9001, [1, 'FORMERR']], [9002, [2, 'SERVFAIL']], [9003, [3, 'NXDOMAIN']], [9004, [4, 'NOTIMP']], [9005, [5, 'REFUSED']],
]);

/** `type:  5 a.example;::ffff:192.0.2.1;` → names and addresses (IPv4-mapped addresses unwrapped). */
function dnsAnswers(results: string | undefined): string[] | undefined {
  if (results === undefined) return undefined;
  const answers: string[] = [];
  for (const part of results.split(';')) {
    const item = part.trim();
    if (item === '') continue;
    if (item.startsWith('type:')) {
      const words = item.split(/\s+/);
      const name = words[words.length - 1];
      if (name !== undefined && words.length >= 3) answers.push(name);
    } else {
      answers.push(item.startsWith('::ffff:') ? item.slice(7) : item);
    }
  }
  return answers.length > 0 ? answers : undefined;
}

function sysmonDns(ev: WinEvent, base: Base): Event[] {
  const query = field(ev, 'QueryName');
  if (query === undefined) return [];
  const status = DNS_STATUS.get(parseWinInt(field(ev, 'QueryStatus')) ?? -1);
  // Sysmon 22 records no addresses or ports: they are left empty ('' and 0, port 53) rather than invented.
  return [{
    kind: 'dns',
    ...base,
    src_ip: '',
    src_port: 0,
    dst_ip: '',
    dst_port: 53,
    proto: 'unknown',
    query,
    rcode: status?.[0],
    rcode_name: status?.[1],
    answers: dnsAnswers(field(ev, 'QueryResults')),
    process: sysmonProcess(ev),
  }];
}

function securityProcessCreate(ev: WinEvent, base: Base): Event[] {
  const subject = domainUser(field(ev, 'SubjectDomainName'), field(ev, 'SubjectUserName'));
  // TargetUserName (Windows 10+) is the account the new process runs as when it differs from the subject.
  const target = domainUser(field(ev, 'TargetDomainName'), field(ev, 'TargetUserName'));
  const process: ProcessRef = {
    pid: parseWinInt(field(ev, 'NewProcessId')),
    image: field(ev, 'NewProcessName'),
    command_line: field(ev, 'CommandLine'),
    user: target ?? subject,
  };
  const parent: ProcessRef = { pid: parseWinInt(field(ev, 'ProcessId')), image: field(ev, 'ParentProcessName') };
  return [{ kind: 'process', ...base, process, parent }];
}

// File access rights (winnt.h): what a 4663 access asked for decides whether it wrote.
const DELETE = 0x10000;
const WRITE_DATA = 0x2;
const APPEND_DATA = 0x4;

function securityObjectAccess(ev: WinEvent, base: Base): Event[] {
  const type = field(ev, 'ObjectType');
  const path = field(ev, 'ObjectName');
  if (path === undefined || (type !== undefined && type.toLowerCase() !== 'file')) return [];
  const mask = parseWinInt(field(ev, 'AccessMask')) ?? 0;
  const action: FileEvent['action'] = mask & DELETE ? 'delete' : mask & (WRITE_DATA | APPEND_DATA) ? 'write' : 'access';
  const process: ProcessRef = {
    pid: parseWinInt(field(ev, 'ProcessId')),
    image: field(ev, 'ProcessName'),
    user: domainUser(field(ev, 'SubjectDomainName'), field(ev, 'SubjectUserName')),
  };
  return [{ kind: 'file', ...base, action, path, process }];
}

function securityFilteringPlatform(ev: WinEvent, base: Base): Event[] {
  const local = field(ev, 'SourceAddress');
  const remote = field(ev, 'DestAddress');
  const localPort = parseWinInt(field(ev, 'SourcePort'));
  const remotePort = parseWinInt(field(ev, 'DestPort'));
  if (local === undefined || remote === undefined || localPort === undefined || remotePort === undefined) return [];
  // 5156 puts the local end in Source* for both directions; %%14592 is inbound, %%14593 outbound.
  const direction = field(ev, 'Direction')?.toLowerCase();
  const inbound = direction === '%%14592' || direction === 'inbound';
  const outbound = direction === '%%14593' || direction === 'outbound';
  const process: ProcessRef = { pid: parseWinInt(field(ev, 'ProcessID') ?? field(ev, 'ProcessId')), image: field(ev, 'Application') };
  const ends = inbound
    ? { src_ip: remote, src_port: remotePort, dst_ip: local, dst_port: localPort }
    : { src_ip: local, src_port: localPort, dst_ip: remote, dst_port: remotePort };
  return [{ kind: 'net_conn', ...base, ...ends, proto: protoOf(field(ev, 'Protocol')), outbound: inbound ? false : outbound ? true : undefined, process }];
}

type Normaliser = (ev: WinEvent, base: Base) => Event[];

const SYSMON_EVENTS = new Map<number, Normaliser>([
  [1, sysmonProcessCreate],
  [3, sysmonNetwork],
  [11, (ev, base) => sysmonFile(ev, base, 'create')],
  [22, sysmonDns],
  [23, (ev, base) => sysmonFile(ev, base, 'delete')],
  [26, (ev, base) => sysmonFile(ev, base, 'delete')],
]);

const SECURITY_EVENTS = new Map<number, Normaliser>([
  [4688, securityProcessCreate],
  [4663, securityObjectAccess],
  [5156, securityFilteringPlatform],
]);

/** Which log an event is from: the provider name, or the channel when a format dropped the provider. */
function logOf(ev: WinEvent): 'sysmon' | 'security' | undefined {
  const provider = ev.provider.toLowerCase();
  const channel = ev.channel?.toLowerCase();
  if (provider === SYSMON || channel === 'microsoft-windows-sysmon/operational') return 'sysmon';
  if (provider === SECURITY || (provider === '' && channel === 'security')) return 'security';
  return undefined;
}

/** The events one Windows event yields: none for event IDs exfilscope does not use. */
export function normaliseWinEvent(ev: WinEvent, source: Source): Event[] {
  const log = logOf(ev);
  if (log === 'sysmon') {
    const normalise = SYSMON_EVENTS.get(ev.eventId);
    return normalise === undefined ? [] : normalise(ev, sysmonBase(ev, source));
  }
  if (log === 'security') {
    const normalise = SECURITY_EVENTS.get(ev.eventId);
    return normalise === undefined ? [] : normalise(ev, { ts: ev.ts, host: ev.computer, source });
  }
  return [];
}
