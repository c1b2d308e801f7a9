/** ProtoMessageFetchResult: a batch of room messages plus the connection's state. */

import type { WireReader } from '../wire/reader.js';
import { expectEnd, key, LEN, VARINT } from './fields.js';

export interface FetchResultHead {
  cursor: string;
  internalExt: string;
  needAck: boolean;
  pushServer: string;
  routeParams: Record<string, string>;
  heartbeatDurationMs: number;
  fetchIntervalMs: number;
  /** Server time, ms; 0 when absent. */
  now: number;
}

/** A message of the batch, not yet decoded: its payload is buf[start, end). */
export interface RawMessage {
  method: string;
  msgId: string;
  start: number;
  end: number;
}

export function emptyHead(): FetchResultHead {
  return {
    cursor: '',
    internalExt: '',
    needAck: false,
    pushServer: '',
    routeParams: {},
    heartbeatDurationMs: 0,
    fetchIntervalMs: 0,
    now: 0,
  };
}

export function readFetchResult(r: WireReader, end: number): { head: FetchResultHead; messages: RawMessage[] } {
  const head = emptyHead();
  const messages: RawMessage[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        messages.push(readRawMessage(r, r.lengthEnd()));
        break;
      case key(2, LEN):
        head.cursor = r.string();
        break;
      case key(3, VARINT):
        head.fetchIntervalMs = r.int64Number();
        break;
      case key(4, VARINT):
        head.now = r.int64Number();
        break;
      case key(5, LEN):
        head.internalExt = r.string();
        break;
      case key(7, LEN):
        readStringMapEntry(r, r.lengthEnd(), head.routeParams);
        break;
      case key(8, VARINT):
        head.heartbeatDurationMs = r.int64Number();
        break;
      case key(9, VARINT):
        head.needAck = r.bool();
        break;
      case key(10, LEN):
        head.pushServer = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return { head, messages };
}

function readRawMessage(r: WireReader, end: number): RawMessage {
  const m: RawMessage = { method: '', msgId: '', start: 0, end: 0 };
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        m.method = r.string();
        break;
      case key(2, LEN): {
        const payloadEnd = r.lengthEnd();
        m.start = r.pos;
        m.end = payloadEnd;
        r.pos = payloadEnd;
        break;
      }
      case key(3, VARINT):
        m.msgId = r.int64String();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return m;
}

function readStringMapEntry(r: WireReader, end: number, into: Record<string, string>): void {
  let k = '';
  let v = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) k = r.string();
    else if (tag === key(2, LEN)) v = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  into[k] = v;
}
