// Escaping of attacker-written strings for display: every character that could act on the display (C0/C1
// controls, DEL, bidirectional and invisible format characters, lone surrogates) is shown, never interpreted.
// One scanner classifies characters; each output renders the unsafe ones in its own visible form:
// the terminal as \xNN / \u{NNNN} (CVE-2025-58160 class), the HTML report as ␀ / ⟪U+202E⟫.

function isBidiOrInvisible(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0x061c
  );
}

/** What a character is, for display purposes. `plain` characters are passed to the renderer too, so it can
 * escape the ones that would read as one of its own escapes. */
export type CharClass = 'control' | 'format' | 'lone_surrogate' | 'plain';

/** Returns the replacement for a character, or undefined to keep it. `next` is the following code unit. */
export type Renderer = (code: number, cls: CharClass, next: number) => string | undefined;

/** Rewrites `value` through `render`; valid surrogate pairs are always kept whole. */
export function rewriteUnsafe(value: string, render: Renderer): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    let cls: CharClass = 'plain';
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) cls = 'control';
    else if (isBidiOrInvisible(code)) cls = 'format';
    else if (code >= 0xd800 && code <= 0xdfff) {
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      cls = 'lone_surrogate';
    }
    const replacement = render(code, cls, next);
    if (replacement !== undefined) {
      out += value.slice(plainFrom, i) + replacement;
      plainFrom = i + 1;
    }
  }
  return plainFrom === 0 ? value : out + value.slice(plainFrom);
}

const hex2 = (code: number): string => '\\x' + code.toString(16).padStart(2, '0');
const upperHex = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

const terminalLine: Renderer = (code, cls, next) => {
  if (cls === 'control') return hex2(code);
  if (cls === 'format') return `\\u{${code.toString(16).toUpperCase()}}`;
  if (cls === 'lone_surrogate') return `\\u${upperHex(code)}`;
  // a literal backslash before `x` must not read as one of our escapes
  return code === 0x5c && next === 0x78 ? '\\\\' : undefined;
};

const terminalMultiline: Renderer = (code, cls, next) =>
  cls === 'control' && (code === 0x0a || code === 0x09) ? undefined : terminalLine(code, cls, next);

/** Escapes one value for a single terminal line (newlines and tabs escaped too, unless `keepNewlines`). */
export function escapeTerminal(value: string, keepNewlines = false): string {
  return rewriteUnsafe(value, keepNewlines ? terminalMultiline : terminalLine);
}

const OPEN_MARK = 0x27ea; // ⟪
const CONTROL_PICTURES_FIRST = 0x2400; // ␀ … ␟ stand for C0 0x00 … 0x1F
const CONTROL_PICTURE_DEL = 0x2421; // ␡

const visible: Renderer = (code, cls) => {
  if (cls === 'control') {
    if (code < 0x20) return String.fromCharCode(CONTROL_PICTURES_FIRST + code);
    if (code === 0x7f) return String.fromCharCode(CONTROL_PICTURE_DEL);
    return `⟪U+${upperHex(code)}⟫`;
  }
  if (cls === 'format' || cls === 'lone_surrogate') return `⟪U+${upperHex(code)}⟫`;
  // Literal ⟪ and control pictures in the input are escaped too, so no input can pose as an escape we made.
  if (code === OPEN_MARK || (code >= CONTROL_PICTURES_FIRST && code <= CONTROL_PICTURE_DEL)) return `⟪U+${upperHex(code)}⟫`;
  return undefined;
};

/** The visible form of a value for a document: controls as control pictures (␀, ␊), the rest as ⟪U+NNNN⟫. */
export function escapeVisible(value: string): string {
  return rewriteUnsafe(value, visible);
}

/** Cuts a display string to at most `max` code units without splitting a surrogate pair. */
export function truncateSafely(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
