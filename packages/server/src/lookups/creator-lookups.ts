import { UpstreamError, type GiftInfo, type RoomDetails, type Upstream, type UserProfile } from '@tiktool/webcast';
import { GIFT_CATALOGUE_TTL_MS, LIVE_ANSWER_TTL_MS, LIVE_ANSWERS_MAX, REST_REGIONS_MAX } from '../defaults.js';
import type { LiveLookups } from '../live/live-lookups.js';
import { CoalescingCache } from './coalescing-cache.js';

/** A user that does not exist or is not live stays so for a TTL: asking again would only spend the budget. */
const KEPT = new Set(['USER_NOT_FOUND', 'OFFLINE']);
const keepsError = (err: unknown) => err instanceof UpstreamError && KEPT.has(err.code);

/**
 * Rooms, users and the gift catalogue for the REST API: one upstream request per name (or
 * region) in flight, answers held for a TTL, every request within the live lookups'
 * budget toward TikTok.
 */
export class CreatorLookups {
  private readonly rooms = new CoalescingCache<RoomDetails>({ ttlMs: LIVE_ANSWER_TTL_MS, maxEntries: LIVE_ANSWERS_MAX, keepsError });
  private readonly users = new CoalescingCache<UserProfile>({ ttlMs: LIVE_ANSWER_TTL_MS, maxEntries: LIVE_ANSWERS_MAX, keepsError });
  private readonly catalogues = new CoalescingCache<GiftInfo[]>({ ttlMs: GIFT_CATALOGUE_TTL_MS, maxEntries: REST_REGIONS_MAX });

  constructor(
    private readonly upstream: Pick<Upstream, 'room' | 'user' | 'gifts'>,
    private readonly live: Pick<LiveLookups, 'budgeted'>,
  ) {}

  /** Rejects with OFFLINE, USER_NOT_FOUND and other UpstreamErrors, or ERR_LIVE_CHECK_BUDGET. */
  room(uniqueId: string): Promise<RoomDetails> {
    return this.rooms.get(uniqueId, () => this.live.budgeted(() => this.upstream.room(uniqueId)));
  }

  user(uniqueId: string): Promise<UserProfile> {
    return this.users.get(uniqueId, () => this.live.budgeted(() => this.upstream.user(uniqueId)));
  }

  /** The catalogue of a region ('' = TikTok's default). */
  gifts(region: string): Promise<GiftInfo[]> {
    return this.catalogues.get(region, () => this.live.budgeted(() => this.upstream.gifts(region || undefined)));
  }
}
