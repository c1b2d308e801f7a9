import type { UpstreamSink } from '@tiktool/webcast';
import { closeOf, type FeedTarget } from './feed-target.js';
import { logEvent } from './log.js';
import type { MemoryLog } from './memory-log.js';

/** A single node's feed: the upstream's events, sequenced by a memory log, into the creator. */
export function localFeed(target: FeedTarget, log: MemoryLog): UpstreamSink {
  return {
    // TikTok's first fetch is about to arrive: its events are news to the connection opening it.
    opening: () => target.upstreamStarts(target.streamHead + 1),
    event: (e) => target.sequenced(log.appendNow(logEvent(e))),
    reconnecting: (error, attempt) => target.reconnecting(error, attempt),
    closed: (reason) => {
      const { code, reason: why } = closeOf(reason);
      target.ended(code, why);
    },
  };
}
