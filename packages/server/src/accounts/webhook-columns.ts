import type { Delivery, DeliveryStatus } from '../webhooks/delivery.js';
import type { WebhookEndpoint, WebhookEventType, WebhookPatch } from '../webhooks/webhook-endpoint.js';

/** A row of webhook_endpoints as both databases return it (times in ms; lists as JSON text). */
export interface EndpointRow {
  id: string;
  key_id: string;
  url: string;
  creators: string;
  events: string;
  min_diamonds: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  created_at: number;
  failing_since: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
}

/** A row of webhook_outbox as both databases return it. */
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  body: string;
  created_at: number;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: number | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));

export const endpointFromRow = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  keyId: r.key_id,
  url: r.url,
  creators: JSON.parse(r.creators) as string[],
  events: JSON.parse(r.events) as WebhookEventType[],
  minDiamonds: Number(r.min_diamonds),
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretUntil: num(r.previous_secret_until),
  createdAt: Number(r.created_at),
  failingSince: num(r.failing_since),
  disabledAt: num(r.disabled_at),
  disabledReason: r.disabled_reason,
});

export const deliveryFromRow = (r: DeliveryRow): Delivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  type: r.type,
  body: r.body,
  createdAt: Number(r.created_at),
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: num(r.next_attempt_at),
  lastAttemptAt: num(r.last_attempt_at),
  lastStatusCode: num(r.last_status_code),
  lastError: r.last_error,
  lastDurationMs: num(r.last_duration_ms),
  deliveredAt: num(r.delivered_at),
});

/** The values of a new endpoint's row, in the column order of ENDPOINT_COLUMNS. */
export const ENDPOINT_COLUMNS =
  'id, key_id, url, creators, events, min_diamonds, secret, previous_secret, previous_secret_until, created_at, failing_since, disabled_at, disabled_reason';

export const endpointValues = (e: WebhookEndpoint) => [
  e.id,
  e.keyId,
  e.url,
  JSON.stringify(e.creators),
  JSON.stringify(e.events),
  e.minDiamonds,
  e.secret,
  e.previousSecret,
  e.previousSecretUntil,
  e.createdAt,
  e.failingSince,
  e.disabledAt,
  e.disabledReason,
];

const PATCH_COLUMNS: Record<keyof WebhookPatch, string> = {
  url: 'url',
  creators: 'creators',
  events: 'events',
  minDiamonds: 'min_diamonds',
  secret: 'secret',
  previousSecret: 'previous_secret',
  previousSecretUntil: 'previous_secret_until',
  failingSince: 'failing_since',
  disabledAt: 'disabled_at',
  disabledReason: 'disabled_reason',
};

/** SET clauses and values of a patch. */
export function endpointPatchColumns(patch: WebhookPatch): [string, string | number | null][] {
  return (Object.keys(PATCH_COLUMNS) as (keyof WebhookPatch)[])
    .filter((k) => patch[k] !== undefined)
    .map((k) => {
      const v = patch[k]!;
      return [PATCH_COLUMNS[k], Array.isArray(v) ? JSON.stringify(v) : v];
    });
}
