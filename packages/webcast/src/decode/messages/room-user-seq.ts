/** WebcastRoomUserSeqMessage -> roomUserSeq (viewer count and top viewers). */

import type { TopViewer, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

function readContributor(r: WireReader, end: number): TopViewer {
  let coinCount = 0;
  let user = emptyUser();
  let rank = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        coinCount = r.int64Number();
        break;
      case key(2, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      case key(3, VARINT):
        rank = r.int64Number();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return { user, coinCount, rank };
}

export function decodeRoomUserSeq(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'roomUserSeq'> {
  let common: CommonFields | undefined;
  let viewerCount = 0;
  const topViewers: TopViewer[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, LEN):
        topViewers.push(readContributor(r, r.lengthEnd()));
        break;
      case key(3, VARINT):
        viewerCount = r.int64Number();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'roomUserSeq', data: { msgId: meta.msgId, timestamp: meta.timestamp, viewerCount, topViewers } };
}
