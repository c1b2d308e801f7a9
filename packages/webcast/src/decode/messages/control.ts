/**
 * WebcastControlMessage -> streamEnd for actions 3 (ended by the host) and 4 (suspended
 * by TikTok); livePause / liveUnpause for 1 and 2, which pause the LIVE without ending it
 * (the upstream libraries end only on 3 and 4 too). Other actions pass through as unknown.
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN, VARINT } from '../fields.js';

export const CONTROL_PAUSED = 1;
export const CONTROL_UNPAUSED = 2;
export const CONTROL_ENDED = 3;
export const CONTROL_SUSPENDED = 4;

export function decodeControl(
  r: WireReader,
  end: number,
  ctx: MessageContext,
): UpstreamEvent<'streamEnd' | 'livePause' | 'liveUnpause'> | undefined {
  let common: CommonFields | undefined;
  let action = 0;
  let tips = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, VARINT)) action = r.int32();
    else if (tag === key(3, LEN)) tips = r.string();
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  if (action === CONTROL_PAUSED) return { event: 'livePause', data: { ...meta, action, tips } };
  if (action === CONTROL_UNPAUSED) return { event: 'liveUnpause', data: { ...meta, action, tips } };
  if (action !== CONTROL_ENDED && action !== CONTROL_SUSPENDED) return undefined;
  return {
    event: 'streamEnd',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, action, reason: action === CONTROL_ENDED ? 'ended' : 'suspended' },
  };
}
