import { randomBytes } from 'node:crypto';
import type { WebhookStore } from '../accounts/webhook-store.js';
import { WEBHOOK_CONCURRENCY, WEBHOOK_DISABLE_AFTER_MS, WEBHOOK_LEASE_MS, WEBHOOK_POLL_MS } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { WebhookMetrics } from '../metrics/webhook-metrics.js';
import type { AttemptResult, ClaimedDelivery } from './delivery.js';
import { retryDelayMs } from './retry-schedule.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { signingSecrets } from './webhook-endpoint.js';
import type { SendResult, WebhookSender } from './webhook-sender.js';

export interface DeliveryWorkerOptions {
  retryBaseMs: number;
  logger: Logger;
  metrics: WebhookMetrics;
  now?: () => number;
}

/**
 * Sends what the outbox holds: claims due deliveries under this node's lease (one node
 * per delivery, whichever nodes share the store), signs and posts each, and records the
 * attempt: delivered, due again after a backoff, or dead after the last attempt. An
 * endpoint whose every attempt failed for WEBHOOK_DISABLE_AFTER_MS is disabled.
 * Delivery is at least once: a node dying mid-attempt leaves the row to be sent again
 * when its lease ends, under the same event id.
 */
export class DeliveryWorker {
  /** Names this process's leases. */
  private readonly owner = `node_${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly store: WebhookStore,
    private readonly sender: WebhookSender,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), WEBHOOK_POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due deliveries now (something was just enqueued). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.options.logger.warn({ err }, 'webhooks: delivery round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops claiming; waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Claims and sends until nothing is due. */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.store.claim(this.owner, this.now(), WEBHOOK_LEASE_MS, WEBHOOK_CONCURRENCY);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((c) => this.attempt(c)));
    }
  }

  private async attempt({ delivery, endpoint }: ClaimedDelivery): Promise<void> {
    const at = this.now();
    const headers = {
      [SIGNATURE_HEADER]: signatureHeader(signingSecrets(endpoint, at), Math.floor(at / 1000), delivery.body),
      [EVENT_ID_HEADER]: delivery.eventId,
      'user-agent': 'tiktool-webhooks',
    };
    const sent = await this.sender.send({ url: endpoint.url, body: delivery.body, headers });
    this.options.metrics.attempted(sent.ok, sent.durationMs);
    const result = this.resultOf(delivery.attempts + 1, at, sent);
    if (result.status === 'dead') this.options.metrics.deadLettered();
    if (!(await this.store.finish(delivery.id, this.owner, result))) return;
    await this.trackFailing(endpoint, sent.ok, at);
  }

  private resultOf(attempts: number, at: number, sent: SendResult): AttemptResult {
    const base = { attempts, attemptedAt: at, statusCode: sent.statusCode, error: sent.error, durationMs: sent.durationMs };
    if (sent.ok) return { ...base, status: 'delivered', nextAttemptAt: null };
    const delay = retryDelayMs(attempts, this.options.retryBaseMs);
    if (delay === undefined) return { ...base, status: 'dead', nextAttemptAt: null };
    return { ...base, status: 'pending', nextAttemptAt: at + delay };
  }

  /** Notes since when an endpoint fails; disables it after WEBHOOK_DISABLE_AFTER_MS of failures only. */
  private async trackFailing(endpoint: ClaimedDelivery['endpoint'], ok: boolean, at: number): Promise<void> {
    if (ok) {
      if (endpoint.failingSince !== null) await this.store.updateEndpoint(endpoint.id, { failingSince: null });
      return;
    }
    if (endpoint.failingSince === null) {
      await this.store.updateEndpoint(endpoint.id, { failingSince: at });
    } else if (at - endpoint.failingSince >= WEBHOOK_DISABLE_AFTER_MS) {
      const since = new Date(endpoint.failingSince).toISOString();
      await this.store.updateEndpoint(endpoint.id, { disabledAt: at, disabledReason: `every delivery attempt failed since ${since}` });
      this.options.logger.warn({ webhook: endpoint.id }, 'webhooks: endpoint disabled after a day of failed deliveries');
    }
  }
}
