// ArcSight Common Event Format: `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|
// Severity|Extension` (Micro Focus "Implementing ArcSight CEF" rev. 25): in the header `\|` and `\\` are
// escapes; the extension is `key=value` pairs separated by spaces, where values may contain spaces and
// escape `\=`, `\\`, `\n`, `\r`. A value runs to the space before the next unescaped `key=`.
// Byte counts: the specification defines `in` (bytesIn) as bytes flowing source→destination and `out`
// (bytesOut) the reverse, but the big firewall vendors' CEF (Palo Alto `out=$bytes_sent`, Fortinet
// `out=sentbyte`) put the source's sent bytes in `out`; `cef_out_is_source_bytes` chooses (default: vendors).
import { normaliseAction, normaliseProto, count, port, type FirewallRecord, type ParseOutcome } from './record.js';
import { parseBsdTime, parseIsoTime, type SyslogHeader } from './syslog.js';

const HEADER_NAMES = ['cef_version', 'cef_device_vendor', 'cef_device_product', 'cef_device_version', 'cef_signature_id', 'cef_event_name', 'cef_severity'];

/**
 * Index of the CEF version in a line (just after `CEF:`), or -1. Some forwarders drop the `CEF:` itself
 * (`0|Ubiquiti|…`): a line that starts with a version and `|` and has the header's seven pipes counts too.
 */
export function cefVersionAt(line: string): number {
  const at = line.indexOf('CEF:');
  if (at !== -1) return line.indexOf('|', at) !== -1 ? at + 4 : -1;
  const pipe = line.indexOf('|');
  if (pipe < 1 || pipe > 2 || !/^\d+$/.test(line.slice(0, pipe))) return -1;
  let pipes = 0;
  for (let i = 0; i < line.length && pipes < 7; i++) if (line.charCodeAt(i) === 0x7c) pipes++;
  return pipes >= 7 ? 0 : -1;
}

function isKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2d || c === 0x5b || c === 0x5d;
}

function unescapeValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 === raw.length) {
      out += c;
      continue;
    }
    const next = raw[++i];
    out += next === 'n' ? '\n' : next === 'r' ? '\r' : next;
  }
  return out;
}

/** Splits the extension into pairs in one pass: each unescaped `=` ends a key that began after the last space. */
export function parseExtension(text: string, into: Map<string, string>): void {
  let key: string | undefined;
  let valueStart = 0;
  let lastSpace = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      i++;
      continue;
    }
    if (c === 0x20) {
      lastSpace = i;
      continue;
    }
    if (c !== 0x3d) continue;
    const keyStart = lastSpace + 1;
    let valid = keyStart < i && (key === undefined || keyStart > valueStart);
    for (let k = keyStart; valid && k < i; k++) valid = isKeyChar(text.charCodeAt(k));
    if (!valid) continue;
    if (key !== undefined) into.set(key, unescapeValue(text.slice(valueStart, Math.max(valueStart, lastSpace))));
    key = text.slice(keyStart, i);
    valueStart = i + 1;
  }
  if (key !== undefined) into.set(key, unescapeValue(text.slice(valueStart).trimEnd()));
}

/** CEF times: `rt`/`start`/`end` as epoch milliseconds or `MMM dd yyyy HH:mm:ss[.SSS]`, or ISO 8601. */
function cefTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = count(text);
  if (ms !== undefined) return ms / 1000;
  return parseBsdTime(text, 0, 1970)?.ts ?? parseIsoTime(text);
}

/** Parses a CEF message from its version (`line` from `cefVersionAt`). */
export function parseCef(line: string, syslog: SyslogHeader, outIsSourceBytes: boolean): ParseOutcome {
  const message = line;
  const fields = new Map<string, string>();
  let i = 0;
  // Header fields: split on unescaped `|`; `\|` and `\\` unescaped (only fields holding a backslash are rebuilt).
  let index = 0;
  let start = 0;
  let escaped = false;
  for (; i < message.length && index < HEADER_NAMES.length; i++) {
    const c = message.charCodeAt(i);
    if (c === 0x5c) {
      escaped = true;
      i++;
    } else if (c === 0x7c) {
      const raw = message.slice(start, i);
      const value = escaped ? raw.replace(/\\([|\\])/g, '$1') : raw;
      fields.set(HEADER_NAMES[index++]!, index === 1 ? value.trim() : value);
      start = i + 1;
      escaped = false;
    }
  }
  if (index < HEADER_NAMES.length) return { problem: 'bad_header' };
  parseExtension(message.slice(i), fields);
  const src = fields.get('src') ?? fields.get('sourceAddress');
  const dst = fields.get('dst') ?? fields.get('destinationAddress');
  const ts = cefTime(fields.get('rt') ?? fields.get('end') ?? fields.get('start'));
  // Not every CEF event is traffic (admin logins, system events): a record, but no connection facts.
  if (src === undefined || dst === undefined) return { record: { dialect: 'cef', syslog, fields, ...(ts !== undefined ? { ts } : {}) } };
  const inBytes = count(fields.get('in') ?? fields.get('bytesIn') ?? fields.get('rcvdbyte'));
  const outBytes = count(fields.get('out') ?? fields.get('bytesOut') ?? fields.get('sentbyte'));
  const record: FirewallRecord = {
    dialect: 'cef',
    syslog,
    fields,
    facts: {
      action: normaliseAction(fields.get('act') ?? fields.get('deviceAction')),
      proto: normaliseProto(fields.get('proto') ?? fields.get('transportProtocol')),
      src_ip: src,
      src_port: port(fields.get('spt') ?? fields.get('sourcePort')),
      dst_ip: dst,
      dst_port: port(fields.get('dpt') ?? fields.get('destinationPort')),
      in_iface: fields.get('deviceInboundInterface'),
      out_iface: fields.get('deviceOutboundInterface'),
      rule: fields.get('cs1Label') === 'Rule' ? fields.get('cs1') : fields.get('cef_signature_id'),
      bytes_out: outIsSourceBytes ? outBytes : inBytes,
      bytes_in: outIsSourceBytes ? inBytes : outBytes,
    },
  };
  if (ts !== undefined) record.ts = ts;
  return { record };
}
