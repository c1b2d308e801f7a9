import { randomBytes } from 'node:crypto';
import type { WebhookStore } from '../accounts/webhook-store.js';
import type { Logger } from '../logger.js';
import type { WebhookMetrics } from '../metrics/webhook-metrics.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookEvent } from './webhook-event.js';

export const deliveryId = () => `dlv_${randomBytes(12).toString('hex')}`;

/** Puts events into the durable outbox, one row per endpoint, and wakes the sender. */
export class WebhookOutbox {
  constructor(
    private readonly store: WebhookStore,
    private readonly metrics: WebhookMetrics,
    private readonly logger: Logger,
    private readonly wake: () => void,
  ) {}

  /** A row was made due (a replay): the sender looks now. */
  wakeSender(): void {
    this.wake();
  }

  /** Resolves once the rows are stored (then they survive a crash); a failed write is logged. */
  async add(event: WebhookEvent, endpoints: readonly WebhookEndpoint[]): Promise<number> {
    if (endpoints.length === 0) return 0;
    const body = JSON.stringify(event);
    const at = Date.now();
    const rows = endpoints.map((e) => ({ id: deliveryId(), endpointId: e.id, eventId: event.id, type: event.type, body, createdAt: at }));
    try {
      const added = await this.store.enqueue(rows);
      this.metrics.enqueued(added);
      if (added > 0) this.wake();
      return added;
    } catch (err) {
      this.logger.error({ err, event: event.id, type: event.type }, 'webhooks: could not store an event in the outbox');
      return 0;
    }
  }
}
