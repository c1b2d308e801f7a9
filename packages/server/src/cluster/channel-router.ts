import { Cluster, type Redis } from 'ioredis';

/**
 * One subscriber connection per node, shared by every creator the node mirrors: routes
 * each channel's messages to its handler. ioredis resubscribes after a reconnect; what was
 * published meanwhile is recovered by the handler's gap check. On a Redis Cluster the
 * channels are sharded (SSUBSCRIBE): ioredis subscribes each on the master of its slot,
 * and moves it when the slot moves.
 */
export class ChannelRouter {
  private readonly handlers = new Map<string, (message: string) => void>();
  private readonly sharded: boolean;

  constructor(private readonly sub: Redis | Cluster) {
    this.sharded = sub instanceof Cluster;
    sub.on(this.sharded ? 'smessage' : 'message', (channel: string, message: string) => this.handlers.get(channel)?.(message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    await (this.sharded ? this.sub.ssubscribe(channel) : this.sub.subscribe(channel));
  }

  async unsubscribe(channel: string): Promise<void> {
    this.handlers.delete(channel);
    await (this.sharded ? this.sub.sunsubscribe(channel) : this.sub.unsubscribe(channel)).catch(() => undefined);
  }
}
