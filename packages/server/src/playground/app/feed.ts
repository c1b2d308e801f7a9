import type { CreatorEnvelope } from '@tiktool/live';
import type { EventWords } from './describe-event.js';
import { el, formatTime } from './dom.js';
import type { Inspector } from './inspector.js';

/** Lines kept in the feed; older ones are removed so a busy room never slows the page. */
export const MAX_FEED_LINES = 400;

/** The event feed, newest first. Each line keeps its envelope for the inspector. */
export class Feed {
  private readonly envelopes = new WeakMap<Element, CreatorEnvelope>();

  constructor(
    private readonly list: HTMLOListElement,
    inspector: Inspector,
  ) {
    list.addEventListener('click', (ev) => {
      const line = (ev.target as Element).closest('li');
      const envelope = line && this.envelopes.get(line);
      if (envelope) inspector.show(envelope);
    });
  }

  /** Whether lines name their creator (a roster's feed mixes several). */
  tagCreators = false;

  add(envelope: CreatorEnvelope, words: EventWords, className = ''): void {
    const line = el(
      'li',
      {
        className: `line ev-${envelope.event} ${className}`.trim(),
        data: { seq: envelope.seq, creator: envelope.uniqueId },
      },
      el('time', { text: formatTime(envelope.data.timestamp) }),
      ...(this.tagCreators ? [el('span', { className: 'creator-tag', text: `@${envelope.uniqueId}` })] : []),
      el('span', { className: 'tag', text: envelope.event }),
      el('span', { className: 'who', text: words.who }),
      el('span', { className: 'text', text: words.text }),
    );
    this.envelopes.set(line, envelope);
    this.list.prepend(line);
    if (this.list.childElementCount > MAX_FEED_LINES) this.list.lastElementChild?.remove();
  }

  clear(): void {
    this.list.replaceChildren();
  }
}
