// The report's limits: the `report` section of the config. Each bounds memory while collecting or the size
// of the page; what a limit leaves out is counted and said on the page.
import { z } from 'zod';

export const htmlReportOptions = z.strictObject({
  /** Host pairs (src → dst) tracked; beyond it the pairs with least outbound bytes are folded away. */
  max_pairs: z.number().int().min(10).default(5000),
  /** Destinations tracked, folded the same way. */
  max_destinations: z.number().int().min(10).default(5000),
  /** Time buckets per series; the bucket width doubles until the run's time span fits. */
  max_time_buckets: z.number().int().min(8).default(240),
  /** Payload points kept for the entropy view (a deterministic reservoir sample beyond it). */
  max_payload_points: z.number().int().min(10).default(5000),
  /** Destinations drawn in the volume-over-time chart. */
  series_destinations: z.number().int().min(1).max(32).default(8),
  /** Rows of the top and newest destination tables and points of the pair chart. */
  top_rows: z.number().int().min(1).default(500),
  /** Characters of one value kept in the report; the rest is counted and left out (the JSON export has it all). */
  max_value_chars: z.number().int().min(256).default(8192),
  /** Evidence rows kept per finding; the rest is counted. */
  max_evidence_per_finding: z.number().int().min(1).default(50),
});
export type HtmlReportOptions = z.infer<typeof htmlReportOptions>;
