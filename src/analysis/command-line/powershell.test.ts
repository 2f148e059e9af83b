import { describe, expect, it } from 'vitest';
import { decodeUtf16Base64, powershellScript, powershellStatements } from './powershell.js';

const encode = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');

describe('powershellScript', () => {
  it('decodes -EncodedCommand and each accepted prefix of it', () => {
    for (const flag of ['-EncodedCommand', '-enc', '-e', '-ec', '/ENC', '-EncodedC']) {
      expect(powershellScript(['-NoP', '-W', 'Hidden', flag, encode('iex x')], 1 << 16)).toEqual({ script: 'iex x', encoded: true });
    }
  });
  it('takes the script after -Command, or the first bare argument', () => {
    expect(powershellScript(['-ExecutionPolicy', 'Bypass', '-Command', 'Get-Item', 'x'], 1000)).toEqual({ script: 'Get-Item x', encoded: false });
    expect(powershellScript(['-nop', 'Get-Item x'], 1000)).toEqual({ script: 'Get-Item x', encoded: false });
  });
  it('returns nothing for -File and for Base64 that is not Base64', () => {
    expect(powershellScript(['-File', 'a.ps1'], 1000)).toBeUndefined();
    expect(powershellScript(['-enc', 'not base64!'], 1000)).toBeUndefined();
  });
  it('caps how much is decoded', () => {
    expect(decodeUtf16Base64(encode('a'.repeat(1000)), 10)!.length).toBeLessThanOrEqual(12);
  });
});

describe('powershellStatements', () => {
  it('splits on ; | and newlines, honouring quotes and backticks', () => {
    const statements = powershellStatements(`$a = 'x;y'; & "C:\\T\\7z.exe" a -pK o.7z | Out-Null\nWrite-Host "a\`"b"`);
    expect(statements.map((s) => [s.words, s.pipesToNext])).toEqual([
      [['$a', '=', 'x;y'], false],
      [['C:\\T\\7z.exe', 'a', '-pK', 'o.7z'], true],
      [['Out-Null'], false],
      [['Write-Host', 'a"b'], false],
    ]);
  });
});
