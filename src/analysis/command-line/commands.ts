// Turns one process's command line into the simple commands it really runs, whatever wraps them:
// `cmd /c`, `sh -c`/`bash -c`, PowerShell -Command/-EncodedCommand, `env`/`sudo`/`nohup`-style launchers,
// pipelines and command substitutions. Nesting is unwrapped with a work list (never recursion) and capped.
import { splitCmdScript, takeRedirections, windowsArgv } from './windows.js';
import { parsePosix } from './posix.js';
import { powershellScript, powershellStatements } from './powershell.js';

export type Platform = 'windows' | 'posix';

export interface Command {
  /** Arguments after the program; `program` is argv[0] as written. */
  program: string;
  args: string[];
  /** Program base name, lower case, without `.exe`: `openssl`, `7z`, `python3`. */
  tool: string;
  platform: Platform;
  /** Tools reading this command's output: later commands of its pipeline, or the command a substitution feeds. */
  consumers: string[];
  /** Files its output is redirected to. */
  outputs: string[];
  /** Position in the expansion's command list (execution order as written). */
  index: number;
  /** True when found inside a PowerShell -EncodedCommand. */
  decoded: boolean;
}

/** Script text handed to an interpreter, kept for recognisers that read code rather than arguments. */
export interface InterpreterScript {
  language: 'powershell' | 'python';
  text: string;
  consumers: string[];
  /** True for PowerShell -EncodedCommand. */
  decoded: boolean;
}

export interface CommandLimits {
  /** Longest command line analysed, in characters; the rest is ignored (`truncated`). */
  maxLength: number;
  /** Deepest wrapper nesting unwrapped (`cmd /c powershell -enc … bash -c …`); deeper layers are left as they are. */
  maxDepth: number;
  /** Most simple commands taken from one command line. */
  maxCommands: number;
}

export const DEFAULT_COMMAND_LIMITS: CommandLimits = { maxLength: 32_768, maxDepth: 6, maxCommands: 256 };

export interface Expansion {
  commands: Command[];
  scripts: InterpreterScript[];
  /** Which limits were reached, by name (the config keys `max_command_line_length`, `max_nesting_depth`, `max_commands`). */
  limitsHit: string[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'busybox-sh']);
const PYTHONS = /^(?:python(?:[0-9.]*)?|pythonw|py|pypy3?)$/;
const POWERSHELLS = new Set(['powershell', 'pwsh', 'powershell_ise']);
/** Launchers that run the command after their own options. Value: options that take an argument. */
const LAUNCHERS = new Map<string, Set<string>>([
  ['env', new Set(['-u', '--unset', '-C', '--chdir', '-S'])],
  ['sudo', new Set(['-u', '-g', '-h', '-p', '-C', '-r', '-t', '-D', '-U'])],
  ['doas', new Set(['-u', '-C'])],
  ['nohup', new Set()],
  ['time', new Set(['-f', '-o'])],
  ['nice', new Set(['-n'])],
  ['ionice', new Set(['-c', '-n', '-p'])],
  ['setsid', new Set()],
  ['stdbuf', new Set(['-i', '-o', '-e'])],
  ['timeout', new Set(['-s', '-k', '--signal', '--kill-after'])],
  ['exec', new Set(['-a'])],
  ['command', new Set()],
  ['xargs', new Set(['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a'])],
  ['busybox', new Set()],
  ['start', new Set()],
  ['call', new Set()],
]);

const NETWORK_TOOLS = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ftp', 'tftp', 'sftp', 'scp', 'rsync', 'ssh', 'telnet',
  'smbclient', 'lftp', 'ncftpput', 'sendmail', 'mail', 'mailx', 'mutt', 'swaks', 'nslookup', 'dig', 'host',
  'ping', 'bitsadmin', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'send-mailmessage',
  'openssl s_client', 'rclone', 'aws', 'gsutil', 'azcopy', 'certreq',
]);

export function isNetworkTool(tool: string): boolean {
  return NETWORK_TOOLS.has(tool);
}

/** `C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.EXE` → `powershell`; `/usr/bin/python3.11` → `python3.11`. */
export function toolName(program: string): string {
  const base = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1).toLowerCase();
  return base.replace(/\.(?:exe|com)$/, '');
}

/** The name a consumer is known by; `openssl s_client` is a network sender, other openssl commands are not. */
function consumerName(argv: readonly string[]): string {
  const tool = toolName(argv[0] ?? '');
  return tool === 'openssl' && argv[1] === 's_client' ? 'openssl s_client' : tool;
}

