// How an incident's risk is computed. The weights are the documentation: change them here and in the README.
//
// risk = min(10, MEMBER × (highest risk among its findings) + CHAIN × (chain points)), one decimal.
// Chain points (10 at most) reward the stages seen together: a lone stage keeps at most 60 % of its finding's
// risk plus its own points, so a lone `openssl enc` (finding risk 9) scores 6.2 while the whole chain scores 9.4+.

export const CHAIN_POINTS = {
  /** Bytes left the host: the act itself. */
  transfer: 4,
  /** An encryption or encoding tool ran before it. */
  encrypt: 2,
  /** An encrypted file was staged before it. */
  stage: 2,
  /** The transfer's size matches the staged file, or the staged file's name was seen leaving. */
  link: 1,
  /** The destination is new to the host and rare among hosts, or the sending process never used the network. */
  novelty: 1,
} as const;

export const MEMBER_WEIGHT = 0.6;
export const CHAIN_WEIGHT = 0.4;

export interface ChainFacts {
  transfer: boolean;
  encrypt: boolean;
  stage: boolean;
  link: boolean;
  novelty: boolean;
  /** Highest risk among the findings joined. */
  memberRisk: number;
}

export function chainPoints(facts: ChainFacts): number {
  let points = 0;
  for (const key of Object.keys(CHAIN_POINTS) as (keyof typeof CHAIN_POINTS)[]) if (facts[key]) points += CHAIN_POINTS[key];
  return points;
}

export function incidentRisk(facts: ChainFacts): number {
  const raw = MEMBER_WEIGHT * Math.max(0, Math.min(10, facts.memberRisk)) + CHAIN_WEIGHT * chainPoints(facts);
  return Math.round(Math.min(10, raw) * 10) / 10;
}
