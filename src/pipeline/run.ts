// One pass over the inputs: readers produce event batches, detectors consume the kinds they declared,
// findings go to the caller. Detector state spans all inputs of the run, then is flushed once.
import type { Event, EventKind } from '../core/events.js';
import type { Finding } from '../core/findings.js';
import type { InputHealth, RunSummary } from '../core/health.js';
import type { Detector } from '../detectors/detector.js';
import { DETECTORS } from '../detectors/index.js';
import type { Config } from './config.js';
import { openSources, recordFailure, type AdmitInput } from './inputs.js';

export interface Progress {
  path: string;
  bytes: number;
  size?: number;
  records: number;
}

export interface RunOptions {
  config: Config;
  /** Run the detectors (hunt) or only read (events). */
  detect: boolean;
  onFinding?: (finding: Finding) => void;
  onEvents?: (events: Event[]) => void;
  onProgress?: (progress: Progress) => void;
  /**
   * Makes each input a unit of work (the store's checkpoint granularity): detectors are created afresh for each
   * input and flushed at its end, so what an input yields does not depend on which inputs were read before it in
   * the same run — a run resumed after a crash yields exactly what an uninterrupted one does.
   */
  perInput?: {
    admit: AdmitInput;
    /** The input's findings once its detectors are flushed; `complete` is false when the reader stopped with an error. */
    end(health: InputHealth, findings: Finding[], complete: boolean): void;
  };
}

export async function run(paths: readonly string[], options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const findingsByAnalytic = new Map<string, number>();
  const emit = (finding: Finding): void => {
    findingsByAnalytic.set(finding.analytic, (findingsByAnalytic.get(finding.analytic) ?? 0) + 1);
    options.onFinding?.(finding);
  };
  const detectors = () => (options.detect ? instantiateDetectors(options.config) : { byKind: new Map<EventKind, Detector[]>(), all: [] });
  let { byKind, all } = detectors();
  let inputFindings: Finding[] = [];
  const onFinding = options.perInput === undefined ? emit : (finding: Finding) => void inputFindings.push(finding);

  const inputs: InputHealth[] = [];
  for await (const source of openSources(paths, options.config, inputs, options.perInput?.admit)) {
    const { health } = source;
    if (options.perInput !== undefined) ({ byKind, all } = detectors());
    let failed = false;
    try {
      for await (const batch of source.reader.events(source.stream, source.ctx)) {
        health.events += batch.length;
        options.onEvents?.(batch);
        for (const event of batch) {
          const detectors = byKind.get(event.kind);
          if (detectors !== undefined) for (const detector of detectors) detector.onEvent(event, onFinding);
        }
        options.onProgress?.({ path: health.path, bytes: health.bytes, size: source.size, records: health.records });
      }
    } catch (err) {
      recordFailure(health, err);
      failed = true;
    }
    if (options.perInput !== undefined) {
      for (const detector of all) detector.flush(onFinding);
      options.perInput.end(health, inputFindings, !failed);
      for (const f of inputFindings) emit(f);
      inputFindings = [];
      all = [];
    }
  }
  for (const detector of all) detector.flush(emit);
  return { inputs, findingsByAnalytic, elapsed: (performance.now() - started) / 1000 };
}

function instantiateDetectors(config: Config): { byKind: Map<EventKind, Detector[]>; all: Detector[] } {
  const byKind = new Map<EventKind, Detector[]>();
  const all: Detector[] = [];
  for (const spec of DETECTORS) {
    const detectorOptions = config.detectors[spec.id];
    if (detectorOptions === undefined || !detectorOptions.enabled) continue;
    const detector = spec.create(detectorOptions);
    all.push(detector);
    for (const kind of spec.consumes) {
      const list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, [detector]);
      else list.push(detector);
    }
  }
  return { byKind, all };
}

/** Parsed records before normalisation, for `exfilscope dump`; inputs whose reader has no record view are noted. */
export async function dump(
  paths: readonly string[],
  config: Config,
  onRecords: (records: unknown[]) => void,
): Promise<InputHealth[]> {
  const inputs: InputHealth[] = [];
  for await (const source of openSources(paths, config, inputs)) {
    const { health, reader } = source;
    if (reader.records === undefined) {
      health.error = `the ${reader.name} reader has no record view; use \`exfilscope events\``;
      continue;
    }
    try {
      for await (const batch of reader.records(source.stream, source.ctx)) onRecords(batch);
    } catch (err) {
      recordFailure(health, err);
    }
  }
  return inputs;
}
