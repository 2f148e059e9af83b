// Generates a day of synthetic network and host telemetry as `exfilscope events` JSON lines, one file per hour
// (as rotated logs arrive), seeded so every run writes the same bytes. Benign traffic: 40 workstations browsing
// 30 external services (small requests, larger responses), with Sysmon-style net_conn records for part of it.
// Exfiltration: three hosts upload 200 KB chunks to rare destinations all day, so hourly and daily windows fire
// and the daily ones span every file. Run directly: `node --import tsx test/store/generate.ts OUTDIR [EVENTS_PER_HOUR]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../prng.js';

export const DAY_START = 1_767_225_600; // 2026-01-01T00:00:00Z

const IMAGES = ['C:\\Program Files\\Mozilla Firefox\\firefox.exe', 'C:\\Windows\\System32\\svchost.exe', 'C:\\Program Files\\Slack\\slack.exe'];

export function generateDay(dir: string, eventsPerHour = 6000, hours = 24, seed = 7): string[] {
  mkdirSync(dir, { recursive: true });
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const paths: string[] = [];
  let port = 1024;
  for (let h = 0; h < hours; h++) {
    const name = `events-${String(h).padStart(2, '0')}.jsonl`;
    const lines: string[] = [];
    const source = () => ({ reader: 'generated', path: name, line: lines.length + 1 });
    for (let i = 0; i < eventsPerHour; i++) {
      const ts = DAY_START + h * 3600 + Math.floor((i / eventsPerHour) * 3600 * 1000) / 1000;
      port = port >= 65000 ? 1024 : port + 1;
      const exfil = i % 150 === 0; // 40 per hour
      const n = exfil ? 1 + ((i / 150) % 3) : 1 + Math.floor(rand() * 40);
      const src = `10.0.0.${n}`;
      const dst = exfil ? `203.0.113.${100 + n}` : `198.51.100.${1 + Math.floor(rand() * 30)}`;
      const bytesOut = exfil ? 200_000 : 500 + Math.floor(rand() * 20_000);
      const bytesIn = exfil ? 300 : 10_000 + Math.floor(rand() * 500_000);
      lines.push(JSON.stringify({
        kind: 'flow', ts, host: src, source: source(), proto: 'tcp', src_ip: src, src_port: port, dst_ip: dst, dst_port: exfil ? 21 : 443,
        bytes_out: bytesOut, bytes_in: bytesIn, duration: 1.5,
      }));
      if (exfil || rand() < 0.1) {
        const image = exfil ? 'C:\\Users\\Public\\ftp.exe' : pick(IMAGES);
        lines.push(JSON.stringify({
          kind: 'net_conn', ts, host: `WS${String(n).padStart(2, '0')}`, source: source(), proto: 'tcp', src_ip: src, src_port: port, dst_ip: dst,
          dst_port: exfil ? 21 : 443, outbound: true, process: { pid: 1000 + n, image, command_line: `"${image}"`, user: `user${n}` },
        }));
      }
    }
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    paths.push(path);
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateDay(process.argv[2] ?? 'generated', Number(process.argv[3] ?? 6000));
}
