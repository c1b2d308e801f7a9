/** WebcastLikeMessage -> like. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export function decodeLike(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'like'> {
  let common: CommonFields | undefined;
  let likeCount = 0;
  let totalLikes = 0;
  let user = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        likeCount = r.int32();
        break;
      case key(3, VARINT):
        totalLikes = r.int32();
        break;
      case key(5, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'like', data: { msgId: meta.msgId, timestamp: meta.timestamp, user, likeCount, totalLikes } };
}
