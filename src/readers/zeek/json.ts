// Zeek's JSON log format (LogAscii::use_json): one object per line, `id.orig_h` flattened or nested under
// `id`, `ts` as epoch seconds or ISO 8601 (JSON::TS_ISO8601). Only known fields are read, as own properties.
import type { Field, Row } from './row.js';

type JsonObject = Record<string, unknown>;

/** Epoch seconds of an ISO 8601 timestamp, keeping sub-millisecond digits that Date.parse would drop. */
export function isoToEpoch(value: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (match === null) return undefined;
  const whole = Date.parse(match[1]! + (match[3] === 'Z' ? 'Z' : match[3]!));
  if (Number.isNaN(whole)) return undefined;
  return whole / 1000 + (match[2] === undefined ? 0 : Number('0' + match[2]));
}

function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export class JsonRow implements Row {
  constructor(readonly obj: JsonObject) {}

  has(field: string): boolean {
    return this.value(field) !== undefined;
  }

  private value(field: string): unknown {
    // A plain read, the hot path: `has` and the mappings only ask for Zeek field names, none of which names an
    // inherited member of Object.prototype (`field()` refuses such names), so a miss is a true miss.
    const direct = this.obj[field];
    if (direct !== undefined) return direct;
    // Log::default_scope_sep may be `_` instead of `.`.
    if (field.startsWith('id.')) {
      const underscored = own(this.obj, 'id_' + field.slice(3));
      if (underscored !== undefined) return underscored;
    }
    const dot = field.indexOf('.');
    if (dot < 0) return undefined;
    const parent = own(this.obj, field.slice(0, dot));
    return parent !== null && typeof parent === 'object' && !Array.isArray(parent)
      ? own(parent as JsonObject, field.slice(dot + 1))
      : undefined;
  }

  text(field: Field): string | undefined {
    const value = this.value(field.name);
    if (value === undefined || value === null) return undefined;
    if (field.name === 'ts' && typeof value === 'string') {
      const epoch = isoToEpoch(value);
      return epoch === undefined ? value : String(epoch);
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  /** JSON numbers are used as they are; anything else goes through `text` and the general parsers. */
  digits(field: Field): number | undefined {
    const value = this.value(field.name);
    if (value === undefined || value === null) return undefined;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : NaN;
  }

  decimal(field: Field): number | undefined {
    const value = this.value(field.name);
    if (value === undefined || value === null) return undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  }

  list(field: Field): string[] | undefined {
    const value = this.value(field.name);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return [typeof value === 'string' ? value : JSON.stringify(value)];
  }
}
