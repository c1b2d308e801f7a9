/** WebcastRoomMessage -> roomMessage: a room or system notice. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN } from '../fields.js';

export function decodeRoomMessage(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'roomMessage'> {
  let common: CommonFields | undefined;
  let content = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, LEN)) content = r.string();
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'roomMessage', data: { ...meta, content } };
}
