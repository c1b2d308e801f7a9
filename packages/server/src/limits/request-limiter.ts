/**
 * REST request limits per key: a fixed window per minute and per UTC day, counted in
 * process or, in a cluster, in Redis so that the limits hold across nodes. A refused
 * request is not counted, so a client that waits for the reset gets its full quota.
 */

import { DAY_MS, MINUTE_MS } from '../defaults.js';

/** Requests a key may make per window; Infinity = unlimited. */
export interface RequestQuota {
  perMinute: number;
  perDay: number;
}

export type RequestWindow = 'minute' | 'day';

export interface WindowState {
  window: RequestWindow;
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the window restarts (ms since epoch). */
  resetAt: number;
}

export type RequestAdmission =
  | { ok: true; windows: WindowState[] }
  | { ok: false; windows: WindowState[]; refusedBy: RequestWindow; retryAfterS: number };

/** The requests counted so far in the current windows. */
export interface WindowCounts {
  minute: number;
  day: number;
}

export interface RequestLimiter {
  /** Counts one request of the key, unless a window is full (then nothing is counted). */
  take(owner: string, quota: RequestQuota): Promise<RequestAdmission>;
  /** The key's windows as they stand, counting nothing. */
  peek(owner: string, quota: RequestQuota): Promise<RequestAdmission>;
  close(): Promise<void>;
}

const LENGTH: Readonly<Record<RequestWindow, number>> = { minute: MINUTE_MS, day: DAY_MS };

/** The window's index at `now`: windows start on whole minutes and at UTC midnight. */
export const windowIndex = (window: RequestWindow, now: number) => Math.floor(now / LENGTH[window]);

export const windowEnd = (window: RequestWindow, now: number) => (windowIndex(window, now) + 1) * LENGTH[window];

/** The first window that `counts` fill, for a request about to be made. */
export function fullWindow(counts: WindowCounts, quota: RequestQuota): RequestWindow | undefined {
  if (counts.minute >= quota.perMinute) return 'minute';
  if (counts.day >= quota.perDay) return 'day';
  return undefined;
}

/** The admission for counts taken after the request (or refused before counting it); unlimited windows are left out. */
export function admissionOf(counts: WindowCounts, quota: RequestQuota, now: number, refusedBy?: RequestWindow): RequestAdmission {
  const windows: WindowState[] = [];
  for (const window of ['minute', 'day'] as const) {
    const limit = window === 'minute' ? quota.perMinute : quota.perDay;
    if (!Number.isFinite(limit)) continue;
    windows.push({ window, limit, remaining: Math.max(0, limit - counts[window]), resetAt: windowEnd(window, now) });
  }
  if (!refusedBy) return { ok: true, windows };
  return { ok: false, windows, refusedBy, retryAfterS: Math.max(1, Math.ceil((windowEnd(refusedBy, now) - now) / 1000)) };
}
