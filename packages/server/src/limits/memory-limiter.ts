import {
  CONNECT_WINDOW_MS,
  SOCKET_RETRY_AFTER_S,
  type AdmitRequest,
  type Admission,
  type Limiter,
  type Usage,
} from './limiter.js';

interface Held {
  sockets: number;
  /** Sockets per creator. */
  creators: Map<string, number>;
}

/**
 * The single-node limiter: counts in this process's memory, kept incrementally so an
 * admit costs the same however many sockets a key holds. A slot is freed when its socket
 * closes; nothing here outlives the process, so no lease needs to expire.
 */
export class MemoryLimiter implements Limiter {
  private readonly held = new Map<string, Held>();
  private readonly connects = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(r: AdmitRequest): Promise<Admission> {
    const now = this.now();
    const held = this.heldBy(r.owner);
    if (held.sockets >= r.maxSockets) return { ok: false, limit: 'sockets', retryAfterS: SOCKET_RETRY_AFTER_S };
    if (!held.creators.has(r.uniqueId) && held.creators.size >= r.maxCreators) {
      return { ok: false, limit: 'creators', retryAfterS: SOCKET_RETRY_AFTER_S };
    }
    if (r.countConnect && Number.isFinite(r.connectsPerHour)) {
      const log = this.window(r.owner, now);
      if (log.length >= r.connectsPerHour) {
        return { ok: false, limit: 'connects', retryAfterS: Math.ceil((log[0] + CONNECT_WINDOW_MS - now) / 1000) };
      }
      log.push(now);
    }
    held.sockets++;
    held.creators.set(r.uniqueId, (held.creators.get(r.uniqueId) ?? 0) + 1);
    let released = false;
    return {
      ok: true,
      lease: {
        release: async () => {
          if (released) return;
          released = true;
          held.sockets--;
          const n = held.creators.get(r.uniqueId)! - 1;
          if (n === 0) held.creators.delete(r.uniqueId);
          else held.creators.set(r.uniqueId, n);
          if (held.sockets === 0) this.held.delete(r.owner);
        },
      },
    };
  }

  async usage(owner: string): Promise<Usage> {
    const held = this.held.get(owner);
    const log = this.window(owner, this.now());
    return {
      sockets: held?.sockets ?? 0,
      creators: held?.creators.size ?? 0,
      connectsInWindow: log.length,
      connectsResetAt: log.length > 0 ? log[0] + CONNECT_WINDOW_MS : undefined,
    };
  }

  async close(): Promise<void> {}

  private heldBy(owner: string): Held {
    let held = this.held.get(owner);
    if (!held) {
      held = { sockets: 0, creators: new Map() };
      this.held.set(owner, held);
    }
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
}
