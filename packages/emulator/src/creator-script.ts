/**
 * A creator's scripted LIVE: a seeded, realistic mix of room messages. The first few
 * dozen messages include every seed event type (so a short test sees them all); after
 * that the mix is weighted like a busy room: mostly chat, likes and joins, gift streaks
 * of a streakable gift (repeat_count 1..n, then repeat_end), single big gifts, follows,
 * shares, viewer-count updates with top viewers, and now and then a battle with score
 * updates, a pinned message, a treasure chest, a question; and, less often, the room
 * features of room-features.ts (polls, goals, ranks, captions, banners, super fans,
 * moderation, product pins, battle power-ups, a pause).
 *
 * Messages are WebCast objects in the schema's field names, without `common`: the room
 * adds msg_id, create_time and the display text key when it emits them.
 */

import { Method, type MethodName, type ProtoObject } from '@tiktool/webcast';
import { hostUser, identityOf, makeViewer, type Viewer } from './audience.js';
import { Rng } from './rng.js';
import { RoomFeatures } from './room-features.js';

export interface ScriptedMessage {
  method: MethodName;
  body: ProtoObject;
  /** common.display_text.key (follow vs share is told by it). */
  displayKey?: string;
}

export interface GiftInfo {
  id: number;
  name: string;
  diamonds: number;
  /** 1 = streakable. */
  type: number;
}

export const GIFTS: readonly GiftInfo[] = [
  { id: 5655, name: 'Rose', diamonds: 1, type: 1 },
  { id: 5269, name: 'TikTok', diamonds: 1, type: 1 },
  { id: 5487, name: 'Finger Heart', diamonds: 5, type: 1 },
  { id: 5879, name: 'Doughnut', diamonds: 30, type: 1 },
  { id: 11046, name: 'Galaxy', diamonds: 1000, type: 2 },
  { id: 6369, name: 'Lion', diamonds: 29999, type: 2 },
  { id: 7312, name: 'Universe', diamonds: 34999, type: 2 },
];

const EMOTES = [
  { emoteId: '7119864373937490690', name: 'hype' },
  { emoteId: '7119864373937490691', name: 'love' },
  { emoteId: '7119864373937490692', name: 'lol' },
];

const COMMENTS = [
  'hello from Berlin 👋',
  'first time here!',
  'what game is this?',
  "LET'S GOOO 🔥🔥",
  'can you say hi to me?',
  'que bonito 😍',
  'こんにちは',
  'lol',
  'gg',
  'how long have you been streaming?',
  '❤️❤️❤️',
  'Привет!',
];

const QUESTIONS = ['What setup do you use?', 'When is the next stream?', 'How did you start?', 'Favourite song?'];

/** What Emulator.emitEvent can send. */
export type ChosenEvent = 'follow' | 'subscribe' | { viewerCount: number };

export const DISPLAY_KEY_FOLLOW = 'pm_main_follow_message_viewer_2';
export const DISPLAY_KEY_SHARE = 'pm_mt_guidance_share';

const AUDIENCE_SIZE = 200;
const ROOM_USER_SEQ_EVERY = 15;
const BATTLE_UPDATES = 10;
const BATTLE_PAUSE = 150;
/** Messages between a pause of the LIVE and its resume. */
const PAUSE_LENGTH = 20;

function image(url: string): ProtoObject {
  return { urlList: [url] };
}

function emoteStruct(e: (typeof EMOTES)[number]): ProtoObject {
  return { emoteId: e.emoteId, image: image(`https://p16-webcast.tiktokcdn.com/webcast-va/emote_${e.name}.png`) };
}

function giftStruct(g: GiftInfo): ProtoObject {
  return {
    id: g.id,
    name: g.name,
    diamondCount: g.diamonds,
    type: g.type,
    combo: g.type === 1,
    image: image(`https://p16-webcast.tiktokcdn.com/img/maliva/webcast-va/gift_${g.id}.png`),
    describe: `sent ${g.name}`,
  };
}

interface Streak {
  viewer: Viewer;
  gift: GiftInfo;
  groupId: string;
  count: number;
  target: number;
}

interface Battle {
  battleId: string;
  opponent: ProtoObject;
  hostScore: number;
  opponentScore: number;
  updates: number;
}

