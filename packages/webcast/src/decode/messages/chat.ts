/** WebcastChatMessage -> chat. */

import type { Emote, UpstreamEvent, User } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';
import { applyIdentity, emptyUser, readIdentity, readUser } from '../user.js';
import { readEmote } from './emote.js';

export interface ChatBody {
  common: CommonFields | undefined;
  user: User;
  comment: string;
  emotes: Emote[];
}

/** The fields of a chat message; also used for the chat a WebcastRoomPinMessage carries. */
export function readChatBody(r: WireReader, end: number): ChatBody {
  let common: CommonFields | undefined;
  let user = emptyUser();
  let comment = '';
  let identity = 0;
  const emotes: Emote[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      case key(3, LEN):
        comment = r.string();
        break;
      case key(13, LEN):
        emotes.push(readEmoteWithIndex(r, r.lengthEnd()));
        break;
      case key(18, LEN):
        identity = readIdentity(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  applyIdentity(user, identity);
  return { common, user, comment, emotes };
}

function readEmoteWithIndex(r: WireReader, end: number): Emote {
  let index = -1;
  let emote: Emote | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, VARINT)) index = r.int64Number();
    else if (tag === key(2, LEN)) emote = readEmote(r, r.lengthEnd(), -1);
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  const e = emote ?? { emoteId: '', imageUrl: '', placeInComment: -1 };
  e.placeInComment = index;
  return e;
}

export function decodeChat(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'chat'> {
  const body = readChatBody(r, end);
  const meta = eventMeta(body.common, ctx);
  return {
    event: 'chat',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, user: body.user, comment: body.comment, emotes: body.emotes },
  };
}
