/** Encoding of what the emulator sends: room messages, fetch results, push frames. */

import { gzipSync } from 'node:zlib';
import { FrameType, PAYLOAD_ENCODING_PB, webcastSchema, type ProtoObject } from '@tiktool/webcast';
import { HEARTBEAT_DURATION_MS } from './defaults.js';

/** A room message as it was emitted: what a replay or a first fetch resends. */
export interface EmittedMessage {
  /** 1-based position in the room's stream; cursors point at it. */
  index: number;
  msgId: string;
  method: string;
  /** The encoded message (BaseProtoMessage.payload). */
  payload: Buffer;
  /** When the emulator emitted it: performance.timeOrigin + performance.now(), ms. */
  sentAt: number;
}

export interface FetchHead {
  cursor: string;
  internalExt: string;
  now: number;
  pushServer?: string;
  routeParams?: Record<string, string>;
}

/** Encodes a room message of `method` with its common header filled in. */
export function encodeRoomMessage(method: string, body: ProtoObject, common: ProtoObject): Buffer {
  return webcastSchema().encode(method, { ...body, common });
}

export function encodeFetchResult(messages: readonly EmittedMessage[], head: FetchHead): Buffer {
  return webcastSchema().encode('ProtoMessageFetchResult', {
    messages: messages.map((m) => ({ method: m.method, payload: m.payload, msgId: m.msgId })),
    cursor: head.cursor,
    fetchInterval: 1000,
    now: head.now,
    internalExt: head.internalExt,
    fetchType: 1,
    routeParams: head.routeParams,
    heartbeatDuration: HEARTBEAT_DURATION_MS,
    needAck: true,
    pushServer: head.pushServer,
  });
}

/** A `msg` push frame: the fetch result, gzip'd as TikTok sends it. */
export function msgFrame(fetchResult: Buffer, seqId: number, logId: string): Buffer {
  return webcastSchema().encode('WebcastPushFrame', {
    seqId,
    logId,
    payloadEncoding: PAYLOAD_ENCODING_PB,
    payloadType: FrameType.MSG,
    payload: gzipSync(fetchResult, { level: 1 }),
  });
}

/** A frame without events (hb reply, im_enter_room_resp). */
export function controlFrame(payloadType: string, seqId: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  return webcastSchema().encode('WebcastPushFrame', {
    seqId,
    payloadEncoding: PAYLOAD_ENCODING_PB,
    payloadType,
    payload,
  });
}
