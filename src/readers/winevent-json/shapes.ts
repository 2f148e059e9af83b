// The three JSON shapes Windows events come in, turned into WinEvents:
// - Winlogbeat / Elastic Common Schema: `winlog.event_id`, `winlog.provider_name`, `winlog.channel`,
//   `winlog.computer_name`, `winlog.record_id`, `winlog.event_data.*`, `@timestamp`, `host.name`;
// - evtx_dump / python-evtx style renderings of the XML: `Event.System.*` with `#attributes`, `Event.EventData.*`;
// - flattened records as in the OTRF Security-Datasets (Mordor): `EventID`, `SourceName`, `Channel`, `Hostname`,
//   `@timestamp`, and the event fields at the top level.
import type { WinEvent } from '../winevent/win-event.js';
import { parseWinTime } from '../winevent/time.js';

export type ShapeProblem = 'not_windows' | 'bad_event_id' | 'bad_time';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalars as the XML would render them; objects and arrays are not fields. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function eventIdOf(value: unknown): number | undefined {
  // evtx_dump writes `{"#attributes": {"Qualifiers": 0}, "#text": 4688}` when EventID has attributes.
  const raw = isObject(value) ? value['#text'] : value;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function attribute(value: unknown, name: string): string | undefined {
  return isObject(value) && isObject(value['#attributes']) ? scalar(value['#attributes'][name]) : undefined;
}

function copyFields(into: Map<string, string>, from: unknown, maxFields: number, skip?: ReadonlySet<string>): number {
  if (!isObject(from)) return 0;
  let dropped = 0;
  for (const [key, value] of Object.entries(from)) {
    if (skip?.has(key) === true || key === '#attributes') continue;
    const text = scalar(value);
    if (text === undefined) continue;
    if (into.size >= maxFields) dropped++;
    else into.set(key, text);
  }
  return dropped;
}

function finish(provider: string | undefined, eventId: number | undefined, ts: number | undefined, rest: Omit<WinEvent, 'provider' | 'eventId' | 'ts'>): WinEvent | ShapeProblem {
  if (eventId === undefined) return 'bad_event_id';
  if (ts === undefined) return 'bad_time';
  return { provider: provider ?? '', eventId, ts, ...rest };
}

function fromWinlogbeat(o: Json, winlog: Json, maxFields: number): { ev: WinEvent | ShapeProblem; dropped: number } {
  const data = new Map<string, string>();
  const dropped = copyFields(data, winlog.event_data, maxFields) + copyFields(data, winlog.user_data, maxFields);
  const event = isObject(o.event) ? o.event : undefined;
  const host = isObject(o.host) ? o.host : undefined;
  const ev = finish(scalar(winlog.provider_name), eventIdOf(winlog.event_id ?? event?.code), parseWinTime(scalar(o['@timestamp'])), {
    channel: scalar(winlog.channel),
    computer: scalar(winlog.computer_name) ?? scalar(host?.name) ?? scalar(host?.hostname),
    recordId: scalar(winlog.record_id),
    data,
  });
  return { ev, dropped };
}

function fromEventXmlRendering(event: Json, system: Json, maxFields: number): { ev: WinEvent | ShapeProblem; dropped: number } {
  const data = new Map<string, string>();
  let dropped = copyFields(data, event.EventData, maxFields);
  // UserData holds one provider-defined element whose children are the fields.
  if (isObject(event.UserData)) for (const inner of Object.values(event.UserData)) dropped += copyFields(data, inner, maxFields);
  const ev = finish(attribute(system.Provider, 'Name'), eventIdOf(system.EventID), parseWinTime(attribute(system.TimeCreated, 'SystemTime')), {
    channel: scalar(system.Channel),
    computer: scalar(system.Computer),
    recordId: scalar(system.EventRecordID),
    data,
  });
  return { ev, dropped };
}

/** Keys of flattened records that describe the record, not the event. */
const FLAT_SYSTEM = new Set(['EventID', 'SourceName', 'ProviderName', 'Channel', 'Hostname', 'Computer', '@timestamp', '@version', 'TimeCreated', 'EventTime', 'EventReceivedTime', 'RecordNumber', 'EventRecordID', 'Message', 'Keywords', 'Level', 'Task', 'Opcode', 'Version', 'Severity', 'SeverityValue', 'EventType', 'SourceModuleName', 'SourceModuleType', 'ProviderGuid', 'ExecutionProcessID', 'ExecutionThreadID', 'port', 'host', 'tags']);

function fromFlattened(o: Json, maxFields: number): { ev: WinEvent | ShapeProblem; dropped: number } {
  const data = new Map<string, string>();
  const dropped = copyFields(data, o, maxFields, FLAT_SYSTEM);
  const ts = parseWinTime(scalar(o['@timestamp'])) ?? parseWinTime(scalar(o.TimeCreated)) ?? parseWinTime(scalar(o.EventTime));
  const ev = finish(scalar(o.SourceName) ?? scalar(o.ProviderName), eventIdOf(o.EventID), ts, {
    channel: scalar(o.Channel),
    computer: scalar(o.Hostname) ?? scalar(o.Computer),
    recordId: scalar(o.RecordNumber) ?? scalar(o.EventRecordID),
    data,
  });
  return { ev, dropped };
}

/** The WinEvent a parsed JSON object describes, or why it describes none; `dropped` counts fields over the cap. */
export function winEventFromJson(o: unknown, maxFields: number): { ev: WinEvent | ShapeProblem; dropped: number } {
  if (!isObject(o)) return { ev: 'not_windows', dropped: 0 };
  if (isObject(o.winlog)) return fromWinlogbeat(o, o.winlog, maxFields);
  if (isObject(o.Event) && isObject(o.Event.System)) return fromEventXmlRendering(o.Event, o.Event.System, maxFields);
  if ('EventID' in o) return fromFlattened(o, maxFields);
  return { ev: 'not_windows', dropped: 0 };
}
