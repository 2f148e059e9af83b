// Turns Windows events (Sysmon, Security) into exfilscope events, whatever format they were read from.
import type { Event, ProcessRef, Source } from '../../core/events.js';
import type { WinEvent } from './win-event.js';

const SYSMON = 'Microsoft-Windows-Sysmon';

function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function processCreate(ev: WinEvent, source: Source): Event {
  const d = ev.data;
  const process: ProcessRef = {
    pid: int(d.get('ProcessId')),
    guid: d.get('ProcessGuid'),
    image: d.get('Image'),
    command_line: d.get('CommandLine'),
    user: d.get('User'),
  };
  const parent: ProcessRef = {
    pid: int(d.get('ParentProcessId')),
    guid: d.get('ParentProcessGuid'),
    image: d.get('ParentImage'),
    command_line: d.get('ParentCommandLine'),
  };
  return { kind: 'process', ts: ev.ts, host: ev.computer, source, process, parent, cwd: d.get('CurrentDirectory'), hashes: d.get('Hashes') };
}

/** The events one Windows event yields: none for event IDs exfilscope does not use. */
export function normaliseWinEvent(ev: WinEvent, source: Source): Event[] {
  if (ev.provider === SYSMON && ev.eventId === 1) return [processCreate(ev, source)];
  return [];
}
