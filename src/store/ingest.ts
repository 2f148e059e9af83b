// Hunting and learning against the store. Each input is one unit of work: its findings, what it teaches the
// baselines and its checkpoint commit together, and an input whose content was already committed is skipped.
// After the inputs, incidents are rebuilt from every stored finding, so a run resumed after a crash, or split
// over many runs, ends with the same incidents as one uninterrupted run.
import type { Finding } from '../core/findings.js';
import type { RunSummary } from '../core/health.js';
import { correlate } from '../correlate/correlate.js';
import { newNetworkProcessFindings } from '../correlate/novelty.js';
import type { Config } from '../pipeline/config.js';
import { run, type Progress } from '../pipeline/run.js';
import { createHash } from 'node:crypto';
import { identify, quickIdentity, type InputIdentity } from './identity.js';
import { Observations } from './observations.js';
import type { Purpose, Store } from './store.js';

export interface IngestResult {
  summary: RunSummary;
  /** Findings new to the store. */
  added: number;
  /** Inputs skipped because their content was already committed. */
  skipped: number;
}

export interface IngestHooks {
  onFinding?: (finding: Finding) => void;
  onProgress?: (progress: Progress) => void;
}

export async function ingest(store: Store, paths: readonly string[], config: Config, purpose: Purpose, hooks: IngestHooks = {}): Promise<IngestResult> {
  let identity: InputIdentity | undefined;
  let observations: Observations | undefined;
  let added = 0;
  let skipped = 0;
  const summary = await run(paths, {
    config,
    detect: purpose === 'hunt',
    onFinding: hooks.onFinding,
    onProgress: hooks.onProgress,
    onEvents(batch) {
      for (const event of batch) observations!.observe(event);
    },
    perInput: {
      async admit(path) {
        identity = undefined;
        const quick = await quickIdentity(path).catch(() => undefined);
        let done = quick === undefined ? undefined : store.ingested(quick, purpose);
        if (quick !== undefined && done === undefined) {
          identity = await identify(quick).catch(() => undefined);
          done = identity === undefined ? undefined : store.ingested(identity, purpose);
        }
        if (done !== undefined) {
          skipped++;
          return `already in the store (same content as ${done.path}); skipped`;
        }
        observations = new Observations(config.correlate);
        return undefined;
      },
      restore: (detector) => store.detectorState(detector, optionsHash(config, detector)),
      end(health, findings, complete, snapshots) {
        for (const { code, count } of observations!.anomalies.entries()) health.anomalies.add(code, undefined, count);
        const states = new Map([...snapshots].map(([id, state]) => [id, { optionsHash: optionsHash(config, id), state }]));
        // An input that stopped with an error keeps what it yielded, but no checkpoint: it is read again next time.
        added += store.commitInput(complete ? identity : undefined, purpose, findings, observations!, states);
      },
      finish(findings) {
        added += store.commitInput(undefined, purpose, findings);
      },
    },
  });
  store.ageOut(config.correlate.baseline_max_age_seconds);
  if (purpose === 'hunt') rebuildIncidents(store, config);
  return { summary, added, skipped };
}

function optionsHash(config: Config, detector: string): string {
  return createHash('sha256').update(JSON.stringify(config.detectors[detector] ?? null)).digest('hex');
}

/**
 * Derives baseline-novelty findings, then correlates every stored finding afresh (allow-list changes apply to
 * stored findings too) and stores the incidents.
 */
export function rebuildIncidents(store: Store, config: Config): ReturnType<typeof correlate> {
  store.commitInput(undefined, 'hunt', newNetworkProcessFindings(store.processesNewToNetwork(config.correlate.baseline_min_history_seconds)));
  const result = correlate(store.findings(), store, config.correlate);
  store.replaceIncidents(result.incidents);
  return result;
}
