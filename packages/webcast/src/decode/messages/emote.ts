/** WebcastEmoteChatMessage -> emote, and the Emote structure chat messages embed. */

import type { Emote, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl } from '../fields.js';
import { applyIdentity, emptyUser, readIdentity, readUser } from '../user.js';

export function readEmote(r: WireReader, end: number, placeInComment: number): Emote {
  let emoteId = '';
  let imageUrl = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) emoteId = r.string();
    else if (tag === key(2, LEN)) imageUrl = readImageUrl(r, r.lengthEnd());
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return { emoteId, imageUrl, placeInComment };
}

export function decodeEmoteChat(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'emote'> {
  let common: CommonFields | undefined;
  let user = emptyUser();
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
        emotes.push(readEmote(r, r.lengthEnd(), -1));
        break;
      case key(5, LEN):
        identity = readIdentity(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  applyIdentity(user, identity);
  const meta = eventMeta(common, ctx);
  return { event: 'emote', data: { msgId: meta.msgId, timestamp: meta.timestamp, user, emotes } };
}
