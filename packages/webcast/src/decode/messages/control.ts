/**
 * WebcastControlMessage -> streamEnd for actions 3 (ended by the host) and 4 (suspended
 * by TikTok). Other actions (pause, unpause) are passed through as unknown.
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';

export const CONTROL_ENDED = 3;
export const CONTROL_SUSPENDED = 4;

export function decodeControl(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'streamEnd'> | undefined {
  let common: CommonFields | undefined;
  let action = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, VARINT)) action = r.int32();
    else r.skipType(tag & 7);
  }
  if (action !== CONTROL_ENDED && action !== CONTROL_SUSPENDED) return undefined;
  const meta = eventMeta(common, ctx);
  return {
    event: 'streamEnd',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, action, reason: action === CONTROL_ENDED ? 'ended' : 'suspended' },
  };
}
