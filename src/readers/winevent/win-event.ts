// One Windows event as every Windows source yields it (EVTX, XML exports, Winlogbeat/ECS or flattened JSON),
// before it is normalised into exfilscope events.

export interface WinEvent {
  provider: string;
  eventId: number;
  /** Event time in epoch seconds (from System/TimeCreated/@SystemTime). */
  ts: number;
  channel?: string;
  computer?: string;
  recordId?: string;
  /** EventData (or UserData) fields by name; values as rendered text. */
  data: Map<string, string>;
}
