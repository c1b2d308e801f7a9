import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSignBudget,
  createWebcastUpstream,
  defaults,
  type Upstream,
  type UpstreamObserver,
  type WebcastOptions,
} from '@tiktool/webcast';
import type { ClusterRedis } from '../cluster/redis-connection.js';
import { RedisSlotStore } from '../cluster/redis-sign-budget.js';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';

/** Answers a request it owns (true), or leaves it to the gateway's routes (false). */
export type ControlHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface UpstreamHandle {
  upstream: Upstream;
  /** Emulator mode: the in-process emulator's control API (/_emulator/...), served on the gateway's port. */
  control?: ControlHandler;
}

export interface UpstreamDeps {
  /** Metrics hooks for sign calls, budget waits and routes backing off. */
  observer?: UpstreamObserver;
  /** Cluster mode: the sign budget is kept in this Redis, for the whole cluster. */
  redis?: ClusterRedis;
  /** Routes backing off are logged here (proxy URLs masked). */
  logger?: Logger;
}

/** The metrics observer, plus a warning for every route that backs off. */
function observing(deps: UpstreamDeps): UpstreamObserver | undefined {
  const { observer, logger } = deps;
  if (!logger) return observer;
  return {
    ...observer,
    routeBenched: (route, code, ms) => {
      observer?.routeBenched?.(route, code, ms);
      logger.warn({ route, code, backoffMs: ms }, 'upstream route backing off');
    },
  };
}

/** The WebCast client's options: the config's, plus the sign budget (shared in a cluster) and metrics. */
function webcastOptions(config: GatewayConfig, base: WebcastOptions, deps: UpstreamDeps): WebcastOptions {
  const observer = observing(deps);
  const budget = {
    ratePerMinute: config.signRatePerMinute,
    windowMs: base.signWindowMs ?? defaults.DEFAULT_SIGN_WINDOW_MS,
    maxWaitMs: config.signMaxWaitMs,
  };
  return {
    ...base,
    signRatePerMinute: budget.ratePerMinute,
    signMaxWaitMs: budget.maxWaitMs,
    observer,
    signBudget:
      base.signBudget ??
      (deps.redis
        ? createSignBudget({ ...budget, store: new RedisSlotStore(deps.redis, budget), clock: base.clock, observer })
        : undefined),
  };
}

/**
 * The upstream the config asks for. Emulator mode starts the emulator on loopback and
 * points the same WebCast client at it, so the offline demo runs the real protocol code.
 */
export async function createUpstream(config: GatewayConfig, deps: UpstreamDeps = {}): Promise<UpstreamHandle> {
  if (config.upstream === 'emulator') {
    // Loaded only here: a gateway in front of TikTok never loads the emulator.
    const { startEmulator } = await import('@tiktool/emulator');
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, rate: config.emulatorRate });
    const webcast = createWebcastUpstream(webcastOptions(config, emulator.upstreamOptions(), deps));
    const upstream: Upstream = {
      connect: (uniqueId, sink, options) => webcast.connect(uniqueId, sink, options),
      checkLive: (uniqueId, signal) => webcast.checkLive(uniqueId, signal),
      room: (uniqueId, signal) => webcast.room(uniqueId, signal),
      user: (uniqueId, signal) => webcast.user(uniqueId, signal),
      gifts: (region, signal) => webcast.gifts(region, signal),
      close: async () => {
        await webcast.close();
        await emulator.close();
      },
    };
    return { upstream, control: emulator.handleControl };
  }
  return { upstream: createWebcastUpstream(webcastOptions(config, config.webcast, deps)) };
}
