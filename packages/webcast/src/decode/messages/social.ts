/**
 * WebcastSocialMessage -> follow or share. TikTok sends both as one message type; only
 * the display text key tells them apart (e.g. "pm_main_follow_message_viewer_2",
 * "pm_mt_guidance_share"). Any other social message is passed through as unknown.
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { key, LEN } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

export function decodeSocial(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'follow' | 'share'> | undefined {
  let common: CommonFields | undefined;
  let user = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, LEN):
        user = readUser(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const displayKey = common?.displayTextKey ?? '';
  const meta = eventMeta(common, ctx);
  if (displayKey.includes('follow')) return { event: 'follow', data: { msgId: meta.msgId, timestamp: meta.timestamp, user } };
  if (displayKey.includes('share')) return { event: 'share', data: { msgId: meta.msgId, timestamp: meta.timestamp, user } };
  return undefined;
}
