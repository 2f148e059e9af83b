// Comparison of our EVTX records with python-evtx's XML rendering and with evtx_dump JSON (Sigma regression
// data): both sides are reduced to the same comparable form (headline fields plus flattened EventData/UserData
// name → value pairs), then compared field by field. Known rendering differences are named classes, counted
// and explained in CONFORMANCE.md; anything else is a mismatch.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AnomalyCounter } from '../../src/core/anomalies.js';
import { newInputHealth } from '../../src/core/health.js';
import { evtxOptions, readEvtx } from '../../src/readers/evtx/index.js';
import type { Json } from '../../src/readers/evtx/record-json.js';

export interface Comparable {
  recordId: string;
  eventId: string;
  /** Microseconds since 1970 as the reference would print them (see `referenceMicros`). */
  time: string;
  provider: string;
  channel: string;
  computer: string;
  /** EventData / UserData leaves as `path` → values in document order; empty values dropped. */
  fields: Map<string, string[]>;
}

export const HEADLINE = ['recordId', 'eventId', 'time', 'provider', 'channel', 'computer'] as const;

// ---------- our side ----------

export async function readOurs(path: string): Promise<{ records: Record<string, Json>[]; anomalies: AnomalyCounter }> {
  const health = newInputHealth(path);
  const records: Record<string, Json>[] = [];
  const ctx = { path, health, limits: { max_line_length: 1 << 20, max_consecutive_bad_lines: 1000 }, options: evtxOptions.parse({}) };
  for await (const batch of readEvtx(createReadStream(path), ctx)) for (const r of batch) records.push(r.json);
  return { records, anomalies: health.anomalies };
}

/** A JSON value as python-evtx renders the same typed value in XML (string arrays as <string> lines). */
function pythonText(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) {
    const faithful = value.map((v) => `<string>${pythonText(v)}</string>\n`).join('');
    if (value.every((v) => typeof v === 'string')) PYTHON_STRING_ARRAY.set(faithful, pythonStringArray(value as string[]));
    return faithful;
  }
  const text = String(value);
  // A value made only of characters python-evtx deletes is empty in the reference.
  return xmlCanonical(text, false) === '' ? '' : text;
}

/**
 * python-evtx 0.6.1 splits a string array (type 0x81) with `re.search(b"((?:[^\x00].)+)", rest)`, then
 * drops len(match)+2 bytes from the START of the rest, not from the match: leading empty strings shift the
 * later ones. Reproduced here on the same bytes, so that difference is recognised as the reference's.
 */
const PYTHON_STRING_ARRAY = new Map<string, string>();
function pythonStringArray(strings: string[]): string {
  let bin = Buffer.from(strings.map((s) => `${s}\0`).join(''), 'utf16le');
  let out = '';
  while (bin.length > 0) {
    let start = -1;
    for (let i = 0; i + 1 < bin.length; i++) {
      if (bin[i] !== 0 && bin[i + 1] !== 0x0a) {
        start = i;
        break;
      }
    }
    if (start >= 0) {
      let end = start;
      while (end + 1 < bin.length && bin[end] !== 0 && bin[end + 1] !== 0x0a) end += 2;
      out += `<string>${bin.subarray(start, end).toString('utf16le')}</string>\n`;
      bin = bin.subarray(end - start + 2);
      if (bin.length === 0) break;
    }
    let zeros = 0;
    while (zeros < bin.length && bin[zeros] === 0) zeros++;
    if (zeros % 2 !== 0) return '(python-evtx raises)';
    out += '<string></string>\n'.repeat(zeros / 2);
    bin = bin.subarray(zeros);
  }
  return out;
}

function addField(fields: Map<string, string[]>, path: string, value: string): void {
  if (value === '') return;
  const list = fields.get(path);
  if (list === undefined) fields.set(path, [value]);
  else list.push(value);
}

