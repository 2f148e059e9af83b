// Recognises symmetric encryption, password archiving and encoding in the commands a command line runs,
// by tool and arguments rather than by exact strings, and lifts any key or passphrase written on the line.
// Option syntax follows each tool's manual: openssl-enc(1), gpg(1), 7z (7-Zip -p/-mhe switches), zip(1),
// rar (-p/-hp), certutil (-encode/-encodehex), ccrypt(1), mcrypt(1), aescrypt, age(1), base64(1), xxd(1).
import { isNetworkTool, type Command, type Expansion, type InterpreterScript } from './commands.js';

/** Every recognised form; each has its own documented score in the seed-encryption-before-exfil detector. */
export const CRYPTO_FORMS = [
  'openssl-enc', 'gpg-symmetric', 'python-crypto', 'certutil-encode', 'powershell-crypto', 'powershell-securestring',
  '7z-password', '7z-encrypted-headers', 'zip-password', 'rar-password', 'rar-encrypted-headers',
  'ccrypt', 'mcrypt', 'aescrypt', 'age-passphrase', 'encode-to-network',
] as const;
export type CryptoForm = (typeof CRYPTO_FORMS)[number];

/** encrypt: ciphertext under a symmetric key; archive: a password-protected archive; encode: reversible encoding. */
export type CryptoCategory = 'encrypt' | 'archive' | 'encode';

export interface KeyCandidate {
  /** passphrase/key_hex/iv_hex/key_literal are secrets; key_file and key_env name where the secret is. */
  kind: 'passphrase' | 'key_hex' | 'iv_hex' | 'key_literal' | 'key_file' | 'key_env';
  value: string;
  /** The option or construct it was written with (`-pass pass:`, `-K`, `AES.new`). */
  option: string;
}

export interface CryptoUse {
  form: CryptoForm;
  category: CryptoCategory;
  /** A few words naming what ran, e.g. `openssl enc -aes-256-cbc`, `7z a -p -mhe`. */
  summary: string;
  cipher?: string;
  keys: KeyCandidate[];
  /** Files the output was written to (`-out`, `-o`, archive name, redirection). */
  outputs: string[];
  /** The network tool the output went to on the same command line, if any (`curl`, `nc`…). */
  sentWith?: string;
  /** True when found inside a PowerShell -EncodedCommand. */
  decoded: boolean;
}

const CIPHER_PREFIXES = ['aes', 'aria', 'bf', 'blowfish', 'camellia', 'cast', 'chacha20', 'des', 'desx', 'idea', 'rc2', 'rc4', 'rc5', 'seed', 'sm4', 'id-aes'];

/** `aes-256-cbc`, `rc4`, `bf-cbc`, `chacha20-poly1305`, `des-ede3`: an openssl cipher name. */
export function isCipherName(name: string): boolean {
  const lower = name.toLowerCase();
  if (!/^[a-z][a-z0-9-]*$/.test(lower)) return false;
  return CIPHER_PREFIXES.some((p) => lower === p || (lower.startsWith(p) && /^[-0-9]/.test(lower.slice(p.length))) || (p === 'des' && lower.startsWith('des3')));
}

/** Value of an option written `-o v`, `--opt v` or `--opt=v`; the first occurrence wins. */
function option(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (names.includes(a)) return args[i + 1];
    for (const name of names) if (name.startsWith('--') && a.startsWith(name + '=')) return a.slice(name.length + 1);
  }
  return undefined;
}

function has(args: readonly string[], names: readonly string[]): boolean {
  return args.some((a) => names.includes(a));
}

/** A short-option cluster (`-ca`, `-r9e`) containing `letter`, where every earlier letter takes no value. */
function inCluster(args: readonly string[], letter: string, flagsWithoutValue: string): boolean {
  return args.some((a) => {
    if (!/^-[A-Za-z0-9]{2,}$/.test(a)) return false;
    const at = a.indexOf(letter, 1);
    if (at === -1) return false;
    for (let i = 1; i < at; i++) if (!flagsWithoutValue.includes(a[i]!)) return false;
    return true;
  });
}

/** Operands (arguments that are not options), skipping the values of the listed options. */
function operands(args: readonly string[], valueOptions: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valueOptions.includes(a)) i++;
    else if (!a.startsWith('-') || a === '-') out.push(a);
  }
  return out;
}

