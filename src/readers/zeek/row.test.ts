import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/prng.js';
import { countAt, decimalAt, field } from './row.js';

describe('in-place number parsing', () => {
  it('reads decimals whose digits form an integer below 2^53 exactly as Number() does, inside a longer text', () => {
    const random = prng(7);
    for (let k = 0; k < 20000; k++) {
      const whole = String(Math.floor(random() * 10 ** Math.floor(random() * 11)));
      const fraction = random() < 0.8 ? '.' + String(Math.floor(random() * 1e9)).padStart(9, '0').slice(0, 1 + Math.floor(random() * 9)) : '';
      const value = (random() < 0.1 ? '-' : '') + whole + fraction;
      const text = `x\t${value}\ty`;
      const digits = value.replace(/[^0-9]/g, '');
      // Digits that do not form an integer below 2^53 are left to the general parser.
      const exact = digits.length <= 16 && BigInt(digits) <= BigInt(Number.MAX_SAFE_INTEGER);
      expect(decimalAt(text, 2, 2 + value.length), value).toBe(exact ? Number(value) : NaN);
    }
  });

  it('leaves forms it does not read to the general parser (NaN) and rejects non-numbers', () => {
    for (const value of ['', '-', '.5', '1.', '1e5', '1.5e-3', '12a', '1..2', '99999999999999999', '1234567890.12345678', ' 1']) {
      expect(decimalAt(value, 0, value.length), value).toBeNaN();
    }
    expect(decimalAt('1700000000.123456', 0, 17)).toBe(1700000000.123456);
  });

  it('reads counts up to 16 digits and nothing else', () => {
    expect(countAt('a 12345 b', 2, 7)).toBe(12345);
    expect(countAt('9007199254740991', 0, 16)).toBe(Number.MAX_SAFE_INTEGER);
    for (const value of ['', '-1', '1.0', '12345678901234567', 'x']) expect(countAt(value, 0, value.length), value).toBeNaN();
  });
});

describe('declared fields', () => {
  it('refuses names of Object.prototype members, which a JSON row read by plain property access would inherit', () => {
    expect(() => field('constructor')).toThrow(/Object.prototype/);
    expect(() => field('toString')).toThrow(/Object.prototype/);
    expect(field('orig_bytes').name).toBe('orig_bytes');
  });
});
