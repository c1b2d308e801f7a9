/**
 * WebcastLinkMicBattleItemCard -> linkMicBattleItemCard: a battle power-up used (or
 * awarded). Each card kind has its own field; all share the card info layout, the top-2
 * and top-3 cards with one more level of nesting.
 */

import type { LinkMicBattleItemCardData, UpstreamEvent, User } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN, readImageUrl, readText, VARINT } from '../fields.js';
import { emptyUser } from '../user.js';
import { readBattleBaseUser } from './battle.js';

/** Field of each card kind in the message. */
const CARD_FIELDS: Readonly<Record<number, string>> = {
  5: 'criticalStrike',
  6: 'smoke',
  8: 'extraTime',
  9: 'specialEffect',
  10: 'potion',
  11: 'wave',
  13: 'top2',
  14: 'top3',
};
const AWARD_FIELD = 7;
const NESTED_CARDS = new Set([13, 14]);

type Card = Omit<LinkMicBattleItemCardData, 'msgId' | 'timestamp' | 'battleId'>;

/** BattleUserInfo { user = 1 }. */
function readBattleUserInfo(r: WireReader, end: number): User {
  const user = emptyUser();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) readBattleBaseUser(r, r.lengthEnd(), user);
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return user;
}

function readCardInfo(r: WireReader, end: number, card: Card, nested: boolean): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (nested) {
      if (tag === key(1, LEN)) readCardInfo(r, r.lengthEnd(), card, false);
      else r.skipType(tag & 7);
      continue;
    }
    if (tag === key(1, LEN)) card.cardName = r.string();
    else if (tag === key(2, LEN)) card.imageUrl = readImageUrl(r, r.lengthEnd());
    else if (tag === key(4, LEN)) card.sender = readBattleUserInfo(r, r.lengthEnd());
    else if (tag === key(5, VARINT)) card.effectSeconds = r.int64Number();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

function readCardUse(r: WireReader, end: number, card: Card, nested: boolean): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) readCardInfo(r, r.lengthEnd(), card, nested);
    else if (tag === key(2, VARINT)) card.anchorUserId = r.int64String();
    else if (tag === key(3, LEN)) card.text = readText(r, r.lengthEnd()).pattern;
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

/** AwardCardNotice { display_content = 1, awarded_users = 2 }: the first awarded user is the sender. */
function readAward(r: WireReader, end: number, card: Card): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) card.text = readText(r, r.lengthEnd()).pattern;
    else if (tag === key(2, LEN) && card.sender.userId === '') card.sender = readBattleUserInfo(r, r.lengthEnd());
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
}

export function decodeBattleItemCard(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'linkMicBattleItemCard'> {
  let common: CommonFields | undefined;
  let battleId = '';
  const card: Card = { cardType: 'other', cardName: '', imageUrl: '', sender: emptyUser(), anchorUserId: '', effectSeconds: 0, text: '' };
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(2, VARINT)) battleId = r.int64String();
    else if ((tag & 7) === LEN && CARD_FIELDS[field] !== undefined) {
      card.cardType = CARD_FIELDS[field];
      readCardUse(r, r.lengthEnd(), card, NESTED_CARDS.has(field));
    } else if (tag === key(AWARD_FIELD, LEN)) {
      card.cardType = 'award';
      readAward(r, r.lengthEnd(), card);
    } else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'linkMicBattleItemCard', data: { ...meta, battleId, ...card } };
}