/** Flattens our JSON (and evtx_dump's, which has the same shape) under `path`; a JSON array is one typed value. */
export function flattenJson(value: Json, path: string, fields: Map<string, string[]>, render: (v: Json) => string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    addField(fields, path, render(value));
    return;
  }
  for (const suffixed of Object.keys(value)) {
    const inner = value[suffixed]!;
    // A repeated element is X, X_1, X_2…: compared as repeats of X.
    const repeat = /^(.+)_\d+$/.exec(suffixed);
    const key = repeat !== null && repeat[1]! in value ? repeat[1]! : suffixed;
    if (key === '#attributes' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const name of Object.keys(inner)) addField(fields, `${path}@${name}`, render(inner[name]!));
    } else if (key === '#text') flattenJson(inner, path, fields, render);
    else flattenJson(inner, path === '' ? key : `${path}/${key}`, fields, render);
  }
}

function dataOf(record: Record<string, Json>, render: (v: Json) => string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  if (record.EventData !== undefined) flattenJson(record.EventData, '', fields, render);
  if (record.UserData !== undefined) flattenJson(record.UserData, '', fields, render);
  return fields;
}

/** Our record in comparable form, with data values rendered as python-evtx renders them. */
export function ourComparable(record: Record<string, Json>): Comparable {
  return {
    recordId: String(record.EventRecordID),
    eventId: String(record.EventID),
    time: typeof record.TimeCreated === 'string' ? referenceMicros(record.TimeCreated) : '',
    provider: String(record.Provider ?? ''),
    channel: String(record.Channel ?? ''),
    computer: String(record.Computer ?? ''),
    fields: dataOf(record, pythonText),
  };
}

/** Our record in comparable form for comparison with evtx_dump JSON (values as JSON scalars). */
export function ourComparableJson(record: Record<string, Json>): Comparable {
  return { ...ourComparable(record), time: microsOf(String(record.TimeCreated)), fields: dataOf(record, jsonText) };
}

