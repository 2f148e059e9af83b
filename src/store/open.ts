// Opening the state database: one SQLite file in WAL mode, private to its owner, checked at open and migrated
// by `PRAGMA user_version`. A damaged database is an error with recovery steps, never a silent new empty one.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from '../core/errors.js';
import { MIGRATIONS } from './schema.js';

export type Db = Database.Database;

/** `$XDG_STATE_HOME/exfilscope/state.db`, else `~/.local/state/exfilscope/state.db` (XDG Base Directory spec). */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME.startsWith('/')
    ? env.XDG_STATE_HOME
    : join(homedir(), '.local', 'state');
  return join(stateHome, 'exfilscope', 'state.db');
}

export class StoreError extends UsageError {}

function recoveryHint(path: string): string {
  return (
    `To recover: stop every exfilscope using it, keep a copy (cp ${path} ${path}-wal ${path}-shm somewhere safe), ` +
    `then try \`sqlite3 ${path} .recover | sqlite3 recovered.db\` and point --db at recovered.db; ` +
    `or start a new store with --db at a new path and re-ingest the inputs (findings and incidents get the same IDs).`
  );
}

/**
 * Opens (creating if absent) the database at `path`: directory 0700, file 0600, WAL, `quick_check`, migrations.
 * `readonly` opens an existing store for listing without creating or migrating it.
 */
export function openDb(path: string, readonly = false): Db {
  const existed = existsSync(path);
  if (readonly && !existed) throw new StoreError(`no store at ${path} (run \`exfilscope hunt --db ${path}\` first)`);
  if (!existed) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } else if (!statSync(path).isFile()) {
    throw new StoreError(`${path} is not a file`);
  }
  let db: Db;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new StoreError(`cannot open store ${path}: ${(err as Error).message}`);
  }
  // Created by SQLite with the umask's mode; tightened before anything is written into it.
  if (!existed) chmodSync(path, 0o600);
  try {
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power loss may roll back the last transactions, offsets with them, never corrupt.
      db.pragma('synchronous = NORMAL');
    }
    const check = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const problems = check.map((row) => row.quick_check).filter((line) => line !== 'ok');
    if (problems.length > 0) {
      db.close();
      throw new StoreError(`store ${path} is damaged (quick_check: ${problems.slice(0, 3).join('; ')}). ${recoveryHint(path)}`);
    }
    if (!readonly) migrate(db, path);
    else if (db.pragma('user_version', { simple: true }) !== MIGRATIONS.length) {
      throw new StoreError(`store ${path} has schema version ${String(db.pragma('user_version', { simple: true }))}; run a hunt with --db to migrate it`);
    }
  } catch (err) {
    if (db.open) db.close();
    if (err instanceof StoreError) throw err;
    // "file is not a database", "database disk image is malformed" and the like.
    throw new StoreError(`store ${path} cannot be read: ${(err as Error).message}. ${recoveryHint(path)}`);
  }
  return db;
}

function migrate(db: Db, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreError(`store ${path} has schema version ${version}, newer than this exfilscope knows (${MIGRATIONS.length}); upgrade exfilscope`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
