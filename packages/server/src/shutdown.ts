import type { Server } from 'node:http';
import { CloseCode } from '@tiktool/protocol';
import type { Upstream } from '@tiktool/webcast';
import type { WebSocketServer } from 'ws';
import type { AccountStore } from './accounts/account-store.js';
import type { Cluster } from './cluster/cluster.js';
import { SHUTDOWN_GRACE_MS } from './defaults.js';
import type { Hub } from './hub/hub.js';
import type { SessionStore } from './hub/session-store.js';
import type { Limiter } from './limits/limiter.js';
import type { LiveWatch } from './live/live-status.js';
import type { UsageRecorder } from './usage/usage-recorder.js';

/** What a gateway holds open, in the order shutdown lets go of it. */
export interface GatewayParts {
  /** Timers to stop first: keepalive pings. */
  stopTimers(): void;
  server: Server;
  hub: Hub;
  /** Stops its checks before the upstream they go through closes. */
  live: LiveWatch;
  wss: WebSocketServer;
  sessions: SessionStore;
  limiter: Limiter;
  upstream: Upstream;
  cluster: Cluster | undefined;
  usage: UsageRecorder;
  accounts: AccountStore;
}

/**
 * Stops taking connections, closes every client with 1001 (cutting those that have not
 * closed within SHUTDOWN_GRACE_MS), then stops upstreams and releases the store.
 */
export async function shutdown(parts: GatewayParts): Promise<void> {
  const { server, wss } = parts;
  parts.stopTimers();
  server.close();
  parts.hub.closeAll(CloseCode.GOING_AWAY, 'server going away');
  for (const ws of wss.clients) ws.close(CloseCode.GOING_AWAY, 'server going away');
  const deadline = Date.now() + SHUTDOWN_GRACE_MS;
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  parts.sessions.close();
  parts.live.close();
  await parts.limiter.close();
  await parts.upstream.close();
  await parts.cluster?.close();
  await parts.usage.close();
  await parts.accounts.close();
}
