// Windows command lines as programs receive them: CommandLineToArgvW / MSVC runtime argument rules
// ("Parsing C++ command-line arguments", Microsoft Learn) and cmd.exe's own layer on top of them
// (`cmd /?`: quote stripping after /C, `^` escapes, `&`, `&&`, `|`, `||` between commands).
// Every scanner here is one pass over the text.

export interface WinToken {
  value: string;
  /** Offset just past the token in the raw line, so callers can take the raw remainder (cmd /c). */
  end: number;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

/**
 * Splits a Windows command line into arguments. The program name (first token) ends at the next
 * quote or blank with no backslash processing; later tokens follow the 2n / 2n+1 backslash rules and
 * treat `""` inside quotes as a literal quote.
 */
export function windowsArgv(line: string): WinToken[] {
  const out: WinToken[] = [];
  let i = 0;
  const n = line.length;
  while (i < n && isBlank(line[i]!)) i++;
  if (i >= n) return out;
  // Program name.
  let name = '';
  if (line[i] === '"') {
    i++;
    while (i < n && line[i] !== '"') name += line[i++];
    if (i < n) i++;
    // Text glued to the closing quote still belongs to the program name.
    while (i < n && !isBlank(line[i]!)) name += line[i++];
  } else {
    while (i < n && !isBlank(line[i]!)) name += line[i++];
  }
  out.push({ value: name, end: i });
  for (;;) {
    while (i < n && isBlank(line[i]!)) i++;
    if (i >= n) break;
    let arg = '';
    let quoted = false;
    while (i < n) {
      const c = line[i]!;
      if (c === '\\') {
        let slashes = 0;
        while (i < n && line[i] === '\\') {
          slashes++;
          i++;
        }
        if (i < n && line[i] === '"') {
          arg += '\\'.repeat(slashes >> 1);
          if (slashes % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(slashes);
        }
        continue;
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      if (!quoted && isBlank(c)) break;
      arg += c;
      i++;
    }
    out.push({ value: arg, end: i });
  }
  return out;
}

/** One command of a cmd.exe line and whether its output is piped into the next one. */
export interface CmdSegment {
  text: string;
  pipesToNext: boolean;
}

/**
 * Splits what follows `cmd /c` into commands: unquoted `&`, `&&`, `|`, `||` separate them, `^` escapes
 * the next character outside quotes, and the outer quotes cmd strips are removed first.
 */
export function splitCmdScript(script: string): CmdSegment[] {
  let text = script.trim();
  // cmd /c "…": cmd removes the first quote and the last quote of the line (the /S behaviour, which is
  // also what happens whenever the quoted text is not a bare executable name).
  if (text.startsWith('"')) {
    const last = text.lastIndexOf('"');
    text = last > 0 ? text.slice(1, last) + text.slice(last + 1) : text.slice(1);
  }
  const segments: CmdSegment[] = [];
  let current = '';
  let quoted = false;
  const close = (pipesToNext: boolean): void => {
    const t = stripGrouping(current);
    if (t.length > 0) segments.push({ text: t, pipesToNext });
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (quoted) {
      current += c;
    } else if (c === '^' && i + 1 < text.length) {
      current += text[++i];
    } else if (c === '&' && current.endsWith('>')) {
      current += c; // 2>&1 is a redirection, not a separator
    } else if (c === '&') {
      if (text[i + 1] === '&') i++;
      close(false);
    } else if (c === '|') {
      if (text[i + 1] === '|') {
        i++;
        close(false);
      } else {
        close(true);
      }
    } else {
      current += c;
    }
  }
  close(false);
  return segments;
}

/** `(a & b)` groups commands; the parentheses are not part of either command. */
function stripGrouping(text: string): string {
  let t = text.trim();
  while (t.startsWith('(')) t = t.slice(1).trimStart();
  while (t.endsWith(')') && !t.includes('(')) t = t.slice(0, -1).trimEnd();
  return t;
}

/** Removes cmd redirections (`>f`, `>>f`, `2>&1`, `<f`) from an argv and returns their targets. */
export function takeRedirections(argv: string[]): { argv: string[]; outputs: string[] } {
  const kept: string[] = [];
  const outputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^[12]?(>>?|<)(&[12])?(.*)$/.exec(arg);
    if (m === null || i === 0) {
      kept.push(arg);
      continue;
    }
    if (m[2] !== undefined) continue;
    let target = m[3]!;
    if (target === '' && i + 1 < argv.length) target = argv[++i]!;
    if (m[1] !== '<' && target !== '') outputs.push(target);
  }
  return { argv: kept, outputs };
}
