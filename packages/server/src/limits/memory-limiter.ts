import {
  CONNECT_WINDOW_MS,
  SOCKET_LEASE_TTL_MS,
  SOCKET_RETRY_AFTER_S,
  type AdmitRequest,
  type Admission,
  type Limiter,
  type Usage,
} from './limiter.js';

interface Held {
  uniqueId: string;
  expiresAt: number;
}

/** The single-node limiter: leases and connect logs in this process's memory. */
export class MemoryLimiter implements Limiter {
  private readonly leases = new Map<string, Map<number, Held>>();
  private readonly connects = new Map<string, number[]>();
  private nextLease = 1;
  private readonly renewer: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.renewer = setInterval(() => this.renewAll(), SOCKET_LEASE_TTL_MS / 3);
    this.renewer.unref();
  }

  async admit(r: AdmitRequest): Promise<Admission> {
    const now = this.now();
    const held = this.live(r.owner, now);
    if (held.size >= r.maxSockets) return { ok: false, limit: 'sockets', retryAfterS: SOCKET_RETRY_AFTER_S };
    const creators = new Set([...held.values()].map((h) => h.uniqueId));
    if (!creators.has(r.uniqueId) && creators.size >= r.maxCreators) {
      return { ok: false, limit: 'creators', retryAfterS: SOCKET_RETRY_AFTER_S };
    }
    if (r.countConnect && Number.isFinite(r.connectsPerHour)) {
      const log = this.window(r.owner, now);
      if (log.length >= r.connectsPerHour) {
        return { ok: false, limit: 'connects', retryAfterS: Math.ceil((log[0] + CONNECT_WINDOW_MS - now) / 1000) };
      }
      log.push(now);
    }
    const id = this.nextLease++;
    held.set(id, { uniqueId: r.uniqueId, expiresAt: now + SOCKET_LEASE_TTL_MS });
    return { ok: true, lease: { release: async () => void held.delete(id) } };
  }

  async usage(owner: string): Promise<Usage> {
    const now = this.now();
    const held = this.live(owner, now);
    const log = this.window(owner, now);
    return {
      sockets: held.size,
      creators: new Set([...held.values()].map((h) => h.uniqueId)).size,
      connectsInWindow: log.length,
      connectsResetAt: log.length > 0 ? log[0] + CONNECT_WINDOW_MS : undefined,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.renewer);
  }

  private live(owner: string, now: number): Map<number, Held> {
    let held = this.leases.get(owner);
    if (!held) {
      held = new Map();
      this.leases.set(owner, held);
    }
    for (const [id, h] of held) if (h.expiresAt <= now) held.delete(id);
    return held;
  }

  private window(owner: string, now: number): number[] {
    let log = this.connects.get(owner);
    if (!log) {
      log = [];
      this.connects.set(owner, log);
    }
    let drop = 0;
    while (drop < log.length && log[drop] <= now - CONNECT_WINDOW_MS) drop++;
    if (drop > 0) log.splice(0, drop);
    return log;
  }

  /** In one process, a held lease belongs to a live socket: renew them all. */
  private renewAll(): void {
    const expiresAt = this.now() + SOCKET_LEASE_TTL_MS;
    for (const held of this.leases.values()) for (const h of held.values()) h.expiresAt = expiresAt;
  }
}