/** Guesses the platform from the program path and the line itself. */
export function guessPlatform(commandLine: string, image?: string): Platform {
  const probe = image ?? commandLine.slice(0, 300);
  if (/^"?[A-Za-z]:[\\/]/.test(probe) || probe.includes('\\') || /\.exe\b/i.test(probe)) return 'windows';
  return 'posix';
}

type Work =
  | { type: 'line'; text: string; platform: Platform; depth: number; consumers: string[]; outputs: string[]; decoded: boolean }
  | { type: 'argv'; argv: string[]; platform: Platform; depth: number; consumers: string[]; outputs: string[]; decoded: boolean }
  | { type: 'powershell'; text: string; depth: number; consumers: string[]; decoded: boolean };

/**
 * The simple commands a command line runs. Give `argv` when the source recorded it (auditd EXECVE):
 * it is exact, whereas a command line has to be split again.
 */
export function expandCommandLine(
  input: { commandLine?: string; argv?: readonly string[]; image?: string; platform?: Platform },
  limits: CommandLimits = DEFAULT_COMMAND_LIMITS,
): Expansion {
  const expansion: Expansion = { commands: [], scripts: [], limitsHit: [] };
  const hit = (name: string): void => {
    if (!expansion.limitsHit.includes(name)) expansion.limitsHit.push(name);
  };
  const clip = (text: string): string => {
    if (text.length <= limits.maxLength) return text;
    hit('max_command_line_length');
    return text.slice(0, limits.maxLength);
  };
  const work: Work[] = [];
  const platform = input.platform ?? guessPlatform(input.commandLine ?? input.argv?.join(' ') ?? '', input.image);
  if (input.argv !== undefined && input.argv.length > 0) {
    work.push({ type: 'argv', argv: input.argv.map(clip), platform, depth: 0, consumers: [], outputs: [], decoded: false });
  } else if (input.commandLine !== undefined) {
    work.push({ type: 'line', text: clip(input.commandLine), platform, depth: 0, consumers: [], outputs: [], decoded: false });
  }

  // Work is taken from the front so commands keep the order they are written in.
  let next = 0;
  while (next < work.length) {
    const item = work[next++]!;
    if (expansion.commands.length >= limits.maxCommands || work.length > limits.maxCommands * 4) {
      hit('max_commands');
      break;
    }
    const deeper = item.depth + 1;
    const canNest = deeper <= limits.maxDepth;
    switch (item.type) {
      case 'line': {
        if (item.platform === 'windows') {
          const tokens = windowsArgv(item.text);
          const argv = tokens.map((t) => t.value);
          const tool = toolName(argv[0] ?? '');
          const switchAt = tool === 'cmd' ? argv.findIndex((a, i) => i > 0 && /^\/[ckr]/i.test(a)) : -1;
          if (switchAt > 0) {
            if (!canNest) {
              hit('max_nesting_depth');
              break;
            }
            // cmd reads the raw text after the switch, not the argv split of it.
            const raw = item.text.slice(tokens[switchAt - 1]!.end).trimStart().slice(2);
            const segments = splitCmdScript(raw);
            segments.forEach((segment, i) => {
              const consumers = downstream(segments.map((s) => consumerName(windowsArgv(s.text).map((t) => t.value))), segments.map((s) => s.pipesToNext), i, item.consumers);
              const split = takeRedirections(windowsArgv(segment.text).map((t) => t.value));
              work.push({ type: 'argv', argv: split.argv, platform: 'windows', depth: deeper, consumers, outputs: split.outputs, decoded: item.decoded });
            });
          } else {
            work.push({ type: 'argv', argv, platform: 'windows', depth: item.depth, consumers: item.consumers, outputs: item.outputs, decoded: item.decoded });
          }
        } else {
          const parsed = parsePosix(item.text);
          const names = parsed.commands.map((c) => consumerName(c.argv));
          const pipes = parsed.commands.map((c) => c.pipesToNext);
          parsed.commands.forEach((command, i) => {
            work.push({ type: 'argv', argv: command.argv, platform: 'posix', depth: item.depth, consumers: downstream(names, pipes, i, item.consumers), outputs: [...item.outputs, ...command.outputs], decoded: item.decoded });
          });
          for (const sub of parsed.substitutions) {
            if (!canNest) {
              hit('max_nesting_depth');
              break;
            }
            const consumer = names[sub.consumer];
            const consumers = consumer === undefined ? item.consumers : [consumer, ...downstream(names, pipes, sub.consumer, item.consumers)];
            work.push({ type: 'line', text: sub.script, platform: 'posix', depth: deeper, consumers, outputs: [], decoded: item.decoded });
          }
        }
        break;
      }
      case 'argv': {
        const unwrapped = unwrap(item.argv);
        if (unwrapped.length === 0) break;
        const [program, ...args] = unwrapped as [string, ...string[]];
        const tool = toolName(program);
        const nested = nestedScript(tool, args);
        if (nested !== undefined && !canNest) hit('max_nesting_depth');
        if (nested !== undefined && canNest) {
          if (nested.kind === 'posix') work.push({ type: 'line', text: nested.text, platform: 'posix', depth: deeper, consumers: item.consumers, outputs: item.outputs, decoded: item.decoded });
          else if (nested.kind === 'cmd') work.push({ type: 'line', text: `cmd /c ${nested.text}`, platform: 'windows', depth: item.depth, consumers: item.consumers, outputs: item.outputs, decoded: item.decoded });
          else if (nested.kind === 'powershell') {
            const ps = powershellScript(args, limits.maxLength);
            if (ps !== undefined) work.push({ type: 'powershell', text: clip(ps.script), depth: deeper, consumers: item.consumers, decoded: item.decoded || ps.encoded });
          } else {
            expansion.scripts.push({ language: 'python', text: nested.text, consumers: item.consumers, decoded: item.decoded });
          }
        }
        expansion.commands.push({ program, args, tool, platform: item.platform, consumers: item.consumers, outputs: item.outputs, index: expansion.commands.length, decoded: item.decoded });
        break;
      }
      case 'powershell': {
        expansion.scripts.push({ language: 'powershell', text: item.text, consumers: item.consumers, decoded: item.decoded });
        const statements = powershellStatements(item.text);
        const names = statements.map((s) => consumerName(s.words));
        const pipes = statements.map((s) => s.pipesToNext);
        statements.forEach((statement, i) => {
          const split = takeRedirections(statement.words);
          work.push({ type: 'argv', argv: split.argv, platform: 'windows', depth: item.depth, consumers: downstream(names, pipes, i, item.consumers), outputs: split.outputs, decoded: item.decoded });
        });
        break;
      }
    }
  }
  return expansion;
}

/** The tools downstream of command `i` in its pipeline, then whatever reads the whole pipeline. */
function downstream(names: readonly string[], pipes: readonly boolean[], i: number, outer: readonly string[]): string[] {
  const out: string[] = [];
  for (let j = i; j < names.length - 1 && pipes[j] === true; j++) out.push(names[j + 1]!);
  // Only the last command of a pipeline (or a lone command) writes to what reads the whole line.
  const lastOfPipeline = out.length === 0 ? i : i + out.length;
  if (lastOfPipeline === names.length - 1 || pipes[lastOfPipeline] !== true) out.push(...outer);
  return out;
}

/** Drops `VAR=value` assignments and launcher programs (`sudo -u x`, `env`, `nohup`, `timeout 5`) in front of a command. */
function unwrap(argv: readonly string[]): string[] {
  let i = 0;
  for (let guard = 0; guard < 16 && i < argv.length; guard++) {
    while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)) i++;
    const tool = toolName(argv[i] ?? '');
    const takesValue = LAUNCHERS.get(tool);
    if (takesValue === undefined) break;
    i++;
    while (i < argv.length) {
      const a = argv[i]!;
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) i++;
      else if (a === '--') {
        i++;
        break;
      } else if (a.startsWith('-') || (tool === 'start' && (a.startsWith('/') || a === ''))) {
        i += takesValue.has(a) ? 2 : 1;
      } else if ((tool === 'timeout' || tool === 'nice') && /^[0-9.]+[smhd]?$/.test(a)) {
        i++;
      } else break;
    }
  }
  return argv.slice(i);
}

