// Typed access to one Zeek log row, whichever format it came from (TSV or JSON). A used value that does
// not parse as its Zeek type throws BadValue, and the reader skips that line with a counted reason.

export class BadValue extends Error {
  constructor(readonly field: string, readonly value: string, readonly expected: string) {
    super(`${field}: ${JSON.stringify(value.slice(0, 80))} is not a valid ${expected}`);
  }
}

/** Raw access to a row's fields: undefined for an absent or unset field. */
export interface Row {
  /** A scalar field as text. */
  text(field: string): string | undefined;
  /** A set or vector field as its elements (an empty array for Zeek's `(empty)`). */
  list(field: string): string[] | undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const COUNT = /^\d{1,16}$/;

export function str(row: Row, field: string): string | undefined {
  return row.text(field);
}

/** Zeek `time`/`interval`/`double`: a decimal number. */
export function real(row: Row, field: string): number | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (!DECIMAL.test(value)) throw new BadValue(field, value, 'number');
  return Number(value);
}

/** Zeek `count`/`port`: a non-negative integer that a double holds exactly. */
export function count(row: Row, field: string): number | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (!COUNT.test(value)) throw new BadValue(field, value, 'count');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new BadValue(field, value, 'count below 2^53');
  return n;
}

export function port(row: Row, field: string): number | undefined {
  const n = count(row, field);
  if (n !== undefined && n > 65535) throw new BadValue(field, String(n), 'port');
  return n;
}

export function bool(row: Row, field: string): boolean | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (value === 'T' || value === 'true') return true;
  if (value === 'F' || value === 'false') return false;
  throw new BadValue(field, value, 'bool');
}

/** Zeek `addr`: IPv4 dotted quad or IPv6 text; checked by shape, not resolved. */
export function addr(row: Row, field: string): string | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (!isAddress(value)) throw new BadValue(field, value, 'address');
  return value;
}

/** A required address: rows without their endpoints are not usable. */
export function requiredAddr(row: Row, field: string): string {
  const value = addr(row, field);
  if (value === undefined) throw new BadValue(field, '-', 'address (required)');
  return value;
}

function isAddress(value: string): boolean {
  if (value.length > 45) return false;
  if (value.includes(':')) {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      const ok = (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46 || c === 37;
      if (!ok) return false;
    }
    return true;
  }
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => p.length > 0 && p.length <= 3 && /^\d+$/.test(p) && Number(p) <= 255);
}
