import { CloseCode, type ConnectParams, type RoomInfoData } from '@tiktool/protocol';
import type { Principal } from '../auth/authenticator.js';
import type { Creator } from '../hub/creator.js';
import type { EntryKind } from '../hub/creator-stream.js';
import type { SessionStore } from '../hub/session-store.js';
import { wantsEntry, type Session } from '../hub/session.js';
import { Subscriber } from '../hub/subscriber.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { ClientConnection } from './client-connection.js';
import type { ResumePlan } from './resume-plan.js';

export interface StreamingDeps {
  sessions: SessionStore;
  usage: UsageRecorder;
  sendQueueMaxBytes: number;
  replayHighWaterBytes: number;
}

export interface StreamStart {
  params: ConnectParams;
  principal: Principal;
  creator: Creator;
  plan: ResumePlan;
}

/**
 * Sends roomInfo, takes the session over from any socket still on it (4409), and streams
 * the creator's events from the plan's seq: the resume's replay meets the live stream in
 * the subscriber. The tier's session duration ends it with 4555.
 */
export function startStreaming(deps: StreamingDeps, client: ClientConnection, start: StreamStart): void {
  const { params, principal, creator, plan } = start;
  const { session } = plan;
  client.facts.sessionId = session.id;
  const wants = (entry: EntryKind) => wantsEntry(session, params.gifts, entry);
  client.socket.send(JSON.stringify({ event: 'roomInfo', data: roomInfo(creator, plan, wants) }));

  takeOver(deps.sessions, client, session);

  const subscriber = new Subscriber(client.socket, creator.stream, plan.fromSeq, {
    maxQueueBytes: deps.sendQueueMaxBytes,
    replayHighWaterBytes: deps.replayHighWaterBytes,
    wants,
    onSent: (seq) => {
      session.lastSentSeq = seq;
    },
    batch: params.batch,
    transport: client.req.socket,
  });
  creator.add(subscriber);
  client.onClose(() => {
    creator.remove(subscriber);
    deps.usage.socketClosed(principal.key.id, (Date.now() - client.openedAt) / 1000, subscriber.eventsSent);
  });
  subscriber.start();
  client.streaming(subscriber, principal.tier.name, plan.resumed ? { recovered: plan.recovered } : undefined);

  const tier = principal.tier.name;
  const sessionTimer = setTimeout(
    () => client.close(CloseCode.SESSION_LIMIT, `maximum session duration of tier ${tier}; resume to continue`),
    principal.tier.maxSessionMs,
  );
  client.onClose(() => clearTimeout(sessionTimer));
  client.log.info(
    { creator: creator.uniqueId, keyId: principal.key.id, tier, sessionId: session.id, resumed: plan.resumed, recovered: plan.recovered },
    'connection opened',
  );
}

/** The session is this connection's now: a socket still on it is closed (4409); it detaches when this one closes. */
function takeOver(sessions: SessionStore, client: ClientConnection, session: Session): void {
  session.detach?.(CloseCode.SESSION_TAKEN_OVER, 'the session was resumed on another connection');
  session.detach = client.close;
  session.detachedAt = undefined;
  client.onClose(() => {
    if (session.detach === client.close) sessions.detached(session);
  });
}

function roomInfo(creator: Creator, plan: ResumePlan, wants: (entry: EntryKind) => boolean): RoomInfoData {
  const stream = creator.stream;
  return {
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
}
