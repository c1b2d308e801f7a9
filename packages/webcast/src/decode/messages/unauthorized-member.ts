/** WebcastUnauthorizedMemberMessage -> unauthorizedMember: a viewer who hides their identity joined. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, readText, VARINT } from '../fields.js';

export function decodeUnauthorizedMember(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'unauthorizedMember'> {
  let common: CommonFields | undefined;
  let action = 0;
  let nickname = '';
  let nicknamePrefix = '';
  let enterText = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        action = r.int32();
        break;
      case key(3, LEN):
        nicknamePrefix = readText(r, r.lengthEnd()).pattern;
        break;
      case key(4, LEN):
        nickname = r.string();
        break;
      case key(5, LEN):
        enterText = readText(r, r.lengthEnd()).pattern;
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'unauthorizedMember', data: { ...meta, action, nickname, nicknamePrefix, enterText } };
}
