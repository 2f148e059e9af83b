// RFC 5322 §2.2 header fields and RFC 2045 §5.1 / RFC 2183 parameters (`boundary`, `name`, `filename`,
// RFC 2231 `filename*`), parsed by single-pass scanners: header values are attacker bytes.

/** `Name: value` with the name lower-cased; undefined when there is no colon or the name is empty. */
export function parseHeaderLine(line: string): { name: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trim().toLowerCase();
  if (name.length === 0) return undefined;
  return { name, value: line.slice(colon + 1).trim() };
}

/**
 * The value of parameter `name` in a structured header (`type/sub; a=1; name="x y"`), unquoted. An RFC 2231
 * extended `name*=charset''pct-encoded` value is percent-decoded (bytes kept as latin1 code units).
 */
export function headerParam(value: string, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let pos = value.indexOf(';');
  while (pos !== -1 && pos < value.length) {
    let i = pos + 1;
    while (i < value.length && (value[i] === ' ' || value[i] === '\t')) i++;
    const eq = value.indexOf('=', i);
    if (eq === -1) return undefined;
    const key = value.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (j < value.length && (value[j] === ' ' || value[j] === '\t')) j++;
    let raw: string;
    let next: number;
    if (value[j] === '"') {
      let k = j + 1;
      let text = '';
      while (k < value.length && value[k] !== '"') {
        // Only \" and \\ are taken as escapes: browsers send Windows paths with bare backslashes.
        if (value[k] === '\\' && (value[k + 1] === '"' || value[k + 1] === '\\')) k++;
        text += value[k];
        k++;
      }
      raw = text;
      next = value.indexOf(';', k);
    } else {
      next = value.indexOf(';', j);
      raw = value.slice(j, next === -1 ? value.length : next).trim();
    }
    if (key === wanted) return raw;
    if (key === `${wanted}*`) return decodeExtended(raw);
    pos = next;
  }
  return undefined;
}

/** RFC 2231 §4: `charset'language'percent-encoded`. */
function decodeExtended(raw: string): string {
  const quote = raw.indexOf("'");
  const second = quote === -1 ? -1 : raw.indexOf("'", quote + 1);
  const encoded = second === -1 ? raw : raw.slice(second + 1);
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i]!;
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += c;
  }
  return out;
}