function openssl(c: Command): Partial<CryptoUse> | undefined {
  const sub = c.args[0]?.toLowerCase();
  if (sub === undefined) return undefined;
  const args = c.args.slice(1);
  if (has(args, ['-d', '-decrypt'])) return undefined;
  let cipher: string | undefined;
  if (sub === 'enc') {
    const named = args.find((a) => a.startsWith('-') && isCipherName(a.slice(1)));
    cipher = named?.slice(1) ?? option(args, ['-cipher']);
    if (cipher === undefined) return has(args, ['-a', '-base64']) ? { form: 'encode-to-network', category: 'encode', summary: 'openssl enc -base64' } : undefined;
  } else if (sub === 'base64') {
    return { form: 'encode-to-network', category: 'encode', summary: 'openssl base64' };
  } else if (isCipherName(sub)) {
    cipher = sub;
  } else {
    return undefined;
  }
  const keys: KeyCandidate[] = [];
  const k = option(args, ['-k']);
  if (k !== undefined) keys.push({ kind: 'passphrase', value: k, option: '-k' });
  const pass = option(args, ['-pass', '-passin']);
  if (pass !== undefined) {
    const colon = pass.indexOf(':');
    const scheme = colon === -1 ? pass : pass.slice(0, colon);
    const value = colon === -1 ? '' : pass.slice(colon + 1);
    if (scheme === 'pass') keys.push({ kind: 'passphrase', value, option: '-pass pass:' });
    else if (scheme === 'env') keys.push({ kind: 'key_env', value, option: '-pass env:' });
    else if (scheme === 'file') keys.push({ kind: 'key_file', value, option: '-pass file:' });
  }
  const kfile = option(args, ['-kfile']);
  if (kfile !== undefined) keys.push({ kind: 'key_file', value: kfile, option: '-kfile' });
  const hexKey = option(args, ['-K']);
  if (hexKey !== undefined) keys.push({ kind: 'key_hex', value: hexKey, option: '-K' });
  const iv = option(args, ['-iv']);
  if (iv !== undefined) keys.push({ kind: 'iv_hex', value: iv, option: '-iv' });
  const out = option(args, ['-out']);
  const kdf = has(args, ['-pbkdf2']) ? ' -pbkdf2' : '';
  return { form: 'openssl-enc', category: 'encrypt', cipher, keys, outputs: out === undefined ? [] : [out], summary: `openssl ${sub === 'enc' ? `enc -${cipher}` : cipher}${kdf}` };
}

function gpg(c: Command): Partial<CryptoUse> | undefined {
  const a = c.args;
  const symmetric = has(a, ['-c', '--symmetric']) || inCluster(a, 'c', 'aesvqnbz0123456789');
  if (!symmetric || has(a, ['-d', '--decrypt', '--verify'])) return undefined;
  const keys: KeyCandidate[] = [];
  const passphrase = option(a, ['--passphrase']);
  if (passphrase !== undefined) keys.push({ kind: 'passphrase', value: passphrase, option: '--passphrase' });
  const file = option(a, ['--passphrase-file']);
  if (file !== undefined) keys.push({ kind: 'key_file', value: file, option: '--passphrase-file' });
  const cipher = option(a, ['--cipher-algo', '--s2k-cipher-algo']);
  const out = option(a, ['-o', '--output']);
  const batch = has(a, ['--batch']) ? ' --batch' : '';
  return { form: 'gpg-symmetric', category: 'encrypt', cipher, keys, outputs: out === undefined ? [] : [out], summary: `gpg --symmetric${cipher === undefined ? '' : ` --cipher-algo ${cipher}`}${batch}` };
}

function sevenZip(c: Command): Partial<CryptoUse> | undefined {
  const lower = c.args.map((a) => a.toLowerCase());
  const command = lower.find((a) => !a.startsWith('-'));
  if (command !== 'a' && command !== 'u') return undefined;
  const passAt = lower.findIndex((a) => a.startsWith('-p'));
  if (passAt === -1) return undefined;
  const password = c.args[passAt]!.slice(2);
  const headers = lower.some((a) => a === '-mhe' || a === '-mhe=on' || a === '-mhe+');
  const archive = c.args.filter((a) => !a.startsWith('-'))[1];
  return {
    form: headers ? '7z-encrypted-headers' : '7z-password',
    category: 'archive',
    cipher: 'AES-256',
    keys: password === '' ? [] : [{ kind: 'passphrase', value: password, option: '-p' }],
    outputs: archive === undefined ? [] : [archive],
    summary: `7z ${command} -p${headers ? ' -mhe' : ''}`,
  };
}

