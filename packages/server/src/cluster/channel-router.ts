import type { Redis } from 'ioredis';

/**
 * One subscriber connection per node, shared by every creator the node mirrors: routes
 * each channel's messages to its handler. ioredis resubscribes after a reconnect; what was
 * published meanwhile is recovered by the handler's gap check.
 */
export class ChannelRouter {
  private readonly handlers = new Map<string, (message: string) => void>();

  constructor(private readonly sub: Redis) {
    sub.on('message', (channel: string, message: string) => this.handlers.get(channel)?.(message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    await this.sub.subscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.handlers.delete(channel);
    await this.sub.unsubscribe(channel).catch(() => undefined);
  }
}
