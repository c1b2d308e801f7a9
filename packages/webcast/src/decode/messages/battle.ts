/**
 * WebcastLinkMicBattle -> linkMicBattle and WebcastLinkMicArmies -> linkMicArmies.
 * Both carry per-host data as map<int64, ...> keyed by the host's user id; map entries
 * are messages with key = 1 and value = 2.
 */

import type { Army, ArmyParticipant, UpstreamEvent, User } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl, VARINT } from '../fields.js';
import { emptyUser } from '../user.js';

/** BattleSetting.status / LinkMicArmies.battle_status values. */
export const BATTLE_RUNNING = 1;
export const BATTLE_FINISHED = 2;
/** LinkMicBattle.action values, used when the setting carries no status. */
const ACTION_OPEN = 4;
const ACTION_FINISH = 5;
const ACTION_CUT_SHORT = 6;

function readSettingStatus(r: WireReader, end: number): number {
  let status = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(5, VARINT)) status = r.int32();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return status;
}

/** BattleBaseUserInfo: the battle's compact user record. */
export function readBattleBaseUser(r: WireReader, end: number, user: User): void {
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        user.userId = r.int64String();
        break;
      case key(2, LEN):
        user.nickname = r.string();
        break;
      case key(3, LEN):
        user.profilePictureUrl = readImageUrl(r, r.lengthEnd());
        break;
      case key(4, LEN):
        user.uniqueId = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
}

/** One anchor_info entry: host user id -> BattleUserInfo { user = 1 }. */
function readAnchorEntry(r: WireReader, end: number): User {
  const user = emptyUser();
  let mapKey = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, VARINT)) mapKey = r.int64String();
    else if (tag === key(2, LEN)) {
      const infoEnd = r.lengthEnd();
      while (r.pos < infoEnd) {
        const t = r.tag();
        if (t === key(1, LEN)) readBattleBaseUser(r, r.lengthEnd(), user);
        else r.skipType(t & 7);
      }
      expectEnd(r, infoEnd);
    } else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  if (user.userId === '') user.userId = mapKey;
  return user;
}

export function decodeLinkMicBattle(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'linkMicBattle'> {
  let common: CommonFields | undefined;
  let battleId = '';
  let status = 0;
  let action = 0;
  const battleUsers: User[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        battleId = r.int64String();
        break;
      case key(3, LEN):
        status = readSettingStatus(r, r.lengthEnd());
        break;
      case key(4, VARINT):
        action = r.int32();
        break;
      case key(10, LEN):
        battleUsers.push(readAnchorEntry(r, r.lengthEnd()));
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (status === 0) {
    if (action === ACTION_OPEN) status = BATTLE_RUNNING;
    else if (action === ACTION_FINISH || action === ACTION_CUT_SHORT) status = BATTLE_FINISHED;
  }
  const meta = eventMeta(common, ctx);
  return {
    event: 'linkMicBattle',
    data: { msgId: meta.msgId, timestamp: meta.timestamp, battleId, battleStatus: status, battleUsers },
  };
}

function readArmyParticipant(r: WireReader, end: number): ArmyParticipant {
  const user = emptyUser();
  let id = '';
  let idStr = '';
  let points = 0;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, VARINT):
        id = r.int64String();
        break;
      case key(2, VARINT):
        points = r.int64Number();
        break;
      case key(3, LEN):
        user.nickname = r.string();
        break;
      case key(4, LEN):
        user.profilePictureUrl = readImageUrl(r, r.lengthEnd());
        break;
      case key(6, LEN):
        idStr = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
  user.userId = idStr !== '' ? idStr : id;
  return { user, points };
}

/** One armies entry: host user id -> BattleUserArmies. */
function readArmyEntry(r: WireReader, end: number): Army {
  let mapKey = '';
  let anchorIdStr = '';
  let points = 0;
  const participants: ArmyParticipant[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, VARINT)) mapKey = r.int64String();
    else if (tag === key(2, LEN)) {
      const armiesEnd = r.lengthEnd();
      while (r.pos < armiesEnd) {
        const t = r.tag();
        switch (t) {
          case key(1, LEN):
            participants.push(readArmyParticipant(r, r.lengthEnd()));
            break;
          case key(2, VARINT):
            points = r.int64Number();
            break;
          case key(3, LEN):
            anchorIdStr = r.string();
            break;
          default:
            r.skipType(t & 7);
        }
      }
      expectEnd(r, armiesEnd);
    } else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return { hostUserId: anchorIdStr !== '' ? anchorIdStr : mapKey, points, participants };
}

export function decodeLinkMicArmies(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'linkMicArmies'> {
  let common: CommonFields | undefined;
  let battleId = '';
  let battleStatus = 0;
  const armies: Army[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        common = readCommon(r, r.lengthEnd());
        break;
      case key(2, VARINT):
        battleId = r.int64String();
        break;
      case key(3, LEN):
        armies.push(readArmyEntry(r, r.lengthEnd()));
        break;
      case key(7, VARINT):
        battleStatus = r.int32();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  const meta = eventMeta(common, ctx);
  return { event: 'linkMicArmies', data: { msgId: meta.msgId, timestamp: meta.timestamp, battleId, battleStatus, armies } };
}