function zip(c: Command): Partial<CryptoUse> | undefined {
  const a = c.args;
  const password = option(a, ['-P', '--password']);
  const encrypt = has(a, ['-e', '--encrypt']) || inCluster(a, 'e', 'rqv0123456789jmyDXTu');
  if (password === undefined && !encrypt) return undefined;
  const archive = operands(a, ['-P', '--password', '-x', '-i', '-b', '-n', '-t', '-tt', '-O', '--out'])[0];
  return {
    form: 'zip-password',
    category: 'archive',
    cipher: 'ZipCrypto',
    keys: password === undefined ? [] : [{ kind: 'passphrase', value: password, option: '-P' }],
    outputs: archive === undefined ? [] : [archive],
    summary: password === undefined ? 'zip -e' : 'zip -P',
  };
}

function rar(c: Command): Partial<CryptoUse> | undefined {
  const command = c.args.find((a) => !a.startsWith('-'))?.toLowerCase();
  if (command !== 'a' && command !== 'u' && command !== 'm') return undefined;
  const headerSwitch = c.args.find((a) => a.toLowerCase().startsWith('-hp'));
  const passSwitch = headerSwitch ?? c.args.find((a) => a.toLowerCase().startsWith('-p') && a !== '-p-');
  if (passSwitch === undefined) return undefined;
  const password = passSwitch.slice(headerSwitch === undefined ? 2 : 3);
  const archive = c.args.filter((a) => !a.startsWith('-'))[1];
  return {
    form: headerSwitch === undefined ? 'rar-password' : 'rar-encrypted-headers',
    category: 'archive',
    cipher: 'AES',
    keys: password === '' ? [] : [{ kind: 'passphrase', value: password, option: headerSwitch === undefined ? '-p' : '-hp' }],
    outputs: archive === undefined ? [] : [archive],
    summary: `rar ${command} ${headerSwitch === undefined ? '-p' : '-hp'}`,
  };
}

function certutil(c: Command): Partial<CryptoUse> | undefined {
  const at = c.args.findIndex((a) => /^[-/]encode(hex)?$/i.test(a));
  if (at === -1) return undefined;
  const files = c.args.slice(at + 1).filter((a) => !a.startsWith('-') && !a.startsWith('/'));
  return { form: 'certutil-encode', category: 'encode', outputs: files[1] === undefined ? [] : [files[1]], summary: `certutil ${c.args[at]!.toLowerCase().replace('/', '-')}` };
}

function ccrypt(c: Command): Partial<CryptoUse> | undefined {
  if (c.tool === 'ccdecrypt' || c.tool === 'ccat' || has(c.args, ['-d', '--decrypt', '-c', '--cat'])) return undefined;
  const keys: KeyCandidate[] = [];
  const key = option(c.args, ['-K', '--key']);
  if (key !== undefined) keys.push({ kind: 'passphrase', value: key, option: '-K' });
  const file = option(c.args, ['-k', '--keyfile']);
  if (file !== undefined) keys.push({ kind: 'key_file', value: file, option: '-k' });
  return { form: 'ccrypt', category: 'encrypt', cipher: 'AES-256 (Rijndael)', keys, summary: c.tool };
}

function mcrypt(c: Command): Partial<CryptoUse> | undefined {
  if (has(c.args, ['-d', '--decrypt'])) return undefined;
  const keys: KeyCandidate[] = [];
  const key = option(c.args, ['-k', '--key']);
  if (key !== undefined) keys.push({ kind: 'passphrase', value: key, option: '-k' });
  const file = option(c.args, ['-f', '--keyfile']);
  if (file !== undefined) keys.push({ kind: 'key_file', value: file, option: '-f' });
  return { form: 'mcrypt', category: 'encrypt', cipher: option(c.args, ['-a', '--algorithm']) ?? 'rijndael-128', keys, summary: 'mcrypt' };
}

function aescrypt(c: Command): Partial<CryptoUse> | undefined {
  if (!has(c.args, ['-e']) || has(c.args, ['-d'])) return undefined;
  const keys: KeyCandidate[] = [];
  const pass = option(c.args, ['-p']);
  if (pass !== undefined) keys.push({ kind: 'passphrase', value: pass, option: '-p' });
  const file = option(c.args, ['-k']);
  if (file !== undefined) keys.push({ kind: 'key_file', value: file, option: '-k' });
  const out = option(c.args, ['-o']);
  return { form: 'aescrypt', category: 'encrypt', cipher: 'AES-256', keys, outputs: out === undefined ? [] : [out], summary: 'aescrypt -e' };
}

function age(c: Command): Partial<CryptoUse> | undefined {
  if (!has(c.args, ['-p', '--passphrase']) || has(c.args, ['-d', '--decrypt'])) return undefined;
  const out = option(c.args, ['-o', '--output']);
  return { form: 'age-passphrase', category: 'encrypt', cipher: 'ChaCha20-Poly1305', outputs: out === undefined ? [] : [out], summary: `${c.tool} --passphrase` };
}

