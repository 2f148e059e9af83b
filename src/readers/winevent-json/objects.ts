// Cuts a stream of JSON text into top-level objects, whatever the layout: one object per line (JSON lines),
// pretty-printed objects one after another (evtx_dump), or a JSON array of objects. One pass per character,
// no regular expressions. Integer literals too long to be exact as doubles (more than 15 digits) are turned
// into strings before parsing, so record IDs above 2^53 are never silently rounded (RELIABILITY E39).

export interface JsonObjectText {
  /** The object's text, ready for JSON.parse (long integers already quoted). */
  text: string;
  /** 1-based line where the object starts. */
  line: number;
}

export type SplitProblem = 'too_deep' | 'record_too_long' | 'bad_json' | 'junk';

export interface SplitLimits {
  maxDepth: number;
  maxRecordLength: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const MAX_EXACT_DIGITS = 15;

export class JsonObjectSplitter {
  private buffer = '';
  /** Scan position in buffer. */
  private pos = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private objectStart = -1;
  private objectLine = 0;
  private tooDeep = false;
  private discarding = false;
  private inJunk = false;
  private numberStart = -1;
  private numberIsInteger = true;
  /** [start, end) of long integer literals in the current object, relative to objectStart. */
  private longIntegers: [number, number][] = [];
  /** Set once the first object turns out to sit on one line: later objects must too, so a cut line resyncs at its end. */
  private jsonLines: boolean | undefined;

  constructor(
    private readonly limits: SplitLimits,
    private readonly onObject: (object: JsonObjectText) => void,
    private readonly onProblem: (problem: SplitProblem, line: number) => void,
  ) {}

  write(text: string): void {
    this.buffer += text;
    this.scan();
    this.compact();
  }

  /** Ends the input: an object still open is reported as cut short. */
  end(): void {
    this.endNumber(this.buffer.length);
    if (this.depth > 0) this.onProblem(this.discarding ? 'record_too_long' : 'bad_json', this.objectLine);
    this.reset();
    this.buffer = '';
    this.pos = 0;
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.objectStart = -1;
    this.tooDeep = false;
    this.discarding = false;
    this.numberStart = -1;
    this.longIntegers = [];
  }

  private endNumber(at: number): void {
    if (this.numberStart === -1) return;
    const digits = at - this.numberStart - (this.buffer.charCodeAt(this.numberStart) === 45 ? 1 : 0);
    if (this.numberIsInteger && digits > MAX_EXACT_DIGITS && !this.discarding) this.longIntegers.push([this.numberStart - this.objectStart, at - this.objectStart]);
    this.numberStart = -1;
  }

  private scan(): void {
    const b = this.buffer;
    for (let i = this.pos; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c === NEWLINE) {
        this.line++;
        if (this.depth > 0 && (this.inString || this.jsonLines === true)) {
          // A raw newline cannot be inside a JSON string, and a JSON-lines record cannot span lines.
          this.onProblem('bad_json', this.objectLine);
          this.reset();
          continue;
        }
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (this.numberStart !== -1) {
        if (c >= 48 && c <= 57) continue;
        if (c === 46 || c === 101 || c === 69 || c === 43 || c === 45) {
          this.numberIsInteger = false;
          continue;
        }
        this.endNumber(i);
      }
      if (this.depth === 0) {
        if (c === 123) {
          this.depth = 1;
          this.objectStart = i;
          this.objectLine = this.line;
          this.inJunk = false;
        } else if (c === NEWLINE) {
          this.inJunk = false;
        } else if (c === 32 || c === 9 || c === 13 || c === 44 || c === 91 || c === 93 || c === 0xfeff || this.inJunk) {
          // Separators between objects; or more of a junk run already counted (a run ends at a newline or `{`).
        } else {
          this.inJunk = true;
          this.onProblem('junk', this.line);
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === 123 || c === 91) {
        if (++this.depth > this.limits.maxDepth) this.tooDeep = true;
      } else if (c === 125 || c === 93) {
        if (--this.depth === 0) this.finishObject(i + 1);
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        this.numberStart = i;
        this.numberIsInteger = true;
      }
    }
    this.pos = b.length;
    if (this.depth > 0 && !this.discarding && this.pos - this.objectStart > this.limits.maxRecordLength) this.discarding = true;
  }

  private finishObject(end: number): void {
    const line = this.objectLine;
    if (this.jsonLines === undefined) this.jsonLines = this.line === line;
    if (this.discarding) this.onProblem('record_too_long', line);
    else if (this.tooDeep) this.onProblem('too_deep', line);
    else this.onObject({ text: this.quoteLongIntegers(this.buffer.slice(this.objectStart, end)), line });
    this.reset();
  }

  private quoteLongIntegers(text: string): string {
    if (this.longIntegers.length === 0) return text;
    let out = '';
    let from = 0;
    for (const [start, end] of this.longIntegers) {
      out += text.slice(from, start) + '"' + text.slice(start, end) + '"';
      from = end;
    }
    return out + text.slice(from);
  }

  /** Drops text no longer needed: everything outside an object, or all of an object being discarded. */
  private compact(): void {
    // A number still being read must stay whole to be quoted.
    if (this.depth === 0 && this.numberStart === -1) {
      this.buffer = '';
      this.pos = 0;
    } else if (this.discarding) {
      this.buffer = '';
      this.pos = 0;
      this.objectStart = -Infinity;
      this.numberStart = -1;
    } else if (this.objectStart > 0) {
      const shift = this.objectStart;
      this.buffer = this.buffer.slice(shift);
      this.pos -= shift;
      this.objectStart = 0;
      if (this.numberStart !== -1) this.numberStart -= shift;
    }
  }
}
