import type { IncomingMessage } from 'node:http';
import {
  CloseCode,
  parseConnectParams,
  truncateReason,
  type ConnectParams,
  type RoomInfoData,
} from '@tiktool/protocol';
import type { WebSocket } from 'ws';
import { checkCreator, type Authenticator, type Principal } from '../auth/authenticator.js';
import { RESUME_GRACE_MS } from '../defaults.js';
import { closeFor } from '../errors/error-map.js';
import { rateLimited } from '../errors.js';
import type { Creator } from '../hub/creator.js';
import type { EntryKind } from '../hub/creator-stream.js';
import type { Hub } from '../hub/hub.js';
import type { SessionStore } from '../hub/session-store.js';
import { wantsEntry, type Session } from '../hub/session.js';
import { Subscriber } from '../hub/subscriber.js';
import type { Limiter, LimitName, SocketLease } from '../limits/limiter.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { ClientRegistry } from './client-registry.js';
import { clientAddress } from './client-address.js';
import { extractCredentials } from './credentials.js';

export interface ConnectionDeps {
  metrics: GatewayMetrics;
  hub: Hub;
  sessions: SessionStore;
  authenticator: Authenticator;
  limiter: Limiter;
  usage: UsageRecorder;
  clients: ClientRegistry;
  logger: Logger;
  sendQueueMaxBytes: number;
  replayHighWaterBytes: number;
  trustProxy: boolean;
  /** The hub's upstream linger: a creator's slot is held that long after the key's last socket on it. */
  creatorLingerMs: number;
}

/** Where a connection starts reading its creator's stream, and what roomInfo says of it. */
interface ReplayPlan {
  session: Session;
  fromSeq: number;
  resumed: boolean;
  recovered: boolean;
}

const LIMIT_WORDS: Record<LimitName, (p: Principal) => string> = {
  sockets: (p) => `too many concurrent sockets: tier ${p.tier.name} allows ${p.tier.maxSockets}`,
  tokenSockets: (p) => `too many concurrent sockets: this token allows ${p.token?.maxSockets}`,
  connects: (p) => `too many connects: tier ${p.tier.name} allows ${p.tier.connectsPerHour} per hour`,
  creators: (p) => `too many creators at once: tier ${p.tier.name} allows ${p.tier.maxCreators}`,
};

/**
 * One client connection, from the upgrade to its close: validate, authenticate, admit
 * under the tier's limits, join the creator's upstream, resume or start a session, send
 * roomInfo, then stream events.
 */
