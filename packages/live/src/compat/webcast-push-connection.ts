/**
 * TikTok-Live-Connector's client, on top of the gateway SDK: the same constructor,
 * methods, event names and flat data shapes (1.x), with the SDK's reconnect and resume
 * underneath. A drop that the SDK heals is invisible here; `disconnected` fires only
 * when the connection stops for good (disconnect(), the LIVE ended, a final close).
 */

import { EventEmitter } from 'node:events';
import type { CreatorEventMap, GiftData, RoomInfoData } from '@tiktool/protocol';
import { TikTokLive } from '../client.js';
import type { DisconnectedEvent } from '../client-events.js';
import { TikTokLiveError } from '../errors.js';
import * as convert from './connector-data.js';
import { gatewaySettings, type ConnectorOptions, type GatewaySettings } from './connector-options.js';

/** What connect() resolves to and getState() returns, as in the connector. */
export interface ConnectorState {
  isConnected: boolean;
  upgradedToWebsocket: boolean;
  roomId: string;
  roomInfo: ConnectorRoomInfo | null;
  availableGifts: ConnectorGift[];
}

/** The part of TikTok's room info that the gateway's roomInfo carries, under TikTok's keys. */
export interface ConnectorRoomInfo {
  id: string;
  id_str: string;
  status: number;
  title: string;
  user_count: number;
  stats: { like_count: number; total_user: number };
  owner: { display_id: string };
}

/** A gift as getAvailableGifts() lists it (TikTok's keys). */
export interface ConnectorGift {
  id: number;
  name: string;
  diamond_count: number;
  type: number;
  image: { url_list: string[] };
}

/** TikTok's room status of a LIVE room. */
const ROOM_STATUS_LIVE = 2;

/** The connector's names of events tiktool maps beyond 1.x, with tiktool's data. */
const EXTRA_EVENT_NAMES: Partial<Record<keyof CreatorEventMap, string>> = {
  imDelete: 'imDelete',
  poll: 'pollMessage',
  goalUpdate: 'goalUpdate',
  rankUpdate: 'rankUpdate',
  hourlyRank: 'hourlyRank',
  caption: 'captionMessage',
  inRoomBanner: 'inRoomBanner',
  barrage: 'barrage',
  superFan: 'superFan',
  unauthorizedMember: 'unauthorizedMember',
  roomMessage: 'roomMessage',
  linkMicBattlePunish: 'linkMicBattlePunishFinish',
  linkMicBattleItemCard: 'linkMicBattleItemCard',
  oecLiveShopping: 'oecLiveShopping',
  roomPin: 'roomPin',
};

function roomInfoOf(info: RoomInfoData): ConnectorRoomInfo {
  return {
    id: info.roomId,
    id_str: info.roomId,
    status: ROOM_STATUS_LIVE,
    title: info.title,
    user_count: info.viewerCount,
    stats: { like_count: info.likeCount, total_user: info.viewerCount },
    owner: { display_id: info.uniqueId },
  };
}

export class WebcastPushConnection extends EventEmitter {
  readonly #uniqueId: string;
  readonly #settings: GatewaySettings;
  #client: TikTokLive | undefined;
  #roomInfo: RoomInfoData | undefined;
  #connected = false;
  readonly #gifts = new Map<number, ConnectorGift>();

  constructor(uniqueId: string, options?: ConnectorOptions) {
    super();
    if (typeof uniqueId !== 'string' || uniqueId.trim() === '') {
      throw new TikTokLiveError(
        'ERR_INVALID_ARGUMENT',
        "Missing or invalid value for 'uniqueId'. Please provide the username from TikTok URL.",
      );
    }
    this.#uniqueId = uniqueId.trim();
    this.#settings = gatewaySettings(options);
  }

