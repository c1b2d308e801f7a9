/** WebcastGiftMessage -> gift. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl, VARINT } from '../fields.js';
import { applyIdentity, emptyUser, readIdentity, readUser } from '../user.js';

/** GiftStruct.type of a streakable (combo) gift. */
export const STREAKABLE_GIFT_TYPE = 1;

interface GiftStruct {
  id: number;
  type: number;
  diamondCount: number;
  name: string;
  pictureUrl: string;
}

function readGiftStruct(r: WireReader, end: number): GiftStruct {
  const g: GiftStruct = { id: 0, type: 0, diamondCount: 0, name: '', pictureUrl: '' };
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        g.pictureUrl = readImageUrl(r, r.lengthEnd());
        break;
      case key(5, VARINT):
        g.id = r.int64Number();
        break;
      case key(11, VARINT):
        g.type = r.int32();
        break;
      case key(12, VARINT):
        g.diamondCount = r.int32();
        break;
      case key(16, LEN):
        g.name = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return g;
}

export function decodeGift(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'gift'> {
  let common: CommonFields | undefined;
  let giftId = 0;
  let repeatCount = 0;
  let user = emptyUser();
  let receiverUserId = '';
  let repeatEnd = 0;
  let groupId = '';
  let gift: GiftStruct | undefined;
  let identity = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        giftId = r.int64Number();
        break;
      case key(5, VARINT):
        repeatCount = r.int32();
        break;
      case key(7, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      case key(8, LEN):
        receiverUserId = readUser(r, r.lengthEnd()).userId;
        break;
      case key(9, VARINT):
        repeatEnd = r.int32();
        break;
      case key(11, VARINT):
        groupId = r.int64String();
        break;
      case key(15, LEN):
        gift = readGiftStruct(r, r.lengthEnd());
        break;
      case key(32, LEN):
        identity = readIdentity(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  applyIdentity(user, identity);
  const meta = eventMeta(common, ctx);
  const giftType = gift?.type ?? 0;
  const diamondCount = gift?.diamondCount ?? 0;
  return {
    event: 'gift',
    data: {
      msgId: meta.msgId,
      timestamp: meta.timestamp,
      user,
      giftId: giftId !== 0 ? giftId : (gift?.id ?? 0),
      giftName: gift?.name ?? '',
      diamondCount,
      repeatCount,
      // Only a streakable gift has intermediate messages; any other gift is complete at once.
      repeatEnd: giftType === STREAKABLE_GIFT_TYPE ? repeatEnd === 1 : true,
      giftType,
      groupId,
      giftPictureUrl: gift?.pictureUrl ?? '',
      receiverUserId,
      totalDiamondCount: diamondCount * repeatCount,
    },
  };
}
