// Seed analytic 2, "symmetric encryption before exfiltration": a process whose command line encrypts,
// password-archives or encodes data. Recognition is by tool and arguments (analysis/command-line), so
// quoting, case, option order, long options, full paths and shell/cmd/PowerShell wrappers do not hide it.
import { z } from 'zod';
import type { Event } from '../../core/events.js';
import { findingId, type Finding, type Technique } from '../../core/findings.js';
import { analyseProcessEvent, commandLineLimitOptions, describeKey, CRYPTO_FORMS, type CryptoForm, type CryptoUse } from '../../analysis/command-line/index.js';
import type { DetectorSpec } from '../detector.js';

export const ANALYTIC = 'seed-encryption-before-exfil';

/**
 * Risk per recognised form. The seed fixes four: `openssl enc -aes-256-cbc` and `gpg -c` → 9,
 * `python -c 'import Crypto.Cipher.AES'` and `certutil -encode` → 8. The rest follow the same reasoning:
 * - 9: a tool whose only job is symmetric encryption of files or streams (openssl enc with any cipher,
 *   gpg --symmetric, ccrypt, mcrypt, aescrypt, age --passphrase), and archives with encrypted headers
 *   (7z -mhe, rar -hp), which hide even the file names.
 * - 8: general-purpose crypto driven from an interpreter (Python Crypto/Cryptodome/cryptography, .NET
 *   Aes/Rijndael from PowerShell) — as in the seed's Python case; AES-encrypted 7z/rar archives; certutil
 *   -encode (seed); Base64/hex encoding piped straight into a network tool (as the seed's analytic 1 scores
 *   Base64 payloads 8).
 * - 7: zip -e/-P (ZipCrypto, common in ordinary use) and SecureString conversion with an explicit key
 *   (used by admin scripts to store credentials as often as to hide data).
 */
const DEFAULT_SCORES: Record<CryptoForm, number> = {
  'openssl-enc': 9,
  'gpg-symmetric': 9,
  'python-crypto': 8,
  'certutil-encode': 8,
  'powershell-crypto': 8,
  'powershell-securestring': 7,
  '7z-password': 8,
  '7z-encrypted-headers': 9,
  'zip-password': 7,
  'rar-password': 8,
  'rar-encrypted-headers': 9,
  ccrypt: 9,
  mcrypt: 9,
  aescrypt: 9,
  'age-passphrase': 9,
  'encode-to-network': 8,
};

const score = z.number().min(0).max(10);
const scoresShape = Object.fromEntries(CRYPTO_FORMS.map((form) => [form, score.default(DEFAULT_SCORES[form])])) as Record<CryptoForm, z.ZodDefault<z.ZodNumber>>;

export const options = z.strictObject({
  enabled: z.boolean().default(true),
  /** Risk per recognised form (see DEFAULT_SCORES for why each is what it is). */
  scores: z.strictObject(scoresShape).prefault({}),
  /** Added when the output goes straight to a network tool on the same command line (capped at 10): that is the exfiltration itself. */
  sent_bonus: score.default(1),
  ...commandLineLimitOptions,
});
export type Options = z.infer<typeof options>;

/**
 * ATT&CK technique for a use: ciphertext (a cipher, or a password archive sent on) is T1048.001's
 * preparation; a password archive kept on disk is T1560 (Archive Collected Data); encoding is T1027
 * (Obfuscated Files or Information), or T1048.003 when it goes straight out unencrypted.
 */
export function techniqueOf(use: CryptoUse): Technique {
  if (use.category === 'encrypt') return 'T1048.001';
  if (use.category === 'archive') return use.sentWith === undefined ? 'T1560' : 'T1048.001';
  return use.sentWith === undefined ? 'T1027' : 'T1048.003';
}

function reasonFor(use: CryptoUse, image: string | undefined): string {
  const verb = use.category === 'encrypt' ? 'encrypted data' : use.category === 'archive' ? 'built a password-protected archive' : 'encoded data';
  const key = use.keys.length > 0 ? ` with key ${describeKey(use.keys[0]!)}` : '';
  const sent = use.sentWith === undefined ? '' : ` and sent the output with ${use.sentWith}`;
  const where = use.decoded ? ' inside a PowerShell -EncodedCommand' : '';
  const who = image === undefined ? '' : ` (process ${image})`;
  return `${use.summary}${where} ${verb}${key}${sent}${who}.`;
}

export const seedEncryptionBeforeExfil: DetectorSpec<Options> = {
  id: ANALYTIC,
  description: 'Processes that encrypt, password-archive or encode data, recognised by tool and arguments (seed analytic 2)',
  consumes: ['process'],
  options,
  create(opts, limits) {
    const risk = (use: CryptoUse): number => Math.min(10, opts.scores[use.form] + (use.sentWith === undefined ? 0 : opts.sent_bonus));
    return {
      onEvent(event: Event, emit) {
        if (event.kind !== 'process') return;
        const { uses, expansion } = analyseProcessEvent(event, opts);
        for (const limit of expansion.limitsHit) limits.add(`${ANALYTIC}.${limit}`);
        if (uses.length === 0) return;
        // The riskiest use speaks for the process; the others are kept in details.
        const top = uses.reduce((best, use) => (risk(use) > risk(best) ? use : best));
        const p = event.process;
        const finding: Finding = {
          id: findingId(ANALYTIC, [event.host, p.guid ?? p.pid, p.image, p.command_line ?? event.argv?.join(' ')], event.ts),
          technique: techniqueOf(top),
          analytic: ANALYTIC,
          risk: risk(top),
          ts_start: event.ts,
          ts_end: event.ts,
          host: event.host,
          process: p,
          reason: reasonFor(top, p.image),
          evidence: [{ ...event.source, note: 'process creation' }],
          details: detailsOf(uses, expansion.limitsHit),
        };
        emit(finding);
      },
      flush() {},
    };
  },
};

/**
 * Finding details. `key_candidates` holds each key or passphrase seen on the command line as
 * `<kind>=<value>` (kinds: passphrase, key_hex, iv_hex, key_literal, key_file, key_env) — in full, for
 * decrypting what was sent later; reasons and terminal output only ever show them masked.
 */
function detailsOf(uses: readonly CryptoUse[], limitsHit: readonly string[]): Finding['details'] {
  const details: NonNullable<Finding['details']> = {
    forms: uses.map((u) => u.form),
    commands: uses.map((u) => u.summary),
  };
  const ciphers = uses.flatMap((u) => (u.cipher === undefined ? [] : [u.cipher]));
  if (ciphers.length > 0) details.ciphers = ciphers;
  const keys = uses.flatMap((u) => u.keys.map((k) => `${k.kind}=${k.value}`));
  if (keys.length > 0) details.key_candidates = keys;
  const outputs = uses.flatMap((u) => u.outputs);
  if (outputs.length > 0) details.outputs = outputs;
  const sent = uses.find((u) => u.sentWith !== undefined)?.sentWith;
  if (sent !== undefined) details.sent_with = sent;
  if (uses.some((u) => u.decoded)) details.encoded_powershell = true;
  if (limitsHit.length > 0) details.limits_hit = [...limitsHit];
  return details;
}
