import type { ClientState } from '@tiktool/live';
import { el, formatTime } from './dom.js';

/** Entries kept in the connection log. */
export const MAX_LOG_ENTRIES = 4;

export type Tone = 'info' | 'good' | 'warn' | 'bad';

/** The connection's state badge, and a short log of what happened to it, in words. */
export class ConnectionView {
  constructor(
    private readonly badge: HTMLElement,
    private readonly log: HTMLElement,
  ) {}

  state(state: ClientState): void {
    this.badge.textContent = state;
    this.badge.className = `state state-${state}`;
  }

  say(text: string, tone: Tone = 'info'): void {
    this.log.prepend(el('li', { className: tone }, el('time', { text: formatTime(Date.now()) }), ` ${text}`));
    while (this.log.childElementCount > MAX_LOG_ENTRIES) this.log.lastElementChild?.remove();
  }
}
