import type { AttemptResult, ClaimedDelivery, Delivery, NewDelivery } from '../webhooks/delivery.js';
import type { WebhookEndpoint, WebhookPatch } from '../webhooks/webhook-endpoint.js';

/**
 * Webhook endpoints and their durable outbox, in the account store (SQLite or Postgres).
 * An outbox row is one event for one endpoint; rows of an endpoint are sent in the order
 * they were enqueued, each claimed by one process at a time under a lease.
 */
export interface WebhookStore {
  insertEndpoint(e: WebhookEndpoint): Promise<void>;
  /** Every endpoint, or a key's, oldest first. */
  endpoints(keyId?: string): Promise<WebhookEndpoint[]>;
  endpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** False when no endpoint has this id. */
  updateEndpoint(id: string, patch: WebhookPatch): Promise<boolean>;
  /** Deletes the endpoint and its outbox rows; false when no endpoint has this id. */
  deleteEndpoint(id: string): Promise<boolean>;
  /** Adds rows; a row whose (endpointId, eventId) is already there is skipped. Returns the rows added. */
  enqueue(rows: NewDelivery[]): Promise<number>;
  /**
   * Leases up to `limit` deliveries due at `now` to `owner` until `now + leaseMs`: for each
   * enabled endpoint only its oldest pending row, so an endpoint's events go in order.
   */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /** Records an attempt of a delivery this owner leased; false when the lease was lost. */
  finish(id: string, owner: string, result: AttemptResult): Promise<boolean>;
  /** The endpoint's latest rows, newest first. */
  deliveries(endpointId: string, limit: number): Promise<Delivery[]>;
  /** Makes a delivery (dead or delivered) pending again, due at `now`; false when the endpoint has no such row. */
  retry(endpointId: string, deliveryId: string, now: number): Promise<boolean>;
  /** Deletes delivered rows delivered before `before`; returns how many. */
  pruneDelivered(before: number): Promise<number>;
}
