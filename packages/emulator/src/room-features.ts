/**
 * The room messages beyond chat, gifts and battles that a creator script mixes in:
 * polls (start, vote updates, end), a LIVE goal whose progress follows the gifts,
 * rank list updates, live captions (partial, then final), banners, barrages, super fan
 * notices, anonymous joins, room notices, moderator deletions, product pins, battle
 * power-ups and punishment, and a pause of the LIVE followed by its resume.
 *
 * Each method returns one ScriptedMessage; multi-step features keep their state here
 * and tell the script what to queue next.
 */

import { Method, type ProtoObject } from '@tiktool/webcast';
import type { Viewer } from './audience.js';
import type { Rng } from './rng.js';
import type { ScriptedMessage } from './creator-script.js';

const POLL_QUESTIONS = [
  { title: 'Which game next?', options: ['Minecraft', 'Fortnite', 'Valorant'] },
  { title: 'Should I dye my hair?', options: ['Yes!', 'No way'] },
  { title: 'Best snack?', options: ['Chips', 'Chocolate', 'Fruit', 'Popcorn'] },
];
const CAPTION_SENTENCES = [
  { en: 'thank you so much for the roses', es: 'muchas gracias por las rosas' },
  { en: 'welcome everyone to the stream', es: 'bienvenidos todos al directo' },
  { en: 'we are almost at the goal', es: 'ya casi llegamos a la meta' },
];
const ROOM_NOTICES = [
  'Welcome to TikTok LIVE! Have fun interacting with others in real time. Creators must be 18 or older to go LIVE.',
  'Viewers who send gifts are supporting the creator. Be kind and follow our Community Guidelines.',
];
const BARRAGES = [
  { type: 8, key: 'pm_mt_barrage_user_upgrade', pattern: '{0:user} reached level {1:string}' },
  { type: 10, key: 'pm_mt_barrage_fans_level_upgrade', pattern: '{0:user} upgraded their Fan Club level' },
];
const SUPER_FAN_JOIN_KEY = 'ttlive_superfan_commentnotif_superfanjoined';
const SUPER_FAN_NOTICE_KEY = 'ttlive_superfan_commentnotif_badgeupgrade';
export const SUPER_FAN_BOX_KEY = 'ttlive_superfanbox_sent_message';
const PRODUCTS = [
  { title: 'LED Ring Light 10"', price: '$24.99', shop: 'StreamGear' },
  { title: 'Wireless Gaming Headset', price: '$59.00', shop: 'SoundHub' },
];
const CARDS = ['useCriticalStrikeCard', 'useSmokeCard', 'useExtraTimeCard', 'usePotionCard', 'useTop2Card'] as const;
const BANNER_POSITIONS = [1, 2];
const POLL_UPDATES = 3;
/** Normal, gift and emote polls (TikTok's poll_kind). */
const POLL_KINDS = [0, 1, 5];
const GOAL_TARGET = 500;

function image(url: string): ProtoObject {
  return { urlList: [url] };
}

function text(key: string, defaultPattern: string): ProtoObject {
  return { key, defaultPattern };
}

interface Poll {
  pollId: string;
  options: { optionIdx: number; displayContent: string; votes: number }[];
  updates: number;
  kind: number;
}

export class RoomFeatures {
  private poll: Poll | undefined;
  private goalProgress = 0;
  private readonly goalId: string;
  private readonly subGoalId: string;
  private sentence = 0;
  private paused = false;

  constructor(
    private readonly rng: Rng,
    private readonly hostUserId: string,
    private readonly host: ProtoObject,
  ) {
    this.goalId = rng.int64(7_310_000_000_000_000_000n, 10_000_000_000_000_000n);
    this.subGoalId = rng.int64(7_320_000_000_000_000_000n, 10_000_000_000_000_000n);
  }

  get pollRunning(): boolean {
    return this.poll !== undefined;
  }

  /** A poll message: start when none runs, else a vote update, the last one an end. */
  pollStep(): ScriptedMessage {
    if (!this.poll) return this.startPoll();
    const p = this.poll;
    for (const o of p.options) o.votes += this.rng.int(0, 12);
    p.updates++;
    if (p.updates > POLL_UPDATES) {
      this.poll = undefined;
      return {
        method: Method.POLL,
        body: {
          pollId: p.pollId,
          messageType: 2,
          endContent: { endType: 0, optionList: p.options, operator: this.host },
          pollKind: p.kind,
        },
      };
    }
    return { method: Method.POLL, body: { pollId: p.pollId, messageType: 1, updateContent: { optionList: p.options }, pollKind: p.kind } };
  }

