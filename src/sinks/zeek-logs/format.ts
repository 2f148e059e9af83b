// Zeek's ASCII log writer formats (logging/writers/ascii: TSV with `#` headers, or one JSON object per
// line): separators, `-` for unset, `(empty)` for empty sets, and escaping of separators and non-printable
// bytes as `\xNN` so a hostile string can never forge a column or a line.
import { RAW_BYTE_BASE } from '../../protocols/common/text.js';
import type { ZeekField, ZeekLog, ZeekValue } from './zeek-log.js';

export type ZeekFormat = 'zeek-tsv' | 'zeek-json';

const UNSET = '-';
const EMPTY = '(empty)';

/** Escapes one TSV string cell the way Zeek does: `\`, tab, comma (inside sets), and non-printables. */
export function escapeTsv(text: string, inSet = false): string {
  // A string that reads like the unset or empty marker gets its first byte escaped, so it stays a string.
  if (text === UNSET || text === EMPTY) return `\\x${text.charCodeAt(0).toString(16)}${text.slice(1)}`;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (code >= RAW_BYTE_BASE && code <= RAW_BYTE_BASE + 0xff) out += `\\x${(code - RAW_BYTE_BASE).toString(16).padStart(2, '0')}`;
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || (inSet && ch === ',')) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

function formatNumber(value: number, type: string): string {
  if (type === 'time' || type === 'interval' || type === 'double') return value.toFixed(6);
  return String(Math.trunc(value));
}

export function tsvCell(value: ZeekValue, field: ZeekField): string {
  if (value === undefined) return UNSET;
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY;
    const elementType = field.type.replace(/^(set|vector)\[(.*)\]$/, '$2');
    return value.map((v: string | number) => (typeof v === 'number' ? formatNumber(v, elementType) : escapeTsv(v, true))).join(',');
  }
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return formatNumber(value, field.type);
  // Zeek writes an empty string as the empty-field marker, as it does an empty set.
  if (value === '') return EMPTY;
  return escapeTsv(value as string);
}

export function tsvHeader(log: ZeekLog, openedAt: string): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${log.path}`,
    `#open\t${openedAt}`,
    `#fields\t${log.fields.map((f) => f.name).join('\t')}`,
    `#types\t${log.fields.map((f) => f.type).join('\t')}`,
  ].join('\n') + '\n';
}

export function tsvRow(log: ZeekLog, cells: readonly ZeekValue[]): string {
  return cells.map((cell, i) => tsvCell(cell, log.fields[i]!)).join('\t') + '\n';
}

/** One JSON line; unset fields are omitted, as Zeek's JSON writer does. */
export function jsonRow(log: ZeekLog, cells: readonly ZeekValue[]): string {
  const record: Record<string, unknown> = {};
  log.fields.forEach((field, i) => {
    const value = cells[i];
    if (value === undefined) return;
    record[field.name] = typeof value === 'number' && (field.type === 'time' || field.type === 'interval') ? Number(value.toFixed(6)) : value;
  });
  return JSON.stringify(record) + '\n';
}

/** Zeek's `#open`/`#close` stamp: local-free UTC `YYYY-MM-DD-HH-MM-SS`. */
export function zeekStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[T:]/g, '-');
}
