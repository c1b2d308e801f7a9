import { CREATOR_EVENT_NAMES, type CreatorEventName } from '@tiktool/live';
import { el, formatNumber } from './dom.js';

/** Shown in their own panels; off in the feed until the user ticks them. */
export const HIDDEN_BY_DEFAULT: readonly CreatorEventName[] = ['roomUserSeq', 'linkMicArmies'];

/**
 * A checkbox per event type with its count. Unticking hides the type's lines through a
 * class on the feed (the stylesheet has a rule per type), so past lines hide too.
 */
export class Filters {
  private readonly counts = new Map<CreatorEventName, { node: HTMLElement; n: number }>();

  constructor(container: HTMLElement, feed: HTMLElement) {
    for (const name of CREATOR_EVENT_NAMES) {
      const box = el('input');
      box.type = 'checkbox';
      box.checked = !HIDDEN_BY_DEFAULT.includes(name);
      box.dataset.event = name;
      feed.classList.toggle(`hide-${name}`, !box.checked);
      box.addEventListener('change', () => feed.classList.toggle(`hide-${name}`, !box.checked));
      const count = el('span', { className: 'count', text: '0' });
      this.counts.set(name, { node: count, n: 0 });
      container.append(el('label', { className: `filter ev-${name}` }, box, ` ${name} `, count));
    }
  }

  count(name: CreatorEventName): void {
    const c = this.counts.get(name);
    if (!c) return;
    c.n++;
    c.node.textContent = formatNumber(c.n);
  }

  reset(): void {
    for (const c of this.counts.values()) {
      c.n = 0;
      c.node.textContent = '0';
    }
  }
}