function jsonText(value: Json): string {
  return value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Microseconds since 1970 of an ISO time, truncated (evtx_dump prints six digits). */
function microsOf(iso: string): string {
  const seconds = Date.parse(`${iso.slice(0, 19)}Z`) / 1000;
  const digits = (/^\.(\d+)/.exec(iso.slice(19))?.[1] ?? '').padEnd(6, '0').slice(0, 6);
  return (BigInt(seconds) * 1_000_000n + BigInt(digits)).toString();
}

/**
 * The microsecond python-evtx prints for our 100 ns time: it converts FILETIME ticks through a double
 * (`float(ticks) * 1e-7 - 11644473600`) and `datetime.utcfromtimestamp` rounds half to even — reproduced
 * here operation for operation, so a 1 µs difference is the reference's rounding, not ours.
 */
export function referenceMicros(iso: string): string {
  const seconds = Date.parse(`${iso.slice(0, 19)}Z`) / 1000;
  const frac7 = (/^\.(\d+)/.exec(iso.slice(19))?.[1] ?? '').padEnd(7, '0').slice(0, 7);
  if (Number.isNaN(seconds)) return iso;
  const ticks = (BigInt(seconds) + 11644473600n) * 10_000_000n + BigInt(frac7);
  const t = Number(ticks) * 1e-7 - 11644473600;
  let whole = Math.floor(t);
  let us = roundHalfEven((t - whole) * 1e6);
  if (us >= 1_000_000) {
    whole += 1;
    us -= 1_000_000;
  }
  return (BigInt(whole) * 1_000_000n + BigInt(us)).toString();
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---------- python-evtx XML side ----------

interface XNode {
  name: string;
  attrs: Map<string, string>;
  children: XNode[];
  text: string;
}

/** Streams a python-evtx XML file (gzipped) and yields each <Event> as a small tree. Parse errors are counted. */
export async function readReference(path: string): Promise<{ events: XNode[]; xmlErrors: number }> {
  const parser = new SaxesParser({ xmlns: false });
  const events: XNode[] = [];
  const stack: XNode[] = [];
  let xmlErrors = 0;
  parser.on('error', () => {
    xmlErrors++;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const node: XNode = { name: tag.name, attrs: new Map(Object.entries(tag.attributes)), children: [], text: '' };
    if (tag.name === 'Event' || stack.length > 0) {
      stack.at(-1)?.children.push(node);
      stack.push(node);
    }
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top !== undefined) top.text += t;
  });
  parser.on('closetag', () => {
    const node = stack.pop();
    if (node !== undefined && stack.length === 0) events.push(node);
  });
  const input = createReadStream(path).pipe(createGunzip());
  for await (const chunk of input) parser.write((chunk as Buffer).toString('utf8'));
  parser.close();
  return { events, xmlErrors };
}

function child(node: XNode | undefined, name: string): XNode | undefined {
  return node?.children.find((c) => c.name === name);
}

function flattenXml(node: XNode, path: string, fields: Map<string, string[]>): void {
  for (const [name, value] of node.attrs) addField(fields, `${path}@${name}`, value);
  if (node.children.length === 0) addField(fields, path, node.text);
  for (const c of node.children) flattenXml(c, path === '' ? c.name : `${path}/${c.name}`, fields);
}

/** python-evtx prints FILETIME as `YYYY-MM-DD HH:MM:SS[.ffffff]` (no fraction when it is zero). */
function xmlMicros(text: string): string {
  const seconds = Date.parse(`${text.slice(0, 10)}T${text.slice(11, 19)}Z`) / 1000;
  if (Number.isNaN(seconds)) return text;
  const digits = (/^\.(\d+)/.exec(text.slice(19))?.[1] ?? '').padEnd(6, '0');
  return (BigInt(seconds) * 1_000_000n + BigInt(digits)).toString();
}

export function referenceComparable(event: XNode): Comparable {
  const system = child(event, 'System');
  const fields = new Map<string, string[]>();
  const eventData = child(event, 'EventData');
  if (eventData !== undefined) {
    for (const [name, value] of eventData.attrs) addField(fields, `@${name}`, value);
    for (const c of eventData.children) {
      const name = c.name === 'Data' ? c.attrs.get('Name') : undefined;
      const attrs = new Map(c.attrs);
      if (name !== undefined) attrs.delete('Name');
      flattenXml({ ...c, attrs }, name ?? c.name, fields);
    }
  }
  const userData = child(event, 'UserData');
  if (userData !== undefined) for (const c of userData.children) flattenXml(c, c.name, fields);
  return {
    recordId: child(system, 'EventRecordID')?.text ?? '',
    eventId: child(system, 'EventID')?.text ?? '',
    time: xmlMicros(child(system, 'TimeCreated')?.attrs.get('SystemTime') ?? ''),
    provider: child(system, 'Provider')?.attrs.get('Name') ?? '',
    channel: child(system, 'Channel')?.text ?? '',
    computer: child(system, 'Computer')?.text ?? '',
    fields,
  };
}

// ---------- evtx_dump JSON side ----------

/** Splits concatenated pretty-printed JSON documents (evtx_dump -o json) with a linear brace scanner. */
export function splitJsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

export function dumpComparable(doc: unknown): Comparable {
  const event = (doc as { Event: Record<string, Json> }).Event;
  const system = event.System as Record<string, Json>;
  const get = (v: Json | undefined): string => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return get(v['#text']);
    return v === undefined || v === null ? '' : String(v);
  };
  const attrOf = (v: Json | undefined, name: string): string => {
    const attrs = v !== null && typeof v === 'object' && !Array.isArray(v) ? v['#attributes'] : undefined;
    return attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs) && attrs !== undefined ? get(attrs[name]) : '';
  };
  const fields = new Map<string, string[]>();
  if (event.EventData !== undefined) flattenJson(event.EventData, '', fields, jsonText);
  if (event.UserData !== undefined) flattenJson(event.UserData, '', fields, jsonText);
  return {
    recordId: get(system.EventRecordID),
    eventId: get(system.EventID),
    time: microsOf(attrOf(system.TimeCreated, 'SystemTime')),
    provider: attrOf(system.Provider, 'Name'),
    channel: get(system.Channel),
    computer: get(system.Computer),
    fields,
  };
}

// ---------- comparing ----------

/** python-evtx drops XML-restricted characters; XML 1.1 parsing turns line ends into \n. */
const RESTRICTED = /[\x01-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F]/g;
function xmlCanonical(value: string, isAttribute: boolean): string {
  let v = value.replace(RESTRICTED, '').replace(/\r\n?|\x85|\u2028/g, '\n');
  if (isAttribute) v = v.replace(/[\t\n]/g, ' ');
  return v;
}

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const HEXNUM = /^0x[0-9a-fA-F]{1,16}$/;

/**
 * Names the documented rendering class under which two values are the same, or undefined if they differ.
 * 'equal' for identical text.
 */
