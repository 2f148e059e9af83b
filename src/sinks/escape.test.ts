import { describe, expect, it } from 'vitest';
import { escapeTerminal } from './escape.js';

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
