// Seed analytic 3, "encrypted files before exfiltration": a file with an encrypted-looking extension
// written where data is staged (/tmp, Downloads, an `exfil` folder), or an encrypted file or password
// archive written by a process that seed analytic 2's command-line recognition flags.
import { z } from 'zod';
import type { Event, FileEvent, ProcessEvent, ProcessRef } from '../../core/events.js';
import { findingId, type Finding } from '../../core/findings.js';
import { analyseProcessEvent, commandLineLimitOptions } from '../../analysis/command-line/index.js';
import { compileGlob, extensionOf, globMatches, normalisePath } from '../../analysis/paths/index.js';
import type { DetectorSpec } from '../detector.js';
import { CappedMap } from '../state/capped-map.js';

export const ANALYTIC = 'seed-encrypted-file-staged';

const score = z.number().min(0).max(10);
const extensionMap = z.record(z.string().regex(/^[a-z0-9]+$/), score);

export const options = z.strictObject({
  enabled: z.boolean().default(true),
  /** The seed's staging locations. A final `*` covers everything below; a glob without one covers that folder and below. */
  paths: z.array(z.string().min(1)).default(['/tmp/*', '/var/tmp/*', '/home/*/Downloads/*', 'C:\\Users\\*\\Documents\\exfil']),
  /**
   * Encrypted-looking extensions and their risk when written in a staging location (or by a flagged process).
   * Seed: aes, enc → 9; bin → 8 (bin is also every firmware and dump, hence lower). Added: gpg and pgp → 9
   * (OpenPGP ciphertext, what `gpg -c` writes); asc → 7 (ASCII-armoured OpenPGP, but also keys and
   * signatures); cpt → 9 (ccrypt); age → 9 (age).
   */
  extensions: extensionMap.default({ aes: 9, enc: 9, bin: 8, gpg: 9, pgp: 9, asc: 7, cpt: 9, age: 9 }),
  /**
   * Archive extensions that count only when a flagged process (one that ran a password archiver or a
   * cipher) wrote them: archives on their own are everyday files.
   */
  archive_extensions: extensionMap.default({ '7z': 8, zip: 8, rar: 8 }),
  /** Risk for any file a flagged process named as its output (`-out`, `-o`, archive name), whatever its extension. */
  declared_output_score: score.default(8),
  /** How long after its start a flagged process's writes are tied to it (seconds). Covers long archive jobs. */
  flag_window_seconds: z.number().positive().default(3600),
  /** Flagged processes remembered per host (oldest forgotten first). */
  max_flagged_per_host: z.number().int().min(1).default(256),
  /** Hosts with flagged processes remembered (oldest forgotten first). */
  max_hosts: z.number().int().min(1).default(10_000),
  /** Paths already reported, so the hundreds of 4663 writes to one file give one finding (oldest forgotten first). */
  max_reported_paths: z.number().int().min(1).default(100_000),
  ...commandLineLimitOptions,
});
export type Options = z.infer<typeof options>;

interface Flagged {
  ts: number;
  summary: string;
  image?: string;
}

function processKeys(p: ProcessRef | undefined): string[] {
  if (p === undefined) return [];
  const keys: string[] = [];
  if (p.guid !== undefined) keys.push(`guid:${p.guid.toLowerCase()}`);
  if (p.pid !== undefined) keys.push(`pid:${p.pid}`);
  return keys;
}

const WRITES = new Set<FileEvent['action']>(['create', 'write', 'rename']);

