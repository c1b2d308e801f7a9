/**
 * WebcastEnvelopeMessage -> envelope (a treasure chest), or superFan (kind box) when the
 * display text key is TikTok's super fan box ("ttlive_superfanbox...").
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl, VARINT } from '../fields.js';
import { emptyUser } from '../user.js';

const SUPER_FAN_BOX_KEY = 'ttlive_superfanbox';

export function decodeEnvelope(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'envelope' | 'superFan'> {
  let common: CommonFields | undefined;
  let envelopeId = '';
  let diamondCount = 0;
  let peopleCount = 0;
  const user = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) {
      common = readCommon(r, r.lengthEnd());
    } else if (tag === key(2, LEN)) {
      const infoEnd = r.lengthEnd();
      while (r.pos < infoEnd) {
        const t = r.tag();
        switch (t) {
          case key(1, LEN):
            envelopeId = r.string();
            break;
          case key(4, LEN):
            user.nickname = r.string();
            break;
          case key(5, VARINT):
            diamondCount = r.int32();
            break;
          case key(6, VARINT):
            peopleCount = r.int32();
            break;
          case key(8, LEN):
            user.userId = r.string();
            break;
          case key(9, LEN):
            user.profilePictureUrl = readImageUrl(r, r.lengthEnd());
            break;
          default:
            r.skipType(t & 7);
        }
      }
      expectEnd(r, infoEnd);
    } else {
      r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  const textKey = common?.displayTextKey ?? '';
  if (textKey.toLowerCase().includes(SUPER_FAN_BOX_KEY)) {
    return { event: 'superFan', data: { ...meta, kind: 'box', user, textKey, text: '', envelopeId, diamondCount } };
  }
  return {
    event: 'envelope',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, envelopeId, user, diamondCount, peopleCount },
  };
}
