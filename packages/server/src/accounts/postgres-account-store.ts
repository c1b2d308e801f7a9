import pg from 'pg';
import { ACCOUNTS_LISTEN_RETRY_MS, ACCOUNTS_POOL_SIZE } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { AccountStore, KeyPatch, StoredKey, UsageHour } from './account-store.js';
import { fromRow, listJson, patchColumns, type KeyRow } from './key-columns.js';
import { KEYS_CHANNEL, migratePostgres } from './postgres-migrations.js';
import { persistentPostgresSecret } from './postgres-secret.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';

const INT8_OID = 20;
// Times and counters are BIGINT; every value fits a JS number.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Accounts in Postgres (DATABASE_URL), shared by every node on every host. A trigger
 * announces each change of a key with NOTIFY; one LISTEN connection per node hears it.
 */
export class PostgresAccountStore implements AccountStore {
  readonly kind = 'postgres';
  private listener: pg.Client | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private closed = false;
  readonly webhooks: PostgresWebhookStore;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly logger: Logger | undefined,
    readonly schemaVersion: number,
  ) {
    this.webhooks = new PostgresWebhookStore(pool);
    pool.on('error', (err) => logger?.warn({ err: err.message }, 'account store: idle Postgres connection failed'));
  }

  /** Connects and applies migrations. */
  static async open(url: string, logger?: Logger): Promise<PostgresAccountStore> {
    const pool = new pg.Pool({ connectionString: url, max: ACCOUNTS_POOL_SIZE, types });
    try {
      return new PostgresAccountStore(pool, url, logger, await migratePostgres(pool));
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  async allKeys(): Promise<StoredKey[]> {
    return (await this.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at')).map(fromRow);
  }

  async keyByHash(hash: Buffer): Promise<StoredKey | undefined> {
    const [row] = await this.query<KeyRow>('SELECT * FROM api_keys WHERE hash = $1', [hash]);
    return row ? fromRow(row) : undefined;
  }

  async keyById(id: string): Promise<StoredKey | undefined> {
    const [row] = await this.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return row ? fromRow(row) : undefined;
  }

  async insertKey({ record: r, hash }: StoredKey): Promise<void> {
    await this.query(
      `INSERT INTO api_keys (id, hash, tier, label, created_at, revoked_at, allowed_origins, allowed_creators)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, hash, r.tier, r.label, r.createdAt, r.revokedAt, listJson(r.allowedOrigins), listJson(r.allowedCreators)],
    );
  }

  async updateKey(id: string, patch: KeyPatch, activeOnly = false): Promise<boolean> {
    const cols = patchColumns(patch);
    if (cols.length === 0) return (await this.keyById(id)) !== undefined;
    const sets = cols.map(([c], i) => `${c} = $${i + 2}`).join(', ');
    const sql = `UPDATE api_keys SET ${sets} WHERE id = $1${activeOnly ? ' AND revoked_at IS NULL' : ''}`;
    const res = await this.pool.query(sql, [id, ...cols.map(([, v]) => v)]);
    return res.rowCount === 1;
  }

  secret(name: string): Promise<string> {
    return persistentPostgresSecret(this.pool, name);
  }

  async addUsage(hours: UsageHour[]): Promise<void> {
    if (hours.length === 0) return;
    await this.query(
      `INSERT INTO usage_hourly AS u (key_id, hour, connects, socket_seconds, events)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::float8[], $5::bigint[])
       ON CONFLICT (key_id, hour) DO UPDATE SET connects = u.connects + excluded.connects,
         socket_seconds = u.socket_seconds + excluded.socket_seconds, events = u.events + excluded.events`,
      [
        hours.map((u) => u.keyId),
        hours.map((u) => u.hour),
        hours.map((u) => u.connects),
        hours.map((u) => u.socketSeconds),
        hours.map((u) => u.events),
      ],
    );
  }

  async usageHistory(keyId: string, hours: number): Promise<UsageHour[]> {
    const rows = await this.query<{ hour: number; connects: number; socket_seconds: number; events: number }>(
      'SELECT hour, connects, socket_seconds, events FROM usage_hourly WHERE key_id = $1 ORDER BY hour DESC LIMIT $2',
      [keyId, hours],
    );
    return rows.map((r) => ({ keyId, hour: r.hour, connects: r.connects, socketSeconds: r.socket_seconds, events: r.events }));
  }

  watchKeys(onChange: (keyId: string) => void, onResync: () => void): void {
    void this.listen(onChange, onResync, false);
  }

  /** Not tied to Postgres being reachable: known keys keep working from every node's cache. */
  ready(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.listenRetry);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /**
   * One dedicated connection LISTENs; when it drops, it reconnects and the cache reloads,
   * since notifications sent meanwhile are lost.
   */
  private async listen(onChange: (keyId: string) => void, onResync: () => void, again: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types });
    const retry = () => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      this.listenRetry = setTimeout(() => void this.listen(onChange, onResync, true), ACCOUNTS_LISTEN_RETRY_MS);
      this.listenRetry.unref();
    };
    this.listener = client;
    client.on('error', (err) => {
      this.logger?.warn({ err: err.message }, 'account store: lost the Postgres notification connection; retrying');
      retry();
    });
    client.on('end', retry);
    client.on('notification', (n) => {
      if (n.channel === KEYS_CHANNEL && n.payload) onChange(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${KEYS_CHANNEL}`);
      if (again) onResync();
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'account store: cannot LISTEN on Postgres; retrying');
      retry();
    }
  }

  private async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, args)).rows;
  }
}