export class CreatorScript {
  private readonly rng: Rng;
  private readonly audience: Viewer[] = [];
  private readonly host: ProtoObject;
  private readonly queue: ScriptedMessage[] = [];
  private readonly streaks: Streak[] = [];
  private battle: Battle | undefined;
  private sinceBattle = 0;
  private readonly features: RoomFeatures;
  private pausedFor = 0;
  /** The last pinned chat message: what a moderator's deletion removes. */
  private lastPinned: { msgId: string; userId: string } | undefined;
  private count = 0;
  private totalLikes = 0;
  private viewers: number;
  private nextGroupId: bigint;

  constructor(
    readonly uniqueId: string,
    readonly hostUserId: string,
    readonly roomId: string,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    for (let i = 0; i < AUDIENCE_SIZE; i++) this.audience.push(makeViewer(this.rng, i));
    this.host = hostUser(uniqueId, hostUserId);
    this.viewers = this.rng.int(80, 400);
    this.nextGroupId = BigInt(this.rng.int64(1_700_000_000_000_000_000n, 1_000_000_000_000n));
    this.features = new RoomFeatures(this.rng, hostUserId, this.host);
    this.queue.push(
      this.liveIntro(),
      this.member(),
      this.roomUserSeq(),
      this.chat(true),
      this.like(),
      this.social(DISPLAY_KEY_FOLLOW),
      this.social(DISPLAY_KEY_SHARE),
      this.startStreak(GIFTS[0]),
      this.singleGift(),
      this.subscribe(),
      this.emoteChat(),
      this.envelope(),
      this.question(),
      this.roomPin(),
      ...this.startBattle(),
      this.features.pollStep(),
      this.features.goalUpdate(this.viewer(), 1),
      this.features.rankUpdate(),
      this.features.hourlyRank(),
      this.features.caption(false),
      this.features.caption(true),
      this.features.inRoomBanner(),
      this.features.barrage(this.viewer()),
      this.features.superFan(this.viewer(), true),
      this.features.superFanBox(this.viewer()),
      this.features.unauthorizedMember(),
      this.features.roomMessage(),
      this.moderation(),
      this.features.productPin(),
      this.features.itemCard(this.battle!.battleId, this.viewer()),
      this.features.battlePunishFinish(this.battle!.battleId, true),
      this.features.pauseToggle(),
      this.features.pauseToggle(),
    );
  }

  get hostUser(): ProtoObject {
    return this.host;
  }

  next(): ScriptedMessage {
    this.count++;
    const queued = this.queue.shift();
    if (queued) return queued;
    if (this.count % ROOM_USER_SEQ_EVERY === 0) return this.roomUserSeq();
    if (this.streaks.length > 0 && this.rng.chance(0.35)) return this.advanceStreak(this.rng.pick(this.streaks));
    if (this.battle && this.rng.chance(0.15)) return this.battleUpdate(this.battle);
    if (this.battle && this.rng.chance(0.02)) return this.features.itemCard(this.battle.battleId, this.viewer());
    if (this.features.isPaused && --this.pausedFor <= 0) return this.features.pauseToggle();
    if (this.features.pollRunning && this.rng.chance(0.05)) return this.features.pollStep();
    if (!this.battle && ++this.sinceBattle > BATTLE_PAUSE) {
      const [start, update] = this.startBattle();
      this.queue.push(update);
      return start;
    }
    const key = this.rng.weighted({
      chat: 35,
      like: 20,
      member: 15,
      streak: 8,
      gift: 3,
      follow: 5,
      share: 3,
      emote: 3,
      question: 2,
      subscribe: 1,
      envelope: 1,
      pin: 1,
      caption: 2,
      anonymous: 1,
      barrage: 0.6,
      rank: 0.5,
      poll: 0.2,
      superFan: 0.3,
      moderation: 0.3,
      notice: 0.2,
      banner: 0.2,
      product: 0.2,
      hourly: 0.1,
      pause: 0.03,
      intro: 0.3,
    });
    switch (key) {
      case 'chat':
        return this.chat(this.rng.chance(0.2));
      case 'like':
        return this.like();
      case 'member':
        return this.member();
      case 'streak':
        return this.streaks.length < 3 ? this.startStreak(this.rng.pick(GIFTS.filter((g) => g.type === 1))) : this.chat(false);
      case 'gift':
        return this.singleGift();
      case 'follow':
        return this.social(DISPLAY_KEY_FOLLOW);
      case 'share':
        return this.social(DISPLAY_KEY_SHARE);
      case 'emote':
        return this.emoteChat();
      case 'question':
        return this.question();
      case 'subscribe':
        return this.subscribe();
      case 'envelope':
        return this.envelope();
      case 'pin':
        return this.roomPin();
      case 'intro':
        return this.liveIntro();
      default:
        return this.feature(key);
    }
  }

