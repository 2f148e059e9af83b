// The contract every input format implements: recognise its own bytes, then turn them into events.
import type { z } from 'zod';
import type { Event } from '../core/events.js';
import type { InputHealth } from '../core/health.js';
import type { ByteStream } from './io/open.js';

/** Limits shared by every reader (config section `input`). */
export interface InputLimits {
  /** Longest text line kept; longer lines are skipped and counted (`input.line_too_long`). */
  max_line_length: number;
  /** A text input stops with an error after this many bad lines in a row: it is probably not this format. */
  max_consecutive_bad_lines: number;
}

export interface ReadContext<Options = unknown> {
  /** The input's path as shown to the user (also used in evidence). */
  path: string;
  health: InputHealth;
  limits: InputLimits;
  /** This reader's own config section, validated by its `options` schema. */
  options: Options;
}

export interface Reader<Options = unknown> {
  /** Format id, shown in summaries and evidence (`zeek`, `pcap`, `evtx`…). */
  readonly name: string;
  readonly description: string;
  /** Schema of the reader's config section `readers.<name>`, with every default filled in. */
  readonly options?: z.ZodType<Options>;
  /** True when the first bytes (decompressed, up to 64 KiB) are this format. Must not throw. */
  sniff(head: Uint8Array): boolean;
  /** Normalised events, in batches so that per-event overhead stays low on big inputs. */
  events(stream: ByteStream, ctx: ReadContext<Options>): AsyncIterable<Event[]>;
  /** Parsed records before normalisation, for `exfilscope dump`. */
  records?(stream: ByteStream, ctx: ReadContext<Options>): AsyncIterable<unknown[]>;
}
