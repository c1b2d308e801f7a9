import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AuthThrottle } from './auth/auth-throttle.js';
import { Authenticator } from './auth/authenticator.js';
import { KeyStore } from './auth/key-store.js';
import { Revocation } from './auth/revocation.js';
import { ScopedTokens } from './auth/scoped-token.js';
import { Tiers } from './auth/tiers.js';
import type { GatewayConfig } from './config.js';
import { AUTH_DEADLINE_MS, HISTORY_FLOOR_EVENTS, MAX_CLIENT_MESSAGE_BYTES, REPLAY_HIGH_WATER_BYTES } from './defaults.js';
import { ConfigError } from './errors.js';
import { handleHttp } from './http/routes.js';
import { CreatorLookups } from './lookups/creator-lookups.js';
import { RedisRequestLimiter } from './cluster/redis-request-limiter.js';
import { MemoryRequestLimiter } from './limits/memory-request-limiter.js';
import type { RequestLimiter } from './limits/request-limiter.js';
import { joinCluster } from './cluster/cluster.js';
import { HistoryBudget } from './hub/history-budget.js';
import { Hub, allHooks, directSource } from './hub/hub.js';
import { SessionRegistry } from './hub/session-registry.js';
import type { SessionStore } from './hub/session-store.js';
import type { Limiter } from './limits/limiter.js';
import { MemoryLimiter } from './limits/memory-limiter.js';
import { createLogger, type Logger } from './logger.js';
import { createLiveChecks } from './live/live-checks.js';
import type { LiveLookups } from './live/live-lookups.js';
import type { LiveWatch } from './live/live-status.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { playgroundPage } from './playground/playground-page.js';
import { shutdown } from './shutdown.js';
import { openAccountStore } from './accounts/open-account-store.js';
import { ClientRegistry } from './transport/client-registry.js';
import { serveConnection } from './transport/connection.js';
import { selectProtocol } from './transport/credentials.js';
import { startKeepalive } from './transport/keepalive.js';
import { routeUpgrades } from './transport/upgrade.js';
import { createUpstream } from './upstream/create-upstream.js';
import { UsageRecorder } from './usage/usage-recorder.js';
import { WebhookService } from './webhooks/webhook-service.js';

