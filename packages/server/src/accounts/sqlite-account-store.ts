import { REVOCATION_POLL_MS } from '../defaults.js';
import { openDatabase, SQLITE_SCHEMA_VERSION, type Db } from '../store/database.js';
import { persistentSecret } from '../store/settings.js';
import type { AccountStore, KeyPatch, StoredKey, UsageHour } from './account-store.js';
import { fromRow, listJson, patchColumns, type KeyRow } from './key-columns.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';

/**
 * The embedded account store: one SQLite file, shared only by processes on one host.
 * Changes made by another process (the CLI, a node sharing the file) are noticed by
 * polling the file every REVOCATION_POLL_MS.
 */
export class SqliteAccountStore implements AccountStore {
  readonly kind = 'sqlite';
  readonly schemaVersion = SQLITE_SCHEMA_VERSION;
  private poller: NodeJS.Timeout | undefined;
  private readonly byHash;
  private readonly byId;
  private readonly usageUpsert;
  readonly webhooks;

  constructor(private readonly db: Db) {
    this.webhooks = new SqliteWebhookStore(db);
    this.byHash = db.prepare<[Buffer], KeyRow>('SELECT * FROM api_keys WHERE hash = ?');
    this.byId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
    this.usageUpsert = db.prepare(
      `INSERT INTO usage_hourly (key_id, hour, connects, socket_seconds, events) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key_id, hour) DO UPDATE SET connects = connects + excluded.connects,
         socket_seconds = socket_seconds + excluded.socket_seconds, events = events + excluded.events`,
    );
  }

  static open(path: string): SqliteAccountStore {
    return new SqliteAccountStore(openDatabase(path));
  }

  async allKeys(): Promise<StoredKey[]> {
    return this.db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at').all().map(fromRow);
  }

  async keyByHash(hash: Buffer): Promise<StoredKey | undefined> {
    const row = this.byHash.get(hash);
    return row ? fromRow(row) : undefined;
  }

  async keyById(id: string): Promise<StoredKey | undefined> {
    const row = this.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  async insertKey({ record: r, hash }: StoredKey): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, hash, tier, label, created_at, revoked_at, allowed_origins, allowed_creators, changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, hash, r.tier, r.label, r.createdAt, r.revokedAt, listJson(r.allowedOrigins), listJson(r.allowedCreators), Date.now());
  }

  async updateKey(id: string, patch: KeyPatch, activeOnly = false): Promise<boolean> {
    const cols = [...patchColumns(patch), ['changed_at', Date.now()] as [string, number]];
    const sql = `UPDATE api_keys SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?${activeOnly ? ' AND revoked_at IS NULL' : ''}`;
    return this.db.prepare(sql).run(...cols.map(([, v]) => v), id).changes === 1;
  }

  async secret(name: string): Promise<string> {
    return persistentSecret(this.db, name);
  }

  async addUsage(hours: UsageHour[]): Promise<void> {
    this.db.transaction(() => {
      for (const u of hours) this.usageUpsert.run(u.keyId, u.hour, u.connects, u.socketSeconds, u.events);
    })();
  }

  async usageHistory(keyId: string, hours: number): Promise<UsageHour[]> {
    return this.db
      .prepare<[string, number], { hour: number; connects: number; socket_seconds: number; events: number }>(
        'SELECT hour, connects, socket_seconds, events FROM usage_hourly WHERE key_id = ? ORDER BY hour DESC LIMIT ?',
      )
      .all(keyId, hours)
      .map((r) => ({ keyId, hour: r.hour, connects: r.connects, socketSeconds: r.socket_seconds, events: r.events }));
  }

  watchKeys(onChange: (keyId: string) => void): void {
    const changedSince = this.db.prepare<[number], { id: string }>('SELECT id FROM api_keys WHERE changed_at >= ?');
    let checkedAt = Date.now();
    this.poller = setInterval(() => {
      // Overlapping windows: a change committed during the previous query is not missed.
      const since = checkedAt - REVOCATION_POLL_MS;
      checkedAt = Date.now();
      for (const { id } of changedSince.all(since)) onChange(id);
    }, REVOCATION_POLL_MS);
    this.poller.unref();
  }

  ready(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.db.close();
  }
}
