/** WebcastLinkMicBattlePunishFinish -> linkMicBattlePunish: the battle's punishment phase is over. */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';

/** Reason values: 0 time up, 1 cut short. */
export const PUNISH_CUT_SHORT = 1;

export function decodeBattlePunish(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'linkMicBattlePunish'> {
  let common: CommonFields | undefined;
  let battleId = '';
  let operatorUserId = '';
  let reason = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(3, VARINT)) operatorUserId = r.int64String();
    else if (tag === key(4, VARINT)) reason = r.int32();
    else if (tag === key(5, VARINT)) battleId = r.int64String();
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return {
    event: 'linkMicBattlePunish',
    data: { ...meta, battleId, reason: reason === PUNISH_CUT_SHORT ? 'cutShort' : 'timeUp', operatorUserId },
  };
}