export function equivalence(ours: string, theirs: string, isAttribute: boolean): string | undefined {
  if (ours === theirs) return 'equal';
  if (PYTHON_STRING_ARRAY.get(ours) === theirs) return 'reference-string-array-bug';
  if (ours.trim() === theirs) return 'evtx-dump-trims-text';
  const canon = xmlCanonical(ours, isAttribute);
  if (canon === theirs) return 'xml-restricted-chars';
  if (GUID.test(ours) && GUID.test(theirs) && ours.replace(/[{}]/g, '').toLowerCase() === theirs.replace(/[{}]/g, '').toLowerCase()) return 'guid-case-braces';
  if (HEXNUM.test(ours)) {
    if (HEXNUM.test(theirs) && BigInt(ours) === BigInt(theirs)) return 'hex-zero-padding';
    if (/^\d{1,20}$/.test(theirs) && BigInt(ours) === BigInt(theirs)) return 'size_t-hex-vs-decimal';
  }
  if (/^[0-9A-F]*$/.test(ours) && ours.length % 2 === 0 && Buffer.from(theirs, 'base64').toString('hex').toUpperCase() === ours) return 'binary-hex-vs-base64';
  if ((ours === 'True' || ours === 'False' || ours === 'true' || ours === 'false') && ours.toLowerCase() === theirs.toLowerCase()) return 'bool-case';
  const systemtime = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.(\d{3})Z$/.exec(ours);
  if (systemtime !== null && theirs === `${systemtime[1]} ${systemtime[2]}${systemtime[3] === '000' ? '' : `.000${systemtime[3]}`}`) return 'systemtime-ms-as-us';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/.test(ours) && referenceMicros(ours) === xmlMicros(theirs)) return 'filetime-format';
  return undefined;
}

export interface Tally {
  records: number;
  equal: number;
  perField: Map<string, { equal: number; total: number }>;
  classes: Map<string, number>;
  mismatches: Map<string, { count: number; examples: string[] }>;
}

export function newTally(): Tally {
  return { records: 0, equal: 0, perField: new Map(), classes: new Map(), mismatches: new Map() };
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function field(t: Tally, name: string, ok: boolean): void {
  const f = t.perField.get(name) ?? { equal: 0, total: 0 };
  f.total++;
  if (ok) f.equal++;
  t.perField.set(name, f);
}

export function mismatch(t: Tally, kind: string, example: string): void {
  const m = t.mismatches.get(kind) ?? { count: 0, examples: [] };
  m.count++;
  if (m.examples.length < 3) m.examples.push(example.slice(0, 300));
  t.mismatches.set(kind, m);
}

/** Compares one record; returns true when every headline field and every data field is equal or equivalent. */
export function compare(t: Tally, ours: Comparable, theirs: Comparable, where: string): boolean {
  t.records++;
  let ok = true;
  for (const name of HEADLINE) {
    const same = ours[name] === theirs[name];
    field(t, name, same);
    if (!same) {
      ok = false;
      mismatch(t, name, `${where}: ours ${JSON.stringify(ours[name])} reference ${JSON.stringify(theirs[name])}`);
    }
  }
  const keys = new Set([...ours.fields.keys(), ...theirs.fields.keys()]);
  let dataOk = true;
  for (const key of keys) {
    const a = ours.fields.get(key) ?? [];
    const b = theirs.fields.get(key) ?? [];
    if (a.length !== b.length) {
      dataOk = false;
      mismatch(t, a.length === 0 ? 'data: field only in reference' : b.length === 0 ? 'data: field only in ours' : 'data: repeat count', `${where} ${key}: ours ${JSON.stringify(a)} reference ${JSON.stringify(b)}`);
      continue;
    }
    for (let i = 0; i < a.length; i++) {
      const cls = equivalence(a[i]!, b[i]!, key.includes('@'));
      if (cls === undefined) {
        dataOk = false;
        mismatch(t, 'data: value', `${where} ${key}: ours ${JSON.stringify(a[i])} reference ${JSON.stringify(b[i])}`);
      } else if (cls !== 'equal') bump(t.classes, cls);
    }
  }
  field(t, 'data', dataOk);
  if (ok && dataOk) t.equal++;
  return ok && dataOk;
}
