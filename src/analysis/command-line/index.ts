// Command-line analysis shared by every host reader's events: what a process really ran and whether it
// encrypted or encoded data on the way out. Pure functions, no I/O.
import { z } from 'zod';
import type { ProcessEvent } from '../../core/events.js';
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

/**
 * Config keys for the command-line analysis limits, shared by every detector that analyses command lines
 * so they read the same way everywhere.
 */
export const commandLineLimitOptions = {
  /** Longest command line analysed (characters). 32 KiB is the Windows CreateProcess limit. */
  max_command_line_length: z.number().int().min(256).default(DEFAULT_COMMAND_LIMITS.maxLength),
  /** Deepest wrapper nesting unwrapped (cmd /c → powershell -enc → bash -c …); real attacks use two or three. */
  max_nesting_depth: z.number().int().min(1).max(32).default(DEFAULT_COMMAND_LIMITS.maxDepth),
  /** Most simple commands analysed from one command line. */
  max_commands: z.number().int().min(1).default(DEFAULT_COMMAND_LIMITS.maxCommands),
};

type LimitOptions = { [K in keyof typeof commandLineLimitOptions]: number };

/** The last analysis of each process event, so detectors reading the same event share one (they only read it). */
const analysed = new WeakMap<ProcessEvent, { limits: LimitOptions; analysis: CommandLineAnalysis }>();

function sameLimits(a: LimitOptions, b: LimitOptions): boolean {
  return a.max_command_line_length === b.max_command_line_length && a.max_nesting_depth === b.max_nesting_depth && a.max_commands === b.max_commands;
}

/** The analysis of a process event: its recorded argv when there is one (auditd), else its command line. */
export function analyseProcessEvent(event: ProcessEvent, limits: LimitOptions): CommandLineAnalysis {
  const cached = analysed.get(event);
  if (cached !== undefined && sameLimits(cached.limits, limits)) return cached.analysis;
  const analysis = analyseCommandLine(
    { commandLine: event.process.command_line, argv: event.argv, image: event.process.image },
    { maxLength: limits.max_command_line_length, maxDepth: limits.max_nesting_depth, maxCommands: limits.max_commands },
  );
  analysed.set(event, { limits, analysis });
  return analysis;
}