  /** A moderator deletes the last pinned message and everything its author wrote. */
  private moderation(): ScriptedMessage {
    const pinned = this.lastPinned;
    this.lastPinned = undefined;
    return this.features.imDelete(pinned ? [pinned.msgId] : [], pinned ? [pinned.userId] : [this.viewer().user.idStr as string]);
  }

  private feature(key: string): ScriptedMessage {
    const f = this.features;
    switch (key) {
      case 'caption':
        this.queue.push(f.caption(true));
        return f.caption(false);
      case 'anonymous':
        return f.unauthorizedMember();
      case 'barrage':
        return f.barrage(this.viewer());
      case 'rank':
        return f.rankUpdate();
      case 'poll':
        return f.pollStep();
      case 'superFan':
        return this.rng.chance(0.3) ? f.superFanBox(this.viewer()) : f.superFan(this.viewer(), this.rng.chance(0.6));
      case 'moderation':
        return this.moderation();
      case 'notice':
        return f.roomMessage();
      case 'banner':
        return f.inRoomBanner();
      case 'product':
        return f.productPin();
      case 'hourly':
        return f.hourlyRank();
      default:
        if (f.isPaused) return this.chat(false);
        this.pausedFor = PAUSE_LENGTH;
        return f.pauseToggle();
    }
  }

  private viewer(): Viewer {
    return this.rng.pick(this.audience);
  }

  private chatBody(withEmote: boolean): ProtoObject {
    const v = this.viewer();
    let content = this.rng.pick(COMMENTS);
    const emotes: ProtoObject[] = [];
    if (withEmote) {
      const e = this.rng.pick(EMOTES);
      emotes.push({ index: content.length + 1, emote: emoteStruct(e) });
      content = `${content} [${e.name}]`;
    }
    return { user: v.user, content, emotes, contentLanguage: 'en', userIdentity: identityOf(v) };
  }

  private chat(withEmote: boolean): ScriptedMessage {
    return { method: Method.CHAT, body: this.chatBody(withEmote) };
  }

  private like(): ScriptedMessage {
    const count = this.rng.int(1, 15);
    this.totalLikes += count;
    return { method: Method.LIKE, body: { count, total: this.totalLikes, user: this.viewer().user } };
  }

  private member(): ScriptedMessage {
    this.viewers += this.rng.int(0, 3);
    return { method: Method.MEMBER, body: { user: this.viewer().user, memberCount: this.viewers, action: 1 } };
  }

  private social(displayKey: string): ScriptedMessage {
    const share = displayKey === DISPLAY_KEY_SHARE;
    return {
      method: Method.SOCIAL,
      displayKey,
      body: {
        user: this.viewer().user,
        action: share ? 3 : 1,
        shareType: share ? 1 : 0,
        shareTarget: share ? 'whatsapp' : '',
        followCount: share ? 0 : 125_000 + this.count,
      },
    };
  }

  private roomUserSeq(viewers = Math.max(10, this.viewers + this.rng.int(-15, 20))): ScriptedMessage {
    this.viewers = viewers;
    const ranks: ProtoObject[] = [];
    let coins = this.rng.int(500, 5000);
    for (let rank = 1; rank <= 3; rank++) {
      ranks.push({ score: coins, user: this.viewer().user, rank });
      coins = Math.floor(coins * 0.6);
    }
    return {
      method: Method.ROOM_USER_SEQ,
      body: { ranks, total: this.viewers, totalUser: this.viewers * 4, popStr: String(this.viewers) },
    };
  }

  private giftBody(v: Viewer, g: GiftInfo, repeatCount: number, repeatEnd: boolean, groupId: string): ProtoObject {
    return {
      giftId: g.id,
      repeatCount,
      comboCount: repeatCount,
      groupCount: 1,
      user: v.user,
      toUser: { id: this.hostUserId, idStr: this.hostUserId, displayId: this.uniqueId },
      repeatEnd: repeatEnd ? 1 : 0,
      groupId,
      gift: giftStruct(g),
      userIdentity: identityOf(v),
    };
  }

