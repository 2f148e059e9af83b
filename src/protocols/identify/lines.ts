// Line reading for the identifiers of text protocols (POP3, IMAP, XMPP): the n-th LF-terminated line of
// held bytes, without copying.

const LF = 0x0a;

/** The `index`-th complete line (0-based, CR and LF removed); undefined while it has not fully arrived. */
export function lineAt(bytes: Uint8Array, index: number): Uint8Array | undefined {
  let start = 0;
  for (let i = 0; i <= index; i++) {
    const end = bytes.indexOf(LF, start);
    if (end === -1) return undefined;
    if (i === index) return bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    start = end + 1;
  }
  return undefined;
}

/** The line begins with `prefix` (ASCII, compared as written). */
export function startsWith(line: Uint8Array, prefix: string): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
