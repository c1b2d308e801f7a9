import type { AccountStore } from '../accounts/account-store.js';
import { allHooks, type Hub, type HubHooks } from '../hub/hub.js';
import type { LiveStatus, LiveWatch } from '../live/live-status.js';
import type { Logger } from '../logger.js';
import type { WebhookMetrics } from '../metrics/webhook-metrics.js';
import { WEBHOOK_DELIVERED_RETENTION_MS, WEBHOOK_RELOAD_MS } from '../defaults.js';
import { CreatorEvents } from './creator-events.js';
import { DeliveryWorker } from './delivery-worker.js';
import { EndpointRegistry } from './endpoint-registry.js';
import { LiveHolder } from './live-holder.js';
import { occurrenceId } from './webhook-event.js';
import { WebhookEndpoints } from './webhook-endpoints.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WebhookSender } from './webhook-sender.js';

export interface WebhookServiceOptions {
  accounts: AccountStore;
  metrics: WebhookMetrics;
  logger: Logger;
  retryBaseMs: number;
  allowPrivate: boolean;
}

/**
 * Webhooks on one node: the endpoints (API and CLI), the events of watched creators into
 * the durable outbox, and the worker sending it. Started in two steps because the hub
 * needs the hooks before it exists, and the live checker needs the hub.
 */
export class WebhookService {
  readonly endpoints: WebhookEndpoints;
  private readonly registry: EndpointRegistry;
  private readonly outbox: WebhookOutbox;
  private readonly worker: DeliveryWorker;
  private readonly sender: WebhookSender;
  private readonly events: CreatorEvents;
  private holder: LiveHolder | undefined;
  private pruner: NodeJS.Timeout | undefined;

  constructor(private readonly o: WebhookServiceOptions) {
    const store = o.accounts.webhooks;
    this.sender = new WebhookSender(o.allowPrivate);
    this.worker = new DeliveryWorker(store, this.sender, { retryBaseMs: o.retryBaseMs, logger: o.logger, metrics: o.metrics });
    this.outbox = new WebhookOutbox(store, o.metrics, o.logger, () => this.worker.wake());
    this.registry = new EndpointRegistry(store, o.logger);
    this.endpoints = new WebhookEndpoints(store, this.outbox, o.allowPrivate, () => this.registry.reload());
    this.events = new CreatorEvents(this.registry, this.outbox);
  }

  /** For the hub: events of watched creators, and upstreams closing. */
  hubHooks(): HubHooks {
    return allHooks(this.events.hooks(), { onUpstreamClosed: (c) => this.holder?.upstreamClosed(c) });
  }

  /** Starts sending, and watching creators through the live checker (holding their upstream while no socket does). */
  async start(hub: Hub, live: LiveWatch): Promise<void> {
    const holder = new LiveHolder(live, hub, { started: (s) => this.started(s), ended: (...a) => this.ended(...a) }, this.o.logger);
    this.holder = holder;
    this.registry.onCreators((creators) => holder.setCreators(creators));
    await this.registry.start();
    this.worker.start();
    this.pruner = setInterval(() => void this.prune(), WEBHOOK_RELOAD_MS * 12);
    this.pruner.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.pruner);
    this.registry.stop();
    this.holder?.close();
    await this.worker.stop();
    await this.sender.close();
  }

  private started(s: LiveStatus): void {
    const roomId = s.room?.roomId ?? null;
    const data = { roomId: roomId ?? '', title: s.room?.title ?? '', viewerCount: s.room?.viewerCount ?? 0 };
    this.events.send(s.uniqueId, 'live.start', occurrenceId(s.uniqueId, 'live.start', roomId ?? s.checkedAt), s.checkedAt, data);
  }

  private ended(uniqueId: string, roomId: string | null, reason: string, at: number): void {
    this.events.send(uniqueId, 'live.end', occurrenceId(uniqueId, 'live.end', roomId ?? at), at, { roomId, reason });
  }

  private async prune(): Promise<void> {
    await this.o.accounts.webhooks.pruneDelivered(Date.now() - WEBHOOK_DELIVERED_RETENTION_MS).catch((err: unknown) => {
      this.o.logger.warn({ err }, 'webhooks: pruning delivered rows failed');
    });
  }
}
