import type pg from 'pg';
import type { AttemptResult, ClaimedDelivery, Delivery, NewDelivery } from '../webhooks/delivery.js';
import type { WebhookEndpoint, WebhookPatch } from '../webhooks/webhook-endpoint.js';
import {
  deliveryFromRow,
  ENDPOINT_COLUMNS,
  endpointFromRow,
  endpointPatchColumns,
  endpointValues,
  type DeliveryRow,
  type EndpointRow,
} from './webhook-columns.js';
import type { WebhookStore } from './webhook-store.js';

/**
 * An endpoint's oldest pending row, when due and not leased. FOR UPDATE SKIP LOCKED: a
 * node claiming at the same time skips the rows this one is leasing instead of waiting,
 * and a row leased meanwhile fails the re-checked lease condition.
 */
const DUE = `WITH heads AS (SELECT min(seq) AS seq FROM webhook_outbox WHERE status = 'pending' GROUP BY endpoint_id)
  SELECT o.* FROM webhook_outbox o JOIN heads h ON h.seq = o.seq
  JOIN webhook_endpoints e ON e.id = o.endpoint_id AND e.disabled_at IS NULL
  WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until < $1)
  ORDER BY o.next_attempt_at LIMIT $2 FOR UPDATE OF o SKIP LOCKED`;

/** Webhooks in Postgres, shared by every node: each delivery is leased to one node at a time. */
export class PostgresWebhookStore implements WebhookStore {
  constructor(private readonly pool: pg.Pool) {}

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    const values = endpointValues(e);
    await this.pool.query(
      `INSERT INTO webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
  }

  async endpoints(keyId?: string): Promise<WebhookEndpoint[]> {
    const rows =
      keyId === undefined
        ? await this.query<EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id')
        : await this.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE key_id = $1 ORDER BY created_at, id', [keyId]);
    return rows.map(endpointFromRow);
  }

  async endpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1', [id]);
    return row ? endpointFromRow(row) : undefined;
  }

  async updateEndpoint(id: string, patch: WebhookPatch): Promise<boolean> {
    const cols = endpointPatchColumns(patch);
    if (cols.length === 0) return (await this.endpoint(id)) !== undefined;
    const sets = cols.map(([c], i) => `${c} = $${i + 2}`).join(', ');
    const res = await this.pool.query(`UPDATE webhook_endpoints SET ${sets} WHERE id = $1`, [id, ...cols.map(([, v]) => v)]);
    return res.rowCount === 1;
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.transaction(async (c) => {
      await c.query('DELETE FROM webhook_outbox WHERE endpoint_id = $1', [id]);
      return (await c.query('DELETE FROM webhook_endpoints WHERE id = $1', [id])).rowCount === 1;
    });
  }

  async enqueue(rows: NewDelivery[]): Promise<number> {
    if (rows.length === 0) return 0;
    const res = await this.pool.query(
      `INSERT INTO webhook_outbox (id, endpoint_id, event_id, type, body, created_at, next_attempt_at)
       SELECT id, endpoint_id, event_id, type, body, created_at, created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         AS r(id, endpoint_id, event_id, type, body, created_at)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.endpointId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.type),
        rows.map((r) => r.body),
        rows.map((r) => r.createdAt),
      ],
    );
    return res.rowCount ?? 0;
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.transaction(async (c) => {
      const found = (await c.query<DeliveryRow>(DUE, [now, limit])).rows;
      if (found.length > 0) {
        await c.query('UPDATE webhook_outbox SET lease_owner = $1, lease_until = $2 WHERE id = ANY($3)', [
          owner,
          now + leaseMs,
          found.map((r) => r.id),
        ]);
      }
      return found;
    });
    const claimed: ClaimedDelivery[] = [];
    for (const r of rows) {
      const endpoint = await this.endpoint(r.endpoint_id);
      if (endpoint) claimed.push({ delivery: deliveryFromRow(r), endpoint });
    }
    return claimed;
  }

  async finish(id: string, owner: string, r: AttemptResult): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE webhook_outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_attempt_at = $6, last_status_code = $7,
         last_error = $8, last_duration_ms = $9, delivered_at = $10, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [
        id,
        owner,
        r.status,
        r.attempts,
        r.nextAttemptAt,
        r.attemptedAt,
        r.statusCode,
        r.error,
        r.durationMs,
        r.status === 'delivered' ? r.attemptedAt : null,
      ],
    );
    return res.rowCount === 1;
  }

  async deliveries(endpointId: string, limit: number): Promise<Delivery[]> {
    const rows = await this.query<DeliveryRow>('SELECT * FROM webhook_outbox WHERE endpoint_id = $1 ORDER BY seq DESC LIMIT $2', [
      endpointId,
      limit,
    ]);
    return rows.map(deliveryFromRow);
  }

  async retry(endpointId: string, deliveryId: string, now: number): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE webhook_outbox SET next_attempt_at = $1, delivered_at = NULL,
         attempts = CASE WHEN status = 'pending' THEN attempts ELSE 0 END, status = 'pending'
       WHERE id = $2 AND endpoint_id = $3`,
      [now, deliveryId, endpointId],
    );
    return res.rowCount === 1;
  }

  async pruneDelivered(before: number): Promise<number> {
    const res = await this.pool.query("DELETE FROM webhook_outbox WHERE status = 'delivered' AND delivered_at < $1", [before]);
    return res.rowCount ?? 0;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, args)).rows;
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
