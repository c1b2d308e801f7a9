import type { IncomingMessage } from 'node:http';
import {
  CloseCode,
  InvalidParamError,
  parseConnectParams,
  truncateReason,
  type ConnectParams,
  type CreatorEventName,
  type RoomInfoData,
} from '@tiktool/protocol';
import { UpstreamError } from '@tiktool/webcast';
import type { WebSocket } from 'ws';
import type { KeyRecord } from '../auth/key-store.js';
import { GatewayError, unauthorized } from '../errors.js';
import type { Creator } from '../hub/creator.js';
import type { Hub } from '../hub/hub.js';
import type { SessionRegistry } from '../hub/session-registry.js';
import { wantsEvent, type Session } from '../hub/session.js';
import { Subscriber } from '../hub/subscriber.js';
import type { Logger } from '../logger.js';
import { extractCredentials } from './credentials.js';

export interface ConnectionDeps {
  hub: Hub;
  sessions: SessionRegistry;
  authenticate(apiKey: string): KeyRecord | undefined;
  logger: Logger;
  sendQueueMaxBytes: number;
  replayHighWaterBytes: number;
}

/** Where a connection starts reading its creator's stream, and what roomInfo says of it. */
interface ReplayPlan {
  session: Session;
  fromSeq: number;
  resumed: boolean;
  recovered: boolean;
}

/**
 * One client connection, from the upgrade to its close: validate, authenticate, join the
 * creator's upstream, resume or start a session, send roomInfo, then stream events.
 */
export async function serveConnection(deps: ConnectionDeps, socket: WebSocket, req: IncomingMessage): Promise<void> {
  const openedAt = Date.now();
  const log = deps.logger.child({ remote: req.socket.remoteAddress });
  let closeCode: number | undefined;
  let subscriber: Subscriber | undefined;
  let creator: Creator | undefined;
  let session: Session | undefined;
  let key: KeyRecord | undefined;
  let uniqueId: string | undefined;

  const reject = (code: number, reason: string) => {
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
      socket.close(code, truncateReason(reason));
    }
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return reject(CloseCode.POLICY_VIOLATION, 'binary frames are not accepted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return reject(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      reject(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
  });
  socket.on('close', (code) => {
    closeCode = code;
    if (subscriber && creator) creator.remove(subscriber);
    if (session && subscriber && session.detach === subscriberDetach) {
      session.detachedAt = Date.now();
      session.detach = undefined;
    }
    log.info(
      {
        creator: uniqueId,
        keyId: key?.id,
        tier: key?.tier,
        sessionId: session?.id,
        durationMs: Date.now() - openedAt,
        closeCode: code,
        eventsSent: subscriber?.eventsSent ?? 0,
      },
      'connection closed',
    );
  });
  const subscriberDetach = (code: number, reason: string) => subscriber?.close(code, reason);

  try {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const params = parseConnectParams(url.searchParams);
    uniqueId = params.uniqueId;
    const credentials = extractCredentials(req, url.searchParams);
    const presented = credentials.apiKey ?? credentials.jwtKey;
    if (!presented) throw unauthorized('missing API key: pass apiKey in the query, a Bearer header or a subprotocol');
    key = deps.authenticate(presented);
    if (!key) throw unauthorized('invalid or revoked API key');

    creator = await deps.hub.acquire(params.uniqueId);
    if (closeCode !== undefined) return;

    const plan = planReplay(deps.sessions, creator, params, key.id);
    session = plan.session;
    const wants = (event: CreatorEventName) => wantsEvent(plan.session, event);
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

    plan.session.detach?.(CloseCode.NORMAL, 'session resumed on another connection');
    plan.session.detach = subscriberDetach;
    plan.session.detachedAt = undefined;
    const s = plan.session;
    subscriber = new Subscriber(socket, stream, plan.fromSeq, {
      maxQueueBytes: deps.sendQueueMaxBytes,
      replayHighWaterBytes: deps.replayHighWaterBytes,
      wants,
      onSent: (seq) => {
        s.lastSentSeq = seq;
      },
    });
    creator.add(subscriber);
    subscriber.start();
    log.info(
      { creator: uniqueId, keyId: key.id, tier: key.tier, sessionId: s.id, resumed: plan.resumed, recovered: plan.recovered },
      'connection opened',
    );
  } catch (err) {
    if (err instanceof InvalidParamError || err instanceof GatewayError || err instanceof UpstreamError) {
      reject(err.closeCode, err.message);
    } else {
      log.error({ err }, 'connection failed');
      reject(CloseCode.INTERNAL_ERROR, 'internal error');
    }
  }
}

function planReplay(sessions: SessionRegistry, creator: Creator, params: ConnectParams, keyId: string): ReplayPlan {
  const stream = creator.stream;
  const live = stream.head + 1;
  const found = params.sessionId ? sessions.find(params.sessionId, creator.uniqueId, keyId) : undefined;
  if (!found) {
    return {
      session: sessions.create(creator.uniqueId, keyId, params.events, stream.epoch),
      fromSeq: live,
      resumed: params.sessionId !== undefined,
      recovered: false,
    };
  }
  if (found.epoch !== stream.epoch) {
    // The stream this session read is gone; its seqs mean nothing in the new one.
    found.epoch = stream.epoch;
    found.lastSentSeq = 0;
    return { session: found, fromSeq: live, resumed: true, recovered: false };
  }
  const after = params.lastSeq ?? found.lastSentSeq;
  if (after > stream.head) return { session: found, fromSeq: live, resumed: true, recovered: false };
  const oldest = stream.oldestSeq;
  if (after + 1 < oldest) return { session: found, fromSeq: oldest, resumed: true, recovered: false };
  return { session: found, fromSeq: after + 1, resumed: true, recovered: true };
}
