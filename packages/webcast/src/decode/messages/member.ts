/** WebcastMemberMessage -> member. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export function decodeMember(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'member'> {
  let common: CommonFields | undefined;
  let user = emptyUser();
  let actionId = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      case key(10, VARINT):
        actionId = r.int32();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'member', data: { msgId: meta.msgId, timestamp: meta.timestamp, user, actionId } };
}
