import type { ErrorEnvelope, LiveStatusEnvelope, RoomInfoEnvelope, RosterChangeEnvelope, RosterInfoEnvelope } from '@tiktool/protocol';
import { TikTokLiveError } from './errors.js';
import { frameText } from './transport.js';

/** A creator event as read off the wire: only what the SDK relies on is checked. */
export interface SeqEnvelope {
  kind: 'event';
  event: string;
  data: unknown;
  seq: number;
  /** The creator; a roster routes by it (single-creator sockets may omit it). */
  uniqueId: string | undefined;
}

/** Everything else the gateway sends: about the socket, a roster, or a creator's state. */
export type ControlEnvelope = RoomInfoEnvelope | LiveStatusEnvelope | RosterInfoEnvelope | RosterChangeEnvelope | ErrorEnvelope;

export type WireEnvelope = SeqEnvelope | { kind: 'control'; envelope: ControlEnvelope };

export interface DecodedFrame {
  envelopes: WireEnvelope[];
  /** One error per element of the frame that is not an envelope. */
  errors: TikTokLiveError[];
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** What each control event's data must hold for the SDK to act on it. */
const CONTROL_SHAPES: Record<ControlEnvelope['event'], (d: Fields) => boolean> = {
  roomInfo: (d) => typeof d.sessionId === 'string' && typeof d.epoch === 'string' && typeof d.seq === 'number',
  liveStatus: (d) => typeof d.uniqueId === 'string' && typeof d.live === 'boolean' && typeof d.checkedAt === 'number',
  rosterInfo: (d) => typeof d.sessionId === 'string' && isNameList(d.creators),
  subscribed: (d) => typeof d.uniqueId === 'string' && isNameList(d.creators),
  unsubscribed: (d) => typeof d.uniqueId === 'string' && isNameList(d.creators),
  error: (d) => typeof d.code === 'number' && typeof d.message === 'string',
};

function isControlName(name: string): name is ControlEnvelope['event'] {
  return Object.hasOwn(CONTROL_SHAPES, name);
}

function toControl(event: ControlEnvelope['event'], value: Fields): WireEnvelope | TikTokLiveError {
  const { data } = value;
  if (!isObject(data) || !CONTROL_SHAPES[event](data)) {
    return new TikTokLiveError('ERR_PROTOCOL', `"${event}" lacks the fields the wire contract gives it`);
  }
  // The shape was checked field by field above.
  return { kind: 'control', envelope: { event, data } as unknown as ControlEnvelope };
}

function toEnvelope(value: unknown): WireEnvelope | TikTokLiveError {
  if (!isObject(value) || typeof value.event !== 'string') {
    return new TikTokLiveError('ERR_PROTOCOL', 'frame element is not an {event, data} envelope');
  }
  if (isControlName(value.event)) return toControl(value.event, value);
  if (typeof value.seq !== 'number' || !Number.isSafeInteger(value.seq)) {
    return new TikTokLiveError('ERR_PROTOCOL', `"${value.event.slice(0, 40)}" envelope has no integer seq`);
  }
  const uniqueId = typeof value.uniqueId === 'string' ? value.uniqueId : undefined;
  return { kind: 'event', event: value.event, data: value.data, seq: value.seq, uniqueId };
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
