/** Configuration of the WebCast client. */

import { systemClock, type Clock } from './clock.js';
import * as D from './defaults.js';
import type { SignBudget } from './sign-budget.js';
import type { UpstreamObserver } from './upstream-observer.js';

/** Where the room id may be looked up, tried in the configured order. */
export type RoomIdSource = 'html' | 'api' | 'sign';

export interface WebcastOptions {
  /** TikTok's web host: the live page and api-live. */
  webUrl?: string;
  /** TikTok's webcast host: room info and (in direct mode) the first fetch. */
  webcastUrl?: string;
  /** The sign provider (de facto API: GET /webcast/rooms/{roomId}/connect). */
  signUrl?: string;
  /** Sent to the sign provider as X-Api-Key. */
  signApiKey?: string;
  /** Value of a logged-in TikTok `sessionid` cookie (age-restricted rooms). */
  sessionCookie?: string;
  /** The account's data center (`tt-target-idc` cookie, e.g. useast2a); needed with sessionCookie. */
  targetIdc?: string;
  /** Outbound proxies (http://, https://, socks5://), rotated per creator; none = direct. */
  proxies?: readonly string[];
  /** Sign calls per minute (a token bucket); 0 = no limit of ours. */
  signRatePerMinute?: number;
  /** The bucket's window (60 s); tests shorten it. */
  signWindowMs?: number;
  /** A connect whose sign slot is further away than this is refused at once, with the delay. */
  signMaxWaitMs?: number;
  /** A shared budget (cluster mode) instead of this upstream's own bucket. */
  signBudget?: SignBudget;
  /** Time for the sign budget, Retry-After and route backoff; tests inject a manual clock. */
  clock?: Clock;
  /** Metrics hooks. */
  observer?: UpstreamObserver;
  userAgent?: string;
  /**
   * Skip the sign provider: take the first fetch unsigned from
   * {webcastUrl}/webcast/im/fetch/. Works against the emulator, not against TikTok.
   */
  direct?: boolean;
  /** Room id lookups, in order; default html, api, sign (sign is skipped in direct mode). */
  roomIdSources?: readonly RoomIdSource[];
  /** Sent as the sign provider's `client` parameter. */
  clientName?: string;
  heartbeatIntervalMs?: number;
  staleTimeoutMs?: number;
  requestTimeoutMs?: number;
  signRetries?: number;
  signRetryBaseMs?: number;
  signRetryMaxMs?: number;
  reconnectAttempts?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  dedupWindow?: number;
  /** A gift streak with no message for this long is finished by the gateway (gift-streak-closer.ts). */
  giftStreakTimeoutMs?: number;
}

