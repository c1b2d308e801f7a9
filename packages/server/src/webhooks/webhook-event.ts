import { createHash, randomBytes } from 'node:crypto';
import type { FollowData, GiftData, SubscribeData } from '@tiktool/protocol';
import type { PING_EVENT, WebhookEventType } from './webhook-endpoint.js';

/** What each webhook event's `data` holds; creator events carry the socket contract's data as is. */
export interface WebhookEventData {
  'live.start': { roomId: string; title: string; viewerCount: number };
  'live.end': { roomId: string | null; reason: string };
  gift: GiftData;
  follow: FollowData;
  subscribe: SubscribeData;
  'viewers.peak': { roomId: string | null; viewerCount: number; previousPeak: number };
  ping: { message: string };
}

/** The body of every webhook request. */
export interface WebhookEvent<T extends WebhookEventType | typeof PING_EVENT = WebhookEventType | typeof PING_EVENT> {
  /** Stable for one occurrence, whichever node or restart produces it: receivers deduplicate by it. */
  id: string;
  type: T;
  /** ISO 8601. */
  createdAt: string;
  uniqueId: string;
  data: WebhookEventData[T];
}

/**
 * The id of an occurrence, from what identifies it (a LIVE's room id, TikTok's msgId):
 * every node hearing the same event makes the same id, so the outbox keeps it once.
 */
export function occurrenceId(uniqueId: string, type: string, ...parts: (string | number)[]): string {
  return `evt_${createHash('sha256')
    .update([uniqueId, type, ...parts].join('\n'))
    .digest('hex')
    .slice(0, 32)}`;
}

export function webhookEvent<T extends WebhookEventType>(
  type: T,
  uniqueId: string,
  id: string,
  at: number,
  data: WebhookEventData[T],
): WebhookEvent<T> {
  return { id, type, createdAt: new Date(at).toISOString(), uniqueId, data };
}

/** The test route's ping: a new id every time. */
export function pingEvent(at: number): WebhookEvent<typeof PING_EVENT> {
  return {
    id: `evt_${randomBytes(16).toString('hex')}`,
    type: 'ping',
    createdAt: new Date(at).toISOString(),
    uniqueId: '',
    data: { message: 'a test delivery from tiktool' },
  };
}
