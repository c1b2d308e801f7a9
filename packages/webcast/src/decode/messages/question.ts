/** WebcastQuestionNewMessage -> questionNew (a viewer's Q&A question). */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export function decodeQuestionNew(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'questionNew'> {
  let common: CommonFields | undefined;
  let questionId = '';
  let content = '';
  let user = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) {
      common = readCommon(r, r.lengthEnd());
    } else if (tag === key(2, LEN)) {
      const detailsEnd = r.lengthEnd();
      while (r.pos < detailsEnd) {
        const t = r.tag();
        switch (t) {
          case key(1, VARINT):
            questionId = r.int64String();
            break;
          case key(2, LEN):
            content = r.string();
            break;
          case key(5, LEN):
            user = readUser(r, r.lengthEnd());
            break;
          default:
            r.skipType(t & 7);
        }
      }
      expectEnd(r, detailsEnd);
    } else {
      r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'questionNew', data: { msgId: meta.msgId, timestamp: meta.timestamp, questionId, user, content } };
}
