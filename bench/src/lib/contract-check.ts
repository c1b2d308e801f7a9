/**
 * Checks decoded events against the contract: every field of every event type present
 * with its type in every event, and each field filled (non-empty, non-zero, true) in at
 * least one event of the run. The shapes are typed from @tiktool/protocol, so a field
 * added to the contract fails the bench's build until it is listed here.
 */

import type { Badge, CreatorEventMap, Emote, GiftData, UpstreamEvent, User } from '@tiktool/protocol';

type Shape<T> = T extends string
  ? 'string'
  : T extends number
    ? 'number'
    : T extends boolean
      ? 'boolean'
      : T extends readonly (infer E)[]
        ? readonly [Shape<E>]
        : { readonly [K in keyof T]-?: Shape<T[K]> };

const BADGE: Shape<Badge> = { type: 'string', name: 'string', level: 'number', imageUrl: 'string' };
const USER: Shape<User> = {
  userId: 'string',
  uniqueId: 'string',
  nickname: 'string',
  profilePictureUrl: 'string',
  followRole: 'number',
  isSubscriber: 'boolean',
  isModerator: 'boolean',
  badges: [BADGE],
};
const EMOTE: Shape<Emote> = { emoteId: 'string', imageUrl: 'string', placeInComment: 'number' };
const META = { msgId: 'string', timestamp: 'number' } as const;

/** The events the emulator's script emits (streamEnd and unknown are not in a live mix). */
type Checked = Exclude<keyof CreatorEventMap, 'streamEnd' | 'unknown'>;
/** streakTimedOut is set by the upstream's streak closer, never by the decoder. */
type Decoded<E extends Checked> = E extends 'gift' ? Omit<GiftData, 'streakTimedOut'> : CreatorEventMap[E];

const PAUSE = { ...META, action: 'number', tips: 'string' } as const;

const SHAPES: { [E in Checked]: Shape<Decoded<E>> } = {
  chat: { ...META, user: USER, comment: 'string', emotes: [EMOTE] },
  gift: {
    ...META,
    user: USER,
    giftId: 'number',
    giftName: 'string',
    diamondCount: 'number',
    repeatCount: 'number',
    repeatEnd: 'boolean',
    giftType: 'number',
    groupId: 'string',
    giftPictureUrl: 'string',
    receiverUserId: 'string',
    totalDiamondCount: 'number',
  },
  like: { ...META, user: USER, likeCount: 'number', totalLikes: 'number' },
  member: { ...META, user: USER, actionId: 'number' },
  follow: { ...META, user: USER },
  share: { ...META, user: USER },
  roomUserSeq: { ...META, viewerCount: 'number', topViewers: [{ user: USER, coinCount: 'number', rank: 'number' }] },
  subscribe: { ...META, user: USER, subMonth: 'number' },
  linkMicBattle: { ...META, battleId: 'string', battleStatus: 'number', battleUsers: [USER] },
  linkMicArmies: {
    ...META,
    battleId: 'string',
    battleStatus: 'number',
    armies: [{ hostUserId: 'string', points: 'number', participants: [{ user: USER, points: 'number' }] }],
  },
  roomPin: {
    ...META,
    operator: USER,
    pinnedMessage: { user: USER, comment: 'string', msgId: 'string' },
    pinEndTime: 'number',
  },
  liveIntro: { ...META, host: USER, description: 'string' },
  emote: { ...META, user: USER, emotes: [EMOTE] },
  envelope: { ...META, envelopeId: 'string', user: USER, diamondCount: 'number', peopleCount: 'number' },
  questionNew: { ...META, questionId: 'string', user: USER, content: 'string' },
  imDelete: { ...META, msgIds: ['string'], userIds: ['string'] },
  poll: {
    ...META,
    pollId: 'string',
    action: 'string',
    title: 'string',
    options: [{ index: 'number', text: 'string', votes: 'number' }],
    operator: USER,
    pollKind: 'number',
    endTime: 'number',
  },
  goalUpdate: {
    ...META,
    goalId: 'string',
    description: 'string',
    status: 'number',
    subGoals: [
      {
        subGoalId: 'string',
        type: 'number',
        progress: 'number',
        target: 'number',
        giftName: 'string',
        giftDiamondCount: 'number',
        giftImageUrl: 'string',
      },
    ],
    contributor: USER,
    contributeCount: 'number',
    contributeScore: 'number',
  },
  rankUpdate: { ...META, updates: [{ rankType: 'number', ownerRank: 'number', text: 'string' }] },
  hourlyRank: { ...META, rankType: 'string', label: 'string' },
  caption: {
    ...META,
    sentenceId: 'string',
    timestampMs: 'number',
    durationMs: 'number',
    captions: [{ language: 'string', text: 'string' }],
    final: 'boolean',
  },
  inRoomBanner: { ...META, position: 'number', actionType: 'number', extra: {} },
  barrage: { ...META, barrageType: 'number', textKey: 'string', text: 'string', user: USER, duration: 'number' },
  superFan: {
    ...META,
    kind: 'string',
    user: USER,
    textKey: 'string',
    text: 'string',
    envelopeId: 'string',
    diamondCount: 'number',
  },
  unauthorizedMember: { ...META, action: 'number', nickname: 'string', nicknamePrefix: 'string', enterText: 'string' },
  roomMessage: { ...META, content: 'string' },
  linkMicBattlePunish: { ...META, battleId: 'string', reason: 'string', operatorUserId: 'string' },
  linkMicBattleItemCard: {
    ...META,
    battleId: 'string',
    cardType: 'string',
    cardName: 'string',
    imageUrl: 'string',
    sender: USER,
    anchorUserId: 'string',
    effectSeconds: 'number',
    text: 'string',
  },
  oecLiveShopping: { ...META, title: 'string', price: 'string', imageUrl: 'string', productUrl: 'string', shopName: 'string' },
  livePause: PAUSE,
  liveUnpause: PAUSE,
};

