/** Common (field 1 of every room message): id, creation time, display text key. */

import type { EventMeta } from '@tiktool/protocol';
import type { WireReader } from '../wire/reader.js';
import { expectEnd, key, LEN, VARINT } from './fields.js';

export interface CommonFields {
  msgId: string;
  createTime: number;
  displayTextKey: string;
}

/** What the frame decoder knows of a message before its payload is read. */
export interface MessageContext {
  /** BaseProtoMessage.msg_id as a string; '' or '0' when absent. */
  msgId: string;
  /** Server time of the frame (ms), the timestamp of a message without create_time. */
  now: number;
}

export function readCommon(r: WireReader, end: number): CommonFields {
  let msgId = '';
  let createTime = 0;
  let displayTextKey = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(2, VARINT):
        msgId = r.int64String();
        break;
      case key(4, VARINT):
        createTime = r.int64Number();
        break;
      case key(8, LEN):
        displayTextKey = readTextKey(r, r.lengthEnd());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  return { msgId, createTime, displayTextKey };
}

function readTextKey(r: WireReader, end: number): string {
  let k = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) k = r.string();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return k;
}

const NO_COMMON: CommonFields = { msgId: '', createTime: 0, displayTextKey: '' };

/** The msgId and timestamp of an event: the envelope's msg_id wins over common's. */
export function eventMeta(common: CommonFields | undefined, ctx: MessageContext): EventMeta {
  const c = common ?? NO_COMMON;
  const msgId = ctx.msgId !== '' && ctx.msgId !== '0' ? ctx.msgId : c.msgId;
  return { msgId, timestamp: c.createTime > 0 ? c.createTime : ctx.now };
}
