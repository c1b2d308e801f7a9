import type { LiveStatusData, RoomInfoData } from '@tiktool/live';
import { el, formatTime } from './dom.js';

export type CreatorState = 'unknown' | 'live' | 'waiting';

/** Names typed in the Creators box: comma or space separated; several make a roster. */
export function parseCreators(input: string): string[] {
  return input.split(/[\s,]+/).filter(Boolean);
}

/**
 * The creators a roster follows, each with its state (live, or waiting with when it was
 * last checked). Clicking one focuses it: the room panels then show that creator.
 */
export class CreatorsView {
  private readonly rows = new Map<string, HTMLElement>();
  private focused: string | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly onFocus: (uniqueId: string) => void,
  ) {}

  get focus(): string | undefined {
    return this.focused;
  }

  reset(): void {
    this.rows.clear();
    this.focused = undefined;
    this.list.replaceChildren();
  }

  live(info: RoomInfoData): void {
    this.set(info.uniqueId, 'live', `live · room ${info.roomId}`);
    this.focused ??= info.uniqueId;
    this.mark();
  }

  status(status: LiveStatusData): void {
    if (status.live) this.set(status.uniqueId, 'live', 'live');
    else this.set(status.uniqueId, 'waiting', `waiting: ${status.reason ?? 'not live'} (checked ${formatTime(status.checkedAt)})`);
  }

  /** Keeps only the roster's creators, in its order. */
  roster(creators: readonly string[]): void {
    for (const [id, row] of this.rows) {
      if (creators.includes(id)) continue;
      row.remove();
      this.rows.delete(id);
    }
    for (const id of creators) this.row(id);
  }

  private set(uniqueId: string, state: CreatorState, words: string): void {
    const row = this.row(uniqueId);
    row.dataset.state = state;
    row.querySelector('.creator-state')!.textContent = words;
  }

  private row(uniqueId: string): HTMLElement {
    let row = this.rows.get(uniqueId);
    if (row) return row;
    row = el(
      'li',
      { className: 'creator', data: { creator: uniqueId, state: 'unknown' } },
      el('span', { className: 'who', text: `@${uniqueId}` }),
      el('span', { className: 'creator-state', text: 'connecting…' }),
    );
    row.addEventListener('click', () => {
      this.focused = uniqueId;
      this.mark();
      this.onFocus(uniqueId);
    });
    this.rows.set(uniqueId, row);
    this.list.append(row);
    return row;
  }

  private mark(): void {
    for (const [id, row] of this.rows) row.classList.toggle('focused', id === this.focused);
  }
}