type AnyShape = string | readonly [AnyShape] | { readonly [k: string]: AnyShape };

/**
 * Shared types are tallied as themselves, not per place: a battle's user without badges is
 * fine as long as the decoder fills User.badges where TikTok sends them.
 */
const NAMED = new Map<AnyShape, string>([
  [USER, 'User'],
  [BADGE, 'Badge'],
  [EMOTE, 'Emote'],
]);

export class ContractCheck {
  /** Field paths seen filled at least once. */
  private readonly filled = new Set<string>();
  private readonly seenEvents = new Set<string>();
  readonly errors: string[] = [];
  events = 0;

  check(e: UpstreamEvent): void {
    this.events++;
    const shape = (SHAPES as Record<string, AnyShape>)[e.event];
    if (shape === undefined) {
      this.error(`${e.event}: not an event of the live mix`);
      return;
    }
    this.seenEvents.add(e.event);
    this.walk(shape, e.data, e.event);
  }

  /** Every event type of the mix seen, and every field filled somewhere; else the gaps. */
  gaps(): string[] {
    const out = [...this.errors];
    const paths = new Set<string>();
    for (const [event, shape] of Object.entries(SHAPES)) {
      if (this.seenEvents.has(event)) leafPaths(shape as AnyShape, event, paths);
      else out.push(`${event}: never decoded`);
    }
    for (const [shape, name] of NAMED) leafPaths(shape, name, paths, true);
    for (const path of paths) if (!this.filled.has(path)) out.push(`${path}: never filled`);
    return out;
  }

  private walk(shape: AnyShape, value: unknown, path: string): void {
    const named = NAMED.get(shape);
    if (named !== undefined) path = named;
    if (typeof shape === 'string') {
      if (typeof value !== shape) return this.error(`${path}: ${typeof value}, expected ${shape}`);
      if (value !== '' && value !== 0 && value !== false) this.filled.add(path);
      return;
    }
    if (Array.isArray(shape)) {
      if (!Array.isArray(value)) return this.error(`${path}: expected an array`);
      if (value.length > 0) this.filled.add(path);
      for (const item of value) this.walk(shape[0] as AnyShape, item, `${path}[]`);
      return;
    }
    if (typeof value !== 'object' || value === null) return this.error(`${path}: expected an object`);
    for (const [k, s] of Object.entries(shape)) {
      if (!(k in value)) this.error(`${path}.${k}: missing`);
      else this.walk(s, (value as Record<string, unknown>)[k], `${path}.${k}`);
    }
  }

  private error(message: string): void {
    // The first few say enough.
    if (this.errors.length < 50) this.errors.push(message);
  }
}

/** The leaf (and array) paths of a shape, stopping at named shapes unless it is the root. */
function leafPaths(shape: AnyShape, path: string, into: Set<string>, root = false): void {
  const named = NAMED.get(shape);
  if (named !== undefined && !root) return;
  if (typeof shape === 'string') {
    into.add(path);
  } else if (Array.isArray(shape)) {
    into.add(path);
    const item = shape[0] as AnyShape;
    if (!NAMED.has(item)) leafPaths(item, `${path}[]`, into);
  } else {
    for (const [k, s] of Object.entries(shape)) leafPaths(s, `${path}.${k}`, into);
  }
}
