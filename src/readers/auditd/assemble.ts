// Groups audit records into events by `(node, time, serial)`. The kernel ends multi-record events with
// EOE, but records of concurrent events interleave, auditd 3.x does not write EOE to disk at all, old
// kernels never sent it, and records get lost under load. So an event completes on EOE; or when
// `max_event_gap_records` records have been read since its last one; or when it is older (event time)
// than `max_event_age_seconds` behind the newest record; or, oldest first, when more than
// `max_pending_events` are open; or at end of input — never held forever. Every record
// type is held, not only the kernel's: a user-space record (LOGIN, USER_*) can share its serial with the
// SYSCALL record that follows it.
import type { AnomalyCounter } from '../../core/anomalies.js';
import type { AuditRecord } from './record.js';

export interface AuditEvent {
  node?: string;
  time: number;
  timeText: string;
  serial: number;
  records: AuditRecord[];
  /** EXECVE arguments of all the event's EXECVE records, in order, capped at `max_args`. */
  argv?: string[];
  /** argc as logged (may exceed argv.length when capped or lost). */
  argc?: number;
  /** True when the event ended with EOE (or is a single-record event that needs none). */
  complete: boolean;
  /** Why it was closed without EOE. */
  flushedBy?: 'gap' | 'age' | 'count' | 'end';
  line: number;
  /** Ordinal of the last record added, for the gap rule. */
  lastRecord: number;
}

export interface AssemblerLimits {
  max_pending_events: number;
  max_event_age_seconds: number;
  max_event_gap_records: number;
  max_records_per_event: number;
}

export class EventAssembler {
  private readonly pending = new Map<string, AuditEvent>();
  private newest = -Infinity;
  private recordCount = 0;
  /** Whether this input carries EOE records at all: only then is an event closed without one incomplete. */
  private eoeSeen = false;

  constructor(
    private readonly limits: AssemblerLimits & { max_args: number },
    private readonly anomalies: AnomalyCounter,
  ) {}

  /** Adds a record; returns the events it completed (possibly others, flushed by the caps). */
  add(record: AuditRecord, out: AuditEvent[]): void {
    if (record.time > this.newest) this.newest = record.time;
    this.recordCount++;
    this.flushOld(out);
    const key = `${record.node ?? ''}\u0000${record.timeText}:${record.serial}`;
    let event = this.pending.get(key);
    if (record.type === 'EOE') {
      this.eoeSeen = true;
      if (event !== undefined) {
        this.pending.delete(key);
        event.complete = true;
        out.push(this.finish(event));
      }
      return;
    }
    if (event === undefined) {
      event = { time: record.time, timeText: record.timeText, serial: record.serial, records: [], complete: false, line: record.line, lastRecord: 0 };
      if (record.node !== undefined) event.node = record.node;
      this.pending.set(key, event);
      if (this.pending.size > this.limits.max_pending_events) {
        const [oldestKey, oldest] = this.pending.entries().next().value as [string, AuditEvent];
        this.pending.delete(oldestKey);
        this.anomalies.add('auditd.event_evicted', { line: oldest.line, detail: `more than ${this.limits.max_pending_events} open events` });
        oldest.flushedBy = 'count';
        out.push(this.finish(oldest));
      }
    }
    if (event.records.length >= this.limits.max_records_per_event) {
      this.anomalies.add('auditd.event_records_capped', { line: record.line, detail: `event ${record.serial} has more than ${this.limits.max_records_per_event} records` });
      return;
    }
    event.records.push(record);
    event.lastRecord = this.recordCount;
  }

  /** Closes every open event (end of input). */
  flushAll(out: AuditEvent[]): void {
    for (const event of this.pending.values()) {
      event.flushedBy = 'end';
      out.push(this.finish(event));
    }
    this.pending.clear();
  }

  private flushOld(out: AuditEvent[]): void {
    const horizon = this.newest - this.limits.max_event_age_seconds;
    const gapHorizon = this.recordCount - this.limits.max_event_gap_records;
    // Insertion order is arrival order, so the stale events are at the front.
    for (const [key, event] of this.pending) {
      const aged = event.time < horizon;
      if (!aged && event.lastRecord >= gapHorizon) break;
      this.pending.delete(key);
      event.flushedBy = aged ? 'age' : 'gap';
      out.push(this.finish(event));
    }
  }

  private finish(event: AuditEvent): AuditEvent {
    if (!event.complete && this.eoeSeen && event.records.some((r) => r.type === 'SYSCALL')) {
      this.anomalies.add('auditd.event_unterminated', { line: event.line, detail: `event ${event.serial} closed without EOE (${event.flushedBy})` });
    }
    const execve = event.records.filter((r) => r.type === 'EXECVE');
    if (execve.length > 0) this.collectArgs(event, execve);
    return event;
  }

  /** Joins the EXECVE records' arguments (whole or chunked) into argv; gaps from lost records become ''. */
  private collectArgs(event: AuditEvent, records: AuditRecord[]): void {
    const args = new Map<number, string>();
    let highest = -1;
    let dropped = 0;
    for (const record of records) {
      dropped += record.argsDropped ?? 0;
      const argc = Number(record.fields.get('argc'));
      if (Number.isSafeInteger(argc) && argc >= 0) event.argc = argc;
      if (record.args === undefined) continue;
      for (const [index, text] of record.args) {
        const before = args.get(index);
        args.set(index, before !== undefined && record.continued?.has(index) === true ? before + text : text);
        if (index > highest) highest = index;
      }
    }
    const count = Math.min(highest + 1, this.limits.max_args);
    if ((event.argc ?? 0) > this.limits.max_args || dropped > 0) {
      this.anomalies.add('auditd.argv_capped', { line: event.line, detail: `argc ${event.argc} above max_args ${this.limits.max_args}` });
    } else if (event.argc !== undefined && event.argc > count) {
      this.anomalies.add('auditd.argv_incomplete', { line: event.line, detail: `argc ${event.argc}, ${count} arguments logged` });
    }
    const argv: string[] = [];
    for (let i = 0; i < count; i++) argv.push(args.get(i) ?? '');
    event.argv = argv;
  }
}
