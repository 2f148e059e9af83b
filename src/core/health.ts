// Input health: what each input yielded and what was skipped, by reason — the run summary is built from these.
import { AnomalyCounter } from './anomalies.js';

export interface InputHealth {
  /** The path as the user gave it (or found under a directory they gave); `-` for stdin. */
  path: string;
  /** True when found by walking a directory the user named (an unrecognised file there is passed over, not an error). */
  found: boolean;
  /** The reader that took the input, once sniffed. */
  format?: string;
  /** Compression layers removed on the way in, outermost first. */
  compression: string[];
  /** Bytes of decompressed input consumed. */
  bytes: number;
  /** Records (lines, packets, EVTX records) read, good or bad. */
  records: number;
  /** Normalised events produced. */
  events: number;
  anomalies: AnomalyCounter;
  /** Things worth knowing that are not damage: a log kind skipped, a truncated tail. */
  notes: string[];
  /** Set when the input could not be read (or stopped early): names the offset or line and why. */
  error?: string;
  /** Set instead of `error` for a file found in a directory walk that no reader recognises. */
  passedOver?: string;
}

export function newInputHealth(path: string, found = false): InputHealth {
  return { path, found, compression: [], bytes: 0, records: 0, events: 0, anomalies: new AnomalyCounter(), notes: [] };
}

export interface RunSummary {
  inputs: InputHealth[];
  findingsByAnalytic: Map<string, number>;
  /** Detector state caps that were hit, by `<analytic>.<limit>`. */
  detectorLimits: AnomalyCounter;
  /** Wall-clock seconds the run took. */
  elapsed: number;
}
