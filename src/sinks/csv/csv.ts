// CSV export of findings (RFC 4180): CRLF line ends, fields with a comma, quote, CR or LF quoted with quotes doubled.
// Spreadsheets run cells that start with = + - @ tab or CR as formulas, so such cells get a leading `'` first
// (formula neutralisation, as OWASP recommends and Arkime #4031 shows is needed).
import type { Finding } from '../../core/findings.js';
import { compareFindings } from '../../core/findings.js';

const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: formula-neutralised, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (text.length > 0 && FORMULA_STARTS.has(text[0]!)) text = "'" + text;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | boolean | undefined | null)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

const isoTime = (ts: number): string => (Number.isFinite(ts) ? new Date(ts * 1000).toISOString() : String(ts));

export const CSV_HEADER = [
  'id', 'risk', 'technique', 'analytic', 'ts_start', 'ts_end', 'host', 'src_ip', 'dst_ip', 'dst_port', 'proto',
  'bytes_out', 'bytes_in', 'process_image', 'process_command_line', 'process_user', 'process_pid', 'reason',
  'evidence', 'details',
];

/** A finding as one row; evidence and details are joined into one cell each (`; ` between items). */
export function findingCsvRow(f: Finding): string {
  const evidence = f.evidence.map((e) => {
    const at = e.line !== undefined ? `:${e.line}` : e.offset !== undefined ? `@${e.offset}` : '';
    return `${e.reader} ${e.path}${at}${e.note !== undefined ? ` (${e.note})` : ''}`;
  });
  const details = Object.entries(f.details ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
  return csvRow([
    f.id, f.risk, f.technique, f.analytic, isoTime(f.ts_start), isoTime(f.ts_end), f.host, f.src_ip, f.dst_ip,
    f.dst_port, f.proto, f.bytes_out, f.bytes_in, f.process?.image, f.process?.command_line, f.process?.user,
    f.process?.pid, f.reason, evidence.join('; '), details.join('; '),
  ]);
}

/** The whole export, riskiest first. */
export function renderCsv(findings: readonly Finding[]): string {
  return csvRow(CSV_HEADER) + [...findings].sort(compareFindings).map(findingCsvRow).join('');
}
