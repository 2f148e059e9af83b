// Deterministic high-quality random bytes for tests: the AES-256-CTR keystream under a fixed seed — real ciphertext.
import { createCipheriv, createHash } from 'node:crypto';

export function keystream(length: number, seed = 'exfilscope'): Uint8Array {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return new Uint8Array(cipher.update(Buffer.alloc(length)));
}
