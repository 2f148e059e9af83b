// The shape of one Zeek log kind (conn, http, dns, ftp, smtp) as `exfilscope logs` writes it: Zeek's own
// `#fields` names and `#types`, and how one event becomes one row.
import type { EventKind, EventOf } from '../../core/events.js';

/** A cell before formatting; undefined is Zeek's unset `-`, an empty array its `(empty)`. */
export type ZeekValue = string | number | boolean | readonly string[] | readonly number[] | undefined;

export interface ZeekField {
  name: string;
  /** Zeek type name as written in `#types` (`time`, `string`, `addr`, `port`, `count`, `interval`, `set[string]`…). */
  type: string;
}

export interface ZeekLog<K extends EventKind = EventKind> {
  /** Log path without `.log`, e.g. `conn`. */
  readonly path: string;
  readonly kind: K;
  readonly fields: readonly ZeekField[];
  /** Cells in `fields` order, or undefined when this event does not make a row of this log. */
  row(event: EventOf<K>): ZeekValue[] | undefined;
}
