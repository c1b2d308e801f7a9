import type { Db } from '../store/database.js';
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

/** Webhooks in the SQLite file; a claim takes the write lock first (BEGIN IMMEDIATE), so processes sharing the file never lease one row twice. */
export class SqliteWebhookStore implements WebhookStore {
  constructor(private readonly db: Db) {}

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    this.db
      .prepare(`INSERT INTO webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES (${ENDPOINT_COLUMNS.replace(/\w+/g, '?')})`)
      .run(...endpointValues(e));
  }

  async endpoints(keyId?: string): Promise<WebhookEndpoint[]> {
    const rows =
      keyId === undefined
        ? this.db.prepare<[], EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id').all()
        : this.db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE key_id = ? ORDER BY created_at, id').all(keyId);
    return rows.map(endpointFromRow);
  }

  async endpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const row = this.db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?').get(id);
    return row ? endpointFromRow(row) : undefined;
  }

  async updateEndpoint(id: string, patch: WebhookPatch): Promise<boolean> {
    const cols = endpointPatchColumns(patch);
    if (cols.length === 0) return (await this.endpoint(id)) !== undefined;
    const sql = `UPDATE webhook_endpoints SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    return this.db.prepare(sql).run(...cols.map(([, v]) => v), id).changes === 1;
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM webhook_outbox WHERE endpoint_id = ?').run(id);
      return this.db.prepare('DELETE FROM webhook_endpoints WHERE id = ?').run(id).changes === 1;
    })();
  }

  async enqueue(rows: NewDelivery[]): Promise<number> {
    const insert = this.db.prepare(
      `INSERT INTO webhook_outbox (id, endpoint_id, event_id, type, body, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    );
    return this.db.transaction(() => {
      let added = 0;
      for (const r of rows) added += insert.run(r.id, r.endpointId, r.eventId, r.type, r.body, r.createdAt, r.createdAt).changes;
      return added;
    })();
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const due = this.db.prepare<[number, number, number], DeliveryRow>(
      `SELECT o.* FROM webhook_outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id AND e.disabled_at IS NULL
       WHERE o.seq IN (SELECT min(seq) FROM webhook_outbox WHERE status = 'pending' GROUP BY endpoint_id)
         AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until < ?)
       ORDER BY o.next_attempt_at LIMIT ?`,
    );
    const lease = this.db.prepare('UPDATE webhook_outbox SET lease_owner = ?, lease_until = ? WHERE id = ?');
    const rows = this.db
      .transaction(() => {
        const found = due.all(now, now, limit);
        for (const r of found) lease.run(owner, now + leaseMs, r.id);
        return found;
      })
      .immediate();
    const claimed: ClaimedDelivery[] = [];
    for (const r of rows) {
      const endpoint = await this.endpoint(r.endpoint_id);
      if (endpoint) claimed.push({ delivery: deliveryFromRow(r), endpoint });
    }
    return claimed;
  }

  async finish(id: string, owner: string, r: AttemptResult): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE webhook_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?, last_status_code = ?,
             last_error = ?, last_duration_ms = ?, delivered_at = ?, lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND lease_owner = ?`,
        )
        .run(
          r.status,
          r.attempts,
          r.nextAttemptAt,
          r.attemptedAt,
          r.statusCode,
          r.error,
          r.durationMs,
          r.status === 'delivered' ? r.attemptedAt : null,
          id,
          owner,
        ).changes === 1
    );
  }

  async deliveries(endpointId: string, limit: number): Promise<Delivery[]> {
    return this.db
      .prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_outbox WHERE endpoint_id = ? ORDER BY seq DESC LIMIT ?')
      .all(endpointId, limit)
      .map(deliveryFromRow);
  }

  async retry(endpointId: string, deliveryId: string, now: number): Promise<boolean> {
    const sql = `UPDATE webhook_outbox SET next_attempt_at = ?, delivered_at = NULL,
        attempts = CASE WHEN status = 'pending' THEN attempts ELSE 0 END, status = 'pending'
      WHERE id = ? AND endpoint_id = ?`;
    return this.db.prepare(sql).run(now, deliveryId, endpointId).changes === 1;
  }

  async pruneDelivered(before: number): Promise<number> {
    return this.db.prepare("DELETE FROM webhook_outbox WHERE status = 'delivered' AND delivered_at < ?").run(before).changes;
  }
}
