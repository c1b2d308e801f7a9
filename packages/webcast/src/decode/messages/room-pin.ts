/** WebcastRoomPinMessage -> roomPin (a chat message pinned by the host or a moderator). */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';
import { readChatBody, type ChatBody } from './chat.js';

export function decodeRoomPin(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'roomPin'> {
  let common: CommonFields | undefined;
  let chat: ChatBody | undefined;
  let pinTime = 0;
  let operator = emptyUser();
  let displaySeconds = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, LEN):
        chat = readChatBody(r, r.lengthEnd());
        break;
      case key(31, VARINT):
        pinTime = r.int64Number();
        break;
      case key(32, LEN):
        operator = readUser(r, r.lengthEnd());
        break;
      case key(34, VARINT):
        displaySeconds = r.int64Number();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return {
    event: 'roomPin',
    data: {
      msgId: meta.msgId,
      timestamp: meta.timestamp,
      operator,
      pinnedMessage: {
        user: chat?.user ?? emptyUser(),
        comment: chat?.comment ?? '',
        msgId: chat?.common?.msgId ?? '',
      },
      pinEndTime: pinTime > 0 && displaySeconds > 0 ? pinTime + displaySeconds * 1000 : 0,
    },
  };
}
