// Reader for Zeek logs (conn, http, dns, ftp, smtp, files, ssl) in TSV or JSON-lines form.
// Other Zeek logs are passed over with a note; damaged lines are skipped and counted by reason; too many bad
// lines in a row stop the file with an error, since it is then probably not a Zeek log at all.
import { InputError } from '../../core/errors.js';
import type { Event } from '../../core/events.js';
import { readLines } from '../io/lines.js';
import { BadLines } from '../io/text-input.js';
import type { ByteStream } from '../io/open.js';
import type { ReadContext, Reader } from '../reader.js';
import { JsonRow } from './json.js';
import { guessKind, isZeekLogKind, rowToEvent, type ZeekLogKind } from './logs.js';
import { BadValue, field, type Row } from './row.js';
import { TsvHeader, TsvRow } from './tsv.js';

const READER = 'zeek';
/** The log a JSON row names (Zeek writes `_path` when logs share one stream). */
const PATH = field('_path');

/** Turns one row into output (an event, or a record for `dump`); throws BadValue for a bad value. */
type Convert<T> = (kind: ZeekLogKind, row: Row, line: number) => T;

function headOf(head: Uint8Array): string {
  return Buffer.from(head.subarray(0, 4096)).toString('latin1');
}

function sniffTsv(text: string): boolean {
  // Zeek starts every ASCII log with #separator; btest baselines put one comment line before it.
  const lines = text.split('\n', 3);
  return lines.some((line) => line.startsWith('#separator '));
}

function sniffJson(text: string): boolean {
  const line = text.split('\n', 8).find((l) => !l.startsWith('#'))?.trimStart() ?? '';
  if (!line.startsWith('{')) return false;
  return line.includes('"ts":') && ['"uid":', '"id.orig_h":', '"fuid":', '"_path":', '"id":{'].some((key) => line.includes(key));
}

async function* zeekRows<T>(stream: ByteStream, ctx: ReadContext, convert: Convert<T>): AsyncIterable<T[]> {
  const { health } = ctx;
  const badLines = new BadLines(ctx);
  const accept = (out: T[], kind: ZeekLogKind, row: Row, line: number): void => {
    try {
      out.push(convert(kind, row, line));
      badLines.good();
    } catch (err) {
      if (!(err instanceof BadValue)) throw err;
      badLines.bad('zeek.bad_value', line, err.message);
    }
  };
  const notedPaths = new Set<string>();
  const noteSkipped = (path: string): void => {
    if (notedPaths.has(path)) return;
    notedPaths.add(path);
    health.notes.push(`${path} log passed over: exfilscope reads only ${['conn', 'http', 'dns', 'ftp', 'smtp', 'files', 'ssl'].join(', ')}`);
  };
  let header: TsvHeader | undefined;
  // One row object per header block, re-pointed at each line: rows are converted before the next is read.
  let row: TsvRow | undefined;
  let rowFields: string[] | undefined;
  let rowPath: string | undefined;
  let rowKind: ZeekLogKind | undefined;
  let json: boolean | undefined;

  for await (const batch of readLines(stream, { maxLineLength: ctx.limits.max_line_length, anomalies: health.anomalies })) {
    health.bytes = batch.bytes;
    const rows: T[] = [];
    const { text: batchText, starts, ends } = batch;
    for (let i = 0; i < batch.length; i++) {
      const from = starts[i]!;
      const end = ends[i]!;
      const line = batch.firstLine + i;
      if (end === from) continue;
      const first = batchText.charCodeAt(from);
      // The first line that is not a `#` directive tells TSV from JSON; JSON logs may carry `#` comments.
      if (json === undefined && first !== 35 /* # */) json = batch.line(i).trimStart().startsWith('{');
      if (json === true && first === 35) continue;
      if (json !== true) {
        if (first === 35 /* # */) {
          header ??= new TsvHeader();
          const error = header.directive(batch.line(i));
          if (error !== undefined) throw new InputError(ctx.path, error, { line });
          continue;
        }
        health.records++;
        if (header?.fields === undefined) throw new InputError(ctx.path, 'data before any #fields header', { line });
        if (row === undefined || rowFields !== header.fields || rowPath !== header.path) {
          row = new TsvRow(header);
          rowFields = header.fields;
          rowPath = header.path;
          rowKind = rowPath !== undefined && isZeekLogKind(rowPath) ? rowPath : undefined;
        }
        if (rowKind === undefined) {
          noteSkipped(header.path ?? 'unnamed');
          continue;
        }
        if (!row.load(batchText, from, end)) {
          badLines.bad('zeek.field_count', line, `${TsvRow.countFields(batch.line(i), header.separator)} fields where #fields has ${header.fields.length}`);
          continue;
        }
        accept(rows, rowKind, row, line);
      } else {
        health.records++;
        let obj: unknown;
        try {
          obj = JSON.parse(batch.line(i));
        } catch {
          badLines.bad('zeek.bad_json', line, 'not a JSON object');
          continue;
        }
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
          badLines.bad('zeek.bad_json', line, 'not a JSON object');
          continue;
        }
        const jsonRow = new JsonRow(obj as Record<string, unknown>);
        const path = jsonRow.text(PATH);
        const kind = path !== undefined ? (isZeekLogKind(path) ? path : undefined) : guessKind((f) => jsonRow.has(f));
        if (kind === undefined) {
          if (path !== undefined) noteSkipped(path);
          else badLines.bad('zeek.unknown_json_row', line, 'fields match no log exfilscope reads');
          continue;
        }
        accept(rows, kind, jsonRow, line);
      }
    }
    if (rows.length > 0) yield rows;
  }
  if (header?.fields !== undefined && !header.closed && header.path !== undefined && isZeekLogKind(header.path)) {
    health.notes.push('no #close line: the log is truncated or still being written');
  }
}

function events(stream: ByteStream, ctx: ReadContext): AsyncIterable<Event[]> {
  return zeekRows(stream, ctx, (kind, row, line) => rowToEvent(kind, row, { reader: READER, path: ctx.path, line }));
}

/** Rows as name → value objects, for `exfilscope dump`. */
function records(stream: ByteStream, ctx: ReadContext): AsyncIterable<unknown[]> {
  return zeekRows(stream, ctx, (kind, row, line) => {
    if (row instanceof JsonRow) return { _path: kind, _line: line, ...row.obj };
    const tsv = row as TsvRow;
    // fromEntries defines properties, so a column named __proto__ stays data.
    return Object.fromEntries([['_path', kind], ['_line', line], ...tsv.fieldNames().map((f, i) => [f, tsv.textAt(i) ?? null])]);
  });
}

export const zeekReader: Reader = {
  name: READER,
  description: 'Zeek logs (conn, http, dns, ftp, smtp, files, ssl) as TSV or JSON lines',
  sniff(head) {
    const text = headOf(head);
    return sniffTsv(text) || sniffJson(text);
  },
  events,
  records,
};
