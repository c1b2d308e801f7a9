import type { FollowData, GiftData, RoomUserSeqData, SubscribeData } from '@tiktool/protocol';
import type { StreamEntry } from '../hub/creator-stream.js';
import type { Creator } from '../hub/creator.js';
import type { HubHooks } from '../hub/hub.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import type { WebhookEventType } from './webhook-endpoint.js';
import { occurrenceId, webhookEvent, type WebhookEvent, type WebhookEventData } from './webhook-event.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import { ViewerPeak } from './viewer-peak.js';

/**
 * Webhook events from watched creators' streams, whoever holds the upstream (a socket, or
 * the LiveHolder): a gift when it is finished (a streak's final message, or a single
 * gift), follows, subscribes and new viewer peaks. Ids come from TikTok's msgId (or the
 * LIVE's room), so a gift is counted once per endpoint. (live.start and live.end come
 * from the live checker, through the LiveHolder.)
 */
export class CreatorEvents {
  private readonly peaks = new Map<string, { roomId: string | null; peak: ViewerPeak }>();

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly outbox: WebhookOutbox,
  ) {}

  hooks(): HubHooks {
    return {
      onEvent: (creator, entry, data) => this.onEvent(creator, entry, data),
      onUpstreamClosed: (creator) => this.peaks.delete(creator.uniqueId),
    };
  }

  /** Sends a creator event to the endpoints that want it (a gift only to those whose minDiamonds it is `worth`). */
  send<T extends WebhookEventType>(uniqueId: string, type: T, id: string, at: number, data: WebhookEventData[T], worth = 0): void {
    const endpoints = this.registry.matching(uniqueId, type).filter((e) => type !== 'gift' || worth >= e.minDiamonds);
    void this.outbox.add(webhookEvent(type, uniqueId, id, at, data) as WebhookEvent, endpoints);
  }

  private onEvent(creator: Creator, entry: StreamEntry, data: string): void {
    const u = creator.uniqueId;
    if (!this.registry.watches(u)) return;
    switch (entry.event) {
      case 'gift': {
        if (entry.streakProgress) return;
        const g = JSON.parse(data) as GiftData;
        return this.send(u, 'gift', occurrenceId(u, 'gift', g.msgId), g.timestamp, g, g.totalDiamondCount);
      }
      case 'follow':
      case 'subscribe': {
        const d = JSON.parse(data) as FollowData | SubscribeData;
        return this.send(u, entry.event, occurrenceId(u, entry.event, d.msgId), d.timestamp, d);
      }
      case 'roomUserSeq':
        return this.viewers(creator, JSON.parse(data) as RoomUserSeqData);
    }
  }

  private viewers(creator: Creator, d: RoomUserSeqData): void {
    const u = creator.uniqueId;
    const roomId = creator.room?.roomId ?? null;
    let live = this.peaks.get(u);
    if (!live || live.roomId !== roomId) {
      live = { roomId, peak: new ViewerPeak() };
      this.peaks.set(u, live);
    }
    const told = live.peak.observe(d.viewerCount, d.timestamp);
    if (!told) return;
    const data = { roomId, viewerCount: told.peak, previousPeak: told.previous };
    this.send(u, 'viewers.peak', occurrenceId(u, 'viewers.peak', roomId ?? '', told.peak), d.timestamp, data);
  }
}