type Nested = { kind: 'posix' | 'cmd' | 'powershell' | 'python'; text: string };

function nestedScript(tool: string, args: readonly string[]): Nested | undefined {
  if (SHELLS.has(tool) || tool.startsWith('bash')) {
    // -c may sit in a cluster (`-lc`, `-ec`); the script is the first operand after it.
    const at = args.findIndex((a) => /^-[a-zA-Z]+$/.test(a) && a.includes('c'));
    if (at === -1) return undefined;
    const text = args.slice(at + 1).find((a) => !a.startsWith('-'));
    return text === undefined ? undefined : { kind: 'posix', text };
  }
  if (tool === 'cmd') {
    const at = args.findIndex((a) => /^\/[ckr]/i.test(a));
    if (at === -1) return undefined;
    return { kind: 'cmd', text: [args[at]!.slice(2), ...args.slice(at + 1)].filter((a) => a !== '').join(' ') };
  }
  if (POWERSHELLS.has(tool)) return { kind: 'powershell', text: '' };
  if (PYTHONS.test(tool)) {
    const at = args.indexOf('-c');
    if (at !== -1 && args[at + 1] !== undefined) return { kind: 'python', text: args[at + 1]! };
    const glued = args.find((a) => a.startsWith('-c') && a.length > 2);
    return glued === undefined ? undefined : { kind: 'python', text: glued.slice(2) };
  }
  return undefined;
}