  private startStreak(g: GiftInfo): ScriptedMessage {
    const streak: Streak = {
      viewer: this.viewer(),
      gift: g,
      groupId: (this.nextGroupId++).toString(),
      count: 1,
      target: this.rng.int(2, 12),
    };
    this.streaks.push(streak);
    return { method: Method.GIFT, body: this.giftBody(streak.viewer, g, 1, false, streak.groupId) };
  }

  private advanceStreak(s: Streak): ScriptedMessage {
    s.count = Math.min(s.target, s.count + this.rng.int(1, 3));
    const end = s.count >= s.target;
    if (end) {
      this.streaks.splice(this.streaks.indexOf(s), 1);
      if (s.gift.id === GIFTS[0].id) this.queue.push(this.features.goalUpdate(s.viewer, s.count * s.gift.diamonds));
    }
    return { method: Method.GIFT, body: this.giftBody(s.viewer, s.gift, s.count, end, s.groupId) };
  }

  /** One message a test chooses: a follow, a subscribe, or a viewer count (a roomUserSeq with that total). */
  chosen(event: ChosenEvent): ScriptedMessage {
    if (event === 'follow') return this.social(DISPLAY_KEY_FOLLOW);
    if (event === 'subscribe') return this.subscribe();
    return this.roomUserSeq(event.viewerCount);
  }

  /** A whole gift from one viewer: a streak to repeatCount in `steps` messages, or one message for a gift that is not streakable. */
  gift(giftId: number, repeatCount: number, steps: number): ScriptedMessage[] {
    const g = GIFTS.find((x) => x.id === giftId);
    if (!g) throw new Error(`no gift ${giftId}; gifts: ${GIFTS.map((x) => x.id).join(', ')}`);
    const v = this.viewer();
    const groupId = (this.nextGroupId++).toString();
    if (g.type !== 1) return [{ method: Method.GIFT, body: this.giftBody(v, g, repeatCount, true, groupId) }];
    const n = Math.max(1, Math.min(steps, repeatCount));
    return Array.from({ length: n }, (_, i) => {
      const count = Math.max(1, Math.round((repeatCount * (i + 1)) / n));
      return { method: Method.GIFT, body: this.giftBody(v, g, count, i === n - 1, groupId) };
    });
  }

  private singleGift(): ScriptedMessage {
    const g = this.rng.pick(GIFTS.filter((x) => x.type !== 1));
    return { method: Method.GIFT, body: this.giftBody(this.viewer(), g, 1, true, (this.nextGroupId++).toString()) };
  }

  private subscribe(): ScriptedMessage {
    return {
      method: Method.SUB_NOTIFY,
      body: { user: this.viewer().user, subMonth: this.rng.int(1, 24), exhibitionType: 1, subscribeType: 1 },
    };
  }

  private emoteChat(): ScriptedMessage {
    const v = this.viewer();
    return {
      method: Method.EMOTE_CHAT,
      body: { user: v.user, emoteList: [emoteStruct(this.rng.pick(EMOTES))], userIdentity: identityOf(v) },
    };
  }

  private envelope(): ScriptedMessage {
    const v = this.viewer();
    const user = v.user;
    return {
      method: Method.ENVELOPE,
      body: {
        envelopeInfo: {
          envelopeId: this.rng.int64(7_000_000_000_000_000_000n, 100_000_000_000_000_000n),
          businessType: 1,
          sendUserName: user.nickname,
          diamondCount: this.rng.pick([100, 500, 1000]),
          peopleCount: this.rng.int(5, 50),
          unpackAt: Math.floor(Date.now() / 1000) + 180,
          sendUserId: user.idStr,
          sendUserAvatar: user.avatarThumb,
        },
      },
    };
  }

  private question(): ScriptedMessage {
    return {
      method: Method.QUESTION_NEW,
      body: {
        details: {
          questionId: this.rng.int64(7_100_000_000_000_000_000n, 100_000_000_000_000_000n),
          content: this.rng.pick(QUESTIONS),
          createTime: Math.floor(Date.now() / 1000),
          user: this.viewer().user,
        },
      },
    };
  }

