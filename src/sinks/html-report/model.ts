// The data the report page draws, built from a run: findings (the list items today; incidents with stages
// will take their place), the run summary, input health and the collector's aggregates.
// Every string from the inputs goes through one StringTable, the single point where it is made visible
// (escapeVisible), cut to a limit, and — only when it parses as an http(s) URL — given a link target.
// Rows are arrays with their column names listed once, so 100 000 findings stay small.
import { domainToASCII } from 'node:url';
import type { Finding } from '../../core/findings.js';
import type { InputHealth, RunSummary } from '../../core/health.js';
import { escapeVisible, truncateSafely } from '../escape.js';
import type { ReportAggregates } from './collect.js';
import { htmlReportOptions, type HtmlReportOptions } from './options.js';


/** An index into the string table, or null for an absent value. */
type Str = number | null;

/** Interned display strings, with what was cut from each, link targets and the punycode of IDNs. */
export class StringTable {
  private readonly index = new Map<string, number>();
  readonly text: string[] = [];
  readonly cut: [number, number][] = [];
  readonly href: [number, string][] = [];
  readonly idn: [number, string][] = [];

  constructor(private readonly maxChars: number) {}

  add(raw: string | undefined | null): Str {
    if (raw === undefined || raw === null) return null;
    const known = this.index.get(raw);
    if (known !== undefined) return known;
    const id = this.text.length;
    this.index.set(raw, id);
    const kept = truncateSafely(raw, this.maxChars);
    this.text.push(escapeVisible(kept));
    if (kept.length < raw.length) this.cut.push([id, raw.length - kept.length]);
    else this.addTargets(id, raw);
    return id;
  }

  /** Links only for values that are whole, clean http(s) URLs after parsing; IDNs get their punycode beside them. */
  private addTargets(id: number, raw: string): void {
    const clean = escapeVisible(raw) === raw;
    const nonAscii = /[^\x00-\x7f]/.test(raw);
    if (clean && /^https?:\/\//i.test(raw)) {
      const url = parseUrl(raw);
      if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) {
        this.href.push([id, url.href]);
        if (nonAscii && url.hostname.includes('xn--')) this.idn.push([id, url.hostname]);
        return;
      }
    }
    if (nonAscii && raw.includes('.') && !/[\s/\\@:]/.test(raw)) {
      const ascii = domainToASCII(raw);
      if (ascii !== '' && ascii !== raw.toLowerCase()) this.idn.push([id, ascii]);
    }
  }
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Column order of a finding row; the page reads positions by these names. `start` counts seconds from the
 * data's `timeBase`; trailing empty columns are left off (the page reads them as null). */
export const FINDING_COLUMNS = [
  'id', 'risk', 'start', 'duration', 'analytic', 'technique', 'host', 'src_ip', 'dst_ip', 'dst_port', 'proto',
  'bytes_out', 'bytes_in', 'reason', 'process', 'evidence', 'evidence_omitted', 'details', 'stages',
] as const;

export interface ReportInput {
  summary: RunSummary;
  findings: readonly Finding[];
  aggregates?: ReportAggregates;
  generatedAt: Date;
  version: string;
}

const roundMs = (ts: number): number => Math.round(ts * 1000) / 1000;

/** Drops trailing nulls: most findings leave the last columns empty, and 100 000 rows add up. */
function trimmed<T>(row: (T | null)[]): (T | null)[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === null) end--;
  return end === row.length ? row : row.slice(0, end);
}

