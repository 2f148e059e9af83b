// RC4 (ARCFOUR) keystream, for decrypting payloads once a key is recovered. Known-answer tests from RFC 6229.

/** A keyed RC4 state; `apply` XORs the next keystream bytes into a copy of its input. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError('RC4 key must be 1 to 256 bytes');
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + s[k]! + key[k % key.length]!) & 0xff;
      const t = s[k]!;
      s[k] = s[j]!;
      s[j] = t;
    }
  }

  /** Discards `n` keystream bytes (RC4-drop[n] variants). */
  skip(n: number): void {
    this.apply(new Uint8Array(n));
  }

  apply(input: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length);
    const s = this.s;
    let { i, j } = this;
    for (let k = 0; k < input.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
      out[k] = input[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4: the same call encrypts and decrypts. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Rc4(key).apply(data);
}
