/**
 * WebcastHourlyRankMessage -> hourlyRank. The layout below the container is inferred
 * (the public schemas disagree): data (2) -> rankings (4) -> type (1), label (2).
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN } from '../fields.js';

interface Ranking {
  rankType: string;
  label: string;
}

function readRanking(r: WireReader, end: number, into: Ranking): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) into.rankType = r.string();
    else if (tag === key(2, LEN)) into.label = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

function readContainer(r: WireReader, end: number, into: Ranking): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(4, LEN)) readRanking(r, r.lengthEnd(), into);
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

export function decodeHourlyRank(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'hourlyRank'> {
  let common: CommonFields | undefined;
  const ranking: Ranking = { rankType: '', label: '' };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, LEN)) readContainer(r, r.lengthEnd(), ranking);
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'hourlyRank', data: { msgId: meta.msgId, timestamp: meta.timestamp, ...ranking } };
}
