// The registered domain of a DNS name without the Public Suffix List (no network, no bundled list): a small
// heuristic that is right for the names tunnels use. The last two labels, or the last three when the
// second-level label is a generic one under a two-letter country code (`co.uk`, `com.au`, `ac.jp`, `gov.br`).
// Known misses: private suffixes (`github.io`, `cloudfront.net`) count as one registered domain each, which
// only merges many tenants' names into one entity — the entity is still bounded and per client.

const GENERIC_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go', 'mil', 'nic', 'ltd', 'plc', 'sch', 'gob', 'nom']);

export interface SplitName {
  /** The registered domain, lower case, e.g. `example.co.uk`. */
  registered: string;
  /** The labels left of it, joined with dots; empty for the apex. */
  subdomain: string;
}

/** Splits a query name (trailing dot optional) into subdomain and registered domain. */
export function splitName(name: string): SplitName {
  const lower = name.toLowerCase();
  const trimmed = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  // Found from the right by the dots that separate the last labels: no array of every label per query.
  const beforeTld = dotBefore(trimmed, trimmed.length);
  const beforeSecond = dotBefore(trimmed, beforeTld);
  if (beforeSecond < 0) return { registered: trimmed, subdomain: '' };
  const tld = trimmed.slice(beforeTld + 1);
  const second = trimmed.slice(beforeSecond + 1, beforeTld);
  const countryCode = tld.length === 2 && GENERIC_SECOND_LEVEL.has(second);
  const cut = countryCode ? dotBefore(trimmed, beforeSecond) : beforeSecond;
  if (cut < 0) return { registered: trimmed, subdomain: '' };
  return { registered: trimmed.slice(cut + 1), subdomain: trimmed.slice(0, cut) };
}

/** The index of the last dot before `end` in `text`, or −1. */
function dotBefore(text: string, end: number): number {
  return end <= 0 ? -1 : text.lastIndexOf('.', end - 1);
}