export const seedEncryptedFileStaged: DetectorSpec<Options> = {
  id: ANALYTIC,
  description: 'Encrypted-looking files and password archives written to staging folders or by encrypting processes (seed analytic 3)',
  consumes: ['process', 'file'],
  options,
  create(opts, limits) {
    const globs = opts.paths.map(compileGlob);
    const extensions = new Map(Object.entries(opts.extensions));
    const archives = new Map(Object.entries(opts.archive_extensions));
    /** host → process key (`guid:…`, `pid:…`) or `out:<normalised path>` → what flagged it. */
    const flaggedByHost = new CappedMap<string, CappedMap<string, { flagged?: Flagged }>>(opts.max_hosts, limits, `${ANALYTIC}.max_hosts`);
    const reported = new CappedMap<string, { seen: boolean }>(opts.max_reported_paths, limits, `${ANALYTIC}.max_reported_paths`);
    const forget = (): void => {};

    const remember = (event: ProcessEvent): void => {
      const { uses, expansion } = analyseProcessEvent(event, opts);
      for (const limit of expansion.limitsHit) limits.add(`${ANALYTIC}.${limit}`);
      if (uses.length === 0) return;
      const flagged = flaggedByHost.upsert(event.host ?? '', () => new CappedMap(opts.max_flagged_per_host, limits, `${ANALYTIC}.max_flagged_per_host`), forget);
      const entry: Flagged = { ts: event.ts, summary: uses.map((u) => u.summary).join(', '), image: event.process.image };
      const keys = [...processKeys(event.process), ...uses.flatMap((u) => u.outputs).filter((o) => o !== '-').map((o) => `out:${normalisePath(o).text}`)];
      for (const key of keys) flagged.upsert(key, () => ({}), forget).flagged = entry;
    };

    const lookup = (host: string, key: string, ts: number): Flagged | undefined => {
      const entry = flaggedByHost.get(host)?.get(key)?.flagged;
      return entry !== undefined && ts >= entry.ts && ts - entry.ts <= opts.flag_window_seconds ? entry : undefined;
    };

    const onFile = (event: FileEvent, emit: (f: Finding) => void): void => {
      if (!WRITES.has(event.action)) return;
      const host = event.host ?? '';
      const path = normalisePath(event.path);
      const reportKey = `${host}\u0000${path.text}`;
      if (reported.get(reportKey)?.seen === true) return;
      const ext = extensionOf(event.path);
      const staged = globs.find((g) => globMatches(g, path));
      const byProcess = processKeys(event.process).map((k) => lookup(host, k, event.ts)).find((f) => f !== undefined);
      const byOutput = lookup(host, `out:${path.text}`, event.ts);

      let risk = -1;
      const why: string[] = [];
      const extScore = extensions.get(ext);
      if (extScore !== undefined && (staged !== undefined || byProcess !== undefined || byOutput !== undefined)) {
        risk = extScore;
        why.push(`encrypted-looking .${ext} file`);
      }
      const archiveScore = archives.get(ext);
      if (archiveScore !== undefined && (byProcess !== undefined || byOutput !== undefined) && archiveScore > risk) {
        risk = archiveScore;
        why.push(`.${ext} archive`);
      }
      if (byOutput !== undefined && opts.declared_output_score > risk) {
        risk = opts.declared_output_score;
        why.push('file');
      }
      if (risk < 0) return;
      reported.upsert(reportKey, () => ({ seen: true }), forget);
      const flagged = byProcess ?? byOutput;
      const where = staged === undefined ? '' : ` in staging location ${staged.pattern}`;
      const by = flagged === undefined ? '' : ` by a process that ran ${flagged.summary}`;
      const details: NonNullable<Finding['details']> = { extension: ext, action: event.action };
      if (staged !== undefined) details.staging_pattern = staged.pattern;
      if (flagged !== undefined) details.flagged_command = flagged.summary;
      if (byOutput !== undefined) details.declared_output = true;
      emit({
        id: findingId(ANALYTIC, [event.host, path.text], event.ts),
        technique: 'T1074',
        analytic: ANALYTIC,
        risk,
        ts_start: event.ts,
        ts_end: event.ts,
        host: event.host,
        process: event.process,
        reason: `${capitalise(why[0]!)} ${event.path} written${where}${by}.`,
        evidence: [{ ...event.source, note: `file ${event.action}` }],
        details,
      });
    };

    return {
      onEvent(event: Event, emit) {
        if (event.kind === 'process') remember(event);
        else if (event.kind === 'file') onFile(event, emit);
      },
      flush() {},
    };
  },
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
