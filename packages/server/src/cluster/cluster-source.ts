import type { Upstream } from '@tiktool/webcast';
import type { CreatorSource } from '../hub/hub.js';
import type { Logger } from '../logger.js';
import type { ChannelRouter } from './channel-router.js';
import { ClusterFeed, type ClusterFeedOptions } from './cluster-feed.js';
import type { Handovers } from './handovers.js';
import type { ClusterRedis } from './redis-connection.js';

/** Creators fed from the cluster's shared log, one upstream per creator across all nodes. */
export function clusterSource(
  redis: ClusterRedis,
  router: ChannelRouter,
  upstream: Upstream,
  options: ClusterFeedOptions,
  log: Logger,
  handovers: Handovers,
): CreatorSource {
  return {
    async open(creator) {
      const feed = new ClusterFeed(redis, router, upstream, creator, options, log, handovers);
      await feed.start();
      return feed;
    },
  };
}