  private startPoll(): ScriptedMessage {
    const q = this.rng.pick(POLL_QUESTIONS);
    const p: Poll = {
      pollId: this.rng.int64(7_330_000_000_000_000_000n, 10_000_000_000_000_000n),
      options: q.options.map((displayContent, optionIdx) => ({ optionIdx, displayContent, votes: 0 })),
      updates: 0,
      kind: this.rng.pick(POLL_KINDS),
    };
    this.poll = p;
    const start = Math.floor(Date.now() / 1000);
    return {
      method: Method.POLL,
      body: {
        pollId: p.pollId,
        messageType: 0,
        startContent: { startTime: start, endTime: start + 120, optionList: p.options, title: q.title, operator: this.host },
        pollKind: p.kind,
      },
    };
  }

  /** The LIVE goal after a viewer's gift of `diamonds`. */
  goalUpdate(v: Viewer, diamonds: number): ScriptedMessage {
    this.goalProgress = Math.min(GOAL_TARGET, this.goalProgress + diamonds);
    const u = v.user;
    return {
      method: Method.GOAL_UPDATE,
      body: {
        goal: {
          id: this.goalId,
          idStr: this.goalId,
          type: 1,
          status: this.goalProgress >= GOAL_TARGET ? 2 : 1,
          description: 'Help me reach 500 roses tonight 🌹',
          subGoals: [
            {
              type: 1,
              id: this.subGoalId,
              idStr: this.subGoalId,
              progress: this.goalProgress,
              target: GOAL_TARGET,
              gift: {
                name: 'Rose',
                diamondCount: 1,
                type: 1,
                icon: image('https://p16-webcast.tiktokcdn.com/img/maliva/webcast-va/gift_5655.png'),
              },
            },
          ],
        },
        contributorId: u.id,
        contributorIdStr: u.idStr,
        contributorDisplayId: u.displayId,
        contributorAvatar: u.avatarThumb,
        contributeCount: 1,
        contributeScore: diamonds,
      },
    };
  }

  rankUpdate(): ScriptedMessage {
    const hourly = this.rng.int(1, 99);
    return {
      method: Method.RANK_UPDATE,
      body: {
        updates: [
          {
            rankType: 0,
            ownerRank: hourly,
            defaultContent: text('pm_mt_hourly_rank_entrance', `No. ${hourly} in LIVE hourly ranking`),
            countdown: 1800,
          },
          { rankType: 8, ownerRank: this.rng.int(50, 300), defaultContent: text('pm_mt_daily_rank_entrance', 'Daily ranking') },
        ],
        groupType: 1,
      },
    };
  }

  hourlyRank(): ScriptedMessage {
    return {
      method: Method.HOURLY_RANK,
      body: { data: { rankings: { type: 'hourly', label: `Top ${this.rng.int(1, 20)} LIVE this hour` } } },
    };
  }

  /** Captions come as a partial sentence, then the same sentence final. */
  caption(final: boolean): ScriptedMessage {
    const s = CAPTION_SENTENCES[this.sentence % CAPTION_SENTENCES.length];
    const cut = (t: string) => (final ? t : t.split(' ').slice(0, 3).join(' '));
    const body = {
      timestampMs: 60_000 * (this.sentence + 1),
      durationMs: final ? 2400 : 900,
      content: [
        { lang: 'en', content: cut(s.en) },
        { lang: 'es', content: cut(s.es) },
      ],
      sentenceId: String(7_340_000_000_000_000_000n + BigInt(this.sentence)),
      sequenceId: final ? 2 : 1,
      definite: final,
    };
    if (final) this.sentence++;
    return { method: Method.CAPTION, body };
  }

  inRoomBanner(): ScriptedMessage {
    return {
      method: Method.IN_ROOM_BANNER,
      body: {
        extra: { banner_type: 'weekly_rank', data: JSON.stringify({ rank: this.rng.int(1, 50), region: 'EU' }) },
        position: this.rng.pick(BANNER_POSITIONS),
        actionType: 1,
      },
    };
  }

  barrage(v: Viewer): ScriptedMessage {
    const b = this.rng.pick(BARRAGES);
    const param = { currentGrade: this.rng.int(10, 40), displayConfig: 1, user: v.user };
    return {
      method: Method.BARRAGE,
      body: {
        msgType: b.type,
        content: text(b.key, b.pattern),
        duration: 3000,
        icon: image('https://p16-webcast.tiktokcdn.com/webcast-va/barrage_icon.png'),
        ...(b.type === 8 ? { userGradeParam: param } : { fansLevelParam: param }),
      },
    };
  }

