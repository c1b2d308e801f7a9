import { normaliseUniqueId, InvalidParamError } from '@tiktool/protocol';
import { CreatorTrack } from './creator-track.js';
import { TikTokLiveError } from './errors.js';

/** A creator's name as the gateway normalises it (`@Name` and profile URLs too); ERR_INVALID_ARGUMENT if it is none. */
export function rosterName(input: unknown): string {
  if (typeof input !== 'string') throw new TikTokLiveError('ERR_INVALID_ARGUMENT', 'a creator must be a username string');
  try {
    return normaliseUniqueId(input);
  } catch (cause) {
    const message = cause instanceof InvalidParamError ? cause.message : 'invalid uniqueId';
    throw new TikTokLiveError('ERR_INVALID_ARGUMENT', `${message}: ${JSON.stringify(input.slice(0, 40))}`, { cause });
  }
}

/**
 * The creators a roster client follows, in order, each with its track. It is what a
 * reconnect asks the gateway for (`uniqueIds`) and where it resumes each (`lastSeqs`).
 */
export class Roster {
  readonly #tracks = new Map<string, CreatorTrack>();

  constructor(uniqueIds: readonly string[]) {
    for (const id of uniqueIds) this.add(rosterName(id));
  }

  get ids(): string[] {
    return [...this.#tracks.keys()];
  }

  get(uniqueId: string): CreatorTrack | undefined {
    return this.#tracks.get(uniqueId);
  }

  add(uniqueId: string): CreatorTrack {
    let track = this.#tracks.get(uniqueId);
    if (!track) {
      track = new CreatorTrack(uniqueId);
      this.#tracks.set(uniqueId, track);
    }
    return track;
  }

  remove(uniqueId: string): void {
    this.#tracks.delete(uniqueId);
  }

  /** Follows exactly these creators (the gateway's word), keeping the tracks of those that stay. */
  replace(uniqueIds: readonly string[]): void {
    const keep = new Set(uniqueIds);
    for (const id of this.#tracks.keys()) if (!keep.has(id)) this.#tracks.delete(id);
    for (const id of uniqueIds) this.add(id);
  }

  /** Per creator with a position, the seq of its last event delivered. */
  positions(): Map<string, number> {
    const seqs = new Map<string, number>();
    for (const [id, track] of this.#tracks) if (track.cursor.lastSeq !== undefined) seqs.set(id, track.cursor.lastSeq);
    return seqs;
  }

  newSocket(resuming: boolean): void {
    for (const track of this.#tracks.values()) track.newSocket(resuming);
  }
}
