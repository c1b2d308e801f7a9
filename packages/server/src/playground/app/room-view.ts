import type { CreatorEnvelope, Envelope, RoomInfoData } from '@tiktool/live';
import { displayName, giftDiamonds, isStreakInProgress } from './describe-event.js';
import { byId, el, formatNumber, formatTime } from './dom.js';
import type { Inspector } from './inspector.js';

type Counter = 'viewers' | 'likes' | 'diamonds' | 'follows' | 'shares' | 'joins';

/** The room at a glance: counters, the pinned message and the intro, each clickable for its last event. */
export class RoomView {
  private readonly values = new Map<Counter, number>();
  private readonly last = new Map<string, Envelope>();
  private readonly title = byId('room-title');
  private readonly pin = byId('pin');
  private readonly intro = byId('intro');

  constructor(inspector: Inspector) {
    for (const id of ['viewers', 'likes', 'diamonds', 'follows', 'shares', 'joins'] as const) {
      inspector.bind(byId(id).parentElement!, () => this.last.get(id));
    }
    inspector.bind(this.pin, () => this.last.get('pin'));
    inspector.bind(this.intro, () => this.last.get('intro'));
    inspector.bind(this.title, () => this.last.get('room'));
  }

  roomInfo(info: RoomInfoData): void {
    this.last.set('room', { event: 'roomInfo', data: info });
    this.title.textContent = `@${info.uniqueId}${info.title ? ` · ${info.title}` : ''}`;
    this.set('viewers', info.viewerCount);
    this.set('likes', info.likeCount);
  }

  event(e: CreatorEnvelope): void {
    switch (e.event) {
      case 'roomUserSeq':
        this.last.set('viewers', e);
        return this.set('viewers', e.data.viewerCount);
      case 'like':
        this.last.set('likes', e);
        if (e.data.totalLikes > 0) this.set('likes', e.data.totalLikes);
        return;
      case 'gift':
        if (isStreakInProgress(e.data)) return;
        this.last.set('diamonds', e);
        return this.add('diamonds', giftDiamonds(e.data));
      case 'follow':
        this.last.set('follows', e);
        return this.add('follows', 1);
      case 'share':
        this.last.set('shares', e);
        return this.add('shares', 1);
      case 'member':
        this.last.set('joins', e);
        return this.add('joins', 1);
      case 'roomPin': {
        this.last.set('pin', e);
        const p = e.data;
        const until = p.pinEndTime > 0 ? ` until ${formatTime(p.pinEndTime)}` : '';
        this.pin.classList.remove('empty');
        this.pin.replaceChildren(
          el('span', { className: 'who', text: displayName(p.pinnedMessage.user) }),
          el('span', { className: 'text', text: p.pinnedMessage.comment }),
          el('small', { text: `pinned by ${displayName(p.operator)}${until}` }),
        );
        return;
      }
      case 'liveIntro':
        this.last.set('intro', e);
        this.intro.classList.remove('empty');
        this.intro.replaceChildren(
          el('span', { className: 'who', text: displayName(e.data.host) }),
          el('span', { className: 'text', text: e.data.description }),
        );
        return;
    }
  }

  reset(): void {
    this.values.clear();
    this.last.clear();
    for (const id of ['viewers', 'likes'] as const) byId(id).textContent = '–';
    for (const id of ['diamonds', 'follows', 'shares', 'joins'] as const) this.set(id, 0);
    this.title.textContent = '';
    this.pin.replaceChildren('nothing pinned');
    this.pin.classList.add('empty');
    this.intro.replaceChildren('no intro yet');
    this.intro.classList.add('empty');
  }

  private add(id: Counter, n: number): void {
    this.set(id, (this.values.get(id) ?? 0) + n);
  }

  private set(id: Counter, n: number): void {
    this.values.set(id, n);
    byId(id).textContent = formatNumber(n);
  }
}
