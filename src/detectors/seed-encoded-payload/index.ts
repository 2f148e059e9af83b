// Seed analytic 1, "encrypted payloads in alternative protocols": an HTTP request whose URI is long or whose
// body is big, carrying a Base64 run of 100+ characters — the shape of encrypted data encoded for transport.
// Requests are grouped per (client, server, port) and time window, so a tunnel is one finding, not thousands.
// From Zeek's http.log only the URI and body *lengths* are visible: the run must then be in the URI.
// The seed tags every hit T1048.001; where the encoded bytes can be decoded and they turn out to be readable,
// compressed or media data (a Base64 image in JSON), the finding says T1048.003 instead: evidence, not a tag.
import { z } from 'zod';
import type { Evidence, Finding } from '../../core/findings.js';
import { findingId } from '../../core/findings.js';
import type { HttpEvent } from '../../core/events.js';
import { inspect } from '../../analysis/inspect.js';
import { inspectSample } from '../../analysis/sample-inspection.js';
import { BASE64_ALPHABET, longestRun } from '../../analysis/runs.js';
import type { AnomalyCounter } from '../../core/anomalies.js';
import type { Detector, DetectorSpec } from '../detector.js';
import { CappedMap } from '../state/capped-map.js';

const ID = 'seed-encoded-payload';

export const options = z.strictObject({
  enabled: z.boolean().default(true),
  /** Seed: `uri_length > 200` — ordinary URIs are far shorter; encoded payloads are not. */
  min_uri_length: z.number().int().min(0).default(200),
  /** Seed: `request_body_length > 5000`; also the risk-8 threshold. */
  min_body_length: z.number().int().min(0).default(5000),
  /** Seed: risk 9 when the body exceeds 10 000 bytes. */
  high_risk_body_length: z.number().int().min(0).default(10000),
  /** Seed: a Base64 run `[A-Za-z0-9+/=]{100,}` — shorter runs are common in tokens and IDs. */
  min_base64_run: z.number().int().min(1).default(100),
  /** Not in the seed: risk when only the URI qualifies (body ≤ min_body_length); below the body cases. */
  uri_only_risk: z.number().int().min(0).max(10).default(7),
  /** Requests of one client to one server within this many seconds make one finding. */
  window_seconds: z.number().positive().default(3600),
  /** Cap on (client, server, port, window) groups held at once; the oldest is reported early when hit. */
  max_groups: z.number().int().min(1).default(100_000),
  /** Evidence lines kept per finding. */
  max_evidence: z.number().int().min(1).default(20),
});
type Options = z.infer<typeof options>;

interface Group {
  event: HttpEvent;
  first: number;
  last: number;
  requests: number;
  maxBody: number;
  maxUri: number;
  longestRun: number;
  runIn: 'URI' | 'body';
  bodyBytes: number;
  risk: number;
  /** True while every request whose payload could be decoded held readable, compressed or media data. */
  allDecodedBenign: boolean;
  evidence: Evidence[];
}

/**
 * True when decoding shows what the request carries and it is not ciphertext: compressed or media data, or
 * text found inside an encoding layer. The payload is the body when captured, else the URI.
 */
function decodesToBenign(event: HttpEvent): boolean {
  const found = event.request_body !== undefined
    ? inspectSample(event.request_body)
    : inspect(Buffer.from(event.uri ?? '', 'latin1'), undefined, undefined, { uri: true });
  return found.verdict === 'compressed' || found.verdict === 'media' || (found.verdict === 'text' && found.layers.length > 0);
}

function reason(g: Group): string {
  const e = g.event;
  const what = g.requests === 1 ? 'an HTTP request' : `${g.requests} HTTP requests`;
  const body = g.maxBody > 0 ? `, bodies up to ${g.maxBody} bytes` : '';
  return `${e.src_ip} sent ${what} to ${e.dst_ip}:${e.dst_port} carrying a ${g.longestRun}-character Base64 run in the ${g.runIn} (URI up to ${g.maxUri} characters${body})`;
}