type Unset = 'signApiKey' | 'sessionCookie' | 'targetIdc' | 'signBudget' | 'observer';
export type ResolvedOptions = Required<Omit<WebcastOptions, Unset>> & Pick<WebcastOptions, Unset>;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function resolveOptions(o: WebcastOptions = {}): ResolvedOptions {
  const direct = o.direct ?? false;
  return {
    webUrl: trimSlash(o.webUrl ?? D.DEFAULT_WEB_URL),
    webcastUrl: trimSlash(o.webcastUrl ?? D.DEFAULT_WEBCAST_URL),
    signUrl: trimSlash(o.signUrl ?? D.DEFAULT_SIGN_URL),
    signApiKey: o.signApiKey,
    sessionCookie: o.sessionCookie,
    targetIdc: o.targetIdc,
    proxies: o.proxies ?? [],
    signRatePerMinute: o.signRatePerMinute ?? D.DEFAULT_SIGN_RATE_PER_MINUTE,
    signWindowMs: o.signWindowMs ?? D.DEFAULT_SIGN_WINDOW_MS,
    signMaxWaitMs: o.signMaxWaitMs ?? D.DEFAULT_SIGN_MAX_WAIT_MS,
    signBudget: o.signBudget,
    clock: o.clock ?? systemClock,
    observer: o.observer,
    userAgent: o.userAgent ?? D.DEFAULT_USER_AGENT,
    direct,
    roomIdSources: o.roomIdSources ?? (direct ? ['html', 'api'] : ['html', 'api', 'sign']),
    clientName: o.clientName ?? D.DEFAULT_CLIENT_NAME,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? D.DEFAULT_HEARTBEAT_INTERVAL_MS,
    staleTimeoutMs: o.staleTimeoutMs ?? D.DEFAULT_STALE_TIMEOUT_MS,
    requestTimeoutMs: o.requestTimeoutMs ?? D.DEFAULT_REQUEST_TIMEOUT_MS,
    signRetries: o.signRetries ?? D.DEFAULT_SIGN_RETRIES,
    signRetryBaseMs: o.signRetryBaseMs ?? D.DEFAULT_SIGN_RETRY_BASE_MS,
    signRetryMaxMs: o.signRetryMaxMs ?? D.DEFAULT_SIGN_RETRY_MAX_MS,
    reconnectAttempts: o.reconnectAttempts ?? D.DEFAULT_RECONNECT_ATTEMPTS,
    reconnectBaseMs: o.reconnectBaseMs ?? D.DEFAULT_RECONNECT_BASE_MS,
    reconnectMaxMs: o.reconnectMaxMs ?? D.DEFAULT_RECONNECT_MAX_MS,
    dedupWindow: o.dedupWindow ?? D.DEFAULT_DEDUP_WINDOW,
    giftStreakTimeoutMs: o.giftStreakTimeoutMs ?? D.DEFAULT_GIFT_STREAK_TIMEOUT_MS,
  };
}

/**
 * Options from the environment: TIKTOK_WEB_URL, TIKTOK_WEBCAST_URL, SIGN_API_URL,
 * SIGN_API_KEY, TIKTOK_SESSION_ID, TIKTOK_TARGET_IDC, TIKTOK_USER_AGENT. (Proxies and the
 * sign budget are the gateway's settings: it reads their variables.) Unset variables keep the defaults.
 */
export function webcastOptionsFromEnv(env: Record<string, string | undefined> = process.env): WebcastOptions {
  const pick = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  const options: WebcastOptions = {};
  const set = <K extends keyof WebcastOptions>(k: K, v: WebcastOptions[K] | undefined) => {
    if (v !== undefined) options[k] = v;
  };
  set('webUrl', pick('TIKTOK_WEB_URL'));
  set('webcastUrl', pick('TIKTOK_WEBCAST_URL'));
  set('signUrl', pick('SIGN_API_URL'));
  set('signApiKey', pick('SIGN_API_KEY'));
  set('sessionCookie', pick('TIKTOK_SESSION_ID'));
  set('targetIdc', pick('TIKTOK_TARGET_IDC'));
  set('userAgent', pick('TIKTOK_USER_AGENT'));
  return options;
}

/**
 * Cookie header for TikTok's hosts. A logged-in session is sent the way the browser
 * sends it: sessionid, sessionid_ss and sid_tt, plus tt-target-idc, the account's data
 * center, without which TikTok does not accept the session from another region.
 */
export function tiktokCookie(o: ResolvedOptions, extra?: string): string {
  const parts: string[] = [];
  if (extra) parts.push(extra);
  if (o.sessionCookie) {
    parts.push(`sessionid=${o.sessionCookie}`, `sessionid_ss=${o.sessionCookie}`, `sid_tt=${o.sessionCookie}`);
    if (o.targetIdc && !/(^|;\s*)tt-target-idc=/.test(extra ?? '')) parts.push(`tt-target-idc=${o.targetIdc}`);
  }
  return parts.join('; ');
}

/** Headers for GETs to TikTok's web and webcast hosts. */
export function tiktokHeaders(o: ResolvedOptions): Record<string, string> {
  const h: Record<string, string> = {
    'User-Agent': o.userAgent,
    Accept: 'text/html,application/json,application/protobuf',
    Referer: `${o.webUrl}/`,
    'Accept-Language': 'en-US,en;q=0.9',
  };
  const cookie = tiktokCookie(o);
  if (cookie) h.Cookie = cookie;
  return h;
}
