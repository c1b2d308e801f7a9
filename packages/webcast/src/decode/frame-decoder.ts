/**
 * Push frame bytes -> contract events. Never throws: a frame that cannot be read is
 * counted in `stats.malformedFrames` (or `unknownFrames` for a well-formed frame of a
 * type we do not know) and yields nothing; a message that cannot be read is counted in
 * `malformedMessages` and skipped while the rest of its frame is still delivered.
 */

import { gunzipSync } from 'node:zlib';
import type { UpstreamEvent } from '@tiktool/protocol';
import { CONTROL_FRAME_TYPES, FrameType } from '../methods.js';
import { WireFormatError, WireReader } from '../wire/reader.js';
import type { MessageContext } from './common.js';
import { readFetchResult, type FetchResultHead } from './fetch-result.js';
import { MESSAGE_DECODERS } from './message-decoders.js';
import { isGzip, readPushFrame, type PushFrame } from './push-frame.js';

export interface DecodeStats {
  /** Every frame handed to decodeFrame. */
  frames: number;
  /** Frames that are not valid protobuf, gzip or a fetch result. */
  malformedFrames: number;
  /** Well-formed frames of a payload type we do not know. */
  unknownFrames: number;
  /** Messages inside fetch results. */
  messages: number;
  /** Messages whose payload could not be read (skipped). */
  malformedMessages: number;
  /** Messages of a method we do not map (passed through as `unknown`). */
  unknownMessages: number;
}

export function emptyDecodeStats(): DecodeStats {
  return { frames: 0, malformedFrames: 0, unknownFrames: 0, messages: 0, malformedMessages: 0, unknownMessages: 0 };
}

export interface DecodedFrame {
  payloadType: string;
  logId: string;
  /** Present on `msg` frames. */
  fetch?: FetchResultHead;
  events: UpstreamEvent[];
}

export class FrameDecoder {
  readonly stats: DecodeStats = emptyDecodeStats();

  /** Decodes one WebSocket message; undefined when it was malformed or of an unknown type. */
  decodeFrame(bytes: Uint8Array): DecodedFrame | undefined {
    this.stats.frames++;
    let frame: PushFrame;
    try {
      frame = readPushFrame(bytes);
    } catch {
      this.stats.malformedFrames++;
      return undefined;
    }
    if (frame.payloadType === FrameType.MSG) {
      if (frame.payload.length === 0) {
        this.stats.malformedFrames++;
        return undefined;
      }
      let payload: Uint8Array;
      try {
        payload = isGzip(frame.payload) ? gunzipSync(frame.payload) : frame.payload;
      } catch {
        this.stats.malformedFrames++;
        return undefined;
      }
      const result = this.decodeFetchResult(payload);
      if (!result) {
        this.stats.malformedFrames++;
        return undefined;
      }
      return { payloadType: frame.payloadType, logId: frame.logId, fetch: result.head, events: result.events };
    }
    if (CONTROL_FRAME_TYPES.has(frame.payloadType)) {
      return { payloadType: frame.payloadType, logId: frame.logId, events: [] };
    }
    if (frame.payloadType === '') this.stats.malformedFrames++;
    else this.stats.unknownFrames++;
    return undefined;
  }

  /**
   * Decodes a fetch result (a `msg` frame's payload, or the body of the first fetch);
   * undefined when the result itself is malformed.
   */
  decodeFetchResult(bytes: Uint8Array): { head: FetchResultHead; events: UpstreamEvent[] } | undefined {
    const r = new WireReader(bytes);
    let batch: ReturnType<typeof readFetchResult>;
    try {
      batch = readFetchResult(r, r.len);
    } catch {
      return undefined;
    }
    const events: UpstreamEvent[] = [];
    const ctx: MessageContext = { msgId: '', now: batch.head.now > 0 ? batch.head.now : Date.now() };
    for (const m of batch.messages) {
      this.stats.messages++;
      ctx.msgId = m.msgId;
      const decoder = MESSAGE_DECODERS.get(m.method);
      let event: UpstreamEvent | undefined;
      if (decoder) {
        r.pos = m.start;
        try {
          event = decoder(r, m.end, ctx);
          if (r.pos !== m.end) throw new WireFormatError('message overruns its payload');
        } catch {
          this.stats.malformedMessages++;
          continue;
        }
      }
      if (!event) {
        this.stats.unknownMessages++;
        event = {
          event: 'unknown',
          data: {
            msgId: m.msgId,
            timestamp: ctx.now,
            method: m.method,
            payload: r.buf.toString('base64', m.start, m.end),
          },
        };
      }
      events.push(event);
    }
    return { head: batch.head, events };
  }
}
