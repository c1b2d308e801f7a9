import type { CreatorEnvelope } from '@tiktool/live';
import { displayName } from './describe-event.js';
import { el } from './dom.js';
import type { Inspector } from './inspector.js';

/** Streaks shown at once; the oldest goes when a new one starts beyond this. */
export const MAX_OPEN_STREAKS = 8;

/**
 * Gift streaks still growing. A streakable gift sends a message per repeat; only the
 * one with repeatEnd closes the streak, and the feed shows only that one. Until then
 * the streak lives here, one row per sender and streak.
 */
export class GiftStreaks {
  private readonly open = new Map<string, { row: HTMLElement; last: CreatorEnvelope<'gift'> }>();

  constructor(
    private readonly list: HTMLElement,
    private readonly inspector: Inspector,
  ) {}

  update(e: CreatorEnvelope<'gift'>): void {
    const g = e.data;
    const key = `${g.user.userId}:${g.groupId || g.giftId}`;
    const known = this.open.get(key);
    if (g.repeatEnd) {
      known?.row.remove();
      this.open.delete(key);
      return;
    }
    const content = [el('span', { className: 'who', text: displayName(g.user) }), ` ${g.giftName} ×${g.repeatCount}`];
    if (known) {
      known.last = e;
      known.row.replaceChildren(...content);
      return;
    }
    const entry = { row: el('li', {}, ...content), last: e };
    entry.row.addEventListener('click', () => this.inspector.show(entry.last));
    this.open.set(key, entry);
    this.list.prepend(entry.row);
    if (this.open.size > MAX_OPEN_STREAKS) this.forget(this.open.keys().next().value!);
  }

  /** After a gap, streaks may never see their end: start over. */
  clear(): void {
    this.open.clear();
    this.list.replaceChildren();
  }

  private forget(key: string): void {
    this.open.get(key)?.row.remove();
    this.open.delete(key);
  }
}
