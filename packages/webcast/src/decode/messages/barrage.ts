/**
 * WebcastBarrageMessage -> barrage, or superFan when its text key is one of TikTok's
 * super fan notices ("ttlive_superfan..."), as the upstream libraries tell them apart.
 */

import type { SuperFanData, UpstreamEvent, User } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readText, VARINT, type TextFields } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export const SUPER_FAN_KEY = 'ttlive_superfan';
export const SUPER_FAN_JOIN_KEY = 'ttlive_superfan_commentnotif_superfanjoined';

/** BarrageTypeUserGradeParam / FansLevelParam: the user is field 4. */
function readParamUser(r: WireReader, end: number): User | undefined {
  let user: User | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(4, LEN)) user = readUser(r, r.lengthEnd());
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return user;
}

export function decodeBarrage(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'barrage' | 'superFan'> {
  let common: CommonFields | undefined;
  let barrageType = 0;
  let text: TextFields = { key: '', pattern: '' };
  let duration = 0;
  let user: User | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(3, VARINT):
        barrageType = r.int32();
        break;
      case key(5, LEN):
        text = readText(r, r.lengthEnd());
        break;
      case key(6, VARINT):
        duration = r.int32();
        break;
      case key(100, LEN):
      case key(101, LEN):
        user = readParamUser(r, r.lengthEnd()) ?? user;
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  const textKey = text.key.toLowerCase();
  if (textKey.includes(SUPER_FAN_KEY)) {
    const kind: SuperFanData['kind'] = textKey.includes(SUPER_FAN_JOIN_KEY) ? 'join' : 'notice';
    return {
      event: 'superFan',
      data: { ...meta, kind, user: user ?? emptyUser(), textKey: text.key, text: text.pattern, envelopeId: '', diamondCount: 0 },
    };
  }
  return {
    event: 'barrage',
    data: { ...meta, barrageType, textKey: text.key, text: text.pattern, user: user ?? emptyUser(), duration },
  };
}
