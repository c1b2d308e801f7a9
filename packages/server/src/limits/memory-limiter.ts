import { CONNECT_WINDOW_MS, SOCKET_RETRY_AFTER_S, TOKEN_MINT_WINDOW_MS } from '../defaults.js';
import {
  secondsUntil,
  type AdmitRequest,
  type Admission,
  type CreatorAdmission,
  type CreatorHoldRequest,
  type Limiter,
  type MintAdmission,
  type SocketLease,
  type Usage,
} from './limiter.js';

/** A creator's slot: its holders (open sockets, roster entries), and once they are all gone, until when it still counts. */
interface CreatorSlot {
  holders: number;
  heldUntil: number;
}

interface Held {
  sockets: number;
  /** Open sockets per scoped token of the key. */
  tokens: Map<string, number>;
  creators: Map<string, CreatorSlot>;
}

/**
 * The single-node limiter: counts in this process's memory, kept incrementally so an
 * admit costs the same however many sockets a key holds. A slot is freed when its socket
 * closes (a creator's slot a linger later); nothing here outlives the process, so no
 * lease needs to expire. Memory is bounded by the number of keys.
 */
export class MemoryLimiter implements Limiter {
  private readonly held = new Map<string, Held>();
  private readonly connects = new Map<string, number[]>();
  private readonly mints = new Map<string, { count: number; windowStart: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(r: AdmitRequest): Promise<Admission> {
    const now = this.now();
    const held = this.heldBy(r.owner, now);
    if (held.sockets >= r.maxSockets) return { ok: false, limit: 'sockets', retryAfterS: SOCKET_RETRY_AFTER_S };
    if (r.token && (held.tokens.get(r.token.id) ?? 0) >= r.token.maxSockets) {
      return { ok: false, limit: 'tokenSockets', retryAfterS: SOCKET_RETRY_AFTER_S };
    }
    if (r.uniqueId !== undefined && !hasRoomFor(held, r.uniqueId, r.maxCreators)) {
      return { ok: false, limit: 'creators', retryAfterS: creatorRetryS(held, now) };
    }
    if (r.countConnect && Number.isFinite(r.connectsPerHour)) {
      const log = this.window(r.owner, now);
      if (log.length >= r.connectsPerHour) {
        return { ok: false, limit: 'connects', retryAfterS: secondsUntil(log[0] + CONNECT_WINDOW_MS, now) };
      }
      log.push(now);
    }
    return { ok: true, lease: this.take(held, r) };
  }

  async holdCreator(r: CreatorHoldRequest): Promise<CreatorAdmission> {
    const now = this.now();
    const held = this.heldBy(r.owner, now);
    if (!hasRoomFor(held, r.uniqueId, r.maxCreators)) return { ok: false, limit: 'creators', retryAfterS: creatorRetryS(held, now) };
    return { ok: true, lease: this.holdSlot(held, r.uniqueId, r.creatorLingerMs) };
  }

  async mintToken(owner: string, perWindow: number): Promise<MintAdmission> {
    const now = this.now();
    let w = this.mints.get(owner);
    if (!w || now - w.windowStart >= TOKEN_MINT_WINDOW_MS) {
      w = { count: 0, windowStart: now };
      this.mints.set(owner, w);
    }
    if (w.count >= perWindow) return { ok: false, retryAfterS: secondsUntil(w.windowStart + TOKEN_MINT_WINDOW_MS, now) };
    w.count++;
    return { ok: true };
  }

  async usage(owner: string): Promise<Usage> {
    const now = this.now();
    const held = this.heldBy(owner, now);
    const log = this.window(owner, now);
    return {
      sockets: held.sockets,
      creators: held.creators.size,
      connectsInWindow: log.length,
      connectsResetAt: log.length > 0 ? log[0] + CONNECT_WINDOW_MS : undefined,
    };
  }

  async close(): Promise<void> {}

  private take(held: Held, r: AdmitRequest): SocketLease {
    const tokenId = r.token?.id;
    held.sockets++;
    if (tokenId !== undefined) held.tokens.set(tokenId, (held.tokens.get(tokenId) ?? 0) + 1);
    const creator = r.uniqueId !== undefined ? this.holdSlot(held, r.uniqueId, r.creatorLingerMs) : undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        held.sockets--;
        if (tokenId !== undefined) {
          const n = held.tokens.get(tokenId)! - 1;
          if (n === 0) held.tokens.delete(tokenId);
          else held.tokens.set(tokenId, n);
        }
        await creator?.release();
      },
    };
  }

  private holdSlot(held: Held, uniqueId: string, lingerMs: number): SocketLease {
    let slot = held.creators.get(uniqueId);
    if (!slot) {
      slot = { holders: 0, heldUntil: 0 };
      held.creators.set(uniqueId, slot);
    }
    slot.holders++;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        slot.holders--;
        if (slot.holders === 0) slot.heldUntil = this.now() + lingerMs;
      },
    };
  }

  /** The key's counts, with creator slots whose linger has passed dropped. */
  private heldBy(owner: string, now: number): Held {
    let held = this.held.get(owner);
    if (!held) {
      held = { sockets: 0, tokens: new Map(), creators: new Map() };
      this.held.set(owner, held);
    }
    for (const [uniqueId, slot] of held.creators) {
      if (slot.holders === 0 && slot.heldUntil <= now) held.creators.delete(uniqueId);
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

/** The key holds this creator's slot already, or has one free. */
function hasRoomFor(held: Held, uniqueId: string, maxCreators: number): boolean {
  return held.creators.has(uniqueId) || held.creators.size < maxCreators;
}

/** When the first lingering creator frees its slot; the default when every slot has open sockets. */
function creatorRetryS(held: Held, now: number): number {
  let soonest = Infinity;
  for (const slot of held.creators.values()) if (slot.holders === 0) soonest = Math.min(soonest, slot.heldUntil);
  return Number.isFinite(soonest) ? secondsUntil(soonest, now) : SOCKET_RETRY_AFTER_S;
}