function toFinding(g: Group, windowStart: number): Finding {
  const e = g.event;
  return {
    id: findingId(ID, [e.src_ip, e.dst_ip, e.dst_port], windowStart),
    technique: g.allDecodedBenign ? 'T1048.003' : 'T1048.001',
    analytic: ID,
    risk: g.risk,
    ts_start: g.first,
    ts_end: g.last,
    host: e.host ?? e.src_ip,
    src_ip: e.src_ip,
    dst_ip: e.dst_ip,
    dst_port: e.dst_port,
    proto: 'tcp',
    bytes_out: g.bodyBytes,
    reason: reason(g),
    evidence: g.evidence,
    details: {
      requests: g.requests,
      longest_base64_run: g.longestRun,
      run_in: g.runIn,
      max_uri_length: g.maxUri,
      max_body_length: g.maxBody,
      ...(e.host_header === undefined ? {} : { http_host: e.host_header }),
    },
  };
}

function create(o: Options, limits: AnomalyCounter): Detector {
  const groups = new CappedMap<string, Group>(o.max_groups, limits, `${ID}.max_groups`);
  const windowOf = (key: string): number => Number(key.slice(key.lastIndexOf('|') + 1));
  return {
    onEvent(ev, emit) {
      const event = ev as HttpEvent;
      const uri = event.uri ?? '';
      const bodyLength = event.request_body_len ?? event.request_body?.total ?? 0;
      if (!(uri.length > o.min_uri_length || bodyLength > o.min_body_length)) return;
      // Runs shorter than the threshold do not matter, so the scans may skip them.
      const uriRun = longestRun(uri, BASE64_ALPHABET, o.min_base64_run).length;
      const bodyRun = event.request_body === undefined ? 0 : longestRun(event.request_body.bytes, BASE64_ALPHABET, o.min_base64_run).length;
      const run = Math.max(uriRun, bodyRun);
      if (run < o.min_base64_run) return;
      const risk = bodyLength > o.high_risk_body_length ? 9 : bodyLength > o.min_body_length ? 8 : o.uri_only_risk;
      const windowStart = Math.floor(event.ts / o.window_seconds) * o.window_seconds;
      const key = `${event.src_ip}|${event.dst_ip}|${event.dst_port}|${windowStart}`;
      const g = groups.upsert(
        key,
        () => ({ event, first: event.ts, last: event.ts, requests: 0, maxBody: 0, maxUri: 0, longestRun: 0, runIn: 'URI', bodyBytes: 0, risk: 0, allDecodedBenign: true, evidence: [] }),
        (evictedKey, evicted) => emit(toFinding(evicted, windowOf(evictedKey))),
      );
      g.first = Math.min(g.first, event.ts);
      g.last = Math.max(g.last, event.ts);
      g.requests++;
      g.maxBody = Math.max(g.maxBody, bodyLength);
      g.maxUri = Math.max(g.maxUri, uri.length);
      g.bodyBytes += bodyLength;
      if (run > g.longestRun) {
        g.longestRun = run;
        g.runIn = bodyRun > uriRun ? 'body' : 'URI';
      }
      g.risk = Math.max(g.risk, risk);
      if (g.allDecodedBenign && !decodesToBenign(event)) g.allDecodedBenign = false;
      if (g.evidence.length < o.max_evidence) g.evidence.push({ ...event.source, note: `${event.method ?? 'request'} with a ${run}-character Base64 run` });
    },
    flush(emit) {
      for (const [key, g] of groups.drain()) emit(toFinding(g, windowOf(key)));
    },
  };
}

export const seedEncodedPayload: DetectorSpec<Options> = {
  id: ID,
  description: 'Seed analytic 1: long URIs or big request bodies carrying a long Base64 run',
  consumes: ['http'],
  options,
  create,
};
