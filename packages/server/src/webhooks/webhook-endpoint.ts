/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['live.start', 'live.end', 'gift', 'follow', 'subscribe', 'viewers.peak'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What the test route sends: any endpoint gets it, whatever its events. */
export const PING_EVENT = 'ping';

/** One webhook endpoint of a key, as the account store keeps it. */
export interface WebhookEndpoint {
  id: string;
  keyId: string;
  url: string;
  /** Normalised uniqueIds. */
  creators: string[];
  events: WebhookEventType[];
  /** Gifts worth less (diamondCount * repeatCount) are not sent. */
  minDiamonds: number;
  /** The signing secret. Kept as-is: signing needs it, so it cannot be hashed (docs/webhooks.md). */
  secret: string;
  /** The secret before the last rotation, signing too until previousSecretUntil. */
  previousSecret: string | null;
  previousSecretUntil: number | null;
  createdAt: number;
  /** Since when every attempt has failed; null after a success. */
  failingSince: number | null;
  disabledAt: number | null;
  disabledReason: string | null;
}

/** The fields that change after creation; undefined = unchanged. */
export type WebhookPatch = Partial<
  Pick<
    WebhookEndpoint,
    | 'url'
    | 'creators'
    | 'events'
    | 'minDiamonds'
    | 'secret'
    | 'previousSecret'
    | 'previousSecretUntil'
    | 'failingSince'
    | 'disabledAt'
    | 'disabledReason'
  >
>;

/** An endpoint as the API shows it: never its secret. */
export function describeEndpoint(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    creators: e.creators,
    events: e.events,
    minDiamonds: e.minDiamonds,
    createdAt: new Date(e.createdAt).toISOString(),
    enabled: e.disabledAt === null,
    disabledAt: e.disabledAt === null ? null : new Date(e.disabledAt).toISOString(),
    disabledReason: e.disabledReason,
    failingSince: e.failingSince === null ? null : new Date(e.failingSince).toISOString(),
    previousSecretExpiresAt: e.previousSecretUntil === null ? null : new Date(e.previousSecretUntil).toISOString(),
  };
}

/** The secrets that sign now: the current one, and the previous one during its grace period. */
export function signingSecrets(e: WebhookEndpoint, now: number): string[] {
  const grace = e.previousSecret !== null && e.previousSecretUntil !== null && now < e.previousSecretUntil;
  return grace ? [e.secret, e.previousSecret!] : [e.secret];
}
