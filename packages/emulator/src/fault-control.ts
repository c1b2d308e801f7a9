import { AddressFaults } from './faults.js';

/** What the emulator counts for stats(): sign calls, and the faults it answered with. */
export interface EmulatorCounters {
  signCalls: number;
  signRateLimited: number;
  handshakesRejected: number;
}

/**
 * The faults a test switches on while the emulator runs: push handshakes refused, sign
 * calls rate-limited, client addresses blocked.
 */
export class FaultControl {
  readonly addresses = new AddressFaults();
  readonly counters: EmulatorCounters = { signCalls: 0, signRateLimited: 0, handshakesRejected: 0 };
  private readonly rejecting = new Set<string>();
  private signLimited = 0;
  private signRetryAfterS: number | undefined;

  /** '*' = every creator. */
  rejectHandshake(uniqueId = '*', enabled = true): void {
    const k = uniqueId === '*' ? '*' : uniqueId.toLowerCase();
    if (enabled) this.rejecting.add(k);
    else this.rejecting.delete(k);
  }

  rejectsHandshake(uniqueId: string): boolean {
    return this.rejecting.has('*') || this.rejecting.has(uniqueId);
  }

  rateLimitSign(count: number, retryAfterS?: number): void {
    this.signLimited = count;
    this.signRetryAfterS = retryAfterS;
  }

  /** Uses up one rate-limited sign answer: its headers, or undefined when none is due. */
  takeSignLimit(): Record<string, string> | undefined {
    if (this.signLimited <= 0) return undefined;
    this.signLimited--;
    this.counters.signRateLimited++;
    return this.signRetryAfterS === undefined ? {} : { 'retry-after': String(this.signRetryAfterS) };
  }
}
