/** The frames the client sends on the push WebSocket: im_enter_room, hb and ack. */

import { randomBytes } from 'node:crypto';
import { FrameType, PAYLOAD_ENCODING_PB } from './methods.js';
import { webcastSchema } from './schema.js';

function frame(payloadType: string, payload: Uint8Array, logId = '0'): Buffer {
  return webcastSchema().encode('WebcastPushFrame', {
    logId,
    payloadEncoding: PAYLOAD_ENCODING_PB,
    payloadType,
    payload,
  });
}

/** A random positive int64, as TikTok's web client generates for enter_unique_id. */
function randomInt64(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

export function imEnterRoomFrame(roomId: string, cursor: string): Buffer {
  const payload = webcastSchema().encode('ImEnterRoomMessage', {
    roomId,
    liveId: 12,
    identity: 'audience',
    cursor,
    accountType: 0,
    enterUniqueId: randomInt64(),
    filterWelcomeMsg: '0',
  });
  return frame(FrameType.IM_ENTER_ROOM, payload);
}

export function heartbeatFrame(roomId: string, sequence: number): Buffer {
  return frame(FrameType.HEARTBEAT, webcastSchema().encode('HeartBeatMessage', { roomId, sendPacketSeqId: sequence }));
}

/** Acknowledges a frame: its log id, and the fetch result's internal_ext as payload. */
export function ackFrame(logId: string, internalExt: string): Buffer {
  return frame(FrameType.ACK, Buffer.from(internalExt, 'utf8'), logId);
}
