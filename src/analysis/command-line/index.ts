// Command-line analysis shared by every host reader's events: what a process really ran and whether it
// encrypted or encoded data on the way out. Pure functions, no I/O.
import { expandCommandLine, DEFAULT_COMMAND_LIMITS, type CommandLimits, type Expansion, type Platform } from './commands.js';
import { recogniseCrypto, type CryptoUse, type KeyCandidate } from './recognise.js';

export { expandCommandLine, guessPlatform, isNetworkTool, toolName, DEFAULT_COMMAND_LIMITS } from './commands.js';
export type { Command, CommandLimits, Expansion, Platform } from './commands.js';
export { recogniseCrypto, isCipherName, CRYPTO_FORMS } from './recognise.js';
export type { CryptoCategory, CryptoForm, CryptoUse, KeyCandidate } from './recognise.js';

export interface CommandLineAnalysis {
  expansion: Expansion;
  uses: CryptoUse[];
}

export function analyseCommandLine(
  input: { commandLine?: string; argv?: readonly string[]; image?: string; platform?: Platform },
  limits: CommandLimits = DEFAULT_COMMAND_LIMITS,
): CommandLineAnalysis {
  const expansion = expandCommandLine(input, limits);
  return { expansion, uses: recogniseCrypto(expansion) };
}

const SECRET_KINDS = new Set<KeyCandidate['kind']>(['passphrase', 'key_hex', 'iv_hex', 'key_literal']);

/** A secret as it may be shown to people: its first two characters and its length, never the whole of it. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return `${'*'.repeat(value.length)} (${value.length} chars)`;
  return `${value.slice(0, 2)}… (${value.length} chars)`;
}

/** A key candidate for display: secrets masked; key files and environment variable names shown as they are. */
export function describeKey(key: KeyCandidate): string {
  return `${key.option} ${SECRET_KINDS.has(key.kind) ? maskSecret(key.value) : key.value}`;
}
