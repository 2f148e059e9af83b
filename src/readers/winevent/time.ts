// Windows event timestamps as the text formats write them: ISO 8601 (`2019-03-18T16:57:51.4359786Z`,
// SystemTime), Sysmon's UtcTime (`2019-03-18 16:57:51.435`, always UTC) and offsets (`+02:00`).
// Parsed by hand so sub-millisecond digits are kept and out-of-range fields are refused, not wrapped.

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch seconds (fractional), or undefined when the text is not a valid timestamp. A missing zone means UTC. */
export function parseWinTime(value: string | undefined): number | undefined {
  if (value === undefined || value.length > 64) return undefined;
  const m = PATTERN.exec(value.trim());
  if (m === null) return undefined;
  const [month, day, hour, minute, second] = [+m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let seconds = Date.UTC(+m[1]!, month - 1, day, hour, minute, second) / 1000;
  if (m[7] !== undefined) seconds += Number(`0.${m[7]}`);
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = (+digits.slice(1, 3) * 60 + +digits.slice(3, 5)) * 60;
    seconds -= digits[0] === '-' ? -offset : offset;
  }
  return seconds;
}
