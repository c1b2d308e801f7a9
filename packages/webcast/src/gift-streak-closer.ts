/**
 * Finishes gift streaks whose end never arrives. TikTok sends a streakable gift
 * (giftType 1) as a run of messages with a growing repeatCount and closes the run with
 * one repeatEnd message. When that message never comes (TikTok drops it, or the LIVE
 * ends first), this sink wrapper appends a final gift itself: a copy of the streak's
 * last message with repeatEnd true and streakTimedOut true. It sits between the WebCast
 * client and the gateway's stream, so the synthesized gift gets a seq like any event
 * and a resume replays it exactly once.
 *
 * A streak times out after `timeoutMs` without a message of it. The clock stops while
 * the upstream reconnects (the end may be in what TikTok resends) and restarts with the
 * next event. Messages of a streak that was already finished this way are passed on as
 * progress (repeatEnd false): the streak has been counted.
 */

import type { GiftData, UpstreamEvent } from '@tiktool/protocol';
import { STREAKABLE_GIFT_TYPE } from './decode/messages/gift.js';
import { MAX_OPEN_STREAKS, MAX_TIMED_OUT_STREAKS } from './defaults.js';
import type { UpstreamClosed, UpstreamConnection, UpstreamError, UpstreamSink } from './upstream.js';

export const TIMED_OUT_MSG_ID_SUFFIX = '-streak-timeout';

interface OpenStreak {
  last: GiftData;
  timer: NodeJS.Timeout | undefined;
}

function streakKey(g: GiftData): string {
  return `${g.user.userId}:${g.giftId}:${g.groupId}`;
}

export class GiftStreakCloser implements UpstreamSink {
  private readonly open = new Map<string, OpenStreak>();
  private readonly timedOut = new Set<string>();
  private paused = false;
  private stopped = false;

  constructor(
    private readonly inner: UpstreamSink,
    private readonly timeoutMs: number,
  ) {}

  opening(connection: UpstreamConnection): void {
    this.inner.opening?.(connection);
  }

  event(e: UpstreamEvent): void {
    if (this.paused) this.resume();
    if (e.event === 'streamEnd') this.finishAll();
    else if (e.event === 'gift' && e.data.giftType === STREAKABLE_GIFT_TYPE) return this.gift(e.data);
    this.inner.event(e);
  }

  reconnecting(error: UpstreamError, attempt: number): void {
    this.paused = true;
    for (const s of this.open.values()) clearTimeout(s.timer);
    this.inner.reconnecting?.(error, attempt);
  }

  closed(reason: UpstreamClosed): void {
    this.finishAll();
    this.inner.closed(reason);
  }

  /** The connection is gone (closed or finished): no timer may fire after this. */
  stop(): void {
    this.stopped = true;
    for (const s of this.open.values()) clearTimeout(s.timer);
  }

  private gift(g: GiftData): void {
    const k = streakKey(g);
    if (this.timedOut.has(k)) {
      this.inner.event({ event: 'gift', data: { ...g, repeatEnd: false } });
      return;
    }
    const s = this.open.get(k);
    if (g.repeatEnd) {
      if (s) {
        clearTimeout(s.timer);
        this.open.delete(k);
      }
    } else if (s) {
      s.last = g;
      s.timer?.refresh();
    } else {
      if (this.open.size >= MAX_OPEN_STREAKS) this.finish(this.open.keys().next().value!);
      this.open.set(k, { last: g, timer: this.arm(k) });
    }
    this.inner.event({ event: 'gift', data: g });
  }

  private arm(k: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (!this.stopped) this.finish(k);
    }, this.timeoutMs);
    timer.unref();
    return timer;
  }

  private resume(): void {
    this.paused = false;
    for (const [k, s] of this.open) s.timer = this.arm(k);
  }

  private finishAll(): void {
    for (const k of [...this.open.keys()]) this.finish(k);
  }

  /** Appends the streak's final gift, marked as synthesized. */
  private finish(k: string): void {
    const s = this.open.get(k);
    if (!s) return;
    clearTimeout(s.timer);
    this.open.delete(k);
    this.timedOut.add(k);
    if (this.timedOut.size > MAX_TIMED_OUT_STREAKS) this.timedOut.delete(this.timedOut.values().next().value!);
    const data: GiftData = { ...s.last, msgId: s.last.msgId + TIMED_OUT_MSG_ID_SUFFIX, repeatEnd: true, streakTimedOut: true };
    this.inner.event({ event: 'gift', data });
  }
}
