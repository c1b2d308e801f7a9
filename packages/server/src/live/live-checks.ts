import { CloseCode } from '@tiktool/protocol';
import type { SlotStore, Upstream } from '@tiktool/webcast';
import type { GatewayConfig } from '../config.js';
import type { HubHooks } from '../hub/hub.js';
import type { Logger } from '../logger.js';
import type { LiveCheckShare } from './live-check-share.js';
import { LiveChecker } from './live-checker.js';
import { LiveLookups, type LookupOutcome } from './live-lookups.js';

/** What a cluster lends the live checks: a budget and a share of checks across nodes. */
export interface ClusterLiveParts {
  budget: SlotStore;
  share: LiveCheckShare;
}

export interface LiveChecks {
  lookups: LiveLookups;
  checker: LiveChecker;
  /** The hub's upstream hooks that tell the checker of streams ending and creators found live. */
  hubHooks: Pick<HubHooks, 'onUpstreamOpened' | 'onUpstreamClosed'>;
}

export interface LiveCheckDeps {
  cluster?: ClusterLiveParts;
  onLookup?: (outcome: LookupOutcome) => void;
  onBudgetWait?: (ms: number) => void;
  logger?: Logger;
}

/** The lookups toward TikTok and the checker over them, as the config (and the cluster, if any) say. */
export function createLiveChecks(config: GatewayConfig, upstream: Pick<Upstream, 'checkLive'>, deps: LiveCheckDeps): LiveChecks {
  const lookups = new LiveLookups(upstream, {
    checksPerMinute: config.liveChecksPerMinute,
    store: deps.cluster?.budget,
    onLookup: deps.onLookup,
  });
  const checker = new LiveChecker(lookups, {
    intervalMs: config.liveCheckMs,
    share: deps.cluster?.share,
    logger: deps.logger,
    onBudgetWait: deps.onBudgetWait,
  });
  return {
    lookups,
    checker,
    hubHooks: {
      onUpstreamOpened: (creator) => {
        if (creator.room) checker.wentLive(creator.uniqueId, creator.room);
      },
      onUpstreamClosed: (creator) => {
        if (creator.closeCode === CloseCode.STREAM_END) checker.ended(creator.uniqueId);
      },
    },
  };
}
