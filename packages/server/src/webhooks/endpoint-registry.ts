import type { WebhookStore } from '../accounts/webhook-store.js';
import { WEBHOOK_RELOAD_MS } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { WebhookEndpoint, WebhookEventType } from './webhook-endpoint.js';

/**
 * The enabled endpoints, by the creator they watch, as this node knows them: reloaded
 * every WEBHOOK_RELOAD_MS (another node or the CLI may have changed them) and at once
 * after a change made here.
 */
export class EndpointRegistry {
  private byCreator = new Map<string, WebhookEndpoint[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((creators: ReadonlySet<string>) => void)[] = [];

  constructor(
    private readonly store: WebhookStore,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(
      () => void this.reload().catch((err: unknown) => this.logger.warn({ err }, 'webhooks: reload failed')),
      WEBHOOK_RELOAD_MS,
    );
    this.timer.unref();
  }

  /** Calls `listener` with the watched creators after every reload. */
  onCreators(listener: (creators: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }

  async reload(): Promise<void> {
    const next = new Map<string, WebhookEndpoint[]>();
    for (const e of await this.store.endpoints()) {
      if (e.disabledAt !== null) continue;
      for (const c of e.creators) next.set(c, [...(next.get(c) ?? []), e]);
    }
    this.byCreator = next;
    const creators = new Set(next.keys());
    for (const l of this.listeners) l(creators);
  }

  watches(uniqueId: string): boolean {
    return this.byCreator.has(uniqueId);
  }

  /** The endpoints that want this event of this creator. */
  matching(uniqueId: string, type: WebhookEventType): WebhookEndpoint[] {
    return (this.byCreator.get(uniqueId) ?? []).filter((e) => e.events.includes(type));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
