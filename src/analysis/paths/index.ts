// File paths from host telemetry, compared the way their file system compares them: Windows paths
// case-insensitively with either slash, POSIX paths exactly. Glob matching is a single pass per path
// segment (no regular expressions on attacker-chosen paths).

export interface NormalPath {
  windows: boolean;
  /** Lower case with `\` separators on Windows; as given on POSIX. */
  text: string;
  segments: string[];
}

/** `C:\…`, `c:/…`, `\\server\share\…` and `\??\C:\…` are Windows paths. */
export function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\') || path.startsWith('\\??\\');
}

export function normalisePath(path: string): NormalPath {
  if (!isWindowsPath(path)) return { windows: false, text: path, segments: path.split('/').filter((s) => s !== '') };
  let text = path.replaceAll('/', '\\').toLowerCase();
  if (text.startsWith('\\??\\')) text = text.slice(4);
  return { windows: true, text, segments: text.split('\\').filter((s) => s !== '') };
}

/** The lower-case extension of the last path segment (`x.tar.enc` → `enc`), or '' when there is none. */
export function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** `*` and `?` within one segment, with the classic two-pointer walk that backs up only to the last star. */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A compiled glob: Windows patterns match Windows paths only (case-insensitively), POSIX ones POSIX paths. */
export interface PathGlob {
  pattern: string;
  windows: boolean;
  segments: string[];
}

export function compileGlob(pattern: string): PathGlob {
  const normal = normalisePath(pattern);
  return { pattern, windows: normal.windows, segments: normal.segments };
}

/**
 * True when the path lies in what the glob names. A final `*` segment matches everything below its
 * directory (`/tmp/*` covers `/tmp/a/b.enc`); a glob without a final `*` names a directory or file and
 * matches it and everything below it (`C:\Users\*\Documents\exfil` covers `…\exfil\a.aes`).
 */
export function globMatches(glob: PathGlob, path: NormalPath): boolean {
  if (glob.windows !== path.windows) return false;
  const g = glob.segments;
  const trailingStar = g[g.length - 1] === '*';
  const fixed = trailingStar ? g.length - 1 : g.length;
  if (path.segments.length < fixed + (trailingStar ? 1 : 0)) return false;
  for (let i = 0; i < fixed; i++) if (!segmentMatches(g[i]!, path.segments[i]!)) return false;
  return true;
}