function encoder(c: Command): Partial<CryptoUse> | undefined {
  if (c.tool === 'xxd') {
    if (!c.args.some((a) => a === '-p' || a === '-ps' || a === '-plain' || a === '-postscript') || has(c.args, ['-r', '-revert'])) return undefined;
    return { form: 'encode-to-network', category: 'encode', summary: 'xxd -p' };
  }
  if (has(c.args, ['-d', '-D', '--decode'])) return undefined;
  return { form: 'encode-to-network', category: 'encode', summary: c.tool };
}

type Recogniser = (c: Command) => Partial<CryptoUse> | undefined;

const BY_TOOL = new Map<string, Recogniser>([
  ['openssl', openssl],
  ['gpg', gpg], ['gpg2', gpg], ['gpg.exe', gpg],
  ['7z', sevenZip], ['7za', sevenZip], ['7zr', sevenZip], ['7zz', sevenZip], ['7zg', sevenZip],
  ['zip', zip],
  ['rar', rar], ['winrar', rar],
  ['certutil', certutil],
  ['ccrypt', ccrypt], ['ccencrypt', ccrypt], ['ccdecrypt', ccrypt], ['ccat', ccrypt],
  ['mcrypt', mcrypt],
  ['aescrypt', aescrypt],
  ['age', age], ['rage', age],
  ['base64', encoder], ['base32', encoder], ['basenc', encoder], ['xxd', encoder],
]);

// --- Interpreter scripts -------------------------------------------------------------------------

const PYTHON_MARKERS: readonly [string, string | undefined][] = [
  ['Cryptodome.Cipher', undefined], ['Crypto.Cipher', undefined], ['cryptography.fernet', 'Fernet (AES-128-CBC)'],
  ['Fernet(', 'Fernet (AES-128-CBC)'], ['cryptography.hazmat.primitives.ciphers', undefined], ['algorithms.AES', 'AES'],
];
const PYTHON_CIPHERS = ['AES', 'DES3', 'DES', 'ARC4', 'Blowfish', 'ChaCha20', 'Salsa20', 'CAST', 'ARC2'];

/** The first quoted literal after `marker` (`AES.new(b'…'`, `Fernet(b"…")`), bounded in length. */
function literalAfter(text: string, marker: string): string | undefined {
  const at = text.indexOf(marker);
  if (at === -1) return undefined;
  let i = at + marker.length;
  while (text[i] === ' ') i++;
  if (text[i] === 'b' || text[i] === 'r') i++;
  const quote = text[i];
  if (quote !== "'" && quote !== '"') return undefined;
  const end = text.indexOf(quote, i + 1);
  if (end === -1 || end - i > 512) return undefined;
  return text.slice(i + 1, end);
}

function python(s: InterpreterScript): Partial<CryptoUse> | undefined {
  const text = s.text;
  const marker = PYTHON_MARKERS.find(([m]) => text.includes(m));
  if (marker === undefined) return undefined;
  if (text.includes('decrypt(') && !text.includes('.encrypt(')) return undefined;
  const named = PYTHON_CIPHERS.find((c) => text.includes(`Cipher.${c}`) || text.includes(`import ${c}`) || text.includes(`${c}.new(`));
  const keys: KeyCandidate[] = [];
  for (const construct of ['AES.new(', 'DES3.new(', 'ARC4.new(', 'Blowfish.new(', 'ChaCha20.new(', 'Fernet(']) {
    const key = literalAfter(text, construct);
    if (key !== undefined) keys.push({ kind: 'key_literal', value: key, option: construct.replace('(', '') });
  }
  const library = marker[0].startsWith('Cryptodome') ? 'Cryptodome' : marker[0].startsWith('Crypto.') ? 'Crypto.Cipher' : 'cryptography';
  return { form: 'python-crypto', category: 'encrypt', cipher: named ?? marker[1], keys, summary: `python ${library}${named === undefined ? '' : ` ${named}`}` };
}

const PS_SYMMETRIC = ['aesmanaged', 'rijndaelmanaged', 'aescryptoserviceprovider', 'aescng', 'cryptography.aes]', 'cryptography.aes::', '[aes]::create', 'tripledescryptoserviceprovider', 'descryptoserviceprovider', 'rc2cryptoserviceprovider', 'createencryptor'];
const PS_NETWORK = ['invoke-webrequest', 'iwr ', 'invoke-restmethod', 'irm ', 'net.webclient', 'uploadstring', 'uploaddata', 'uploadfile', 'net.sockets', 'resolve-dnsname', 'send-mailmessage', 'start-bitstransfer'];

