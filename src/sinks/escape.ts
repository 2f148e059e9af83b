// Escaping for the terminal: every string an attacker could have written is shown, never interpreted.
// C0/C1 controls and DEL become \xNN (CVE-2025-58160 class), bidirectional and invisible format characters
// become \u{NNNN}, lone surrogates become \uNNNN. `\n` and `\t` are kept only where the caller allows them.

function isBidiOrInvisible(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0x061c
  );
}

const hex2 = (code: number): string => '\\x' + code.toString(16).padStart(2, '0');

/** Escapes one value for a single terminal line (newlines and tabs escaped too). */
export function escapeTerminal(value: string, keepNewlines = false): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    let replacement: string | undefined;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      if (!(keepNewlines && (code === 0x0a || code === 0x09))) replacement = hex2(code);
    } else if (code === 0x5c && value.charCodeAt(i + 1) === 0x78) {
      replacement = '\\\\'; // a literal backslash before `x` must not read as one of our escapes
    } else if (isBidiOrInvisible(code)) {
      replacement = `\\u{${code.toString(16).toUpperCase()}}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      replacement = `\\u${code.toString(16).toUpperCase()}`;
    }
    if (replacement !== undefined) {
      out += value.slice(plainFrom, i) + replacement;
      plainFrom = i + 1;
    }
  }
  return plainFrom === 0 ? value : out + value.slice(plainFrom);
}
