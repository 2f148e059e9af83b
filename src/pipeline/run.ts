// One pass over the inputs: readers produce event batches, detectors consume the kinds they declared,
// findings go to the caller. Detector state spans all inputs of the run, then is flushed once.
import { AnomalyCounter } from '../core/anomalies.js';
import type { Event, EventKind } from '../core/events.js';
import type { Finding } from '../core/findings.js';
import type { InputHealth, RunSummary } from '../core/health.js';
import type { Detector, DetectorSpec } from '../detectors/detector.js';
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
   * Makes each input a unit of work (the store's checkpoint granularity). Detectors that can snapshot their state
   * keep it across inputs, and the snapshot is handed over with each input's findings, so a run resumed from it
   * continues exactly where the last committed input left off. The others are created afresh for each input and
   * flushed at its end, so what they yield never depends on inputs read before a crash.
   */
  perInput?: {
    admit: AdmitInput;
    /** The state a snapshot-capable detector resumes from, if the caller kept one. */
    restore(detectorId: string): unknown;
    /** One input done: its findings, and the state of each snapshot-capable detector after it. */
    end(health: InputHealth, findings: Finding[], complete: boolean, snapshots: Map<string, unknown>): void;
    /** After the last input: what the snapshot-capable detectors report for their windows still open. */
    finish(findings: Finding[]): void;
  };
}

interface Running {
  spec: DetectorSpec<{ enabled: boolean }>;
  detector: Detector;
  /** Keeps its state across inputs through snapshots (store mode only). */
  persistent: boolean;
}

export async function run(paths: readonly string[], options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const findingsByAnalytic = new Map<string, number>();
  const emit = (finding: Finding): void => {
    findingsByAnalytic.set(finding.analytic, (findingsByAnalytic.get(finding.analytic) ?? 0) + 1);
    options.onFinding?.(finding);
  };
  const { perInput, config } = options;
  const detectorLimits = new AnomalyCounter();
  let running = options.detect ? instantiateDetectors(config, perInput !== undefined, detectorLimits) : [];
  for (const r of running) if (r.persistent && perInput !== undefined) {
    const state = perInput.restore(r.spec.id);
    if (state !== undefined) r.detector.restore!(state);
  }
  let byKind = indexByKind(running);
  let inputFindings: Finding[] = [];
  const onFinding = perInput === undefined ? emit : (finding: Finding) => void inputFindings.push(finding);

  const inputs: InputHealth[] = [];
  for await (const source of openSources(paths, config, inputs, perInput?.admit)) {
    const { health } = source;
    if (perInput !== undefined) {
      running = running.map((r) => (r.persistent ? r : { ...r, detector: r.spec.create(config.detectors[r.spec.id]!, detectorLimits) }));
      byKind = indexByKind(running);
    }
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
    if (perInput !== undefined) {
      for (const r of running) if (!r.persistent) r.detector.flush(onFinding);
      const snapshots = new Map(running.filter((r) => r.persistent).map((r) => [r.spec.id, r.detector.snapshot!()]));
      perInput.end(health, inputFindings, !failed, snapshots);
      for (const f of inputFindings) emit(f);
      inputFindings = [];
    }
  }
  if (perInput !== undefined) {
    const open: Finding[] = [];
    for (const r of running) if (r.persistent) r.detector.flush((f) => open.push(f));
    perInput.finish(open);
    for (const f of open) emit(f);
  } else {
    for (const r of running) r.detector.flush(emit);
  }
  return { inputs, findingsByAnalytic, detectorLimits, elapsed: (performance.now() - started) / 1000 };
}

function instantiateDetectors(config: Config, snapshots: boolean, limits: AnomalyCounter): Running[] {
  const running: Running[] = [];
  for (const spec of DETECTORS) {
    const detectorOptions = config.detectors[spec.id];
    if (detectorOptions === undefined || !detectorOptions.enabled) continue;
    const detector = spec.create(detectorOptions, limits);
    running.push({ spec, detector, persistent: snapshots && detector.snapshot !== undefined && detector.restore !== undefined });
  }
  return running;
}

function indexByKind(running: readonly Running[]): Map<EventKind, Detector[]> {
  const byKind = new Map<EventKind, Detector[]>();
  for (const { spec, detector } of running) {
    for (const kind of spec.consumes) {
      const list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, [detector]);
      else list.push(detector);
    }
  }
  return byKind;
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
