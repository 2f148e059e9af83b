// Single-pass scanners for runs of characters from an alphabet (Base64 and friends): linear in the input,
// never a backtracking regex, so attacker-chosen strings cost what their length costs (RELIABILITY D27).

/** `[A-Za-z0-9+/=]`, the seed analytic's Base64 alphabet. */
export function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) ||
    code === 43 || code === 47 || code === 61
  );
}

export interface Run {
  start: number;
  length: number;
}

/** The longest run of characters (or Latin-1 bytes) accepted by `member`; the first, when several tie. */
export function longestRun(input: string | Uint8Array, member: (code: number) => boolean): Run {
  const codeAt = typeof input === 'string' ? (i: number) => input.charCodeAt(i) : (i: number) => input[i]!;
  let best: Run = { start: 0, length: 0 };
  let start = 0;
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    if (member(codeAt(i))) {
      if (length === 0) start = i;
      length++;
      if (length > best.length) best = { start, length };
    } else {
      length = 0;
    }
  }
  return best;
}
