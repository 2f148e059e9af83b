// The contract every analytic implements: declare the event kinds it needs, keep bounded state, emit findings.
import type { z } from 'zod';
import type { AnomalyCounter } from '../core/anomalies.js';
import type { Event, EventKind } from '../core/events.js';
import type { Finding } from '../core/findings.js';

export type Emit = (finding: Finding) => void;

export interface Detector {
  /** Called for each event of a kind the spec consumes, in input order. */
  onEvent(event: Event, emit: Emit): void;
  /** Called once after the last input: windows still open are closed here. */
  flush(emit: Emit): void;
}

export interface DetectorSpec<Options extends { enabled: boolean } = { enabled: boolean }> {
  /** The analytic's name, used in findings and as its config section `detectors.<id>`. */
  readonly id: string;
  readonly description: string;
  readonly consumes: readonly EventKind[];
  /** Schema of the config section, with the documented defaults filled in. */
  readonly options: z.ZodType<Options>;
  /** `limits` counts each time a state cap was hit (`<id>.<limit>`), shown in the run summary. */
  create(options: Options, limits: AnomalyCounter): Detector;
}
