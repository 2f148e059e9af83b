import { describe, expect, it } from 'vitest';
import { splitCmdScript, takeRedirections, windowsArgv } from './windows.js';

const argv = (line: string): string[] => windowsArgv(line).map((t) => t.value);

describe('windowsArgv (CommandLineToArgvW rules)', () => {
  it('keeps a quoted program path with spaces whole and does not treat its backslashes as escapes', () => {
    expect(argv('"C:\\Program Files\\7-Zip\\7z.exe" a -p x.7z')).toEqual(['C:\\Program Files\\7-Zip\\7z.exe', 'a', '-p', 'x.7z']);
  });
  it('applies the 2n and 2n+1 backslash rules before a quote', () => {
    // Examples from "Parsing C++ command-line arguments" (Microsoft Learn).
    expect(argv('p "a b c" d e')).toEqual(['p', 'a b c', 'd', 'e']);
    expect(argv('p "ab\\"c" "\\\\" d')).toEqual(['p', 'ab"c', '\\', 'd']);
    expect(argv('p a\\\\\\b d"e f"g h')).toEqual(['p', 'a\\\\\\b', 'de fg', 'h']);
    expect(argv('p a\\\\\\"b c d')).toEqual(['p', 'a\\"b', 'c', 'd']);
    expect(argv('p a\\\\\\\\"b c" d e')).toEqual(['p', 'a\\\\b c', 'd', 'e']);
  });
  it('reads "" inside quotes as a literal quote', () => {
    expect(argv('p "a""b"')).toEqual(['p', 'a"b']);
  });
  it('returns nothing for a blank line', () => {
    expect(argv('   ')).toEqual([]);
  });
});

describe('splitCmdScript (cmd /c)', () => {
  it('strips the outer quotes and splits on &, && , | and ||, marking pipes', () => {
    const segments = splitCmdScript('"type a.txt | certutil -encode - b & echo done && exit || ver"');
    expect(segments).toEqual([
      { text: 'type a.txt', pipesToNext: true },
      { text: 'certutil -encode - b', pipesToNext: false },
      { text: 'echo done', pipesToNext: false },
      { text: 'exit', pipesToNext: false },
      { text: 'ver', pipesToNext: false },
    ]);
  });
  it('honours carets and quotes, and keeps 2>&1 as a redirection', () => {
    expect(splitCmdScript('ce^rtutil -enc^ode "a & b" out 2>&1')).toEqual([{ text: 'certutil -encode "a & b" out 2>&1', pipesToNext: false }]);
  });
  it('drops grouping parentheses', () => {
    expect(splitCmdScript('(echo a & echo b)').map((s) => s.text)).toEqual(['echo a', 'echo b']);
  });
});

describe('takeRedirections', () => {
  it('removes redirections and returns the files written', () => {
    expect(takeRedirections(['certutil', '-encode', 'a', 'b', '>', 'log.txt', '2>&1', '>>c.txt'])).toEqual({
      argv: ['certutil', '-encode', 'a', 'b'],
      outputs: ['log.txt', 'c.txt'],
    });
  });
});