/** Text after a PowerShell construct up to the end of its statement or next parameter, bounded. */
function psValueAfter(script: string, lower: string, marker: string): string | undefined {
  const at = lower.indexOf(marker);
  if (at === -1) return undefined;
  let end = at + marker.length;
  const limit = Math.min(script.length, end + 200);
  while (end < limit && !';|\n'.includes(script[end]!) && !(script[end] === ' ' && script[end + 1] === '-')) end++;
  const value = script.slice(at + marker.length, end).trim();
  return value === '' ? undefined : value;
}

function powershell(s: InterpreterScript): Partial<CryptoUse> | undefined {
  const lower = s.text.toLowerCase();
  const sends = PS_NETWORK.find((m) => lower.includes(m))?.trim();
  const symmetric = PS_SYMMETRIC.find((m) => lower.includes(m));
  if (symmetric !== undefined && !(lower.includes('createdecryptor') && !lower.includes('createencryptor'))) {
    const key = psValueAfter(s.text, lower, '.key =') ?? psValueAfter(s.text, lower, '.key=');
    const cipher = /des|rc2/.test(symmetric) ? symmetric.replace('cryptoserviceprovider', '').toUpperCase() : 'AES';
    return { form: 'powershell-crypto', category: 'encrypt', cipher, keys: key === undefined ? [] : [{ kind: 'key_literal', value: key, option: '.Key' }], sentWith: sends, summary: `PowerShell System.Security.Cryptography ${cipher}` };
  }
  if ((lower.includes('convertfrom-securestring') || lower.includes('convertto-securestring')) && (lower.includes(' -key ') || lower.includes(' -securekey '))) {
    const key = psValueAfter(s.text, lower, ' -key ') ?? psValueAfter(s.text, lower, ' -securekey ');
    const cmdlet = lower.includes('convertfrom-securestring') ? 'ConvertFrom-SecureString' : 'ConvertTo-SecureString';
    return { form: 'powershell-securestring', category: 'encrypt', cipher: 'AES', keys: key === undefined ? [] : [{ kind: 'key_literal', value: key, option: '-Key' }], sentWith: sends, summary: `${cmdlet} -Key` };
  }
  if (lower.includes('tobase64string') && sends !== undefined) {
    return { form: 'encode-to-network', category: 'encode', sentWith: sends, summary: '[Convert]::ToBase64String' };
  }
  return undefined;
}

/** Every use of encryption or encoding in an expanded command line, in the order written. */
export function recogniseCrypto(expansion: Expansion): CryptoUse[] {
  const uses: CryptoUse[] = [];
  const complete = (partial: Partial<CryptoUse>, tool: string, consumers: readonly string[], decoded: boolean, index?: number): void => {
    const outputs = partial.outputs ?? [];
    const sentWith = partial.sentWith ?? consumers.find(isNetworkTool) ?? (index === undefined ? undefined : laterSender(expansion.commands, index, outputs));
    // Encoding alone is everyday work; it matters when it feeds the network (or is certutil, which the seed names).
    if (partial.form === 'encode-to-network' && sentWith === undefined) return;
    uses.push({
      form: partial.form!,
      category: partial.category!,
      summary: partial.summary ?? tool,
      cipher: partial.cipher,
      keys: partial.keys ?? [],
      outputs,
      sentWith,
      decoded,
    });
  };
  for (const command of expansion.commands) {
    const recognise = BY_TOOL.get(command.tool);
    const found = recognise?.(command);
    if (found === undefined) continue;
    found.outputs = [...(found.outputs ?? []), ...command.outputs];
    complete(found, command.tool, command.consumers, command.decoded, command.index);
  }
  for (const script of expansion.scripts) {
    const found = script.language === 'python' ? python(script) : powershell(script);
    if (found !== undefined) complete(found, script.language, script.consumers, script.decoded);
  }
  return uses;
}

/** A network tool run later on the same line that names one of the files written, e.g. `… -out x.enc && curl -T x.enc`. */
function laterSender(commands: readonly Command[], index: number, outputs: readonly string[]): string | undefined {
  const names = outputs.filter((o) => o !== '-' && o !== '').map((o) => o.slice(Math.max(o.lastIndexOf('/'), o.lastIndexOf('\\')) + 1));
  if (names.length === 0) return undefined;
  for (let i = index + 1; i < commands.length; i++) {
    const c = commands[i]!;
    if (isNetworkTool(c.tool) && c.args.some((a) => names.some((n) => a.includes(n)))) return c.tool;
  }
  return undefined;
}
