// PowerShell command lines: the script a `powershell.exe`/`pwsh` invocation runs (about_PowerShell_exe,
// about_Pwsh: -Command, -EncodedCommand as Base64 of UTF-16LE, parameter-name prefixes) and a light split of
// that script into statements (about_Parsing: `;`, `|`, newlines; quotes with backtick escapes).

/** Parameters of powershell.exe that take a value, by their shortest accepted prefixes. */
const VALUE_PARAMETERS = ['executionpolicy', 'ep', 'windowstyle', 'inputformat', 'outputformat', 'configurationname', 'psconsolefile', 'version', 'workingdirectory', 'settingsfile', 'custompipename', 'file'];

function isPrefixOf(flag: string, word: string, min = 1): boolean {
  return flag.length >= min && word.startsWith(flag);
}

/** Strips `-`, `--` or `/` from a parameter; undefined when the word is not a parameter. */
function parameterName(arg: string): string | undefined {
  const m = /^(?:--?|\/)([A-Za-z][A-Za-z0-9]*)(?::.*)?$/.exec(arg);
  return m === null ? undefined : m[1]!.toLowerCase();
}

export interface PowerShellScript {
  script: string;
  /** True when the script came from -EncodedCommand. */
  encoded: boolean;
}

/**
 * The script a PowerShell invocation runs, from its arguments (after the program name); undefined when it
 * runs a file or nothing. `-e`, `-ec`, `-enc`… (any prefix of EncodedCommand) carry Base64 of UTF-16LE.
 */
export function powershellScript(args: readonly string[], maxDecoded: number): PowerShellScript | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = parameterName(arg);
    if (name === undefined) return { script: args.slice(i).join(' '), encoded: false };
    if (name === 'ec' || isPrefixOf(name, 'encodedcommand')) {
      const value = args[i + 1];
      if (value === undefined) return undefined;
      const script = decodeUtf16Base64(value, maxDecoded);
      return script === undefined ? undefined : { script, encoded: true };
    }
    if (isPrefixOf(name, 'command')) return { script: args.slice(i + 1).join(' '), encoded: false };
    if (name === 'f' || isPrefixOf(name, 'file', 2)) return undefined;
    if (VALUE_PARAMETERS.some((p) => p.startsWith(name))) i++;
  }
  return undefined;
}

/** Decodes Base64 of UTF-16LE text; undefined when it is not Base64 or decodes to nothing. */
export function decodeUtf16Base64(value: string, maxDecoded: number): string | undefined {
  const cleaned = value.replace(/['"]/g, '');
  if (cleaned.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(cleaned)) return undefined;
  // Base64 expands 3 bytes into 4 characters; cap the input before decoding, not the output after.
  const limited = cleaned.slice(0, Math.ceil((maxDecoded * 2) / 3) * 4);
  const bytes = Buffer.from(limited, 'base64');
  const text = bytes.subarray(0, bytes.length & ~1).toString('utf16le');
  return text.length === 0 ? undefined : text;
}

/**
 * Splits a PowerShell script into statements (on unquoted `;`, `|`, `&&`, `||` and newlines), each as a
 * word list, and says whether it pipes into the next. Good enough to find external programs a script runs.
 */
export function powershellStatements(script: string): { words: string[]; pipesToNext: boolean }[] {
  const out: { words: string[]; pipesToNext: boolean }[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endStatement = (pipes: boolean): void => {
    endWord();
    // `& 'C:\x\y.exe' args` and `. script` invoke what follows.
    if (words[0] === '&' || words[0] === '.') words.shift();
    if (words.length > 0) out.push({ words, pipesToNext: pipes });
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      inWord = true;
      for (i++; i < script.length; i++) {
        if (script[i] === "'") {
          if (script[i + 1] === "'") {
            word += "'";
            i++;
            continue;
          }
          break;
        }
        word += script[i];
      }
    } else if (c === '"') {
      inWord = true;
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '`' && i + 1 < script.length) i++;
        word += script[i];
      }
    } else if (c === '`' && i + 1 < script.length) {
      word += script[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else if (c === ';' || c === '\n' || c === '{' || c === '}') {
      endStatement(false);
    } else if (c === '|' || (c === '&' && script[i + 1] === '&')) {
      const pipe = c === '|' && script[i + 1] !== '|';
      if (!pipe) i++;
      endStatement(pipe);
    } else {
      word += c;
      inWord = true;
    }
  }
  endStatement(false);
  return out;
}
