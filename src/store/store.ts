// The state store: findings, incidents, reader checkpoints, allow-lists, baselines and host-side connections in
// one SQLite file. Everything one input adds — findings, baseline sightings, connections, its checkpoint — is
// written in ONE transaction, with INSERT OR IGNORE on deterministic IDs, so a crash at any point loses or
// duplicates nothing and the same input ingested twice adds nothing.
import type { ProcessRef, Source } from '../core/events.js';
import type { Finding } from '../core/findings.js';
import type { Incident } from '../core/incidents.js';
import type { AllowEntry, AllowKind, AttributedConnection, CorrelationContext, NewNetworkProcess, SeenTransfer } from '../correlate/context.js';
import type { InputIdentity, QuickIdentity } from './identity.js';
import { splitKey, type Observations } from './observations.js';
import { openDb, type Db } from './open.js';

export type Purpose = 'hunt' | 'learn';

export interface IncidentFilter {
  host?: string;
  from?: number;
  to?: number;
  minRisk?: number;
  technique?: string;
  includeSuppressed?: boolean;
}

export interface StoredInput {
  path: string;
  purpose: Purpose;
  size: number;
  complete: boolean;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

export class Store implements CorrelationContext {
  private constructor(readonly db: Db, readonly path: string) {}

  static open(path: string, readonly = false): Store {
    return new Store(openDb(path, readonly), path);
  }

  close(): void {
    this.db.close();
  }

  /**
   * The input already committed completely for this purpose, if any: the same file unchanged (device, inode,
   * size and head), or the same content under any path.
   */
  ingested(identity: QuickIdentity | InputIdentity, purpose: Purpose): StoredInput | undefined {
    const row = ('content_sha256' in identity
      ? this.db.prepare('SELECT path, purpose, size, complete FROM inputs WHERE content_sha256 = ? AND purpose = ? AND complete = 1').get(identity.content_sha256, purpose)
      : this.db
          .prepare('SELECT path, purpose, size, complete FROM inputs WHERE dev = ? AND ino = ? AND size = ? AND head_sha256 = ? AND purpose = ? AND complete = 1 LIMIT 1')
          .get(identity.dev, identity.ino, identity.size, identity.head_sha256, purpose)) as { path: string; purpose: Purpose; size: number } | undefined;
    return row === undefined ? undefined : { ...row, complete: true };
  }

