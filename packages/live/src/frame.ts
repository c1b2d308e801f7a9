import type { RoomInfoData, RoomInfoEnvelope } from '@tiktool/protocol';
import { TikTokLiveError } from './errors.js';
import { frameText } from './transport.js';

/** A creator event as read off the wire: only what the SDK relies on is checked. */
export interface SeqEnvelope {
  event: string;
  data: unknown;
  seq: number;
}

export type WireEnvelope = RoomInfoEnvelope | SeqEnvelope;

export function isRoomInfoEnvelope(envelope: WireEnvelope): envelope is RoomInfoEnvelope {
  return envelope.event === 'roomInfo';
}

export interface DecodedFrame {
  envelopes: WireEnvelope[];
  /** One error per element of the frame that is not an envelope. */
  errors: TikTokLiveError[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRoomInfo(data: unknown): data is RoomInfoData {
  return isObject(data) && typeof data.sessionId === 'string' && typeof data.epoch === 'string' && typeof data.seq === 'number';
}

function toEnvelope(value: unknown): WireEnvelope | TikTokLiveError {
  if (!isObject(value) || typeof value.event !== 'string') {
    return new TikTokLiveError('ERR_PROTOCOL', 'frame element is not an {event, data} envelope');
  }
  if (value.event === 'roomInfo') {
    return isRoomInfo(value.data)
      ? { event: 'roomInfo', data: value.data }
      : new TikTokLiveError('ERR_PROTOCOL', 'roomInfo lacks sessionId, epoch or seq');
  }
  if (typeof value.seq !== 'number' || !Number.isSafeInteger(value.seq)) {
    return new TikTokLiveError('ERR_PROTOCOL', `"${value.event.slice(0, 40)}" envelope has no integer seq`);
  }
  return { event: value.event, data: value.data, seq: value.seq };
}

/**
 * Decodes one message event's data: a single envelope, or (with `batch=1`) a JSON array
 * of them. Binary frames are read as UTF-8 JSON too.
 */
export function decodeFrame(data: unknown): DecodedFrame {
  let parsed: unknown;
  try {
    const text = frameText(data);
    if (text === undefined) throw new TypeError(`unsupported message data: ${typeof data}`);
    parsed = JSON.parse(text);
  } catch (cause) {
    return { envelopes: [], errors: [new TikTokLiveError('ERR_PROTOCOL', 'frame is not JSON text', { cause })] };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const decoded: DecodedFrame = { envelopes: [], errors: [] };
  for (const item of items) {
    const result = toEnvelope(item);
    if (result instanceof TikTokLiveError) decoded.errors.push(result);
    else decoded.envelopes.push(result);
  }
  return decoded;
}
