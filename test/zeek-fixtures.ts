// Builds Zeek TSV logs for tests and samples: Zeek's header block, then one row per object.
export interface ZeekColumn {
  name: string;
  type: string;
}

export const CONN_COLUMNS: ZeekColumn[] = [
  ['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.orig_p', 'port'], ['id.resp_h', 'addr'], ['id.resp_p', 'port'],
  ['proto', 'enum'], ['service', 'string'], ['duration', 'interval'], ['orig_bytes', 'count'], ['resp_bytes', 'count'],
  ['conn_state', 'string'], ['missed_bytes', 'count'], ['history', 'string'], ['orig_pkts', 'count'], ['orig_ip_bytes', 'count'],
  ['resp_pkts', 'count'], ['resp_ip_bytes', 'count'],
].map(([name, type]) => ({ name: name!, type: type! }));

export const HTTP_COLUMNS: ZeekColumn[] = [
  ['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.orig_p', 'port'], ['id.resp_h', 'addr'], ['id.resp_p', 'port'],
  ['trans_depth', 'count'], ['method', 'string'], ['host', 'string'], ['uri', 'string'], ['user_agent', 'string'],
  ['request_body_len', 'count'], ['response_body_len', 'count'], ['status_code', 'count'],
].map(([name, type]) => ({ name: name!, type: type! }));

type Cell = string | number | undefined;

/** Escapes a value the way Zeek's ASCII writer does: tab, newline and backslash-x sequences as \xNN. */
function escape(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f || ch === '\\' ? '\\x' + code.toString(16).padStart(2, '0') : ch;
  }
  return out;
}

export function zeekTsv(path: string, columns: ZeekColumn[], rows: Record<string, Cell>[]): string {
  const lines = [
    '#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, '#open\t2026-01-01-00-00-00',
    '#fields\t' + columns.map((c) => c.name).join('\t'),
    '#types\t' + columns.map((c) => c.type).join('\t'),
    ...rows.map((row) => columns.map((c) => {
      const v = row[c.name];
      return v === undefined ? '-' : typeof v === 'number' ? String(v) : v === '' ? '(empty)' : escape(v);
    }).join('\t')),
    '#close\t2026-01-01-00-00-01',
  ];
  return lines.join('\n') + '\n';
}

let uidCounter = 0;

/** A finished TCP connection with the given endpoints and volumes. */
export function conn(ts: number, src: string, dst: string, port: number, bytesOut: number, bytesIn = 1000): Record<string, Cell> {
  uidCounter++;
  return {
    ts: ts.toFixed(6), uid: `C${uidCounter.toString(36).padStart(8, '0')}`, 'id.orig_h': src, 'id.orig_p': 40000 + (uidCounter % 20000),
    'id.resp_h': dst, 'id.resp_p': port, proto: 'tcp', duration: '12.5', orig_bytes: bytesOut, resp_bytes: bytesIn,
    conn_state: 'SF', missed_bytes: 0, history: 'ShADadFf', orig_pkts: Math.ceil(bytesOut / 1448) + 3,
    orig_ip_bytes: bytesOut + 52 * (Math.ceil(bytesOut / 1448) + 3), resp_pkts: Math.ceil(bytesIn / 1448) + 3,
    resp_ip_bytes: bytesIn + 52 * (Math.ceil(bytesIn / 1448) + 3),
  };
}

export function httpRequest(ts: number, src: string, dst: string, method: string, host: string, uri: string, bodyLength = 0, userAgent = 'curl/8.5.0'): Record<string, Cell> {
  uidCounter++;
  return {
    ts: ts.toFixed(6), uid: `H${uidCounter.toString(36).padStart(8, '0')}`, 'id.orig_h': src, 'id.orig_p': 40000 + (uidCounter % 20000),
    'id.resp_h': dst, 'id.resp_p': 80, trans_depth: 1, method, host, uri, user_agent: userAgent,
    request_body_len: bodyLength, response_body_len: 120, status_code: 200,
  };
}
