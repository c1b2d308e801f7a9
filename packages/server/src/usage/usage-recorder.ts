import type { AccountStore, UsageHour } from '../accounts/account-store.js';
import { HOUR_MS, USAGE_FLUSH_INTERVAL_MS } from '../defaults.js';
import type { Logger } from '../logger.js';

interface Counters {
  connects: number;
  socketSeconds: number;
  events: number;
}

const hourOf = (ms: number) => (Math.floor(ms / HOUR_MS) * HOUR_MS) / 1000;

/**
 * Usage per key per hour (connects, socket-seconds, events delivered), counted in memory
 * and added to the account store in batches so the hot path never writes to it. Every
 * node adds its own counts, so a shared store sums the cluster's usage.
 */
export class UsageRecorder {
  private pending = new Map<string, Counters>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: AccountStore,
    private readonly logger?: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  connect(keyId: string): void {
    this.counters(keyId).connects++;
  }

  /** A socket closed after `seconds`, having delivered `events`. */
  socketClosed(keyId: string, seconds: number, events: number): void {
    const c = this.counters(keyId);
    c.socketSeconds += seconds;
    c.events += events;
  }

  /** Writes the pending counts; a failed write keeps them for the next flush. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const hours: UsageHour[] = [...batch].map(([k, c]) => {
      const [keyId, hour] = k.split('|');
      return { keyId, hour: Number(hour), ...c };
    });
    try {
      await this.store.addUsage(hours);
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'usage not written; retrying at the next flush');
      for (const u of hours) this.add(`${u.keyId}|${u.hour}`, u);
    }
  }

  /** The recorded hours of a key, newest first. */
  async history(keyId: string, hours = 24): Promise<{ hour: number; connects: number; socketSeconds: number; events: number }[]> {
    await this.flush();
    return (await this.store.usageHistory(keyId, hours)).map(({ hour, connects, socketSeconds, events }) => ({
      hour,
      connects,
      socketSeconds,
      events,
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private add(k: string, u: Counters): void {
    const c = this.counterAt(k);
    c.connects += u.connects;
    c.socketSeconds += u.socketSeconds;
    c.events += u.events;
  }

  private counters(keyId: string): Counters {
    return this.counterAt(`${keyId}|${hourOf(Date.now())}`);
  }

  private counterAt(k: string): Counters {
    let c = this.pending.get(k);
    if (!c) {
      c = { connects: 0, socketSeconds: 0, events: 0 };
      this.pending.set(k, c);
    }
    return c;
  }
}
