// The ATT&CK sub-technique a finding's evidence supports, instead of a fixed tag: what was seen inside the
// protocol decides between symmetric-encrypted (T1048.001), unencrypted (T1048.003) and asymmetric-encrypted
// transport (T1048.002).
import type { Technique } from '../core/findings.js';
import type { Verdict } from './inspect.js';

export interface TechniqueEvidence {
  /** The transport is natively encrypted (TLS, SSH, QUIC): content cannot be seen. */
  encryptedTransport: boolean;
  /** The content verdict, when payload bytes were inspected. */
  content?: Verdict;
}

/**
 * Ciphertext inside a plaintext protocol means a key the sender chose → T1048.001. Readable content in a
 * plaintext protocol → T1048.003. An encrypted transport with only volume evidence is a T1048.002 candidate.
 * Anything else (no content seen, or too short to tell) stays at the parent T1048.
 */
export function subTechnique(evidence: TechniqueEvidence): Technique {
  if (evidence.encryptedTransport) return 'T1048.002';
  switch (evidence.content) {
    case 'ciphertext':
      return 'T1048.001';
    case 'text':
    case 'compressed':
    case 'media':
    case 'binary':
      return 'T1048.003';
    default:
      return 'T1048';
  }
}
