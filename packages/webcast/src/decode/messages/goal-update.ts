/** WebcastGoalUpdateMessage -> goalUpdate: a LIVE goal's sub-goals and their progress. */

import type { GoalUpdateData, SubGoal, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl, VARINT } from '../fields.js';
import { emptyUser } from '../user.js';

function readSubGoalGift(r: WireReader, end: number, g: SubGoal): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) g.giftName = r.string();
    else if (tag === key(2, LEN)) g.giftImageUrl = readImageUrl(r, r.lengthEnd());
    else if (tag === key(3, VARINT)) g.giftDiamondCount = r.int64Number();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

function readSubGoal(r: WireReader, end: number): SubGoal {
  const g: SubGoal = { subGoalId: '', type: 0, progress: 0, target: 0, giftName: '', giftDiamondCount: 0, giftImageUrl: '' };
  let id = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        g.type = r.int32();
        break;
      case key(2, VARINT):
        id = r.int64String();
        break;
      case key(3, VARINT):
        g.progress = r.int64Number();
        break;
      case key(4, VARINT):
        g.target = r.int64Number();
        break;
      case key(5, LEN):
        readSubGoalGift(r, r.lengthEnd(), g);
        break;
      case key(6, LEN):
        g.subGoalId = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  if (g.subGoalId === '') g.subGoalId = id;
  return g;
}

type Goal = Pick<GoalUpdateData, 'goalId' | 'description' | 'status' | 'subGoals'>;

function readGoal(r: WireReader, end: number): Goal {
  const goal: Goal = { goalId: '', description: '', status: 0, subGoals: [] };
  let id = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        id = r.int64String();
        break;
      case key(3, VARINT):
        goal.status = r.int32();
        break;
      case key(4, LEN):
        goal.subGoals.push(readSubGoal(r, r.lengthEnd()));
        break;
      case key(5, LEN):
        goal.description = r.string();
        break;
      case key(13, LEN):
        goal.goalId = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  if (goal.goalId === '') goal.goalId = id;
  return goal;
}

export function decodeGoalUpdate(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'goalUpdate'> {
  let common: CommonFields | undefined;
  let goal: Goal = { goalId: '', description: '', status: 0, subGoals: [] };
  const contributor = emptyUser();
  let contributorId = '';
  let contributeCount = 0;
  let contributeScore = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(3, LEN):
        goal = readGoal(r, r.lengthEnd());
        break;
      case key(4, VARINT):
        contributorId = r.int64String();
        break;
      case key(5, LEN):
        contributor.profilePictureUrl = readImageUrl(r, r.lengthEnd());
        break;
      case key(6, LEN):
        contributor.uniqueId = r.string();
        break;
      case key(9, VARINT):
        contributeCount = r.int64Number();
        break;
      case key(10, VARINT):
        contributeScore = r.int64Number();
        break;
      case key(12, LEN):
        contributor.userId = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (contributor.userId === '' && contributorId !== '0') contributor.userId = contributorId;
  const meta = eventMeta(common, ctx);
  return {
    event: 'goalUpdate',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, ...goal, contributor, contributeCount, contributeScore },
  };
}
