import type { WebhookEndpoint } from './webhook-endpoint.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** An event on its way into the outbox, for one endpoint. */
export interface NewDelivery {
  id: string;
  endpointId: string;
  /** The event's id: one row per endpoint and event however often it is enqueued. */
  eventId: string;
  type: string;
  /** The exact body sent (and signed). */
  body: string;
  createdAt: number;
}

/** A row of the outbox: an event for one endpoint and its latest attempt. */
export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: number | null;
}

/** A delivery claimed by one node (its lease), with the endpoint to send it to. */
export interface ClaimedDelivery {
  delivery: Delivery;
  endpoint: WebhookEndpoint;
}

/** What an attempt leaves in the row. */
export interface AttemptResult {
  status: DeliveryStatus;
  attempts: number;
  /** When to try again (status pending); null otherwise. */
  nextAttemptAt: number | null;
  attemptedAt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A delivery as the API shows it. */
export function describeDelivery(d: Delivery) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    responseCode: d.lastStatusCode,
    durationMs: d.lastDurationMs,
    error: d.lastError,
    createdAt: iso(d.createdAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
  };
}
