// One pass over the inputs: readers produce event batches, detectors consume the kinds they declared,
// findings go to the caller. Detector state spans all inputs of the run, then is flushed once.
import { AnomalyCounter } from '../core/anomalies.js';
import type { Event, EventKind } from '../core/events.js';
import type { Finding } from '../core/findings.js';
import type { InputHealth, RunSummary } from '../core/health.js';
import type { Detector } from '../detectors/detector.js';
import { DETECTORS } from '../detectors/index.js';
import type { Config } from './config.js';
import { openSources, recordFailure } from './inputs.js';

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
}

export async function run(paths: readonly string[], options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const findingsByAnalytic = new Map<string, number>();
  const emit = (finding: Finding): void => {
    findingsByAnalytic.set(finding.analytic, (findingsByAnalytic.get(finding.analytic) ?? 0) + 1);
    options.onFinding?.(finding);
  };
  const detectorLimits = new AnomalyCounter();
  const { byKind, all } = options.detect ? instantiateDetectors(options.config, detectorLimits) : { byKind: new Map(), all: [] };

  const inputs: InputHealth[] = [];
  for await (const source of openSources(paths, options.config, inputs)) {
    const { health } = source;
    try {
      for await (const batch of source.reader.events(source.stream, source.ctx)) {
        health.events += batch.length;
        options.onEvents?.(batch);
        for (const event of batch) {
          const detectors = byKind.get(event.kind);
          if (detectors !== undefined) for (const detector of detectors) detector.onEvent(event, emit);
        }
        options.onProgress?.({ path: health.path, bytes: health.bytes, size: source.size, records: health.records });
      }
    } catch (err) {
      recordFailure(health, err);
    }
  }
  for (const detector of all) detector.flush(emit);
  return { inputs, findingsByAnalytic, detectorLimits, elapsed: (performance.now() - started) / 1000 };
}

function instantiateDetectors(config: Config, limits: AnomalyCounter): { byKind: Map<EventKind, Detector[]>; all: Detector[] } {
  const byKind = new Map<EventKind, Detector[]>();
  const all: Detector[] = [];
  for (const spec of DETECTORS) {
    const detectorOptions = config.detectors[spec.id];
    if (detectorOptions === undefined || !detectorOptions.enabled) continue;
    const detector = spec.create(detectorOptions, limits);
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
