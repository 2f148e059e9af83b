// The `correlate` config section: how findings are joined into incidents, what baselines count as usual,
// and the caps on the state kept per input. Every default is documented with why it is what it is.
import { z } from 'zod';
import type { StageName } from '../core/incidents.js';
import { DEFAULT_INTERNAL_NETWORKS, parseCidr } from '../core/cidr.js';

/** Which analytic plays which stage. Findings of analytics not listed are placed by their technique. */
const DEFAULT_STAGES = new Map<string, StageName | 'ignore'>(Object.entries({
  'seed-encryption-before-exfil': 'encrypt',
  'seed-encrypted-file-staged': 'stage',
  'seed-encoded-payload': 'transfer',
  'seed-alt-protocol-volume': 'transfer',
  'encrypted-payload': 'transfer',
  'dns-tunnel': 'transfer',
  'icmp-exfil': 'transfer',
  'flow-asymmetry': 'transfer',
  beaconing: 'beacon',
  // Context for incident novelty, not a stage of its own.
  'first-seen-network-process': 'ignore',
} satisfies Record<string, StageName | 'ignore'>));

export const cidrList = z.array(z.string().refine((s) => parseCidr(s) !== undefined, 'not a CIDR (a.b.c.d/n or x::/n)'));

export const correlateOptions = z.strictObject({
  /** Networks inside the site: destinations there are never "new", and prevalence counts hosts there. */
  internal_networks: cidrList.default([...DEFAULT_INTERNAL_NETWORKS]),
  /**
   * How far before an outbound transfer an encryption run or a staged file still belongs to it, and the largest
   * gap between transfers to the same destination that are still one incident. 6 h covers "encrypt at night,
   * send before the shift ends" while keeping unrelated activity of a busy host apart.
   */
  window_seconds: z.number().positive().default(6 * 3600),
  /**
   * A transfer is consistent with a staged file of S bytes when it sent between S and S × ratio + slack bytes:
   * Base64 adds a third, protocol framing (HTTP headers, FTP/SMTP commands, TCP retransmits) a little more.
   */
  size_ratio_max: z.number().min(1).default(1.5),
  size_slack_bytes: z.number().int().min(0).default(64 * 1024),
  /** Host-side connections match a flow when they start within this many seconds (sensor and host clocks differ). */
  attribution_tolerance_seconds: z.number().min(0).default(5),
  /**
   * A host's baseline only judges novelty once it covers this much event time before the event; before that,
   * every destination is "first seen" and saying "new" would be noise.
   */
  baseline_min_history_seconds: z.number().min(0).default(24 * 3600),
  /** A destination is new when the host first talked to it less than this long before the transfer. */
  new_within_seconds: z.number().positive().default(24 * 3600),
  /** Baseline rows not seen for this long (in event time, relative to the newest event stored) are dropped. */
  baseline_max_age_seconds: z.number().positive().default(90 * 24 * 3600),
  /** A destination talked to by at least this many internal hosts is common (a mirror, a SaaS): no novelty points. */
  prevalence_common_hosts: z.number().int().min(1).default(5),
  /** A whole chain to a destination the host has used for longer than the history above is suppressed as usual. */
  suppress_usual_destinations: z.boolean().default(true),
  /** Caps on what one input may add to the store, each with a counter (`correlate.*_capped`) when hit. */
  max_baseline_entries_per_input: z.number().int().min(1).default(1_000_000),
  max_connections_per_input: z.number().int().min(1).default(1_000_000),
  max_transfers_per_input: z.number().int().min(1).default(100_000),
  /** Analytic → stage (or 'ignore'); merged over the defaults above. */
  stages: z.record(z.string(), z.enum(['encrypt', 'stage', 'transfer', 'beacon', 'ignore'])).default({}),
});

export type CorrelateOptions = z.infer<typeof correlateOptions>;

/** The stage an analytic plays; 'ignore' for findings that are context only, undefined when not configured. */
export function stageOfAnalytic(options: CorrelateOptions, analytic: string): StageName | 'ignore' | undefined {
  return Object.hasOwn(options.stages, analytic) ? options.stages[analytic] : DEFAULT_STAGES.get(analytic);
}

export const defaultCorrelateOptions = (): CorrelateOptions => correlateOptions.parse({});
