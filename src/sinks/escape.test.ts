import { describe, expect, it } from 'vitest';
import { escapeTerminal, escapeVisible, truncateSafely } from './escape.js';

describe('escapeTerminal', () => {
  it('escapes ANSI and OSC sequences, C1 controls and DEL', () => {
    expect(escapeTerminal('\x1b[2J\x1b]0;pwned\x07')).toBe('\\x1b[2J\\x1b]0;pwned\\x07');
    expect(escapeTerminal('a\x9bb\x7fc')).toBe('a\\x9bb\\x7fc');
  });

  it('escapes line forgery: CR, LF and tab', () => {
    expect(escapeTerminal('fake\rREAL\nnext\tx')).toBe('fake\\x0dREAL\\x0anext\\x09x');
    expect(escapeTerminal('a\nb', true)).toBe('a\nb');
  });

  it('shows bidi overrides and lone surrogates visibly, keeps real pairs', () => {
    expect(escapeTerminal('\u202Etxt.exe')).toBe('\\u{202E}txt.exe');
    expect(escapeTerminal('x\uD800y')).toBe('x\\uD800y');
    expect(escapeTerminal('😀')).toBe('😀');
  });

  it('cannot be fooled by a literal backslash-x in the input', () => {
    expect(escapeTerminal('\\x1b')).toBe('\\\\x1b');
  });

  it('leaves plain text untouched', () => {
    expect(escapeTerminal('GET /index.html')).toBe('GET /index.html');
  });
});

describe('escapeVisible', () => {
  it('shows C0 controls as control pictures, DEL and C1 as code points', () => {
    expect(escapeVisible('a\u0000b\nc\td\x1b')).toBe('a␀b␊c␉d␛');
    expect(escapeVisible('x\x7fy\x9bz')).toBe('x␡y⟪U+009B⟫z');
  });

  it('shows bidi, invisible and line-separator characters and lone surrogates by code point', () => {
    expect(escapeVisible('\u202Etxt.exe')).toBe('⟪U+202E⟫txt.exe');
    expect(escapeVisible('a\u200Bb\u2028c\uFEFF')).toBe('a⟪U+200B⟫b⟪U+2028⟫c⟪U+FEFF⟫');
    expect(escapeVisible('\uD800 and \uDC00')).toBe('⟪U+D800⟫ and ⟪U+DC00⟫');
    expect(escapeVisible('😀')).toBe('😀');
  });

  it('escapes input that poses as one of its own escapes', () => {
    expect(escapeVisible('⟪U+202E⟫ ␀')).toBe('⟪U+27EA⟫U+202E⟫ ⟪U+2400⟫');
  });

  it('leaves markup characters to the DOM (it is a display escape, not an HTML escape)', () => {
    expect(escapeVisible('<b>&amp;</b>')).toBe('<b>&amp;</b>');
  });
});

describe('truncateSafely', () => {
  it('never ends on half a surrogate pair', () => {
    expect(truncateSafely('ab😀', 3)).toBe('ab');
    expect(truncateSafely('ab😀', 4)).toBe('ab😀');
    expect(truncateSafely('abc', 2)).toBe('ab');
  });
});
