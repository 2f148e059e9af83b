// The record view (`exfilscope dump`) of a Windows event read from a text format: the System fields
// and every EventData/UserData field, before normalisation.
import type { WinEvent } from './win-event.js';

export interface WinEventRecord {
  EventRecordID?: string;
  TimeCreated: string;
  EventID: number;
  Provider: string;
  Channel?: string;
  Computer?: string;
  /** A null-prototype object: field names come from the input. */
  EventData: Record<string, string>;
}

export function dumpRecord(ev: WinEvent): WinEventRecord {
  const data: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of ev.data) data[name] = value;
  const time = new Date(ev.ts * 1000);
  return {
    EventRecordID: ev.recordId,
    TimeCreated: Number.isNaN(time.getTime()) ? String(ev.ts) : time.toISOString(),
    EventID: ev.eventId,
    Provider: ev.provider,
    Channel: ev.channel,
    Computer: ev.computer,
    EventData: data,
  };
}