  private roomPin(): ScriptedMessage {
    const chat = this.chatBody(false);
    chat.common = {
      method: Method.CHAT,
      msgId: this.rng.int64(7_300_000_000_000_000_000n, 100_000_000_000_000_000n),
      createTime: Date.now(),
    };
    this.lastPinned = { msgId: String((chat.common as ProtoObject).msgId), userId: String((chat.user as ProtoObject).idStr) };
    const moderator = this.audience.find((v) => v.moderator);
    return {
      method: Method.ROOM_PIN,
      body: {
        chatMessage: chat,
        method: Method.CHAT,
        pinTime: Date.now(),
        operator: moderator ? moderator.user : this.host,
        action: 1,
        displayDuration: 60,
        pinId: this.rng.int64(7_400_000_000_000_000_000n, 100_000_000_000_000_000n),
      },
    };
  }

  private liveIntro(): ScriptedMessage {
    return {
      method: Method.LIVE_INTRO,
      body: { roomId: this.roomId, content: `Welcome to ${this.uniqueId}'s LIVE! Be nice 💜`, host: this.host, language: 'en' },
    };
  }

  /** The battle's start and its first score update. */
  private startBattle(): [ScriptedMessage, ScriptedMessage] {
    this.sinceBattle = 0;
    const opponentId = this.rng.int64(6_900_000_000_000_000_000n, 100_000_000_000_000_000n);
    const opponentName = `rival.${this.rng.pick(LAST_NAMES)}`;
    const battle: Battle = {
      battleId: this.rng.int64(7_200_000_000_000_000_000n, 100_000_000_000_000_000n),
      opponent: {
        userId: opponentId,
        nickName: opponentName,
        displayId: opponentName,
        avatarThumb: image(`https://p16-sign.tiktokcdn.com/avt/${opponentId}.webp`),
      },
      hostScore: 0,
      opponentScore: 0,
      updates: 0,
    };
    this.battle = battle;
    const start: ScriptedMessage = { method: Method.LINK_MIC_BATTLE, body: this.battleBody(battle, 1) };
    return [start, this.battleUpdate(battle)];
  }

  private battleBody(b: Battle, status: number): ProtoObject {
    const hostInfo = {
      userId: this.hostUserId,
      nickName: this.host.nickname,
      displayId: this.uniqueId,
      avatarThumb: this.host.avatarThumb,
    };
    return {
      battleId: b.battleId,
      battleSetting: { battleId: b.battleId, startTimeMs: Date.now(), duration: 300, status },
      action: status === 1 ? 4 : 5,
      anchorInfo: { [this.hostUserId]: { user: hostInfo }, [String(b.opponent.userId)]: { user: b.opponent } },
    };
  }

  private battleUpdate(b: Battle): ScriptedMessage {
    b.updates++;
    const v = this.viewer();
    const points = this.rng.int(1, 300);
    b.hostScore += points;
    b.opponentScore += this.rng.int(0, 250);
    const finished = b.updates >= BATTLE_UPDATES;
    const army = (hostId: string, score: number, fans: ProtoObject[]): ProtoObject => ({
      userArmy: fans,
      hostScore: score,
      anchorIdStr: hostId,
    });
    const opponentId = String(b.opponent.userId);
    const user = v.user;
    const body: ProtoObject = {
      battleId: b.battleId,
      armies: {
        [this.hostUserId]: army(this.hostUserId, b.hostScore, [
          {
            userId: user.id,
            userIdStr: user.idStr,
            nickname: user.nickname,
            avatarThumb: user.avatarThumb,
            score: points,
            diamondScore: points,
          },
        ]),
        [opponentId]: army(opponentId, b.opponentScore, []),
      },
      battleStatus: finished ? 2 : 1,
      scoreUpdateTime: Date.now(),
    };
    if (finished) {
      this.battle = undefined;
      this.queue.push(
        { method: Method.LINK_MIC_BATTLE, body: this.battleBody(b, 2) },
        this.features.battlePunishFinish(b.battleId, this.rng.chance(0.2)),
      );
    }
    return { method: Method.LINK_MIC_ARMIES, body };
  }
}

const LAST_NAMES = ['nova', 'blaze', 'echo', 'pixel', 'storm'];
