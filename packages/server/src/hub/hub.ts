import type { Upstream, UpstreamConnection, UpstreamError } from '@tiktool/webcast';
import type { StreamEntry } from './creator-stream.js';
import { Creator, type CreatorOptions } from './creator.js';
import { localFeed } from './local-feed.js';
import { MemoryLog } from './memory-log.js';

/** What feeds a creator: the upstream itself (one node), or a cluster's shared log. */
export interface CreatorSource {
  /** Starts feeding the creator; resolves once its events flow. */
  open(creator: Creator): Promise<UpstreamConnection>;
}

/** The single-node source: the upstream's events sequenced by a memory log. */
export function directSource(upstream: Upstream): CreatorSource {
  return { open: (creator) => upstream.connect(creator.uniqueId, localFeed(creator, MemoryLog.over(creator.stream))) };
}

/** A creator as a connection joins it. */
export interface Joined {
  creator: Creator;
  /**
   * The call waited for the creator's upstream to open (it, or a concurrent call, caused
   * it): the events the upstream delivered while opening (TikTok's first fetch) are news
   * to this caller.
   */
  opened: boolean;
}

export interface HubHooks {
  /** `data` is the event's data JSON. */
  onEvent?(creator: Creator, entry: StreamEntry, data: string): void;
  onUpstreamOpened?(creator: Creator): void;
  onUpstreamReconnecting?(creator: Creator, error: UpstreamError, attempt: number): void;
  onUpstreamClosed?(creator: Creator): void;
}

/** Hooks of several parts, each called in turn. */
export function allHooks(...parts: HubHooks[]): HubHooks {
  const each =
    <K extends keyof HubHooks>(name: K) =>
    (...args: Parameters<NonNullable<HubHooks[K]>>) => {
      for (const p of parts) (p[name] as ((...a: typeof args) => void) | undefined)?.(...args);
    };
  return {
    onEvent: each('onEvent'),
    onUpstreamOpened: each('onUpstreamOpened'),
    onUpstreamReconnecting: each('onUpstreamReconnecting'),
    onUpstreamClosed: each('onUpstreamClosed'),
  };
}

/**
 * The creators being watched, one upstream each however many clients watch.
 * Concurrent first subscribers of a creator share one upstream connect.
 */
export class Hub {
  private readonly creators = new Map<string, Creator>();
  private readonly pending = new Map<string, Promise<Creator>>();
  /** Upstream connections opened since start (a creator reopened after retiring counts again). */
  upstreamsOpened = 0;

  constructor(
    private readonly source: CreatorSource,
    private readonly options: CreatorOptions,
    private readonly hooks: HubHooks = {},
  ) {}

  /** The live creator, connecting its upstream first if needed. Rejects with the upstream's error. */
  async acquire(uniqueId: string): Promise<Joined> {
    const live = this.creators.get(uniqueId);
    if (live && !live.isRetired) return { creator: live, opened: false };
    let opening = this.pending.get(uniqueId);
    if (!opening) {
      opening = this.open(uniqueId).finally(() => this.pending.delete(uniqueId));
      this.pending.set(uniqueId, opening);
    }
    return { creator: await opening, opened: true };
  }

  get(uniqueId: string): Creator | undefined {
    return this.creators.get(uniqueId);
  }

  get size(): number {
    return this.creators.size;
  }

  /** Retires every creator with the code (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const c of [...this.creators.values()]) c.retire(code, reason);
  }

  private async open(uniqueId: string): Promise<Creator> {
    const creator = new Creator(uniqueId, this.options, {
      onRetired: (c) => {
        if (this.creators.get(uniqueId) === c) this.creators.delete(uniqueId);
        this.hooks.onUpstreamClosed?.(c);
      },
      onEvent: this.hooks.onEvent,
      onUpstreamReconnecting: this.hooks.onUpstreamReconnecting,
    });
    const connection = await this.source.open(creator);
    this.upstreamsOpened++;
    this.creators.set(uniqueId, creator);
    creator.attachUpstream(connection);
    this.hooks.onUpstreamOpened?.(creator);
    return creator;
  }
}
