import type { Creator } from '../hub/creator.js';
import type { Hub } from '../hub/hub.js';
import type { LiveStatus, LiveWatch } from '../live/live-status.js';
import type { Logger } from '../logger.js';
import { WEBHOOK_REACQUIRE_MS } from '../defaults.js';

/** One watched creator. */
interface Watched {
  stop: () => void;
  live: boolean;
  roomId: string | null;
  release: (() => void) | undefined;
  retry: NodeJS.Timeout | undefined;
}

export interface LiveHolderEvents {
  started(status: LiveStatus): void;
  ended(uniqueId: string, roomId: string | null, reason: string, at: number): void;
}

/**
 * Watching a creator for webhooks needs no socket: this watches each creator some
 * endpoint names through the live checker, and while one is live holds its upstream
 * itself (hub.acquire + a hold), so its events reach the webhooks. It lets go when the
 * LIVE ends or no endpoint watches the creator any more.
 */
export class LiveHolder {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly live: LiveWatch,
    private readonly hub: Hub,
    private readonly events: LiveHolderEvents,
    private readonly logger: Logger,
  ) {}

  /** Watches exactly these creators. */
  setCreators(creators: ReadonlySet<string>): void {
    for (const [u, w] of this.watched) if (!creators.has(u)) this.unwatch(u, w);
    for (const u of creators) {
      if (this.watched.has(u)) continue;
      const w: Watched = { stop: () => undefined, live: false, roomId: null, release: undefined, retry: undefined };
      this.watched.set(u, w);
      w.stop = this.live.watch(u, (s) => this.status(u, w, s));
    }
  }

  /** A creator's upstream closed: one still live (by the last check) is held again shortly. */
  upstreamClosed(creator: Creator): void {
    const w = this.watched.get(creator.uniqueId);
    if (!w?.release) return;
    w.release = undefined;
    if (w.live) this.scheduleHold(creator.uniqueId, w);
  }

  close(): void {
    for (const [u, w] of this.watched) this.unwatch(u, w);
  }

  private status(u: string, w: Watched, s: LiveStatus): void {
    if (this.watched.get(u) !== w) return;
    if (s.live && !w.live) {
      w.live = true;
      w.roomId = s.room?.roomId ?? null;
      this.events.started(s);
      void this.hold(u, w);
    } else if (!s.live && w.live) {
      w.live = false;
      this.events.ended(u, w.roomId, s.reason ?? 'not live', s.checkedAt);
      this.letGo(w);
    }
  }

  private async hold(u: string, w: Watched): Promise<void> {
    if (w.release || !w.live) return;
    try {
      const { creator } = await this.hub.acquire(u);
      if (this.watched.get(u) !== w || !w.live || w.release || creator.isRetired) return;
      w.release = creator.hold();
    } catch (err) {
      this.logger.debug({ err, creator: u }, 'webhooks: could not open the upstream of a live creator');
      this.scheduleHold(u, w);
    }
  }

  private scheduleHold(u: string, w: Watched): void {
    clearTimeout(w.retry);
    w.retry = setTimeout(() => void this.hold(u, w), WEBHOOK_REACQUIRE_MS);
    w.retry.unref();
  }

  private letGo(w: Watched): void {
    clearTimeout(w.retry);
    w.release?.();
    w.release = undefined;
  }

  private unwatch(u: string, w: Watched): void {
    this.watched.delete(u);
    w.stop();
    this.letGo(w);
  }
}
