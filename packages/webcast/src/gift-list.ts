/** GET {webcastUrl}/webcast/gift/list/: the gift catalogue of a region. */

import { TIKTOK_WEB_AID } from './defaults.js';
import { parseJson, type HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions } from './options.js';
import { num } from './room-info.js';
import { asRecord, blockedOrFailed } from './room-resolver.js';
import { UpstreamError, type GiftInfo } from './upstream.js';

const STEP = 'gift list';

function giftOf(raw: unknown): GiftInfo | undefined {
  const g = asRecord(raw);
  const id = num(g?.id);
  if (!g || id <= 0) return undefined;
  const urls = asRecord(g.image)?.url_list;
  return {
    id,
    name: typeof g.name === 'string' ? g.name : '',
    diamondCount: num(g.diamond_count),
    imageUrl: Array.isArray(urls) && typeof urls[0] === 'string' ? urls[0] : '',
    type: num(g.type),
  };
}

/** Rejects with BLOCKED on 403/429, PROTOCOL when the answer has no gift list. */
export async function fetchGiftList(
  region: string | undefined,
  o: ResolvedOptions,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<GiftInfo[]> {
  const q = new URLSearchParams({ aid: TIKTOK_WEB_AID, ...(region ? { region } : {}) });
  const res = await http.get(STEP, `${o.webcastUrl}/webcast/gift/list/?${q}`, tiktokHeaders(o), signal);
  if (res.status !== 200) throw blockedOrFailed(res.status, STEP);
  const gifts = asRecord(asRecord(parseJson(res, STEP))?.data)?.gifts;
  if (!Array.isArray(gifts)) throw new UpstreamError('PROTOCOL', `${STEP}: the answer has no gifts`);
  return gifts.map(giftOf).filter((g): g is GiftInfo => g !== undefined);
}