  superFan(v: Viewer, join: boolean): ScriptedMessage {
    return {
      method: Method.BARRAGE,
      body: {
        msgType: 100,
        content: join ? text(SUPER_FAN_JOIN_KEY, '{0:user} became a Super Fan!') : text(SUPER_FAN_NOTICE_KEY, '{0:user} is a Super Fan'),
        duration: 4000,
        fansLevelParam: { currentGrade: 1, displayConfig: 1, user: v.user },
      },
    };
  }

  /** A super fan treasure box: an envelope whose display key marks it (the room sets it). */
  superFanBox(v: Viewer): ScriptedMessage {
    const u = v.user;
    return {
      method: Method.ENVELOPE,
      displayKey: SUPER_FAN_BOX_KEY,
      body: {
        envelopeInfo: {
          envelopeId: this.rng.int64(7_350_000_000_000_000_000n, 10_000_000_000_000_000n),
          businessType: 7,
          sendUserName: u.nickname,
          diamondCount: 199,
          peopleCount: this.rng.int(5, 30),
          unpackAt: Math.floor(Date.now() / 1000) + 120,
          sendUserId: u.idStr,
          sendUserAvatar: u.avatarThumb,
        },
      },
    };
  }

  unauthorizedMember(): ScriptedMessage {
    return {
      method: Method.UNAUTHORIZED_MEMBER,
      body: {
        action: 1,
        nickNamePrefix: text('pm_mt_anonymous_prefix', 'Viewer'),
        nickName: `user${this.rng.int(1000, 9999)}***`,
        enterText: text('live_room_enter_toast', '{0:user} joined'),
      },
    };
  }

  roomMessage(): ScriptedMessage {
    return { method: Method.ROOM, body: { content: this.rng.pick(ROOM_NOTICES), source: 1 } };
  }

  /** A moderator removes messages (by id) and everything some users wrote. */
  imDelete(msgIds: readonly string[], userIds: readonly string[]): ScriptedMessage {
    return { method: Method.IM_DELETE, body: { deleteMsgIds: [...msgIds], deleteUserIds: [...userIds] } };
  }

  productPin(): ScriptedMessage {
    const p = this.rng.pick(PRODUCTS);
    const id = this.rng.int(100_000, 999_999);
    return {
      method: Method.OEC_LIVE_SHOPPING,
      body: {
        shopData: {
          title: p.title,
          priceString: p.price,
          imageUrl: `https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/product_${id}.jpeg`,
          shopUrl: `https://shop.tiktok.com/view/product/${id}`,
          shopName: p.shop,
        },
      },
    };
  }

  /** A power-up used in the battle by a viewer on the host's side. */
  itemCard(battleId: string, v: Viewer): ScriptedMessage {
    const kind = this.rng.pick(CARDS);
    const u = v.user;
    const info = {
      cardNameKey: `pm_mt_battle_card_${kind.replace(/^use|Card$/g, '').toLowerCase()}`,
      cardImage: image(`https://p16-webcast.tiktokcdn.com/webcast-va/${kind}.png`),
      sendTimeSec: Math.floor(Date.now() / 1000),
      sendUser: { user: { userId: u.id, nickName: u.nickname, displayId: u.displayId, avatarThumb: u.avatarThumb } },
      effectLastDuration: this.rng.pick([20, 30, 60]),
    };
    const use = {
      cardInfo: kind === 'useTop2Card' ? { common: info } : info,
      anchorId: this.hostUserId,
      displayContent: text('pm_mt_battle_card_used', '{0:user} used a power-up'),
    };
    return { method: Method.LINK_MIC_BATTLE_ITEM_CARD, body: { battleId, msgType: 1, [kind]: use } };
  }

  battlePunishFinish(battleId: string, cutShort: boolean): ScriptedMessage {
    return {
      method: Method.LINK_MIC_BATTLE_PUNISH_FINISH,
      body: { battleId, channelId: battleId, reason: cutShort ? 1 : 0, ...(cutShort ? { opUid: this.hostUserId } : {}) },
    };
  }

  /** Pauses the LIVE (action 1), or resumes it (2) when paused. */
  pauseToggle(): ScriptedMessage {
    this.paused = !this.paused;
    return this.paused
      ? { method: Method.CONTROL, body: { action: 1, tips: 'The LIVE is paused. It will be back soon.' } }
      : { method: Method.CONTROL, body: { action: 2, tips: 'The LIVE is back!' } };
  }

  get isPaused(): boolean {
    return this.paused;
  }
}
