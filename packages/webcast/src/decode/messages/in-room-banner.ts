/** WebcastInRoomBannerMessage -> inRoomBanner. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';

/** One map<string, string> entry: key = 1, value = 2. */
function readEntry(r: WireReader, end: number, into: Record<string, string>): void {
  let k = '';
  let v = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) k = r.string();
    else if (tag === key(2, LEN)) v = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  // A key such as "__proto__" must stay plain data.
  Object.defineProperty(into, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function decodeInRoomBanner(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'inRoomBanner'> {
  let common: CommonFields | undefined;
  let position = 0;
  let actionType = 0;
  const extra: Record<string, string> = {};
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, LEN)) readEntry(r, r.lengthEnd(), extra);
    else if (tag === key(3, VARINT)) position = r.int32();
    else if (tag === key(4, VARINT)) actionType = r.int32();
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'inRoomBanner', data: { msgId: meta.msgId, timestamp: meta.timestamp, position, actionType, extra } };
}
