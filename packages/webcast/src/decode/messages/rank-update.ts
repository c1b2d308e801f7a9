/** WebcastRankUpdateMessage -> rankUpdate: the creator's position on TikTok's rank lists. */

import type { RankEntry, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readText, VARINT } from '../fields.js';

function readRankUpdate(r: WireReader, end: number): RankEntry {
  const e: RankEntry = { rankType: 0, ownerRank: 0, text: '' };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, VARINT)) e.rankType = r.int64Number();
    else if (tag === key(2, VARINT)) e.ownerRank = r.int64Number();
    else if (tag === key(3, LEN)) e.text = readText(r, r.lengthEnd()).pattern;
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return e;
}

export function decodeRankUpdate(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'rankUpdate'> {
  let common: CommonFields | undefined;
  const updates: RankEntry[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, LEN)) updates.push(readRankUpdate(r, r.lengthEnd()));
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'rankUpdate', data: { msgId: meta.msgId, timestamp: meta.timestamp, updates } };
}
