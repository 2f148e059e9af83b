// Syslog framing in front of firewall messages: RFC 3164 (`<PRI>Mmm dd hh:mm:ss host prog[pid]: msg`,
// with or without `<PRI>`), RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…]|- MSG`, section 6) and
// the ISO-timestamped variant rsyslog writes (`2024-05-01T10:00:00+02:00 host prog: msg`). A line with no
// recognisable header is returned whole as the message. Index-based scanning, no regex on the message.

export interface SyslogHeader {
  priority?: number;
  version?: number;
  /** The timestamp text as logged. */
  timestamp?: string;
  /** Epoch seconds; RFC 3164 has no year or zone: `year` and UTC are assumed. */
  ts?: number;
  host?: string;
  program?: string;
  pid?: string;
}

export interface SyslogLine {
  header: SyslogHeader;
  message: string;
}

const MONTHS = new Map([['Jan', 0], ['Feb', 1], ['Mar', 2], ['Apr', 3], ['May', 4], ['Jun', 5], ['Jul', 6], ['Aug', 7], ['Sep', 8], ['Oct', 9], ['Nov', 10], ['Dec', 11]]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `Mmm dd hh:mm:ss` (dd may be space-padded) at `at`: returns epoch seconds and the end index. */
export function parseBsdTime(text: string, at: number, year: number): { ts: number; end: number } | undefined {
  const month = MONTHS.get(text.slice(at, at + 3));
  if (month === undefined || text.charCodeAt(at + 3) !== 0x20) return undefined;
  let i = at + 4;
  if (text.charCodeAt(i) === 0x20) i++;
  let day = 0;
  while (isDigit(text.charCodeAt(i))) day = day * 10 + text.charCodeAt(i++) - 0x30;
  if (day < 1 || day > 31 || text.charCodeAt(i) !== 0x20) return undefined;
  i++;
  // An optional year (`Mmm dd yyyy hh:mm:ss`, as Cisco and CEF rt= write).
  if (isDigit(text.charCodeAt(i)) && text.charCodeAt(i + 4) === 0x20 && text.charCodeAt(i + 2) !== 0x3a) {
    year = Number(text.slice(i, i + 4));
    i += 5;
  }
  const clock = text.slice(i, i + 8);
  if (clock.length !== 8 || clock.charCodeAt(2) !== 0x3a || clock.charCodeAt(5) !== 0x3a) return undefined;
  const [h, m, s] = [Number(clock.slice(0, 2)), Number(clock.slice(3, 5)), Number(clock.slice(6, 8))];
  if (![h, m, s].every(Number.isInteger)) return undefined;
  i += 8;
  let fraction = 0;
  if (text.charCodeAt(i) === 0x2e) {
    const start = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    fraction = Number(`0.${text.slice(start, i)}`);
  }
  return { ts: Date.UTC(year, month, day, h, m, s) / 1000 + fraction, end: i };
}

/** An RFC 3339 / ISO 8601 timestamp token: epoch seconds, or undefined. */
export function parseIsoTime(token: string): number | undefined {
  if (token.length < 19 || token.length > 40 || token.charCodeAt(4) !== 0x2d || token.charCodeAt(10) !== 0x54) return undefined;
  const ms = Date.parse(token);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

function nextSpace(text: string, from: number): number {
  const i = text.indexOf(' ', from);
  return i === -1 ? text.length : i;
}

/** `prog[pid]: ` or `prog: ` at `at`; only a tag of tag-like characters counts (RFC 3164 section 4.1.3). */
function parseTag(text: string, at: number, header: SyslogHeader): number {
  let i = at;
  while (i < text.length && i - at < 64) {
    const c = text.charCodeAt(i);
    if (c === 0x3a || c === 0x5b || c === 0x20) break;
    i++;
  }
  if (i === at) return at;
  const program = text.slice(at, i);
  let end = i;
  if (text.charCodeAt(end) === 0x5b) {
    const close = text.indexOf(']', end);
    if (close === -1 || close - end > 16) return at;
    header.pid = text.slice(end + 1, close);
    end = close + 1;
  }
  if (text.charCodeAt(end) !== 0x3a) {
    delete header.pid;
    return at;
  }
  header.program = program;
  return text.charCodeAt(end + 1) === 0x20 ? end + 2 : end + 1;
}

export function parseSyslog(line: string, year: number): SyslogLine {
  const header: SyslogHeader = {};
  let i = 0;
  if (line.charCodeAt(0) === 0x3c) {
    const close = line.indexOf('>');
    const pri = Number(line.slice(1, close));
    if (close > 1 && close <= 4 && Number.isInteger(pri)) {
      header.priority = pri;
      i = close + 1;
    }
  }
  // RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
  if (header.priority !== undefined && isDigit(line.charCodeAt(i)) && line.charCodeAt(i + 1) === 0x20) {
    header.version = line.charCodeAt(i) - 0x30;
    const fields: string[] = [];
    let at = i + 2;
    for (let k = 0; k < 5; k++) {
      const end = nextSpace(line, at);
      fields.push(line.slice(at, end));
      at = end + 1;
    }
    const [timestamp, host, app, procid] = fields as [string, string, string, string, string];
    if (timestamp !== '-') {
      header.timestamp = timestamp;
      const ts = parseIsoTime(timestamp);
      if (ts !== undefined) header.ts = ts;
    }
    if (host !== '-') header.host = host;
    if (app !== '-') header.program = app;
    if (procid !== '-') header.pid = procid;
    at = skipStructuredData(line, at);
    return { header, message: line.slice(Math.min(at, line.length)) };
  }
  const bsd = parseBsdTime(line, i, year);
  let at = i;
  if (bsd !== undefined) {
    header.timestamp = line.slice(i, bsd.end);
    header.ts = bsd.ts;
    at = bsd.end;
  } else {
    const end = nextSpace(line, i);
    const ts = parseIsoTime(line.slice(i, end));
    if (ts === undefined) return { header, message: line.slice(i) };
    header.timestamp = line.slice(i, end);
    header.ts = ts;
    at = end;
  }
  if (line.charCodeAt(at) === 0x20) at++;
  // HOSTNAME, unless what follows the time is already the tag (`Mar 1 10:00:00 kernel: …`).
  const tagged = parseTag(line, at, header);
  if (tagged !== at) return { header, message: line.slice(tagged) };
  const hostEnd = nextSpace(line, at);
  header.host = line.slice(at, hostEnd);
  at = Math.min(hostEnd + 1, line.length);
  at = parseTag(line, at, header);
  return { header, message: line.slice(at) };
}

/** Skips RFC 5424 STRUCTURED-DATA (`-` or `[id k="v\]…"]…`), honouring `\]` and `\"` escapes. */
function skipStructuredData(line: string, at: number): number {
  if (line.charCodeAt(at) === 0x2d) return at + 2;
  let i = at;
  while (line.charCodeAt(i) === 0x5b) {
    let inQuote = false;
    i++;
    while (i < line.length) {
      const c = line.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) {
        inQuote = !inQuote;
        i++;
      } else if (c === 0x5d && !inQuote) {
        i++;
        break;
      } else i++;
    }
  }
  return line.charCodeAt(i) === 0x20 ? i + 1 : i;
}
