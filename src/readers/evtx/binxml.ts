// Binary XML of EVTX records (MS-EVEN6 §3.1.4.7 "BinXml"; libevtx "Windows XML Event Log (EVTX) format" §3):
// tokens, template definitions (cached per chunk by offset), substitutions and nested Binary XML values,
// expanded into a plain element tree. Element nesting is walked with an explicit stack; template and
// nested-value recursion is capped, because attacker-made files can nest without end.
import { decodeInline, decodeSized, TYPE, utf16, ValueError, valueText, type Value } from './values.js';

/** An expanded element: attributes in order, then content (text values and child elements) in order. */
export interface XmlElement {
  name: string;
  attrs: [name: string, value: Value][];
  children: XmlContent[];
}
export type XmlContent = XmlElement | Value;

export function isElement(node: XmlContent): node is XmlElement {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

export class BinXmlError extends Error {
  constructor(
    message: string,
    readonly code: 'evtx.bad_binxml' | 'evtx.depth_exceeded' | 'evtx.record_too_large' = 'evtx.bad_binxml',
  ) {
    super(message);
  }
}

export interface BinXmlLimits {
  /** Deepest element nesting inside one fragment. */
  maxElementDepth: number;
  /** Deepest chain of templates and Binary XML values nested inside substitution values. */
  maxFragmentNesting: number;
  /**
   * Most elements and values one record may expand to. Templates can instantiate other templates many times
   * over, so a small record could otherwise expand exponentially (as XML entity bombs do).
   */
  maxRecordNodes: number;
}

/** What is left of a record's expansion budget. */
interface Budget {
  left: number;
}

// Template-side nodes: literal parts, substitution slots and nested template instances.
interface Substitution {
  sub: number;
  optional: boolean;
}
interface TemplateElement {
  name: string;
  attrs: { name: string; parts: TemplatePart[] }[];
  children: TemplateNode[];
}
interface Instance {
  template: TemplateNode[];
  values: SubstitutionValue[];
}
type TemplatePart = Value | Substitution | Instance;
type TemplateNode = TemplateElement | TemplatePart;
/** A substitution value: a typed value, or the elements of a nested Binary XML value. */
type SubstitutionValue = { value: Value; type: number } | { elements: XmlContent[]; type: number; cost: number };

const TOKEN = {
  EOF: 0x00,
  OPEN_START: 0x01,
  CLOSE_START: 0x02,
  CLOSE_EMPTY: 0x03,
  END_ELEMENT: 0x04,
  VALUE: 0x05,
  ATTRIBUTE: 0x06,
  CDATA: 0x07,
  CHAR_REF: 0x08,
  ENTITY_REF: 0x09,
  PI_TARGET: 0x0a,
  PI_DATA: 0x0b,
  TEMPLATE_INSTANCE: 0x0c,
  NORMAL_SUB: 0x0d,
  OPTIONAL_SUB: 0x0e,
  FRAGMENT_HEADER: 0x0f,
} as const;
/** Set on a token when more data follows: attributes after an element start, more content after a value. */
const MORE = 0x40;

const ENTITIES = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

function isTemplateElement(node: TemplateNode): node is TemplateElement {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && 'attrs' in node;
}
function isSubstitution(node: TemplateNode): node is Substitution {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && 'sub' in node;
}

/**
 * Parses the Binary XML of one 64 KiB chunk. Names and template definitions are referenced by chunk
 * offset and shared by the chunk's records, so both are cached here for the chunk's lifetime.
 */
export class ChunkBinXml {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateNode[]>();

  constructor(
    private readonly buf: Buffer,
    private readonly limits: BinXmlLimits,
  ) {}

  /** Expands the Binary XML fragment in [start, end) of the chunk into elements. */
  expand(start: number, end: number): XmlContent[] {
    return this.expandFragment(start, end, 0, { left: this.limits.maxRecordNodes });
  }

  private expandFragment(start: number, end: number, nesting: number, budget: Budget): XmlContent[] {
    if (nesting > this.limits.maxFragmentNesting) {
      throw new BinXmlError(`Binary XML nested deeper than ${this.limits.maxFragmentNesting} fragments`, 'evtx.depth_exceeded');
    }
    const { nodes } = this.parseTokens(start, end, nesting, false, budget);
    return instantiate(nodes, [], budget);
  }

  private u16(at: number, end: number): number {
    if (at + 2 > end) throw new BinXmlError(`token at ${at} overruns its fragment`);
    return this.buf.readUInt16LE(at);
  }
  private u32(at: number, end: number): number {
    if (at + 4 > end) throw new BinXmlError(`token at ${at} overruns its fragment`);
    return this.buf.readUInt32LE(at);
  }

  /** Reads the name at chunk offset `offset`; when it is stored inline at `pos`, returns how far to skip. */
  private name(offset: number, pos: number, end: number): { name: string; skip: number } {
    const inline = offset === pos;
    const cached = this.names.get(offset);
    if (cached !== undefined) return { name: cached, skip: inline ? 10 + 2 * cached.length : 0 };
    // A name: next-name offset (4), hash (2), character count (2), UTF-16 characters, NUL (2).
    const limit = inline ? end : this.buf.length;
    if (offset + 8 > limit) throw new BinXmlError(`name at ${offset} is outside its chunk`);
    const count = this.buf.readUInt16LE(offset + 6);
    const stop = offset + 8 + 2 * count;
    if (stop > limit) throw new BinXmlError(`name at ${offset} overruns its chunk`);
    const name = this.buf.toString('utf16le', offset + 8, stop);
    this.names.set(offset, name);
    return { name, skip: inline ? 10 + 2 * count : 0 };
  }

  /** A template definition by chunk offset: next-template offset (4), GUID (16), data size (4), body. */
  private template(offset: number, nesting: number, budget: Budget): { nodes: TemplateNode[]; size: number } {
    if (offset + 24 > this.buf.length) throw new BinXmlError(`template at ${offset} is outside its chunk`);
    const size = this.buf.readUInt32LE(offset + 20);
    const bodyEnd = offset + 24 + size;
    if (bodyEnd > this.buf.length) throw new BinXmlError(`template at ${offset} overruns its chunk`);
    let nodes = this.templates.get(offset);
    if (nodes === undefined) {
      nodes = this.parseTokens(offset + 24, bodyEnd, nesting + 1, true, budget).nodes;
      this.templates.set(offset, nodes);
    }
    return { nodes, size: 24 + size };
  }

  /** Substitution values after a template instance: count (4), count × (size 2, type 1, pad 1), values. */
  private substitutionValues(pos: number, end: number, nesting: number, budget: Budget): { values: SubstitutionValue[]; end: number } {
    const count = this.u32(pos, end);
    let at = pos + 4;
    if (count * 4 > end - at) throw new BinXmlError(`${count} substitution values cannot fit in the record`);
    let valueAt = at + count * 4;
    const values: SubstitutionValue[] = new Array(count);
    for (let i = 0; i < count; i++, at += 4) {
      const size = this.buf.readUInt16LE(at);
      const type = this.buf[at + 2]!;
      const valueEnd = valueAt + size;
      if (valueEnd > end) throw new BinXmlError(`substitution value ${i} overruns the record`);
      if (type === TYPE.BINXML) {
        // What the value cost to expand is charged again each time a template slot repeats it.
        const before = budget.left;
        const elements = this.expandFragment(valueAt, valueEnd, nesting + 1, budget);
        values[i] = { elements, type, cost: before - budget.left };
      } else values[i] = { value: decodeSized(this.buf, valueAt, valueEnd, type), type };
      valueAt = valueEnd;
    }
    return { values, end: valueAt };
  }

  /**
   * Parses tokens from `start` up to the end-of-fragment token (or `end`) into template nodes. Element starts
   * carry a 2-byte dependency id only inside template definitions (records forwarded by Windows Event
   * Collector hold plain elements without it).
   */
  private parseTokens(start: number, end: number, nesting: number, inTemplate: boolean, budget: Budget): { nodes: TemplateNode[]; end: number } {
    if (nesting > this.limits.maxFragmentNesting) {
      throw new BinXmlError(`templates nested deeper than ${this.limits.maxFragmentNesting}`, 'evtx.depth_exceeded');
    }
    const buf = this.buf;
    const root: TemplateNode[] = [];
    const stack: TemplateElement[] = [];
    let content = root;
    /** Where value tokens go: an attribute's parts while inside an element's start tag, else the content. */
    let parts: TemplatePart[] | undefined;
    let pos = start;
    const add = (part: TemplatePart): void => {
      (parts ?? content).push(part);
    };
    const close = (): void => {
      stack.pop();
      const parent = stack.at(-1);
      content = parent === undefined ? root : parent.children;
      parts = undefined;
    };
    try {
      while (pos < end) {
        const token = buf[pos]!;
        const kind = token & ~MORE;
        switch (kind) {
          case TOKEN.EOF:
            return { nodes: root, end: pos + 1 };
          case TOKEN.OPEN_START: {
            // [Dependency id (2)], data size (4), name offset (4), inline name, then attribute list size (4) if MORE.
            const fields = inTemplate ? 3 : 1;
            const nameOffset = this.u32(pos + fields + 4, end);
            pos += fields + 8;
            const { name, skip } = this.name(nameOffset, pos, end);
            pos += skip;
            if (token & MORE) pos += 4;
            if (stack.length >= this.limits.maxElementDepth) {
              throw new BinXmlError(`elements nested deeper than ${this.limits.maxElementDepth}`, 'evtx.depth_exceeded');
            }
            const element: TemplateElement = { name, attrs: [], children: [] };
            content.push(element);
            stack.push(element);
            content = element.children;
            parts = undefined;
            break;
          }
          case TOKEN.CLOSE_START:
            parts = undefined;
            pos += 1;
            break;
          case TOKEN.CLOSE_EMPTY:
          case TOKEN.END_ELEMENT:
            if (stack.length === 0) throw new BinXmlError(`element end at ${pos} without an open element`);
            close();
            pos += 1;
            break;
          case TOKEN.VALUE: {
            if (pos + 2 > end) throw new BinXmlError(`value at ${pos} overruns its fragment`);
            const { value, size } = decodeInline(buf, pos + 2, end, buf[pos + 1]!);
            add(value);
            pos += 2 + size;
            break;
          }
          case TOKEN.ATTRIBUTE: {
            const element = stack.at(-1);
            if (element === undefined) throw new BinXmlError(`attribute at ${pos} outside an element`);
            const nameOffset = this.u32(pos + 1, end);
            pos += 5;
            const { name, skip } = this.name(nameOffset, pos, end);
            pos += skip;
            const attr = { name, parts: [] as TemplatePart[] };
            element.attrs.push(attr);
            parts = attr.parts;
            break;
          }
          case TOKEN.CDATA: {
            const count = this.u16(pos + 1, end);
            const stop = pos + 3 + 2 * count;
            if (stop > end) throw new BinXmlError(`CDATA at ${pos} overruns its fragment`);
            add(utf16(buf, pos + 3, stop));
            pos = stop;
            break;
          }
          case TOKEN.CHAR_REF:
            add(String.fromCharCode(this.u16(pos + 1, end)));
            pos += 3;
            break;
          case TOKEN.ENTITY_REF: {
            const nameOffset = this.u32(pos + 1, end);
            pos += 5;
            const { name, skip } = this.name(nameOffset, pos, end);
            pos += skip;
            add(ENTITIES.get(name) ?? `&${name};`);
            break;
          }
          case TOKEN.PI_TARGET: {
            const nameOffset = this.u32(pos + 1, end);
            pos += 5;
            const { name, skip } = this.name(nameOffset, pos, end);
            pos += skip;
            add(`<?${name}`);
            break;
          }
          case TOKEN.PI_DATA: {
            const count = this.u16(pos + 1, end);
            const stop = pos + 3 + 2 * count;
            if (stop > end) throw new BinXmlError(`processing instruction at ${pos} overruns its fragment`);
            add(` ${utf16(buf, pos + 3, stop)}?>`);
            pos = stop;
            break;
          }
          case TOKEN.TEMPLATE_INSTANCE: {
            // Unknown (1), template id (4), definition offset (4); the definition follows inline when it
            // lies after this token (first use in the chunk), else it was defined earlier in the chunk.
            const definition = this.u32(pos + 6, end);
            pos += 10;
            const { nodes, size } = this.template(definition, nesting, budget);
            if (definition >= pos) pos += size;
            const subs = this.substitutionValues(pos, end, nesting, budget);
            pos = subs.end;
            add({ template: nodes, values: subs.values });
            break;
          }
          case TOKEN.NORMAL_SUB:
          case TOKEN.OPTIONAL_SUB:
            add({ sub: this.u16(pos + 1, end), optional: kind === TOKEN.OPTIONAL_SUB });
            pos += 4;
            break;
          case TOKEN.FRAGMENT_HEADER:
            pos += 4;
            break;
          default:
            throw new BinXmlError(`unknown token 0x${token.toString(16)} at ${pos}`);
        }
      }
    } catch (err) {
      if (err instanceof ValueError || err instanceof RangeError) throw new BinXmlError(err.message);
      throw err;
    }
    return { nodes: root, end: pos };
  }
}

/** Joins an attribute's parts into one value; undefined when an optional substitution left it empty. */
function attributeValue(parts: TemplatePart[], values: readonly SubstitutionValue[]): Value | undefined {
  const resolved: Value[] = [];
  for (const part of parts) {
    if (isSubstitution(part)) {
      const v = values[part.sub];
      if (v === undefined || v.type === TYPE.NULL) {
        if (part.optional) continue;
        resolved.push(null);
      } else if ('elements' in v) resolved.push(null);
      else resolved.push(v.value);
    } else if (!isInstance(part)) resolved.push(part);
  }
  if (resolved.length === 0) return parts.length === 0 ? '' : undefined;
  if (resolved.length === 1) return resolved[0]!;
  return resolved.map(valueText).join('');
}

function isInstance(part: TemplatePart): part is Instance {
  return part !== null && typeof part === 'object' && !Array.isArray(part) && 'template' in part;
}

/**
 * Fills a template's slots with substitution values. Recursion follows the template's element depth and
 * its nested instances, both capped when the template was parsed.
 */
function instantiate(
  nodes: readonly TemplateNode[],
  values: readonly SubstitutionValue[],
  budget: Budget,
  out: XmlContent[] = [],
): XmlContent[] {
  for (const node of nodes) {
    if (--budget.left < 0) throw new BinXmlError('record expands to too many elements and values', 'evtx.record_too_large');
    if (isTemplateElement(node)) {
      const attrs: [string, Value][] = [];
      for (const attr of node.attrs) {
        const value = attributeValue(attr.parts, values);
        if (value !== undefined) attrs.push([attr.name, value]);
      }
      out.push({ name: node.name, attrs, children: instantiate(node.children, values, budget) });
    } else if (isSubstitution(node)) {
      const v = values[node.sub];
      if (v === undefined) continue;
      // A loop, not push(...elements): a spread of a huge array overflows the call stack.
      if ('elements' in v) {
        budget.left -= v.cost;
        for (const element of v.elements) out.push(element);
      }
      else if (!(node.optional && v.type === TYPE.NULL)) out.push(v.value);
    } else if (isInstance(node)) {
      instantiate(node.template, node.values, budget, out);
    } else {
      out.push(node);
    }
  }
  return out;
}

export type { Value };
