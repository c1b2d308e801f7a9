/** WebcastImDeleteMessage -> imDelete: messages a moderator removed, by id and by sender. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, readInt64List } from '../fields.js';

export function decodeImDelete(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'imDelete'> {
  let common: CommonFields | undefined;
  const msgIds: string[] = [];
  const userIds: string[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag >>> 3 === 2) readInt64List(r, tag, msgIds);
    else if (tag >>> 3 === 3) readInt64List(r, tag, userIds);
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'imDelete', data: { msgId: meta.msgId, timestamp: meta.timestamp, msgIds, userIds } };
}