export async function serveConnection(deps: ConnectionDeps, socket: WebSocket, req: IncomingMessage): Promise<void> {
  const openedAt = Date.now();
  const address = clientAddress(req, deps.trustProxy);
  const log = deps.logger.child({ remote: address });
  let closeCode: number | undefined;
  let subscriber: Subscriber | undefined;
  let creator: Creator | undefined;
  let session: Session | undefined;
  let principal: Principal | undefined;
  let lease: SocketLease | undefined;
  let sessionTimer: NodeJS.Timeout | undefined;
  let uniqueId: string | undefined;
  const metered = deps.metrics.connectionOpened(req.socket);
  let closedByServer = false;

  let sentCode: number | undefined;
  const close = (code: number, reason: string) => {
    closedByServer = true;
    if (subscriber) return subscriber.close(code, truncateReason(reason));
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
      sentCode ??= code;
      socket.close(code, truncateReason(reason));
    }
  };
  const handle = { close };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return close(CloseCode.POLICY_VIOLATION, 'binary frames are not accepted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
  });
  socket.on('close', (wireCode) => {
    closeCode = wireCode;
    clearTimeout(sessionTimer);
    // The code the gateway sent is why it closed, even when the client never read it (1006).
    const sent = subscriber?.sentCloseCode ?? sentCode;
    const code = sent ?? wireCode;
    deps.metrics.connectionClosed(metered, code, closedByServer || subscriber?.isClosed === true);
    if (subscriber && creator) creator.remove(subscriber);
    if (session && session.detach === close) deps.sessions.detached(session);
    void lease?.release();
    const eventsSent = subscriber?.eventsSent ?? 0;
    if (principal) {
      deps.clients.remove(principal.key.id, handle);
      if (subscriber) deps.usage.socketClosed(principal.key.id, (Date.now() - openedAt) / 1000, eventsSent);
    }
    log.info(
      {
        creator: uniqueId,
        keyId: principal?.key.id,
        tier: principal?.tier.name,
        sessionId: session?.id,
        durationMs: Date.now() - openedAt,
        closeCode: code,
        ...(code !== wireCode && { wireCloseCode: wireCode }),
        eventsSent,
      },
      'connection closed',
    );
  });

  try {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const params = parseConnectParams(url.searchParams);
    uniqueId = params.uniqueId;
    principal = await deps.authenticator.authenticate({
      credentials: extractCredentials(req, url.searchParams),
      address,
      origin: req.headers.origin,
    });
    if (closeCode !== undefined) return;
    checkCreator(principal, params.uniqueId);
    deps.clients.add(principal.key.id, handle);

    const earlier = params.sessionId
      ? await deps.sessions.find(params.sessionId, params.uniqueId, principal.key.id)
      : undefined;
    const withinGrace =
      earlier !== undefined && (earlier.detachedAt === undefined || Date.now() - earlier.detachedAt <= RESUME_GRACE_MS);
    const admission = await deps.limiter.admit({
      owner: principal.key.id,
      token: principal.token,
      uniqueId: params.uniqueId,
      maxSockets: principal.tier.maxSockets,
      maxCreators: principal.tier.maxCreators,
      connectsPerHour: principal.tier.connectsPerHour,
      countConnect: !withinGrace,
      creatorLingerMs: deps.creatorLingerMs,
    });
    if (!admission.ok) {
      throw rateLimited(`${LIMIT_WORDS[admission.limit](principal)}; retry after ${admission.retryAfterS} s`);
    }
    lease = admission.lease;
    if (closeCode !== undefined) return void lease.release();
    if (!withinGrace) deps.usage.connect(principal.key.id);

    const joined = await deps.hub.acquire(params.uniqueId);
    creator = joined.creator;
    if (closeCode !== undefined) return;

    const plan = planReplay(deps.sessions, creator, params, principal.key.id, earlier, joined.opened);
    session = plan.session;
    const wants = (entry: EntryKind) => wantsEntry(plan.session, params.gifts, entry);
    const stream = creator.stream;
    const roomInfo: RoomInfoData = {
      sessionId: plan.session.id,
      uniqueId: creator.uniqueId,
      roomId: creator.room?.roomId ?? '',
      title: creator.room?.title ?? '',
      viewerCount: creator.room?.viewerCount ?? 0,
      likeCount: creator.room?.likeCount ?? 0,
      epoch: stream.epoch,
      seq: stream.head,
      resumed: plan.resumed,
      recovered: plan.recovered,
      replayed: stream.countAfter(plan.fromSeq - 1, wants),
    };
    socket.send(JSON.stringify({ event: 'roomInfo', data: roomInfo }));

    plan.session.detach?.(CloseCode.SESSION_TAKEN_OVER, 'the session was resumed on another connection');
    plan.session.detach = close;
    plan.session.detachedAt = undefined;
    const s = plan.session;
    subscriber = new Subscriber(socket, stream, plan.fromSeq, {
      maxQueueBytes: deps.sendQueueMaxBytes,
      replayHighWaterBytes: deps.replayHighWaterBytes,
      wants,
      onSent: (seq) => {
        s.lastSentSeq = seq;
      },
      batch: params.batch,
      transport: req.socket,
    });
    creator.add(subscriber);
    subscriber.start();
    deps.metrics.connectionStreaming(
      metered,
      principal.tier.name,
      subscriber,
      plan.resumed ? { recovered: plan.recovered } : undefined,
    );
    sessionTimer = setTimeout(
      () => close(CloseCode.SESSION_LIMIT, `maximum session duration of tier ${principal!.tier.name}; resume to continue`),
      principal.tier.maxSessionMs,
    );
    log.info(
      {
        creator: uniqueId,
        keyId: principal.key.id,
        tier: principal.tier.name,
        sessionId: s.id,
        resumed: plan.resumed,
        recovered: plan.recovered,
      },
      'connection opened',
    );
  } catch (err) {
    const closing = closeFor(err);
    if (closing.unexpected) log.error({ err }, 'connection failed');
    close(closing.code, closing.reason);
  }
}

function planReplay(
  sessions: SessionStore,
  creator: Creator,
  params: ConnectParams,
  keyId: string,
  found: Session | undefined,
  opened: boolean,
): ReplayPlan {
  const stream = creator.stream;
  const live = stream.head + 1;
  if (!found) {
    return {
      session: sessions.create(creator.uniqueId, keyId, params.events, stream.epoch),
      fromSeq: creator.joinSeq(opened),
      resumed: params.sessionId !== undefined,
      recovered: false,
    };
  }
  // The filter is the one this connection asks for, not the one the session began with.
  found.events = params.events;
  if (found.epoch !== stream.epoch) {
    // The stream this session read is gone; its seqs mean nothing in the new one.
    found.epoch = stream.epoch;
    found.lastSentSeq = 0;
    return { session: found, fromSeq: creator.joinSeq(opened), resumed: true, recovered: false };
  }
  const after = params.lastSeq ?? found.lastSentSeq;
  if (after > stream.head) return { session: found, fromSeq: live, resumed: true, recovered: false };
  const oldest = stream.oldestSeq;
  if (after + 1 < oldest) return { session: found, fromSeq: oldest, resumed: true, recovered: false };
  return { session: found, fromSeq: after + 1, resumed: true, recovered: true };
}
