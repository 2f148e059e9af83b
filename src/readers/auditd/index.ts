// The Linux audit reader: audit.log lines (raw or ENRICHED, with or without `node=`), `ausearch --raw`
// and plain `ausearch` output (its `----` and `time->` lines are skipped), audispd/syslog-forwarded
// records. Records are grouped into events (assemble.ts) and normalised into process, file and net_conn
// events (normalise.ts). Anomaly codes: auditd.not_audit_line, auditd.bad_header, auditd.bad_hex,
// auditd.argv_capped, auditd.argv_incomplete, auditd.event_unterminated, auditd.event_evicted,
// auditd.event_records_capped; input.line_too_long from the line splitter.
import { z } from 'zod';
import type { Event } from '../../core/events.js';
import type { ByteStream } from '../io/open.js';
import { BadLines, numberedLines } from '../io/text-input.js';
import type { ReadContext, Reader } from '../reader.js';
import { EventAssembler, type AuditEvent } from './assemble.js';
import { decodeSockaddr } from './decode.js';
import { normaliseAuditEvent } from './normalise.js';
import { parseAuditLine, type AuditRecord } from './record.js';

export const auditdOptions = z.strictObject({
  /** Events open at once (records seen, no EOE yet); beyond it the oldest is closed as it is. */
  max_pending_events: z.number().int().min(1).default(4096),
  /** An open event is closed once a record this many seconds newer (event time) has been read. */
  max_event_age_seconds: z.number().min(0).default(5),
  /** An open event is closed once this many records have been read since its last one (no EOE needed). */
  max_event_gap_records: z.number().int().min(1).default(256),
  /** Records kept per event (a huge argv spans many EXECVE records); later ones are dropped and counted. */
  max_records_per_event: z.number().int().min(1).default(4096),
  /** EXECVE arguments kept per event; the rest are dropped and counted (argc can be 100 000+). */
  max_args: z.number().int().min(1).default(8192),
});

export type AuditdOptions = z.infer<typeof auditdOptions>;

/** Lines of plain `ausearch` output that are not records. */
function isAusearchFraming(line: string): boolean {
  return line === '----' || line.startsWith('time->');
}

function sniff(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 16384)).toString('latin1');
  const lines = text.split('\n', 50);
  for (const line of lines) {
    if (line.length === 0 || isAusearchFraming(line)) continue;
    if (parseAuditLine(line, 0, { maxArgs: 0 }).record !== undefined) return true;
  }
  return false;
}

/** Audit events as assembled from the input, in batches; shared by `events()` and `records()`. */
export async function* auditEvents(stream: ByteStream, ctx: ReadContext<AuditdOptions>): AsyncIterable<AuditEvent[]> {
  const { health, options } = ctx;
  const anomalies = health.anomalies;
  const assembler = new EventAssembler(options, anomalies);
  const parse = { maxArgs: options.max_args };
  const badLines = new BadLines(ctx);
  try {
    for await (const batch of numberedLines(stream, ctx)) {
      const out: AuditEvent[] = [];
      for (const { text, line } of batch) {
        // Plain `ausearch` output frames events with lines that are not records.
        if (isAusearchFraming(text)) continue;
        const parsed = parseAuditLine(text, line, parse);
        if (parsed.badHex > 0) anomalies.add('auditd.bad_hex', { line }, parsed.badHex);
        if (parsed.record === undefined) {
          badLines.bad(parsed.problem === 'bad_header' ? 'auditd.bad_header' : 'auditd.not_audit_line', line);
          continue;
        }
        badLines.good();
        assembler.add(parsed.record, out);
      }
      if (out.length > 0) yield out;
    }
  } catch (err) {
    // Whatever was read before damage (a truncated .gz) still counts: the open events are closed first.
    const out: AuditEvent[] = [];
    assembler.flushAll(out);
    if (out.length > 0) yield out;
    throw err;
  }
  const out: AuditEvent[] = [];
  assembler.flushAll(out);
  if (out.length > 0) yield out;
}

/** The JSON shape of an assembled event for `exfilscope dump`. */
function recordView(event: AuditEvent): unknown {
  return {
    node: event.node,
    time: event.time,
    serial: event.serial,
    complete: event.complete,
    flushed_by: event.flushedBy,
    argc: event.argc,
    argv: event.argv,
    records: event.records.map((r: AuditRecord) => ({
      type: r.type,
      line: r.line,
      fields: Object.fromEntries(r.fields),
      enriched: r.enriched === undefined ? undefined : Object.fromEntries(r.enriched),
      proctitle: r.proctitle,
      saddr: r.type === 'SOCKADDR' ? decodeSockaddr(r.fields.get('saddr') ?? '') : undefined,
    })),
  };
}

export const auditdReader: Reader<AuditdOptions> = {
  name: 'auditd',
  description: 'Linux audit logs (audit.log raw/ENRICHED, ausearch output)',
  options: auditdOptions,
  sniff,
  async *events(stream, ctx) {
    for await (const batch of auditEvents(stream, ctx)) {
      const events: Event[] = [];
      for (const event of batch) events.push(...normaliseAuditEvent(event, ctx.path));
      if (events.length > 0) yield events;
    }
  },
  async *records(stream, ctx) {
    for await (const batch of auditEvents(stream, ctx)) yield batch.map(recordView);
  },
};
