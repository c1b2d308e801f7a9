import type pg from 'pg';

/** The channel every change of api_keys is announced on (by a trigger, whoever writes). */
export const KEYS_CHANNEL = 'tiktool_keys';

/** Schema migrations, applied in order; version n is MIGRATIONS[n - 1]. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     hash BYTEA NOT NULL UNIQUE,
     tier TEXT NOT NULL,
     label TEXT NOT NULL DEFAULT '',
     created_at BIGINT NOT NULL,
     revoked_at BIGINT,
     allowed_origins TEXT,
     allowed_creators TEXT
   );
   CREATE TABLE usage_hourly (
     key_id TEXT NOT NULL,
     hour BIGINT NOT NULL,
     connects BIGINT NOT NULL DEFAULT 0,
     socket_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
     events BIGINT NOT NULL DEFAULT 0,
     PRIMARY KEY (key_id, hour)
   );
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE FUNCTION tiktool_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_notify('${KEYS_CHANNEL}', NEW.id);
     RETURN NEW;
   END $$;
   CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE ON api_keys
     FOR EACH ROW EXECUTE FUNCTION tiktool_key_changed();`,
  // Webhook endpoints and their outbox; seq orders an endpoint's deliveries.
  `CREATE TABLE webhook_endpoints (
     id TEXT PRIMARY KEY,
     key_id TEXT NOT NULL,
     url TEXT NOT NULL,
     creators TEXT NOT NULL,
     events TEXT NOT NULL,
     min_diamonds BIGINT NOT NULL DEFAULT 0,
     secret TEXT NOT NULL,
     previous_secret TEXT,
     previous_secret_until BIGINT,
     created_at BIGINT NOT NULL,
     failing_since BIGINT,
     disabled_at BIGINT,
     disabled_reason TEXT
   );
   CREATE INDEX webhook_endpoints_key ON webhook_endpoints (key_id);
   CREATE TABLE webhook_outbox (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     endpoint_id TEXT NOT NULL,
     event_id TEXT NOT NULL,
     type TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT,
     lease_owner TEXT,
     lease_until BIGINT,
     last_attempt_at BIGINT,
     last_status_code INTEGER,
     last_error TEXT,
     last_duration_ms INTEGER,
     delivered_at BIGINT,
     UNIQUE (endpoint_id, event_id)
   );
   CREATE INDEX webhook_outbox_pending ON webhook_outbox (status, endpoint_id, seq);`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** Any constant: every node takes the same advisory lock, so only one migrates at a time. */
const MIGRATION_LOCK = 7_114_117;

/** Brings the schema up to date; safe when several nodes start at once. Returns the version. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let v = rows[0].v ?? 0; v < MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v]);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return MIGRATIONS.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
