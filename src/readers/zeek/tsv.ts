// Zeek's ASCII (TSV) log format: `#`-directives describe the columns, then one row per line.
// Follows Zeek's logging/writers/ascii: `#separator` with \xNN escapes, `#set_separator`, `#empty_field`,
// `#unset_field`, `#path`, `#fields`, `#types`, `#open`/`#close`; a file may hold several header blocks.
import { countAt, decimalAt, declaredFields, type Field, type Row } from './row.js';

/** Decodes Zeek's `\xNN` escapes (bytes, re-read as UTF-8) and leaves every other character alone. */
export function unescapeZeek(value: string): string {
  if (!value.includes('\\x')) return value;
  const bytes: number[] = [];
  let plain = '';
  const flush = (): void => {
    if (bytes.length > 0) {
      plain += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    }
  };
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && value[i + 1] === 'x' && i + 3 < value.length && isHex(value.charCodeAt(i + 2)) && isHex(value.charCodeAt(i + 3))) {
      bytes.push(parseInt(value.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      flush();
      plain += value[i];
    }
  }
  flush();
  return plain;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Zeek writes record fields as `id.orig_h`, or `id_orig_h` when Log::default_scope_sep is `_`;
 * both are read as the dotted name.
 */
export function scopedName(field: string): string {
  return field.startsWith('id_') ? 'id.' + field.slice(3) : field;
}

/** One header block's description of the rows that follow it. */
export class TsvHeader {
  separator = '\t';
  setSeparator = ',';
  emptyField = '(empty)';
  unsetField = '-';
  path: string | undefined;
  fields: string[] | undefined;
  types: string[] | undefined;
  index = new Map<string, number>();
  /** Column of each declared field (by Field.id), -1 when this block has no such column; filled on first use. */
  private columns = new Int32Array(0);
  closed = false;

  /** The column index of a field in this block's rows, or -1. */
  column(field: Field): number {
    if (field.id >= this.columns.length) {
      this.columns = Int32Array.from(declaredFields(), (f) => this.index.get(f.name) ?? -1);
    }
    return this.columns[field.id]!;
  }

  /** Applies one `#` line; returns an error text for a malformed header, else undefined. */
  directive(line: string): string | undefined {
    if (line.startsWith('#separator')) {
      // A new block begins: its separator is written escaped and separated from the name by a space.
      const value = line.slice('#separator'.length).trim();
      const separator = unescapeZeek(value);
      if (separator.length === 0) return '#separator is empty';
      Object.assign(this, new TsvHeader());
      this.separator = separator;
      return undefined;
    }
    const parts = this.split(line);
    const name = parts[0];
    const values = parts.slice(1);
    switch (name) {
      case '#set_separator': this.setSeparator = unescapeZeek(values[0] ?? ','); break;
      case '#empty_field': this.emptyField = values[0] ?? '(empty)'; break;
      case '#unset_field': this.unsetField = values[0] ?? '-'; break;
      case '#path': this.path = values[0]; break;
      case '#close': this.closed = true; break;
      case '#fields':
        if (values.length === 0) return '#fields lists no columns';
        this.fields = values;
        this.index = new Map(values.map((field, i) => [scopedName(field), i]));
        this.columns = new Int32Array(0);
        this.closed = false;
        break;
      case '#types':
        this.types = values;
        break;
      default:
        break;
    }
    if (this.fields !== undefined && this.types !== undefined && this.fields.length !== this.types.length) {
      return `#fields has ${this.fields.length} columns but #types has ${this.types.length}`;
    }
    return undefined;
  }

  /** Directive lines use the separator; canonified baselines sometimes use a space instead. */
  private split(line: string): string[] {
    const parts = line.split(this.separator);
    if (parts.length > 1) return parts;
    const space = line.indexOf(' ');
    return space < 0 ? [line] : [line.slice(0, space), line.slice(space + 1)];
  }
}

/**
 * A data row viewed through its header. Field boundaries are found once per line; values are cut out,
 * unescaped or parsed only when a mapping asks for them, so unused columns cost nothing.
 */
export class TsvRow implements Row {
  /** The text holding the current line (a batch of lines; the line is a span of it). */
  private source = '';
  /** Whether the line holds a backslash at all: when not, no value needs unescaping. */
  private escaped = false;
  /** The first backslash in `text` at or after the current line, -1 for none: found once per batch, not per line. */
  private nextBackslash = -1;
  /** The value `locate` found last. */
  private from = 0;
  private to = 0;
  /** Start offset of field i at [i], and one past the end of the line at [fields]. */
  private readonly starts: Int32Array;

  constructor(private readonly header: TsvHeader) {
    this.starts = new Int32Array((header.fields?.length ?? 0) + 1);
  }

  /** Points the row at the line text[from, end); false when its field count differs from the header's. */
  load(text: string, from: number, end: number): boolean {
    const { separator } = this.header;
    const expected = this.starts.length - 1;
    let count = 0;
    let start = from;
    for (;;) {
      if (count === expected) return false;
      this.starts[count++] = start;
      const at = text.indexOf(separator, start);
      if (at < 0 || at >= end) break;
      start = at + separator.length;
    }
    if (count !== expected) return false;
    this.starts[count] = end + separator.length;
    if (text !== this.source) {
      this.source = text;
      this.nextBackslash = text.indexOf('\\');
    }
    if (this.nextBackslash >= 0 && this.nextBackslash < from) this.nextBackslash = text.indexOf('\\', from);
    this.escaped = this.nextBackslash >= 0 && this.nextBackslash < end;
    return true;
  }

  /** Number of fields in the last line given to `load`, whatever the header says (for messages). */
  static countFields(line: string, separator: string): number {
    return line.split(separator).length;
  }

  fieldNames(): string[] {
    return this.header.fields ?? [];
  }

  /** Column i as text, for `dump`: undefined when absent or unset. */
  textAt(i: number): string | undefined {
    if (!this.locate(i)) return undefined;
    const value = this.source.slice(this.from, this.to);
    if (value === this.header.emptyField) return '';
    return this.escaped ? unescapeZeek(value) : value;
  }

  /** Sets `from`/`to` to column i's value; false when the row has no such column or the value is unset. */
  private locate(i: number): boolean {
    if (i < 0) return false;
    const from = this.starts[i]!;
    const to = this.starts[i + 1]! - this.header.separator.length;
    this.from = from;
    this.to = to;
    const unset = this.header.unsetField;
    if (to - from !== unset.length) return true;
    return unset.length === 1 ? this.source.charCodeAt(from) !== unset.charCodeAt(0) : !this.source.startsWith(unset, from);
  }

  text(field: Field): string | undefined {
    return this.textAt(this.header.column(field));
  }

  digits(field: Field): number | undefined {
    return this.locate(this.header.column(field)) ? countAt(this.source, this.from, this.to) : undefined;
  }

  decimal(field: Field): number | undefined {
    return this.locate(this.header.column(field)) ? decimalAt(this.source, this.from, this.to) : undefined;
  }

  /** Elements are split before they are unescaped: Zeek escapes a set separator inside an element. */
  list(field: Field): string[] | undefined {
    if (!this.locate(this.header.column(field))) return undefined;
    const value = this.source.slice(this.from, this.to);
    if (value === this.header.emptyField) return [];
    return value.split(this.header.setSeparator).map(unescapeZeek);
  }
}