/** Builds the page's data object; findings must already be in display order (compareFindings). */
export function buildReportData(input: ReportInput, options: Partial<HtmlReportOptions> = {}): Record<string, unknown> {
  const opts = htmlReportOptions.parse(options);
  const strings = new StringTable(opts.max_value_chars);
  const s = (v: string | undefined): Str => strings.add(v);
  let spanStart = Infinity;
  let spanEnd = -Infinity;
  for (const f of input.findings) {
    if (Number.isFinite(f.ts_start)) spanStart = Math.min(spanStart, f.ts_start);
    if (Number.isFinite(f.ts_end)) spanEnd = Math.max(spanEnd, f.ts_end);
  }
  const timeBase = Number.isFinite(spanStart) ? Math.floor(spanStart) : 0;

  const findingRows = input.findings.map((f) => {
    const evidence = f.evidence.slice(0, opts.max_evidence_per_finding).map((e) => trimmed([
      s(e.reader), s(e.path), e.line ?? null, e.offset ?? null, s(e.note),
    ]));
    const details = f.details === undefined
      ? null
      : Object.entries(f.details).map(([key, value]) => [
          s(key),
          Array.isArray(value) ? value.map((v) => s(v)) : s(String(value)),
        ]);
    const p = f.process;
    const process = p === undefined ? null : [s(p.image), s(p.command_line), s(p.user), p.pid ?? null, s(p.guid)];
    const omitted = f.evidence.length - evidence.length;
    return trimmed<unknown>([
      f.id, f.risk, roundMs(f.ts_start - timeBase), roundMs(f.ts_end - f.ts_start), s(f.analytic), s(f.technique), s(f.host), s(f.src_ip),
      s(f.dst_ip), f.dst_port ?? null, s(f.proto), f.bytes_out ?? null, f.bytes_in ?? null, s(f.reason), process,
      evidence, omitted > 0 ? omitted : null, details,
      // A finding is one stage of an attack; an incident will list the stages (findings) it joins.
      null,
    ]);
  });

  const agg = input.aggregates;
  const aggregates = agg === undefined ? null : {
    pairs: agg.pairs.map((p) => [s(p.src), s(p.dst), p.out, p.in, p.conns]),
    pairsFolded: agg.pairsFolded,
    destinations: agg.destinations.map((d) => destinationRow(d, s)),
    newestDestinations: agg.newestDestinations.map((d) => destinationRow(d, s)),
    destinationsFolded: agg.destinationsFolded,
    series: { ...agg.series, destinations: agg.series.destinations.map((d) => s(d)) },
    payloads: agg.payloads.map((p) => [
      Math.round(p.entropy * 1000) / 1000, Math.round(p.chiSquare * 10) / 10, p.size, p.cls, s(p.context), s(p.dst),
    ]),
    payloadsSeen: agg.payloadsSeen,
    volumeEvents: agg.volumeEvents,
  };

  return {
    version: input.version,
    generatedAt: input.generatedAt.toISOString(),
    summary: summaryData(input.summary, s),
    findingColumns: FINDING_COLUMNS,
    findings: findingRows,
    timeBase,
    span: Number.isFinite(spanStart) ? [roundMs(spanStart), roundMs(spanEnd)] : null,
    aggregates,
    strings: { text: strings.text, cut: strings.cut, href: strings.href, idn: strings.idn },
  };
}

function destinationRow(d: ReportAggregates['destinations'][number], s: (v: string) => Str): unknown[] {
  return [s(d.dst), d.out, d.in, d.conns, roundMs(d.first), roundMs(d.last), d.ports, d.sources, d.sourcesCapped];
}

function summaryData(summary: RunSummary, s: (v: string | undefined) => Str): Record<string, unknown> {
  const input = (i: InputHealth): unknown[] => [
    s(i.path), s(i.format), i.compression.map((c) => s(c)), i.bytes, i.records, i.events,
    i.anomalies.entries().map((a) => [
      s(a.code), a.count, a.examples.map((e) => [e.line ?? null, e.offset ?? null, s(e.detail)]),
    ]),
    i.notes.map((n) => s(n)), s(i.error), s(i.passedOver),
  ];
  return {
    elapsed: summary.elapsed,
    inputs: summary.inputs.map(input),
    detectorLimits: summary.detectorLimits.entries().map((l) => [s(l.code), l.count]),
    findingsByAnalytic: [...summary.findingsByAnalytic.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, n]) => [s(a), n]),
  };
}
