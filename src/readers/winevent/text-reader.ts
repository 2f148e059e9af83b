// What the Windows text readers (XML, JSON) share: a budget of damaged records, and the Reader built around
// a parser that yields WinEvents with their line numbers (events normalised; records for `exfilscope dump`).
import type { z } from 'zod';
import type { AnomalyCode } from '../../core/anomalies.js';
import type { Event } from '../../core/events.js';
import { InputError } from '../../core/errors.js';
import type { ByteStream } from '../io/open.js';
import type { Reader, ReadContext } from '../reader.js';
import { dumpRecord, type WinEventRecord } from './dump-record.js';
import { normaliseWinEvent } from './normalise.js';
import type { WinEvent } from './win-event.js';

export interface LocatedWinEvent {
  ev: WinEvent;
  /** 1-based line where the event's text starts. */
  line: number;
}

/**
 * Counts damaged records; too many in a row means the input is not this format after all (InputError),
 * and an input with damage but no good record at all is reported as unreadable at its end.
 */
export class DamageBudget {
  private consecutive = 0;
  private good = 0;
  private first: { line: number; code: AnomalyCode } | undefined;

  constructor(private readonly ctx: ReadContext<unknown>) {}

  damaged(code: AnomalyCode, line: number): void {
    this.ctx.health.anomalies.add(code, { line });
    this.first ??= { line, code };
    if (++this.consecutive >= this.ctx.limits.max_consecutive_bad_lines) {
      throw new InputError(this.ctx.path, `${this.consecutive} damaged records in a row (last: ${code}); is this the right format?`, { line });
    }
  }

  ok(): void {
    this.good++;
    this.consecutive = 0;
  }

  /** Call after the last record. */
  end(): void {
    if (this.good === 0 && this.first !== undefined) throw new InputError(this.ctx.path, `no readable Windows event (first problem: ${this.first.code})`, { line: this.first.line });
  }
}

export function winEventTextReader<Options>(spec: {
  name: string;
  description: string;
  options: z.ZodType<Options>;
  sniff: (head: Uint8Array) => boolean;
  parse: (stream: ByteStream, ctx: ReadContext<Options>) => AsyncIterable<LocatedWinEvent[]>;
}): Reader<Options> {
  return {
    name: spec.name,
    description: spec.description,
    options: spec.options,
    sniff: spec.sniff,
    async *events(stream, ctx) {
      for await (const batch of spec.parse(stream, ctx)) {
        const events: Event[] = [];
        for (const { ev, line } of batch) events.push(...normaliseWinEvent(ev, { reader: spec.name, path: ctx.path, line }));
        if (events.length > 0) yield events;
      }
    },
    async *records(stream, ctx): AsyncIterable<WinEventRecord[]> {
      for await (const batch of spec.parse(stream, ctx)) yield batch.map(({ ev }) => dumpRecord(ev));
    },
  };
}
