// The store's schema as an ordered list of migrations: entry N takes `PRAGMA user_version` from N to N+1.
// Never edit a released entry; append a new one.

export const MIGRATIONS: readonly string[] = [
  `
  -- Findings and incidents: deterministic IDs, the whole record as JSON, the columns filters need beside it.
  CREATE TABLE findings (
    id TEXT PRIMARY KEY, analytic TEXT NOT NULL, technique TEXT NOT NULL, risk REAL NOT NULL,
    ts_start REAL NOT NULL, ts_end REAL NOT NULL, host TEXT, src_ip TEXT, dst_ip TEXT, record TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX findings_by_time ON findings (ts_start);
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY, technique TEXT NOT NULL, risk REAL NOT NULL, ts_start REAL NOT NULL, ts_end REAL NOT NULL,
    host TEXT, dst_ip TEXT, suppressed TEXT, record TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX incidents_by_time ON incidents (ts_start);

  -- Reader checkpoints: one row per input content and purpose (hunt or learn); complete = 1 once every
  -- event of it is committed. Identity is the content hash, so a renamed or copied file is not read twice.
  CREATE TABLE inputs (
    content_sha256 TEXT NOT NULL, purpose TEXT NOT NULL, path TEXT NOT NULL, dev INTEGER, ino INTEGER,
    size INTEGER NOT NULL, head_sha256 TEXT NOT NULL, byte_offset INTEGER NOT NULL, complete INTEGER NOT NULL,
    committed_at REAL NOT NULL, PRIMARY KEY (content_sha256, purpose)
  ) WITHOUT ROWID;

  CREATE TABLE allow (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('cidr', 'domain', 'process', 'user', 'analytic')),
    value TEXT NOT NULL, comment TEXT, created_at REAL NOT NULL, UNIQUE (kind, value)
  );

  -- Baselines, in event time: first and last seen, so merging is order-independent (min/max) and ages out.
  CREATE TABLE baseline_hosts (host TEXT PRIMARY KEY, first_seen REAL NOT NULL, last_seen REAL NOT NULL) WITHOUT ROWID;
  -- dst is an IP or a domain; port 0 for a domain.
  CREATE TABLE baseline_destinations (
    host TEXT NOT NULL, dst TEXT NOT NULL, port INTEGER NOT NULL, first_seen REAL NOT NULL, last_seen REAL NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (host, dst, port)
  ) WITHOUT ROWID;
  CREATE INDEX baseline_destinations_by_dst ON baseline_destinations (dst);
  CREATE TABLE baseline_processes (
    host TEXT NOT NULL, image TEXT NOT NULL, first_seen REAL NOT NULL, last_seen REAL NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (host, image)
  ) WITHOUT ROWID;

  -- Host-side connections (Sysmon 3, Security 5156, auditd connect), kept to attribute flows to processes.
  CREATE TABLE connections (
    src_ip TEXT NOT NULL, src_port INTEGER NOT NULL, dst_ip TEXT NOT NULL, dst_port INTEGER NOT NULL, ts REAL NOT NULL,
    host TEXT, process TEXT, source TEXT, PRIMARY KEY (src_ip, dst_ip, dst_port, ts, src_port)
  ) WITHOUT ROWID;
  CREATE INDEX connections_by_address_time ON connections (src_ip, ts);
  -- File names seen leaving over FTP, SMTP, HTTP (uploads), to link a staged file to its transfer.
  CREATE TABLE transfers (
    src_ip TEXT NOT NULL, dst_ip TEXT NOT NULL, name TEXT NOT NULL, ts REAL NOT NULL, size INTEGER, protocol TEXT,
    PRIMARY KEY (src_ip, dst_ip, name, ts)
  ) WITHOUT ROWID;

  -- Snapshots of detectors whose windows span inputs, committed with each input's checkpoint; options_sha256
  -- ties a snapshot to the options it was taken with (changed options start afresh).
  CREATE TABLE detector_state (detector TEXT PRIMARY KEY, options_sha256 TEXT NOT NULL, state TEXT NOT NULL) WITHOUT ROWID;
  `,
];
