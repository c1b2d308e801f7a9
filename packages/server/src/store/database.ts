import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Schema migrations, applied in order; the index is the schema version. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     hash BLOB NOT NULL UNIQUE,
     tier TEXT NOT NULL,
     label TEXT NOT NULL DEFAULT '',
     created_at INTEGER NOT NULL,
     revoked_at INTEGER
   );
   CREATE TABLE usage_hourly (
     key_id TEXT NOT NULL,
     hour INTEGER NOT NULL,
     connects INTEGER NOT NULL DEFAULT 0,
     socket_seconds REAL NOT NULL DEFAULT 0,
     events INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (key_id, hour)
   );`,
  `ALTER TABLE api_keys ADD COLUMN allowed_origins TEXT;
   ALTER TABLE api_keys ADD COLUMN allowed_creators TEXT;
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // When a key last changed, so processes sharing the file notice each other's changes.
  `ALTER TABLE api_keys ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX api_keys_changed_at ON api_keys (changed_at);`,
  // Webhook endpoints and their outbox; seq orders an endpoint's deliveries.
  `CREATE TABLE webhook_endpoints (
     id TEXT PRIMARY KEY,
     key_id TEXT NOT NULL,
     url TEXT NOT NULL,
     creators TEXT NOT NULL,
     events TEXT NOT NULL,
     min_diamonds INTEGER NOT NULL DEFAULT 0,
     secret TEXT NOT NULL,
     previous_secret TEXT,
     previous_secret_until INTEGER,
     created_at INTEGER NOT NULL,
     failing_since INTEGER,
     disabled_at INTEGER,
     disabled_reason TEXT
   );
   CREATE INDEX webhook_endpoints_key ON webhook_endpoints (key_id);
   CREATE TABLE webhook_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     endpoint_id TEXT NOT NULL,
     event_id TEXT NOT NULL,
     type TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER,
     lease_owner TEXT,
     lease_until INTEGER,
     last_attempt_at INTEGER,
     last_status_code INTEGER,
     last_error TEXT,
     last_duration_ms INTEGER,
     delivered_at INTEGER,
     UNIQUE (endpoint_id, event_id)
   );
   CREATE INDEX webhook_outbox_pending ON webhook_outbox (status, endpoint_id, seq);`,
];

/** The schema version a migrated database has. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating if needed) the gateway's SQLite database and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // IMMEDIATE takes the write lock before reading the version: processes starting together migrate once.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return db;
}
