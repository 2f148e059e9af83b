import { describe, expect, it } from 'vitest';
import type { Source } from '../../core/events.js';
import { normaliseWinEvent, parseWinInt } from './normalise.js';
import type { WinEvent } from './win-event.js';

const source: Source = { reader: 'test', path: 'x.xml', line: 1 };
const TS = 1_552_928_271.5;
function sysmon(eventId: number, data: Record<string, string>): WinEvent {
  return { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', eventId, ts: TS, computer: 'WS01.corp', data: new Map(Object.entries(data)) };
}
function security(eventId: number, data: Record<string, string>): WinEvent {
  return { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', eventId, ts: TS, computer: 'DC01', data: new Map(Object.entries(data)) };
}

describe('normaliseWinEvent: Sysmon', () => {
  it('1 → process with parent, user, hashes, GUID and UtcTime', () => {
    const [e] = normaliseWinEvent(sysmon(1, {
      UtcTime: '2019-03-18 16:57:51.435', ProcessGuid: '{7e3e-1}', ProcessId: '4242', Image: 'C:\\Windows\\System32\\certutil.exe',
      CommandLine: 'certutil -encode a b', CurrentDirectory: 'C:\\t\\', User: 'CORP\\bob', Hashes: 'SHA256=AB',
      ParentProcessGuid: '{7e3e-0}', ParentProcessId: '100', ParentImage: 'C:\\Windows\\System32\\cmd.exe', ParentCommandLine: 'cmd', ParentUser: '-',
    }), source);
    expect(e).toEqual({
      kind: 'process', ts: Date.UTC(2019, 2, 18, 16, 57, 51) / 1000 + 0.435, host: 'WS01.corp', source,
      process: { pid: 4242, guid: '{7e3e-1}', image: 'C:\\Windows\\System32\\certutil.exe', user: 'CORP\\bob', command_line: 'certutil -encode a b' },
      parent: { pid: 100, guid: '{7e3e-0}', image: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd', user: undefined },
      cwd: 'C:\\t\\', hashes: 'SHA256=AB',
    });
  });
  it('falls back to SystemTime when UtcTime is missing or malformed', () => {
    expect(normaliseWinEvent(sysmon(1, { Image: 'a', UtcTime: 'yesterday' }), source)[0]!.ts).toBe(TS);
  });
  it('3 → net_conn in initiator order with direction and process', () => {
    const [e] = normaliseWinEvent(sysmon(3, {
      ProcessGuid: '{g}', ProcessId: '7', Image: 'C:\\curl.exe', User: 'CORP\\bob', Protocol: 'tcp', Initiated: 'true',
      SourceIp: '10.0.0.5', SourcePort: '50123', DestinationIp: '203.0.113.9', DestinationHostname: 'drop.example', DestinationPort: '21',
    }), source);
    expect(e).toMatchObject({ kind: 'net_conn', src_ip: '10.0.0.5', src_port: 50123, dst_ip: '203.0.113.9', dst_port: 21, proto: 'tcp', outbound: true, dst_hostname: 'drop.example', process: { pid: 7, guid: '{g}' } });
    expect(normaliseWinEvent(sysmon(3, { SourceIp: '1.1.1.1', SourcePort: 'x', DestinationIp: '2.2.2.2', DestinationPort: '1' }), source)).toEqual([]);
  });
  it('11 → file create; 23 and 26 → file delete', () => {
    expect(normaliseWinEvent(sysmon(11, { TargetFilename: 'C:\\Users\\bob\\Documents\\exfil\\a.enc', ProcessGuid: '{g}', Image: 'C:\\7z.exe' }), source)[0]).toMatchObject({ kind: 'file', action: 'create', path: 'C:\\Users\\bob\\Documents\\exfil\\a.enc', process: { guid: '{g}' } });
    expect(normaliseWinEvent(sysmon(23, { TargetFilename: 'C:\\a' }), source)[0]).toMatchObject({ action: 'delete' });
    expect(normaliseWinEvent(sysmon(26, { TargetFilename: 'C:\\a' }), source)[0]).toMatchObject({ action: 'delete' });
    expect(normaliseWinEvent(sysmon(11, {}), source)).toEqual([]);
  });
  it('22 → dns with the asking process, status and answers', () => {
    const [e] = normaliseWinEvent(sysmon(22, { QueryName: 'x.evil.example', QueryStatus: '0', QueryResults: 'type:  5 cdn.example;::ffff:192.0.2.7;198.51.100.1;', Image: 'C:\\nslookup.exe', ProcessId: '9' }), source);
    expect(e).toMatchObject({ kind: 'dns', query: 'x.evil.example', rcode: 0, rcode_name: 'NOERROR', answers: ['cdn.example', '192.0.2.7', '198.51.100.1'], process: { pid: 9 } });
    expect(normaliseWinEvent(sysmon(22, { QueryName: 'n.example', QueryStatus: '9003' }), source)[0]).toMatchObject({ rcode: 3, rcode_name: 'NXDOMAIN' });
  });
  it('ignores other Sysmon IDs and other providers', () => {
    expect(normaliseWinEvent(sysmon(5, { Image: 'a' }), source)).toEqual([]);
    expect(normaliseWinEvent({ ...sysmon(1, { Image: 'a' }), provider: 'Other', channel: 'Application' }, source)).toEqual([]);
  });
  it('recognises Sysmon by channel when the provider is missing', () => {
    expect(normaliseWinEvent({ ...sysmon(1, { Image: 'a' }), provider: '' }, source)).toHaveLength(1);
  });
});

describe('normaliseWinEvent: Security', () => {
  it('4688 → process with hex PIDs, command line and user', () => {
    const [e] = normaliseWinEvent(security(4688, {
      SubjectUserName: 'bob', SubjectDomainName: 'CORP', NewProcessId: '0x1a2c', NewProcessName: 'C:\\Program Files\\7-Zip\\7z.exe',
      ProcessId: '0x3e8', CommandLine: '7z a -pX o.7z C:\\data', TargetUserName: '-', ParentProcessName: 'C:\\Windows\\explorer.exe',
    }), source);
    expect(e).toEqual({
      kind: 'process', ts: TS, host: 'DC01', source,
      process: { pid: 0x1a2c, image: 'C:\\Program Files\\7-Zip\\7z.exe', command_line: '7z a -pX o.7z C:\\data', user: 'CORP\\bob' },
      parent: { pid: 1000, image: 'C:\\Windows\\explorer.exe' },
    });
  });
  it('4663 → file write, delete or access from the AccessMask; other object types skipped', () => {
    const base = { ObjectType: 'File', ObjectName: 'C:\\Users\\bob\\Documents\\exfil\\x.bin', ProcessId: '0x10', ProcessName: 'C:\\x.exe' };
    expect(normaliseWinEvent(security(4663, { ...base, AccessMask: '0x2' }), source)[0]).toMatchObject({ kind: 'file', action: 'write', process: { pid: 16 } });
    expect(normaliseWinEvent(security(4663, { ...base, AccessMask: '0x6' }), source)[0]).toMatchObject({ action: 'write' });
    expect(normaliseWinEvent(security(4663, { ...base, AccessMask: '0x10000' }), source)[0]).toMatchObject({ action: 'delete' });
    expect(normaliseWinEvent(security(4663, { ...base, AccessMask: '0x1' }), source)[0]).toMatchObject({ action: 'access' });
    expect(normaliseWinEvent(security(4663, { ...base, ObjectType: 'Key', AccessMask: '0x2' }), source)).toEqual([]);
  });
  it('5156 → net_conn with the initiator first for each direction', () => {
    const base = { ProcessID: '4', Application: '\\device\\harddiskvolume2\\windows\\system32\\ftp.exe', SourceAddress: '10.0.0.5', SourcePort: '50000', DestAddress: '203.0.113.9', DestPort: '21', Protocol: '6' };
    expect(normaliseWinEvent(security(5156, { ...base, Direction: '%%14593' }), source)[0]).toMatchObject({ kind: 'net_conn', src_ip: '10.0.0.5', dst_ip: '203.0.113.9', dst_port: 21, proto: 'tcp', outbound: true, process: { pid: 4 } });
    expect(normaliseWinEvent(security(5156, { ...base, Direction: '%%14592' }), source)[0]).toMatchObject({ src_ip: '203.0.113.9', src_port: 21, dst_ip: '10.0.0.5', dst_port: 50000, outbound: false });
  });
});

describe('value parsers', () => {
  it('parses decimal and hex IDs and refuses unsafe ones', () => {
    expect(parseWinInt('0x1F')).toBe(31);
    expect(parseWinInt('42')).toBe(42);
    expect(parseWinInt('9007199254740993')).toBeUndefined();
    expect(parseWinInt('1e3')).toBeUndefined();
    expect(parseWinInt('')).toBeUndefined();
  });
});
