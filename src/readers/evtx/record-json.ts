// The JSON form of one EVTX record, as `exfilscope dump` prints it and the Windows event mapping reads it.
//
// Headline fields first: EventRecordID, TimeCreated (ISO 8601, 100 ns), EventID, Provider, Channel, Computer.
// Then every child of <Event> under its own name (System, EventData, UserData, RenderingInfo…), each
// element mapped as evtx_dump -o json (the evtx crate) maps it, which is also the form of the Sigma
// regression renderings:
//   - an element with only text is its value (number, boolean, string or array as typed; null when empty);
//   - attributes go under "#attributes", text beside them or beside child elements under "#text";
//   - child elements are keys by name; a name that repeats gets a suffix (X, X_1, X_2…), so a JSON array
//     is always one typed array value (a string array, say), never repeated elements;
//   - in EventData, <Data Name="X">v</Data> is the key "X"; unnamed <Data> elements are the key "Data".
// Integers beyond 2^53 are decimal strings; objects are prototype-free, so `__proto__` is an ordinary key.
import { isElement, type Value, type XmlContent, type XmlElement } from './binxml.js';
import { valueText } from './values.js';

export type Json = Value | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function object(): JsonObject {
  return Object.create(null) as JsonObject;
}

/**
 * Adds keys in document order; a name that repeats gets `_1`, `_2`… as evtx_dump does, so an array value
 * always means one typed array and never a repeated element.
 */
class KeyedValues {
  private readonly byKey = new Map<string, Json>();

  add(key: string, value: Json): void {
    let unique = key;
    for (let n = 1; this.byKey.has(unique); n++) unique = `${key}_${n}`;
    this.byKey.set(unique, value);
  }

  get size(): number {
    return this.byKey.size;
  }

  into(target: JsonObject): JsonObject {
    for (const [key, value] of this.byKey) target[key] = value;
    return target;
  }
}

/** An element's text: one part keeps its type; several are joined as text. */
function textContent(parts: Value[]): Value | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0]!;
  return parts.map(valueText).join('');
}

function split(children: readonly XmlContent[]): { elements: XmlElement[]; text: Value | undefined } {
  const elements: XmlElement[] = [];
  const parts: Value[] = [];
  for (const child of children) {
    if (isElement(child)) elements.push(child);
    else parts.push(child);
  }
  return { elements, text: textContent(parts) };
}

function attributesJson(element: XmlElement): JsonObject {
  const attrs = object();
  for (const [name, value] of element.attrs) attrs[name] = value;
  return attrs;
}

/** The generic element mapping (see the module comment). Recursion is bounded by the parser's depth caps. */
export function elementJson(element: XmlElement): Json {
  const { elements, text } = split(element.children);
  if (element.attrs.length === 0 && elements.length === 0) return text ?? null;
  const out = object();
  if (element.attrs.length > 0) out['#attributes'] = attributesJson(element);
  const keyed = new KeyedValues();
  for (const child of elements) keyed.add(child.name, elementJson(child));
  keyed.into(out);
  if (text !== undefined) out['#text'] = text;
  return out;
}

function attr(element: XmlElement | undefined, name: string): Value | undefined {
  for (const [key, value] of element?.attrs ?? []) if (key === name) return value;
  return undefined;
}

/** EventData: named <Data> elements become keys; their content is mapped without the Name attribute. */
function eventDataJson(element: XmlElement): Json {
  const keyed = new KeyedValues();
  if (element.attrs.length > 0) keyed.add('#attributes', attributesJson(element));
  for (const child of element.children) {
    if (!isElement(child)) continue;
    const name = child.name === 'Data' ? attr(child, 'Name') : undefined;
    if (name === undefined || name === null) keyed.add(child.name, elementJson(child));
    else keyed.add(String(name), elementJson({ name: child.name, attrs: child.attrs.filter(([k]) => k !== 'Name'), children: child.children }));
  }
  return keyed.size === 0 ? null : keyed.into(object());
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

function text(element: XmlElement | undefined): Value | undefined {
  return element === undefined ? undefined : split(element.children).text;
}

/** Records forwarded as plain XML carry IDs as text; the headline gives them as numbers when exact. */
function numeric(value: Value | undefined): Value | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return value;
  return Number(value);
}

export interface RecordHeader {
  recordId: number | string;
  /** The record header's write time, used when the XML has no TimeCreated. */
  written: () => string;
}

/** The JSON record for one EVTX record's expanded content. */
export function recordJson(content: readonly XmlContent[], header: RecordHeader): JsonObject {
  const event = content.find(isElement);
  const system = child(event, 'System');
  const out = object();
  out.EventRecordID = numeric(text(child(system, 'EventRecordID'))) ?? header.recordId;
  out.TimeCreated = attr(child(system, 'TimeCreated'), 'SystemTime') ?? header.written();
  out.EventID = numeric(text(child(system, 'EventID'))) ?? null;
  out.Provider = attr(child(system, 'Provider'), 'Name') ?? null;
  out.Channel = text(child(system, 'Channel')) ?? null;
  out.Computer = text(child(system, 'Computer')) ?? null;
  if (event === undefined) return out;
  const keyed = new KeyedValues();
  for (const part of event.children) {
    if (!isElement(part)) continue;
    keyed.add(part.name, part.name === 'EventData' ? eventDataJson(part) : elementJson(part));
  }
  return keyed.into(out);
}
