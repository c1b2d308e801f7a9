/**
 * The emulator's creators and their rooms. Who exists and who is live follows the naming
 * conventions (`missing_*` does not exist, `offline_*` exists but is not live), the
 * configured lists, and what the control endpoint switched. Rooms are bounded: one with
 * no push connection stops after a linger (a lookup or first fetch restarts it, since a
 * push socket follows), and beyond the cap the least recently used idle room is dropped.
 */

import { TiktoolError } from '@tiktool/protocol';
import { CreatorRoom, type EndAction, type RoomOptions } from './creator-room.js';

export const MISSING_PREFIX = 'missing_';
export const OFFLINE_PREFIX = 'offline_';

/** Every room is busy (has push connections) and the cap is reached. */
export class RoomLimitError extends TiktoolError<'ERR_EMULATOR_ROOM_LIMIT'> {
  override name = 'RoomLimitError';
  constructor(max: number) {
    super('ERR_EMULATOR_ROOM_LIMIT', `emulator room limit reached: ${max} rooms have push connections`);
  }
}

export interface RegistryOptions {
  room: Omit<RoomOptions, 'offline'>;
  offline: ReadonlySet<string>;
  missing: ReadonlySet<string>;
  lingerMs: number;
  maxRooms: number;
}

/** Usernames the emulator serves, as TikTok allows them. */
const USERNAME = /^[a-z0-9_.]{1,64}$/;

export class RoomRegistry {
  /** By uniqueId, least recently used first. */
  private readonly rooms = new Map<string, CreatorRoom>();
  private readonly byRoomId = new Map<string, CreatorRoom>();
  private readonly lingers = new Map<CreatorRoom, NodeJS.Timeout>();
  /** Creators switched live (true) or offline (false) by hand, least recently switched first. */
  private readonly switched = new Map<string, boolean>();
  /** Room lookups (live page, api-live, sign provider) per creator name since start, for tests that count checks. */
  readonly lookups = new Map<string, number>();

  constructor(private readonly o: RegistryOptions) {}

  /** The lower-case username, or undefined for a creator that does not exist. */
  creator(uniqueIdRaw: string): string | undefined {
    const uniqueId = uniqueIdRaw.toLowerCase().replace(/^@/, '');
    if (!USERNAME.test(uniqueId) || uniqueId.startsWith(MISSING_PREFIX) || this.o.missing.has(uniqueId)) return undefined;
    return uniqueId;
  }

  /** The creator's room, created on first use; undefined for a missing creator. Throws RoomLimitError when full. */
  room(uniqueIdRaw: string): CreatorRoom | undefined {
    const uniqueId = this.creator(uniqueIdRaw);
    if (uniqueId === undefined) return undefined;
    const room = this.rooms.get(uniqueId);
    if (!room) return this.create(uniqueId);
    this.used(room);
    return room;
  }

  /** A room lookup by name, counted, then answered like room(). */
  lookUp(uniqueIdRaw: string): CreatorRoom | undefined {
    const key = uniqueIdRaw.toLowerCase().replace(/^@/, '');
    this.lookups.set(key, (this.lookups.get(key) ?? 0) + 1);
    if (this.lookups.size > this.o.maxRooms * 10) this.lookups.delete(this.lookups.keys().next().value!);
    return this.room(uniqueIdRaw);
  }

  byId(roomId: string): CreatorRoom | undefined {
    const room = this.byRoomId.get(roomId);
    if (room) this.used(room);
    return room;
  }

  values(): IterableIterator<CreatorRoom> {
    return this.rooms.values();
  }

  get size(): number {
    return this.rooms.size;
  }

  attached(room: CreatorRoom): void {
    clearTimeout(this.lingers.get(room));
    this.lingers.delete(room);
  }

  detached(room: CreatorRoom): void {
    // A room already stopped (its sockets close after it) is not held again.
    if (room.clients.size === 0 && this.byRoomId.get(room.roomId) === room) this.linger(room);
  }

  /**
   * Switches a creator live (a new LIVE when it had ended) or offline (its LIVE ends with
   * the control message, as TikTok's does). Undefined for a missing creator.
   */
  setLive(uniqueIdRaw: string, live: boolean, action: EndAction = 3): CreatorRoom | undefined {
    const uniqueId = this.creator(uniqueIdRaw);
    if (uniqueId === undefined) return undefined;
    this.switched.delete(uniqueId);
    this.switched.set(uniqueId, live);
    if (this.switched.size > this.o.maxRooms) this.switched.delete(this.switched.keys().next().value!);
    const room = this.room(uniqueId)!;
    if (live) room.goLive();
    else room.end(action);
    return room;
  }

  closeAll(): void {
    for (const t of this.lingers.values()) clearTimeout(t);
    this.lingers.clear();
    for (const room of this.rooms.values()) room.close();
    this.rooms.clear();
    this.byRoomId.clear();
  }

  private create(uniqueId: string): CreatorRoom {
    if (this.rooms.size >= this.o.maxRooms) this.evictIdle();
    const switched = this.switched.get(uniqueId);
    const offline = switched === undefined ? uniqueId.startsWith(OFFLINE_PREFIX) || this.o.offline.has(uniqueId) : !switched;
    const room = new CreatorRoom(uniqueId, { ...this.o.room, offline });
    this.rooms.set(uniqueId, room);
    this.byRoomId.set(room.roomId, room);
    this.linger(room);
    return room;
  }

  /**
   * A lookup, a first fetch: a client is on its way to the push socket. The room moves to
   * the recent end and, while it has no push connection, its linger starts again.
   */
  private used(room: CreatorRoom): void {
    this.rooms.delete(room.uniqueId);
    this.rooms.set(room.uniqueId, room);
    if (room.clients.size === 0) this.linger(room);
  }

  /** Drops the least recently used room without push connections, or refuses when there is none. */
  private evictIdle(): void {
    for (const room of this.rooms.values()) {
      if (room.clients.size === 0) return this.retire(room);
    }
    throw new RoomLimitError(this.o.maxRooms);
  }

  private linger(room: CreatorRoom): void {
    const armed = this.lingers.get(room);
    if (armed) {
      armed.refresh();
      return;
    }
    const timer = setTimeout(() => {
      if (room.clients.size === 0) this.retire(room);
    }, this.o.lingerMs);
    timer.unref();
    this.lingers.set(room, timer);
  }

  private retire(room: CreatorRoom): void {
    clearTimeout(this.lingers.get(room));
    this.lingers.delete(room);
    room.close();
    if (this.rooms.get(room.uniqueId) === room) this.rooms.delete(room.uniqueId);
    if (this.byRoomId.get(room.roomId) === room) this.byRoomId.delete(room.roomId);
  }
}