export interface Gateway {
  /** http://host:port of the listening server. */
  readonly url: string;
  /** ws://host:port of the WebSocket endpoint. */
  readonly wsUrl: string;
  readonly port: number;
  readonly hub: Hub;
  readonly keys: KeyStore;
  readonly sessions: SessionStore;
  readonly usage: UsageRecorder;
  readonly webhooks: WebhookService;
  readonly logger: Logger;
  /** Asks TikTok whether a creator is live (shared, cached, budgeted): for the REST live check. */
  readonly liveLookups: LiveLookups;
  /** Watches creators' live state: for sockets waiting for a creator and for webhooks. */
  readonly live: LiveWatch;
  /** Revokes a key and closes its open sockets with 4401. */
  revokeKey(keyId: string): Promise<boolean>;
  /** Closes every client with 1001, stops upstreams, and releases the port and database. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
}

/** Starts the gateway: HTTP + WebSocket on one port, keys in the account store (SQLite or Postgres), one upstream per creator. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const tiers = Tiers.load(config.tiersFile);
  if (!tiers.get(config.bootstrapTier)) {
    throw new ConfigError(`unknown tier "${config.bootstrapTier}"; tiers: ${tiers.names().join(', ')}`);
  }
  const accounts = await openAccountStore(config, logger);
  const keys = await KeyStore.open(accounts);
  if (config.bootstrapKey) await keys.ensure(config.bootstrapKey, config.bootstrapTier, 'bootstrap');
  const usage = new UsageRecorder(accounts, logger);
  const cluster = config.redisUrl ? await joinCluster(config.redisUrl, config, logger) : undefined;
  const limiter: Limiter = cluster?.limiter ?? new MemoryLimiter();
  const tokens = new ScopedTokens(await accounts.secret('jwt_secret'));
  // One throttle for failed API keys and failed admin tokens, per client address.
  const authThrottle = new AuthThrottle();
  const authenticator = new Authenticator(keys, tiers, tokens, authThrottle);
  const clients = new ClientRegistry();

  const metrics = new GatewayMetrics();
  const { upstream, control } = await createUpstream(config, {
    observer: metrics.upstream.observer,
    redis: cluster?.redis,
    logger,
  });
  const metered = metrics.meterUpstream(upstream);
  const live = createLiveChecks(config, metered, {
    cluster: cluster?.live,
    onLookup: metrics.live.lookedUp,
    onBudgetWait: metrics.live.budgetWaited,
    logger,
  });
  metrics.live.countWatched(live.checker);
  const budget = new HistoryBudget(config.historyMaxBytes, HISTORY_FLOOR_EVENTS);
  metrics.countHistory(budget);
  const webhooks = new WebhookService({
    accounts,
    metrics: metrics.webhooks,
    logger,
    retryBaseMs: config.webhookRetryBaseMs,
    allowPrivate: config.webhookAllowPrivate,
  });
  const hub = new Hub(
    cluster ? cluster.source(metered) : directSource(metered),
    {
      maxEvents: config.historyMaxEvents,
      maxAgeMs: config.historyMaxAgeMs,
      budget,
      lingerMs: config.upstreamLingerMs,
      idleTimeoutMs: config.upstreamIdleTimeoutMs,
    },
    allHooks(metrics.hubHooks(), live.hubHooks, webhooks.hubHooks()),
  );
  await webhooks.start(hub, live.checker);
  metrics.countCreators(() => hub.size);
  // The REST routes share the live checker's lookups: its answers and its budget toward TikTok.
  const creatorLookups = new CreatorLookups(metered, live.lookups);
  const requests: RequestLimiter = cluster ? new RedisRequestLimiter(cluster.redis) : new MemoryRequestLimiter();
  const guard = { authenticator, requests, trustProxy: config.trustProxy };
  const sessions: SessionStore = cluster?.sessions ?? new SessionRegistry(config.sessionTtlMs);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    handleProtocols: selectProtocol,
  });
  const stopKeepalive = startKeepalive(wss, config.pingIntervalMs);
  let closing = false;
  const revocation = new Revocation(keys, clients, logger);

  // The demo key goes into the page only where it can do no harm: the offline emulator.
  const playground = playgroundPage({
    demoKey: config.upstream === 'emulator' ? config.bootstrapKey : undefined,
  });
  const server: Server = createServer(
    (req, res) =>
      // Emulator mode only: the in-process emulator's control API (/_emulator/...) on the gateway's port.
      control?.(req, res) ||
      void handleHttp(
        {
          health: () => ({
            clients: wss.clients.size,
            creators: hub.size,
            upstreamsOpened: hub.upstreamsOpened,
            sessions: sessions.size,
          }),
          // Store and upstream are up before the port opens; shutdown or a lost Redis makes the gateway unready.
          ready: () => !closing && accounts.ready() && (cluster?.ready() ?? true),
          metrics,
          playground,
          api: { ...guard, tokens, limiter },
          rest: { ...guard, live: live.lookups, lookups: creatorLookups, logger },
          webhooks: { ...guard, webhooks: webhooks.endpoints },
          admin: {
            adminToken: config.adminToken,
            throttle: authThrottle,
            trustProxy: config.trustProxy,
            keys,
            tiers,
            usage,
          },
          logger,
        },
        req,
        res,
      ),
  );
  // A connection that never completes its upgrade request is dropped quickly.
  server.headersTimeout = AUTH_DEADLINE_MS;
  server.requestTimeout = AUTH_DEADLINE_MS * 2;
  routeUpgrades(server, wss, () => closing);
  const connectionDeps = {
    metrics,
    hub,
    live: live.checker,
    sessions,
    authenticator,
    limiter,
    usage,
    clients,
    logger,
    sendQueueMaxBytes: config.sendQueueMaxBytes,
    replayHighWaterBytes: REPLAY_HIGH_WATER_BYTES,
    trustProxy: config.trustProxy,
    creatorLingerMs: config.upstreamLingerMs,
  };
  wss.on('connection', (ws: WebSocket, req) => {
    ws.on('error', (err) => logger.debug({ err }, 'client socket error'));
    void serveConnection(connectionDeps, ws, req);
  });

  const port = await listen(server, config.port, config.host);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  const close = async () => {
    if (closing) return;
    closing = true;
    const stopTimers = stopKeepalive;
    await shutdown({ stopTimers, server, hub, live: live.checker, wss, sessions, limiter, upstream, cluster, usage, webhooks, accounts });
  };

  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    hub,
    keys,
    sessions,
    usage,
    webhooks,
    logger,
    liveLookups: live.lookups,
    live: live.checker,
    revokeKey: revocation.revokeKey,
    close,
  };
}

/** Listens on host:port; resolves with the port (the one picked, for port 0). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