  /** Connects; resolves to the state object once the gateway's roomInfo arrived. */
  async connect(): Promise<ConnectorState> {
    if (this.#client && this.#client.state !== 'closed') {
      throw new TikTokLiveError('ERR_INVALID_STATE', this.#connected ? 'Already connected!' : 'Already connecting!');
    }
    const client = this.#newClient();
    this.#client = client;
    try {
      this.#roomInfo = await client.connect();
    } catch (err) {
      this.#client = undefined;
      this.#reportError(err, 'Error while connecting');
      throw err;
    }
    this.#connected = true;
    const state = this.getState();
    this.emit('connected', state);
    return state;
  }

  disconnect(): void {
    this.#client?.disconnect();
  }

  getState(): ConnectorState {
    return {
      isConnected: this.#connected,
      upgradedToWebsocket: this.#connected,
      roomId: this.#roomInfo?.roomId ?? '',
      roomInfo: this.#roomInfo ? roomInfoOf(this.#roomInfo) : null,
      availableGifts: [...this.#gifts.values()],
    };
  }

  /**
   * The room info the gateway's roomInfo carries. Unconnected, it opens a short-lived
   * connection for it (the gateway has no REST route for rooms yet).
   */
  async getRoomInfo(): Promise<ConnectorRoomInfo> {
    if (this.#connected && this.#roomInfo) return roomInfoOf(this.#roomInfo);
    const probe = this.#newClient(['streamEnd']);
    try {
      return roomInfoOf(await probe.connect());
    } finally {
      probe.disconnect();
    }
  }

  /** The gifts seen on this connection so far (the gateway has no REST route for gifts yet). */
  async getAvailableGifts(): Promise<ConnectorGift[]> {
    return [...this.#gifts.values()];
  }

  async sendMessage(): Promise<never> {
    throw new TikTokLiveError('ERR_INVALID_STATE', 'sendMessage() is not available through the tiktool gateway');
  }

  #newClient(events?: (keyof CreatorEventMap)[]): TikTokLive {
    const s = this.#settings;
    const client = new TikTokLive(this.#uniqueId, { url: s.url, apiKey: s.apiKey, jwtKey: s.jwtKey, gifts: s.gifts, events });
    if (!events) this.#forward(client);
    return client;
  }

  #forward(client: TikTokLive): void {
    client.on('connected', (info) => {
      this.#roomInfo = info;
    });
    client.on('disconnected', (e) => this.#onDisconnected(client, e));
    client.on('error', (err) => this.#reportError(err, 'Error from the gateway connection'));
    client.on('chat', (d) => this.emit('chat', convert.chatData(d)));
    client.on('gift', (d) => this.emit('gift', convert.giftData(d, this.#extendedGiftInfo(d))));
    client.on('like', (d) => this.emit('like', convert.likeData(d)));
    client.on('member', (d) => this.emit('member', convert.memberData(d)));
    for (const kind of ['follow', 'share'] as const) {
      client.on(kind as 'follow', (d) => {
        const data = convert.socialData(d, kind);
        this.emit('social', data);
        this.emit(kind, data);
      });
    }
    client.on('roomUserSeq', (d) => this.emit('roomUser', convert.roomUserData(d)));
    client.on('subscribe', (d) => this.emit('subscribe', convert.subscribeData(d)));
    client.on('questionNew', (d) => this.emit('questionNew', convert.questionData(d)));
    client.on('linkMicBattle', (d) => this.emit('linkMicBattle', convert.battleData(d)));
    client.on('linkMicArmies', (d) => this.emit('linkMicArmies', convert.armiesData(d)));
    client.on('envelope', (d) => this.emit('envelope', convert.envelopeData(d)));
    client.on('emote', (d) => this.emit('emote', convert.emoteData(d)));
    client.on('liveIntro', (d) => this.emit('liveIntro', convert.liveIntroData(d, this.#roomInfo?.roomId ?? '')));
    client.on('streamEnd', (d) => this.emit('streamEnd', { action: d.action }));
    for (const [name, connectorName] of Object.entries(EXTRA_EVENT_NAMES)) {
      client.on(name as 'poll', (d) => this.emit(connectorName, d));
    }
  }

  #extendedGiftInfo(d: GiftData): ConnectorGift | undefined {
    let gift = this.#gifts.get(d.giftId);
    if (!gift) {
      gift = {
        id: d.giftId,
        name: d.giftName,
        diamond_count: d.diamondCount,
        type: d.giftType,
        image: { url_list: d.giftPictureUrl ? [d.giftPictureUrl] : [] },
      };
      this.#gifts.set(d.giftId, gift);
    }
    return this.#settings.extendedGiftInfo ? gift : undefined;
  }

  #onDisconnected(client: TikTokLive, e: DisconnectedEvent): void {
    if (e.willReconnect || this.#client !== client) return;
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#client = undefined;
    if (wasConnected) this.emit('disconnected');
  }

  /** As the connector: errors go to `error` listeners, as `{ info, exception }`, if there are any. */
  #reportError(exception: unknown, info: string): void {
    if (this.listenerCount('error') > 0) this.emit('error', { info, exception });
  }
}

/** TikTok-Live-Connector 2.x's name of the same client (its data shapes here are 1.x's). */
export class TikTokLiveConnection extends WebcastPushConnection {
  get isConnected(): boolean {
    return this.getState().isConnected;
  }

  get roomId(): string {
    return this.getState().roomId;
  }

  fetchRoomInfo(): Promise<ConnectorRoomInfo> {
    return this.getRoomInfo();
  }

  fetchAvailableGifts(): Promise<ConnectorGift[]> {
    return this.getAvailableGifts();
  }
}
