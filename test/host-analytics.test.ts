// End to end: Windows event logs (XML, Winlogbeat JSON, flattened JSON) in, findings of seed analytics 2 and 3
// out — through sniffing, normalisation and the detectors — with the key masked in every reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, tempDir } from './harness.js';
import { REPO_ROOT } from './shared-data.js';

const xmlFixtures = join(REPO_ROOT, 'src', 'readers', 'winevent-xml', 'testdata');
const jsonFixtures = join(REPO_ROOT, 'src', 'readers', 'winevent-json', 'testdata');

function sysmonXml(id: number, systemTime: string, data: Record<string, string>): string {
  const escape = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const fields = Object.entries(data).map(([k, v]) => `<Data Name="${k}">${escape(v)}</Data>`).join('');
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>${id}</EventID><TimeCreated SystemTime="${systemTime}"/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS09</Computer></System><EventData>${fields}</EventData></Event>\n`;
}

describe('Windows inputs raise seed analytics 2 and 3', () => {
  it('on the XML fixtures: 7z -p -mhe, its archive in Documents\\exfil, certutil -encode, a 4663 write of .enc', async () => {
    const { findings, summary } = await hunt([xmlFixtures]);
    expect(summary.inputs.filter((i) => i.format === 'winevent-xml')).toHaveLength(2);
    const byAnalytic = (a: string) => findings.filter((f) => f.analytic === a).map((f) => [f.host, f.risk, f.technique]).sort();
    expect(byAnalytic('seed-encryption-before-exfil')).toEqual([['SRV02', 8, 'T1027'], ['WS01.corp.example', 9, 'T1560']]);
    expect(byAnalytic('seed-encrypted-file-staged')).toEqual([['SRV02', 9, 'T1074'], ['WS01.corp.example', 8, 'T1074']]);
    const archive = findings.find((f) => f.analytic === 'seed-encryption-before-exfil' && f.host === 'WS01.corp.example')!;
    expect(archive.details!.key_candidates).toEqual(['passphrase=Sup3r S3cret']);
    expect(archive.reason).not.toContain('Sup3r S3cret');
    expect(archive.evidence[0]).toMatchObject({ reader: 'winevent-xml', line: 1 });
  });

  it('on the JSON fixtures: openssl with a passphrase and its .enc output, PowerShell AES, certutil -encodehex', async () => {
    const { findings } = await hunt([jsonFixtures]);
    const forms = findings.filter((f) => f.analytic === 'seed-encryption-before-exfil').map((f) => (f.details!.forms as string[])[0]).sort();
    expect(forms).toEqual(['certutil-encode', 'openssl-enc', 'powershell-crypto']);
    const staged = findings.filter((f) => f.analytic === 'seed-encrypted-file-staged');
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({ host: 'ws02.corp.example', risk: 9, details: { flagged_command: 'openssl enc -aes-256-cbc -pbkdf2' } });
  });

  it('through cmd /c and a PowerShell -EncodedCommand, and not on near misses', async () => {
    const encoded = Buffer.from("& 'C:\\Tools\\gpg.exe' --batch --passphrase hunter2 -c C:\\Users\\eve\\Documents\\exfil\\db.bak", 'utf16le').toString('base64');
    const xml =
      sysmonXml(1, '2024-06-01T08:00:00Z', { ProcessId: '1', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: `cmd.exe /c powershell.exe -NoP -W Hidden -EncodedCommand ${encoded}` }) +
      sysmonXml(1, '2024-06-01T08:00:01Z', { ProcessId: '2', Image: 'C:\\Tools\\openssl.exe', CommandLine: 'openssl.exe dgst -sha256 C:\\x' }) +
      sysmonXml(1, '2024-06-01T08:00:02Z', { ProcessId: '3', Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -decode C:\\a.txt C:\\a.exe' }) +
      sysmonXml(11, '2024-06-01T08:00:03Z', { ProcessId: '4', Image: 'C:\\x.exe', TargetFilename: 'C:\\Users\\eve\\Documents\\notes.txt' });
    const { findings } = await hunt([tempDir({ 'sysmon.xml': xml })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ analytic: 'seed-encryption-before-exfil', risk: 9, details: { forms: ['gpg-symmetric'], encoded_powershell: true } });
    expect(findings[0]!.reason).toContain('inside a PowerShell -EncodedCommand');
  });

  it('keeps going past damaged records and reports them in the input health', async () => {
    const good = readFileSync(join(jsonFixtures, 'winlogbeat.ndjson'), 'utf8');
    const { findings, summary } = await hunt([tempDir({ 'beat.json': `${good.split('\n')[0]!.slice(0, 100)}\n${good}` })]);
    expect(findings.filter((f) => f.analytic === 'seed-encryption-before-exfil')).toHaveLength(1);
    expect(summary.inputs[0]!.anomalies.count('winevent-json.bad_json')).toBe(1);
  });
});
