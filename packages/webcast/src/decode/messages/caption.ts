/** WebcastCaptionMessage -> caption: TikTok's own live captions, per sentence and language. */

import type { CaptionData, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';

function readCaptionContent(r: WireReader, end: number): CaptionData['captions'][number] {
  const c = { language: '', text: '' };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) c.language = r.string();
    else if (tag === key(2, LEN)) c.text = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return c;
}

export function decodeCaption(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'caption'> {
  let common: CommonFields | undefined;
  let timestampMs = 0;
  let durationMs = 0;
  let sentenceId = '';
  let final = false;
  const captions: CaptionData['captions'] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        timestampMs = r.int64Number();
        break;
      case key(3, VARINT):
        durationMs = r.int64Number();
        break;
      case key(4, LEN):
        captions.push(readCaptionContent(r, r.lengthEnd()));
        break;
      case key(5, VARINT):
        sentenceId = r.int64String();
        break;
      case key(7, VARINT):
        final = r.bool();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return {
    event: 'caption',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, sentenceId, timestampMs, durationMs, captions, final },
  };
}
