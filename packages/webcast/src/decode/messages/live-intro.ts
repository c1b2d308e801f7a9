/** WebcastLiveIntroMessage -> liveIntro (the host's room description). */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export function decodeLiveIntro(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'liveIntro'> {
  let common: CommonFields | undefined;
  let description = '';
  let host = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(4, LEN):
        description = r.string();
        break;
      case key(5, LEN):
        host = readUser(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'liveIntro', data: { msgId: meta.msgId, timestamp: meta.timestamp, host, description } };
}
