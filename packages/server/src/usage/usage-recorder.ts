import { HOUR_MS, USAGE_FLUSH_INTERVAL_MS } from '../defaults.js';
import type { Db } from '../store/database.js';

interface Counters {
  connects: number;
  socketSeconds: number;
  events: number;
}

const hourOf = (ms: number) => (Math.floor(ms / HOUR_MS) * HOUR_MS) / 1000;

/**
 * Usage per key per hour (connects, socket-seconds, events delivered), counted in memory
 * and added to the database in batches so the hot path never writes to disk.
 */
export class UsageRecorder {
  private pending = new Map<string, Counters>();
  private readonly upsert;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO usage_hourly (key_id, hour, connects, socket_seconds, events) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key_id, hour) DO UPDATE SET connects = connects + excluded.connects,
         socket_seconds = socket_seconds + excluded.socket_seconds, events = events + excluded.events`,
    );
    this.timer = setInterval(() => this.flush(), USAGE_FLUSH_INTERVAL_MS);
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

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.db.transaction(() => {
      for (const [k, c] of batch) {
        const [keyId, hour] = k.split('|');
        this.upsert.run(keyId, Number(hour), c.connects, c.socketSeconds, c.events);
      }
    })();
  }

  /** The recorded hours of a key, newest first. */
  history(keyId: string, hours = 24): { hour: number; connects: number; socketSeconds: number; events: number }[] {
    this.flush();
    return this.db
      .prepare<[string, number], { hour: number; connects: number; socket_seconds: number; events: number }>(
        'SELECT hour, connects, socket_seconds, events FROM usage_hourly WHERE key_id = ? ORDER BY hour DESC LIMIT ?',
      )
      .all(keyId, hours)
      .map((r) => ({ hour: r.hour, connects: r.connects, socketSeconds: r.socket_seconds, events: r.events }));
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private counters(keyId: string): Counters {
    const k = `${keyId}|${hourOf(Date.now())}`;
    let c = this.pending.get(k);
    if (!c) {
      c = { connects: 0, socketSeconds: 0, events: 0 };
      this.pending.set(k, c);
    }
    return c;
  }
}
