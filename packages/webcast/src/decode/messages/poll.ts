/**
 * WebcastPollMessage -> poll. The phase is told by which content is present (start 4,
 * end 5, update 6); message_type (2) is not needed for that.
 */

import type { PollData, PollOption, UpstreamEvent, User } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, VARINT } from '../fields.js';
import { emptyUser, readUser } from '../user.js';

interface PollContent {
  title: string;
  endTime: number;
  options: PollOption[];
  operator: User;
}

function readOption(r: WireReader, end: number): PollOption {
  const o: PollOption = { index: 0, text: '', votes: 0 };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, VARINT)) o.votes = r.int64Number();
    else if (tag === key(2, LEN)) o.text = r.string();
    else if (tag === key(3, VARINT)) o.index = r.int32();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return o;
}

/** Field numbers of one content kind; 0 where the kind has no such field (no tag has field 0). */
interface ContentFields {
  options: number;
  operator: number;
  title: number;
  endTime: number;
}

const START: ContentFields = { options: 3, operator: 5, title: 4, endTime: 2 };
const END: ContentFields = { options: 2, operator: 3, title: 0, endTime: 0 };
const UPDATE: ContentFields = { options: 2, operator: 0, title: 0, endTime: 0 };

function readContent(r: WireReader, end: number, f: ContentFields): PollContent {
  const c: PollContent = { title: '', endTime: 0, options: [], operator: emptyUser() };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(f.options, LEN)) c.options.push(readOption(r, r.lengthEnd()));
    else if (tag === key(f.operator, LEN)) c.operator = readUser(r, r.lengthEnd());
    else if (tag === key(f.title, LEN)) c.title = r.string();
    else if (tag === key(f.endTime, VARINT)) c.endTime = r.int64Number();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return c;
}

export function decodePoll(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'poll'> | undefined {
  let common: CommonFields | undefined;
  let pollId = '';
  let pollKind = 0;
  let action: PollData['action'] | undefined;
  let content: PollContent | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(3, VARINT):
        pollId = r.int64String();
        break;
      case key(4, LEN):
        action = 'start';
        content = readContent(r, r.lengthEnd(), START);
        break;
      case key(5, LEN):
        action = 'end';
        content = readContent(r, r.lengthEnd(), END);
        break;
      case key(6, LEN):
        action = 'update';
        content = readContent(r, r.lengthEnd(), UPDATE);
        break;
      case key(7, VARINT):
        pollKind = r.int32();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (!action || !content) return undefined;
  const meta = eventMeta(common, ctx);
  return {
    event: 'poll',
    data: {
      msgId: meta.msgId,
      timestamp: meta.timestamp,
      pollId,
      action,
      title: content.title,
      options: content.options,
      operator: content.operator,
      pollKind,
      endTime: content.endTime,
    },
  };
}