  /**
   * Commits one input atomically: its findings, what it taught the baselines, its connections, the detectors'
   * state after it (snapshot-capable ones, with the hash of their options) and its checkpoint.
   */
  commitInput(
    identity: InputIdentity | undefined,
    purpose: Purpose,
    findings: readonly Finding[],
    observations?: Observations,
    detectorStates: ReadonlyMap<string, { optionsHash: string; state: unknown }> = new Map(),
  ): number {
    let added = 0;
    this.db.transaction(() => {
      added = this.upsertFindings(findings);
      if (observations !== undefined) this.mergeObservations(observations);
      const saveState = this.db.prepare('INSERT OR REPLACE INTO detector_state (detector, options_sha256, state) VALUES (?, ?, ?)');
      for (const [detector, { optionsHash, state }] of detectorStates) saveState.run(detector, optionsHash, JSON.stringify(state));
      if (identity !== undefined) {
        this.db
          .prepare(
            `INSERT OR REPLACE INTO inputs (content_sha256, purpose, path, dev, ino, size, head_sha256, byte_offset, complete, committed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
          )
          .run(identity.content_sha256, purpose, identity.path, identity.dev, identity.ino, identity.size, identity.head_sha256, identity.size, Date.now() / 1000);
      }
    })();
    return added;
  }

  /** The state a detector saved, if it was saved with these options. */
  detectorState(detector: string, optionsHash: string): unknown {
    const row = this.db.prepare('SELECT options_sha256, state FROM detector_state WHERE detector = ?').get(detector) as { options_sha256: string; state: string } | undefined;
    return row === undefined || row.options_sha256 !== optionsHash ? undefined : parse<unknown>(row.state);
  }

  /**
   * Same ID, same finding: a re-run adds nothing. A window reported while still open (at the end of a run) is
   * reported again, under the same ID, once later input extends it; the newer record replaces the older.
   * Returns how many findings were new or changed.
   */
  private upsertFindings(findings: readonly Finding[]): number {
    const insert = this.db.prepare(
      `INSERT INTO findings (id, analytic, technique, risk, ts_start, ts_end, host, src_ip, dst_ip, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET risk = excluded.risk, ts_start = excluded.ts_start, ts_end = excluded.ts_end, record = excluded.record
       WHERE record <> excluded.record`,
    );
    let added = 0;
    for (const f of findings) {
      added += insert.run(f.id, f.analytic, f.technique, f.risk, f.ts_start, f.ts_end, f.host ?? null, f.src_ip ?? null, f.dst_ip ?? null, JSON.stringify(f)).changes;
    }
    return added;
  }

  private mergeObservations(o: Observations): void {
    const upsert = (table: string, keys: string[]) =>
      this.db.prepare(
        `INSERT INTO ${table} (${keys.join(', ')}, first_seen, last_seen${table === 'baseline_hosts' ? '' : ', count'})
         VALUES (${keys.map(() => '?').join(', ')}, ?, ?${table === 'baseline_hosts' ? '' : ', ?'})
         ON CONFLICT DO UPDATE SET first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
         ${table === 'baseline_hosts' ? '' : ', count = count + excluded.count'}`,
      );
    const hosts = upsert('baseline_hosts', ['host']);
    for (const [host, s] of o.hosts) hosts.run(host, s.first, s.last);
    const destinations = upsert('baseline_destinations', ['host', 'dst', 'port']);
    for (const [key, s] of o.destinations) {
      const [host, dst, port] = splitKey(key);
      destinations.run(host, dst, Number(port), s.first, s.last, s.count);
    }
    const processes = upsert('baseline_processes', ['host', 'image']);
    for (const [key, s] of o.processes) {
      const [host, image] = splitKey(key);
      processes.run(host, image, s.first, s.last, s.count);
    }
    const connection = this.db.prepare(
      'INSERT OR IGNORE INTO connections (src_ip, src_port, dst_ip, dst_port, ts, host, process, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const c of o.connections.values()) {
      connection.run(c.src_ip, c.src_port, c.dst_ip, c.dst_port, c.ts, c.host ?? null, c.process === undefined ? null : JSON.stringify(c.process), JSON.stringify(c.source));
    }
    const transfer = this.db.prepare('INSERT OR IGNORE INTO transfers (src_ip, dst_ip, name, ts, size, protocol) VALUES (?, ?, ?, ?, ?, ?)');
    for (const t of o.transfers.values()) transfer.run(t.src_ip, t.dst_ip, t.name, t.ts, t.size ?? null, t.protocol);
  }

  /** Every stored finding, oldest first. */
  findings(): Finding[] {
    return (this.db.prepare('SELECT record FROM findings ORDER BY ts_start, id').all() as { record: string }[]).map((r) => parse<Finding>(r.record));
  }

  finding(id: string): Finding | undefined {
    const row = this.db.prepare('SELECT record FROM findings WHERE id = ?').get(id) as { record: string } | undefined;
    return row === undefined ? undefined : parse<Finding>(row.record);
  }

  /** Replaces the incidents with a fresh correlation of the stored findings, in one transaction. */
  replaceIncidents(incidents: readonly Incident[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO incidents (id, technique, risk, ts_start, ts_end, host, dst_ip, suppressed, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM incidents').run();
      for (const i of incidents) {
        insert.run(i.id, i.technique, i.risk, i.ts_start, i.ts_end, i.host ?? null, i.dst_ip ?? null, i.suppressed ?? null, JSON.stringify(i));
      }
    })();
  }

  incidents(filter: IncidentFilter = {}): Incident[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.host !== undefined) (where.push('host = ?'), args.push(filter.host));
    if (filter.from !== undefined) (where.push('ts_end >= ?'), args.push(filter.from));
    if (filter.to !== undefined) (where.push('ts_start <= ?'), args.push(filter.to));
    if (filter.minRisk !== undefined) (where.push('risk >= ?'), args.push(filter.minRisk));
    if (filter.technique !== undefined) (where.push('(technique = ? OR technique LIKE ?)'), args.push(filter.technique, filter.technique + '.%'));
    if (filter.includeSuppressed !== true) where.push('suppressed IS NULL');
    const sql = `SELECT record FROM incidents ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY risk DESC, ts_start, id`;
    return (this.db.prepare(sql).all(...args) as { record: string }[]).map((r) => parse<Incident>(r.record));
  }

  /** An incident by its ID or a unique prefix of it (at least 6 characters). */
  incident(idOrPrefix: string): Incident | undefined {
    if (!/^[0-9a-f]{6,24}$/.test(idOrPrefix)) return undefined;
    const rows = this.db.prepare('SELECT record FROM incidents WHERE id >= ? AND id < ? LIMIT 2').all(idOrPrefix, idOrPrefix + 'g') as { record: string }[];
    return rows.length === 1 ? parse<Incident>(rows[0]!.record) : undefined;
  }

  addAllow(kind: AllowKind, value: string, comment?: string): AllowEntry {
    this.db.prepare('INSERT OR IGNORE INTO allow (kind, value, comment, created_at) VALUES (?, ?, ?, ?)').run(kind, value, comment ?? null, Date.now() / 1000);
    return this.allowList().find((e) => e.kind === kind && e.value === value)!;
  }

  removeAllow(id: number): boolean {
    return this.db.prepare('DELETE FROM allow WHERE id = ?').run(id).changes > 0;
  }

  allowList(): AllowEntry[] {
    const rows = this.db.prepare('SELECT id, kind, value, comment FROM allow ORDER BY id').all() as (AllowEntry & { comment: string | null })[];
    return rows.map((r) => (r.comment === null ? { id: r.id, kind: r.kind, value: r.value } : { ...r, comment: r.comment }));
  }

  /** Drops baseline rows, connections and transfers older than `maxAge` seconds before the newest event stored. */
  ageOut(maxAge: number): number {
    const newest = (this.db.prepare('SELECT max(last_seen) AS t FROM baseline_hosts').get() as { t: number | null }).t;
    if (newest === null) return 0;
    const cutoff = newest - maxAge;
    let removed = 0;
    this.db.transaction(() => {
      for (const table of ['baseline_hosts', 'baseline_destinations', 'baseline_processes']) {
        removed += this.db.prepare(`DELETE FROM ${table} WHERE last_seen < ?`).run(cutoff).changes;
      }
      removed += this.db.prepare('DELETE FROM connections WHERE ts < ?').run(cutoff).changes;
      removed += this.db.prepare('DELETE FROM transfers WHERE ts < ?').run(cutoff).changes;
    })();
    return removed;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const table of ['findings', 'incidents', 'inputs', 'allow', 'baseline_hosts', 'baseline_destinations', 'baseline_processes', 'connections', 'transfers']) {
      out[table] = (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return out;
  }

  // CorrelationContext, answered from the tables above.

  hostFirstSeen(host: string): number | undefined {
    const row = this.db.prepare('SELECT first_seen FROM baseline_hosts WHERE host = ?').get(host) as { first_seen: number } | undefined;
    return row?.first_seen;
  }

  destinationFirstSeen(host: string, dst: string): number | undefined {
    const row = this.db.prepare('SELECT min(first_seen) AS t FROM baseline_destinations WHERE host = ? AND dst = ?').get(host, dst) as { t: number | null };
    return row.t ?? undefined;
  }

  prevalence(dst: string): number {
    return (this.db.prepare('SELECT count(DISTINCT host) AS n FROM baseline_destinations WHERE dst = ?').get(dst) as { n: number }).n;
  }

  processNetworkFirstSeen(host: string, image: string): number | undefined {
    const row = this.db.prepare('SELECT first_seen FROM baseline_processes WHERE host = ? AND image = ?').get(host, image) as { first_seen: number } | undefined;
    return row?.first_seen;
  }

  attribute(flow: { src_ip: string; src_port?: number; dst_ip: string; dst_port?: number; ts: number }, tolerance: number): AttributedConnection | undefined {
    // auditd's connect records name only the destination (the source address is 0.0.0.0 or ::): such a record
    // matches on destination and time, and an exact source match is always preferred.
    const args: (string | number)[] = [flow.src_ip, flow.dst_ip, flow.ts - tolerance, flow.ts + tolerance];
    let sql = "SELECT host, process, ts FROM connections WHERE (src_ip = ? OR src_ip IN ('0.0.0.0', '::')) AND dst_ip = ? AND ts BETWEEN ? AND ?";
    if (flow.dst_port !== undefined) (sql += ' AND dst_port = ?'), args.push(flow.dst_port);
    if (flow.src_port !== undefined) (sql += ' AND (src_port = ? OR src_port = 0)'), args.push(flow.src_port);
    sql += ' ORDER BY src_ip = ? DESC, abs(ts - ?), src_port LIMIT 1';
    args.push(flow.src_ip, flow.ts);
    const row = this.db.prepare(sql).get(...args) as { host: string | null; process: string | null; ts: number } | undefined;
    if (row === undefined) return undefined;
    return { ts: row.ts, host: row.host ?? undefined, process: row.process === null ? undefined : parse<ProcessRef>(row.process) };
  }

  /**
   * Processes whose first network use came at least `minHistory` seconds after their host's baseline began:
   * each with its first connection, as evidence.
   */
  processesNewToNetwork(minHistory: number): NewNetworkProcess[] {
    const rows = this.db
      .prepare(
        `SELECT p.host, p.image, p.first_seen, h.first_seen AS host_first_seen,
           (SELECT json_object('process', c.process, 'source', c.source, 'src_ip', c.src_ip, 'dst_ip', c.dst_ip, 'dst_port', c.dst_port)
              FROM connections c WHERE c.host = p.host AND c.ts = p.first_seen AND lower(json_extract(c.process, '$.image')) = p.image
              ORDER BY c.src_port LIMIT 1) AS first_connection
         FROM baseline_processes p JOIN baseline_hosts h ON h.host = p.host
         WHERE p.first_seen - h.first_seen >= ? ORDER BY p.first_seen, p.host, p.image`,
      )
      .all(minHistory) as { host: string; image: string; first_seen: number; host_first_seen: number; first_connection: string | null }[];
    return rows.map((r) => {
      const first = r.first_connection === null ? undefined : parse<{ process: string | null; source: string | null; src_ip: string; dst_ip: string; dst_port: number }>(r.first_connection);
      return {
        host: r.host, image: r.image, first_seen: r.first_seen, host_first_seen: r.host_first_seen,
        process: first?.process == null ? undefined : parse<ProcessRef>(first.process),
        source: first?.source == null ? undefined : parse<Source>(first.source),
        src_ip: first?.src_ip, dst_ip: first?.dst_ip, dst_port: first?.dst_port,
      };
    });
  }

  hostForIp(ip: string, ts: number): string | undefined {
    // The nearest report before and after, each one index seek; the closer wins (the earlier on a tie).
    const before = this.db
      .prepare("SELECT host, ts FROM connections WHERE src_ip = ? AND ts <= ? AND host IS NOT NULL ORDER BY ts DESC, host LIMIT 1")
      .get(ip, ts) as { host: string; ts: number } | undefined;
    const after = this.db
      .prepare('SELECT host, ts FROM connections WHERE src_ip = ? AND ts > ? AND host IS NOT NULL ORDER BY ts, host LIMIT 1')
      .get(ip, ts) as { host: string; ts: number } | undefined;
    if (before === undefined || (after !== undefined && after.ts - ts < ts - before.ts)) return after?.host;
    return before.host;
  }

  transfers(src_ip: string, dst_ip: string, from: number, to: number): SeenTransfer[] {
    const rows = this.db
      .prepare('SELECT name, size, protocol, ts FROM transfers WHERE src_ip = ? AND dst_ip = ? AND ts BETWEEN ? AND ? ORDER BY ts, name')
      .all(src_ip, dst_ip, from, to) as { name: string; size: number | null; protocol: string; ts: number }[];
    return rows.map((r) => ({ name: r.name, protocol: r.protocol, ts: r.ts, ...(r.size === null ? {} : { size: r.size }) }));
  }
}
