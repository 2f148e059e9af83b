// FTP path helpers with Zeek's semantics (base/utils/paths.zeek, base/protocols/ftp/utils.zeek), so the
// `arg` of file commands is the URL Zeek logs: `ftp://<server><cwd>/<file>` with `.` and `..` folded.

/** `file` if absolute, else `dir/file`. */
export function buildPath(dir: string, file: string): string {
  return file.startsWith('/') ? file : `${dir}/${file}`;
}

/** Folds `seg/..` pairs and `/./` runs, as Zeek's compress_path does (a leading `.` stays). */
export function compressPath(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const interior = i > 0 && i < segments.length - 1;
    if (seg === '.' && i > 0) continue;
    if (seg === '' && interior) continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.join('/');
}

/** Zeek's build_url_ftp: the server address (IPv6 in brackets) and the compressed path, always rooted. */
export function ftpUrl(server: string, cwd: string, file: string): string {
  let path = compressPath(buildPath(cwd, file));
  if (!path.startsWith('/')) path = `/${path}`;
  const host = server.includes(':') ? `[${server}]` : server;
  return `ftp://${host}${path}`;
}
