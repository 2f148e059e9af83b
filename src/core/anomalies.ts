// Bad data is data: every skipped or damaged unit is counted under a named code with a few examples.

/** Codes are `area.reason`, e.g. `zeek.bad_line`, `pcap.truncated_record`. Each area documents its own. */
export type AnomalyCode = `${string}.${string}`;

export interface AnomalyExample {
  /** 1-based line for text inputs. */
  line?: number;
  offset?: number;
  detail?: string;
}

const EXAMPLES_PER_CODE = 3;

/** Counts anomalies of one input; keeps the first few examples of each code so the summary can cite them. */
export class AnomalyCounter {
  private readonly counts = new Map<AnomalyCode, number>();
  private readonly examples = new Map<AnomalyCode, AnomalyExample[]>();

  add(code: AnomalyCode, example?: AnomalyExample, n = 1): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + n);
    if (example === undefined) return;
    const list = this.examples.get(code);
    if (list === undefined) this.examples.set(code, [example]);
    else if (list.length < EXAMPLES_PER_CODE) list.push(example);
  }

  /** `add(code, { offset, detail })` without building the example once enough of them are kept (per-packet paths). */
  addAt(code: AnomalyCode, offset: number, detail?: string): void {
    const list = this.examples.get(code);
    this.add(code, list === undefined || list.length < EXAMPLES_PER_CODE ? { offset, detail } : undefined);
  }

  count(code: AnomalyCode): number {
    return this.counts.get(code) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** Codes with their counts and examples, sorted by code for stable output. */
  entries(): { code: AnomalyCode; count: number; examples: AnomalyExample[] }[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, count]) => ({ code, count, examples: this.examples.get(code) ?? [] }));
  }
}
