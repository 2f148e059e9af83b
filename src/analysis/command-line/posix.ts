// POSIX shell command lines as sh(1) splits them (POSIX.1-2017 XCU 2.2 Quoting, 2.3 Token Recognition,
// 2.9 Shell Commands): quotes and backslash escapes, pipelines (`|`, `|&`), lists (`&&`, `||`, `;`, `&`,
// newline), redirections, and command substitutions `$(…)` / backquotes, which are returned as nested
// scripts together with the command whose arguments they feed. One pass, no regular expressions.

export interface PosixCommand {
  argv: string[];
  /** Targets of output redirections (`>f`, `>>f`, `&>f`). */
  outputs: string[];
  /** True when this command's standard output is piped into the next command of the list. */
  pipesToNext: boolean;
}

export interface Substitution {
  script: string;
  /** Index (in the returned command list) of the command whose words contain the substitution. */
  consumer: number;
}

export interface PosixScript {
  commands: PosixCommand[];
  substitutions: Substitution[];
}

const OPERATOR_CHARS = '|&;<>()\n';

/** Splits a POSIX shell script into simple commands, in order. */
export function parsePosix(script: string): PosixScript {
  const commands: PosixCommand[] = [];
  const substitutions: Substitution[] = [];
  let argv: string[] = [];
  let outputs: string[] = [];
  let word = '';
  let inWord = false;
  let pendingRedirect: 'out' | 'in' | undefined;
  const n = script.length;

  const endWord = (): void => {
    if (!inWord) return;
    if (pendingRedirect !== undefined) {
      if (pendingRedirect === 'out') outputs.push(word);
      pendingRedirect = undefined;
    } else {
      argv.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (pipesToNext: boolean): void => {
    endWord();
    pendingRedirect = undefined;
    if (argv.length > 0 || outputs.length > 0) commands.push({ argv, outputs, pipesToNext });
    argv = [];
    outputs = [];
  };
  /** Reads a `$(…)` body starting after `$(`; returns the body and the index after the closing paren. */
  const readParenBody = (start: number): [string, number] => {
    let depth = 1;
    let j = start;
    let quote: string | undefined;
    while (j < n) {
      const c = script[j]!;
      if (quote !== undefined) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '\\') {
        j++;
      } else if (c === "'" || c === '"') {
        quote = c;
      } else if (c === '(') {
        depth++;
      } else if (c === ')') {
        depth--;
        if (depth === 0) return [script.slice(start, j), j + 1];
      }
      j++;
    }
    return [script.slice(start), n];
  };
  const substitute = (body: string): void => {
    // The consumer is the command being built now; it is pushed at commands.length.
    substitutions.push({ script: body, consumer: commands.length });
    word += '$(…)';
    inWord = true;
  };

  let i = 0;
  while (i < n) {
    const c = script[i]!;
    if (c === '\\') {
      if (i + 1 < n && script[i + 1] !== '\n') {
        word += script[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const close = script.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < n && script[i] !== '"') {
        const d = script[i]!;
        if (d === '\\' && i + 1 < n && '$`"\\\n'.includes(script[i + 1]!)) {
          if (script[i + 1] !== '\n') word += script[i + 1];
          i += 2;
        } else if (d === '$' && script[i + 1] === '(' && script[i + 2] !== '(') {
          const [body, next] = readParenBody(i + 2);
          substitute(body);
          i = next;
        } else if (d === '`') {
          const close = script.indexOf('`', i + 1);
          const end = close === -1 ? n : close;
          substitute(script.slice(i + 1, end));
          i = end + 1;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '$' && script[i + 1] === '(' && script[i + 2] !== '(') {
      const [body, next] = readParenBody(i + 2);
      substitute(body);
      i = next;
    } else if (c === '`') {
      const close = script.indexOf('`', i + 1);
      const end = close === -1 ? n : close;
      substitute(script.slice(i + 1, end));
      i = end + 1;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
    } else if (OPERATOR_CHARS.includes(c)) {
      i = operator(i);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endCommand(false);
  return { commands, substitutions };

  function operator(at: number): number {
    const c = script[at]!;
    const next = script[at + 1];
    // A word made only of a file-descriptor number belongs to the redirection that follows (2>file).
    if ((c === '>' || c === '<') && inWord && /^[0-9]+$/.test(word)) {
      word = '';
      inWord = false;
    } else {
      endWord();
    }
    switch (c) {
      case '|':
        if (next === '|') {
          endCommand(false);
          return at + 2;
        }
        endCommand(true);
        return next === '&' ? at + 2 : at + 1;
      case '&':
        if (next === '>') {
          pendingRedirect = 'out';
          return script[at + 2] === '>' ? at + 3 : at + 2;
        }
        endCommand(false);
        return next === '&' ? at + 2 : at + 1;
      case ';':
      case '\n':
      case '(':
      case ')':
        endCommand(false);
        return at + 1;
      case '>': {
        if (next === '&') {
          // >&2 duplicates a descriptor: no file is written.
          let j = at + 2;
          while (j < n && script[j]! >= '0' && script[j]! <= '9') j++;
          if (j > at + 2 || script[j] === '-') return script[j] === '-' ? j + 1 : j;
          pendingRedirect = 'out';
          return at + 2;
        }
        pendingRedirect = 'out';
        return next === '>' || next === '|' ? at + 2 : at + 1;
      }
      default: // '<'
        pendingRedirect = 'in';
        return next === '<' || next === '>' ? at + 2 : at + 1;
    }
  }
}
