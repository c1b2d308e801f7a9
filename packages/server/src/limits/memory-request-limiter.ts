import { admissionOf, fullWindow, windowIndex, type RequestAdmission, type RequestLimiter, type RequestQuota } from './request-limiter.js';

interface Counted {
  minute: number;
  minuteCount: number;
  day: number;
  dayCount: number;
}

/**
 * One node's request counts. Only authenticated keys are counted, so the map is bounded
 * by the key store; a key's entry is renewed in place when its windows roll over.
 */
export class MemoryRequestLimiter implements RequestLimiter {
  private readonly counts = new Map<string, Counted>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(owner: string, quota: RequestQuota): Promise<RequestAdmission> {
    const now = this.now();
    const c = this.current(owner, now);
    const refused = fullWindow({ minute: c.minuteCount, day: c.dayCount }, quota);
    if (!refused) {
      c.minuteCount++;
      c.dayCount++;
    }
    return admissionOf({ minute: c.minuteCount, day: c.dayCount }, quota, now, refused);
  }

  async peek(owner: string, quota: RequestQuota): Promise<RequestAdmission> {
    const now = this.now();
    const c = this.current(owner, now);
    return admissionOf({ minute: c.minuteCount, day: c.dayCount }, quota, now);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  private current(owner: string, now: number): Counted {
    const minute = windowIndex('minute', now);
    const day = windowIndex('day', now);
    let c = this.counts.get(owner);
    if (!c) {
      c = { minute, minuteCount: 0, day, dayCount: 0 };
      this.counts.set(owner, c);
    }
    if (c.minute !== minute) Object.assign(c, { minute, minuteCount: 0 });
    if (c.day !== day) Object.assign(c, { day, dayCount: 0 });
    return c;
  }
}
