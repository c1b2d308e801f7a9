import { CloseCode, MAX_ROSTER_CREATORS, type ConnectParams, type ErrorData, type RosterAction } from '@tiktool/protocol';
import type { WebSocket } from 'ws';
import { checkCreator, type Principal } from '../auth/authenticator.js';
import { closeFor } from '../errors/error-map.js';
import type { EntryKind } from '../hub/creator-stream.js';
import type { Hub } from '../hub/hub.js';
import type { SessionStore } from '../hub/session-store.js';
import { notStreamed, wantsEntry, type Session } from '../hub/session.js';
import type { Subscriber } from '../hub/subscriber.js';
import type { Limiter, SocketLease } from '../limits/limiter.js';
import type { LiveWatch } from '../live/live-status.js';
import type { FollowState, GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { limitMessage } from './admission.js';
import type { ClientConnection } from './client-connection.js';
import { Follow, type FollowSocket } from './follow.js';
import { ActionRate, NOT_AN_OBJECT, readRosterAction } from './roster-action.js';

export interface RosterDeps {
  hub: Hub;
  live: LiveWatch;
  limiter: Limiter;
  sessions: SessionStore;
  usage: UsageRecorder;
  metrics: GatewayMetrics;
  sendQueueMaxBytes: number;
  replayHighWaterBytes: number;
  creatorLingerMs: number;
}

/** A connection let in, ready to follow its creators. */
export interface RosterStart {
  principal: Principal;
  /** The resumed session (found for this key and this kind of socket), or a new one. */
  session: Session;
}

/**
 * The creators one socket follows: one for a single-creator socket, any number for a
 * roster (`uniqueIds`), changed by subscribe/unsubscribe frames. Owns what is the
 * socket's (the session, its takeover, the session limit, the count of events sent) and
 * leaves each creator to its Follow. A bad frame is answered with an `error` event; the
 * socket stays.
 */
export class Roster implements FollowSocket {
  private readonly follows = new Map<string, Follow>();
  private readonly rate = new ActionRate();
  private principal!: Principal;
  private session!: Session;
  /** Actions run one at a time, in order; they wait for the start. */
  private actions: Promise<void>;
  private begin!: () => void;
  private sentByEarlier = 0;
  readonly waits: boolean;
  readonly watchFirst: boolean;
  readonly resuming: boolean;
  readonly subscriberOptions: FollowSocket['subscriberOptions'];

  constructor(
    private readonly deps: RosterDeps,
    private readonly client: ClientConnection,
    private readonly params: ConnectParams,
  ) {
    const roster = params.uniqueIds !== undefined;
    this.waits = roster || params.waitForLive;
    this.watchFirst = roster;
    this.resuming = params.sessionId !== undefined;
    this.subscriberOptions = {
      maxQueueBytes: deps.sendQueueMaxBytes,
      replayHighWaterBytes: deps.replayHighWaterBytes,
      batch: params.batch,
      transport: client.req.socket,
    };
    this.actions = new Promise((resolve) => (this.begin = resolve));
    client.onFrames((frame) => this.received(frame));
    client.onClose(() => this.closed());
  }

  get isRoster(): boolean {
    return this.params.uniqueIds !== undefined;
  }

  get hub(): Hub {
    return this.deps.hub;
  }

  get live(): LiveWatch {
    return this.deps.live;
  }

  get socket(): WebSocket {
    return this.client.socket;
  }

  get sessionId(): string {
    return this.session.id;
  }

  get eventsSent(): number {
    let n = this.sentByEarlier;
    for (const f of this.follows.values()) n += f.eventsSent;
    return n;
  }

  /**
   * Takes the session over, holds a creator slot for each of the roster's creators (those
   * refused are told why and left out), says which creators it follows, and starts them.
   * `singleLease` is unused by a roster: a single socket's lease holds its creator's slot.
   */
  async start({ principal, session }: RosterStart): Promise<void> {
    this.principal = principal;
    this.session = session;
    this.client.facts.sessionId = session.id;
    this.takeOver();
    const wanted = this.initialCreators();
    for (const uniqueId of [...session.creators.keys()]) if (!wanted.includes(uniqueId)) session.creators.delete(uniqueId);
    const refused: ErrorData[] = [];
    const admitted: { uniqueId: string; lease: SocketLease | undefined }[] = [];
    try {
      for (const uniqueId of wanted) {
        const held = this.isRoster ? await this.hold(uniqueId) : { lease: undefined };
        if ('error' in held) refused.push(held.error);
        else admitted.push({ uniqueId, lease: held.lease });
        this.client.signal.throwIfAborted();
      }
    } catch (err) {
      // Closed while waiting, or the limiter failed: the slots held so far go back.
      for (const { lease } of admitted) void lease?.release();
      throw err;
    }
    for (const { uniqueId } of refused) if (uniqueId) session.creators.delete(uniqueId);
    const follows = admitted.map(({ uniqueId, lease }) => this.add(uniqueId, lease));
    if (this.isRoster) this.deps.sessions.changed(session);
    if (this.isRoster)
      this.client.send({ event: 'rosterInfo', data: { sessionId: session.id, creators: this.creators(), resumed: this.resuming } });
    for (const error of refused) this.client.send({ event: 'error', data: error });
    this.client.streaming(this, principal.tier.name);
    this.limitSession();
    this.client.log.info(
      {
        creators: this.isRoster ? follows.length : undefined,
        creator: this.params.uniqueId,
        keyId: principal.key.id,
        tier: principal.tier.name,
        sessionId: session.id,
        resumed: this.resuming,
      },
      'connection opened',
    );
    for (const follow of follows) follow.start();
    this.begin();
  }

  readonly wants = (entry: EntryKind): boolean => wantsEntry(this.session, this.params.gifts, entry);

  send(message: object): void {
    this.client.send(message);
  }

  close(code: number, reason: string): void {
    this.client.close(code, reason);
  }

  fail(err: unknown): void {
    const closing = closeFor(err);
    if (closing.unexpected) this.client.log.error({ err }, 'connection failed');
    this.client.close(closing.code, closing.reason);
  }

  notFound(follow: Follow, message: string): void {
    if (!this.isRoster) return this.client.close(CloseCode.NOT_FOUND, message);
    this.remove(follow.uniqueId);
    this.send({ event: 'error', data: { code: CloseCode.NOT_FOUND, message, uniqueId: follow.uniqueId } });
  }

  reportError(uniqueId: string, err: unknown): void {
    const closing = closeFor(err);
    if (closing.unexpected) this.client.log.error({ err, creator: uniqueId }, 'creator failed');
    this.send({ event: 'error', data: { code: closing.code, message: closing.reason, uniqueId } });
  }

  stateChanged(from: FollowState | undefined, to: FollowState | undefined): void {
    this.deps.metrics.followState(from, to);
  }

  resumed(recovered: boolean): void {
    this.deps.metrics.creatorResumed(recovered);
  }

  retired(subscriber: Subscriber): void {
    this.sentByEarlier += subscriber.eventsSent;
  }

  private initialCreators(): string[] {
    if (this.params.uniqueId !== undefined) return [this.params.uniqueId];
    const listed = this.params.uniqueIds ?? [];
    return listed.length > 0 ? [...listed] : [...this.session.creators.keys()];
  }

  /** A creator slot for this roster entry, or the error that refuses it (scope, tier limit). */
  private async hold(uniqueId: string): Promise<{ lease: SocketLease } | { error: ErrorData }> {
    try {
      checkCreator(this.principal, uniqueId);
    } catch (err) {
      return { error: { code: CloseCode.FORBIDDEN, message: closeFor(err).reason, uniqueId } };
    }
    const { principal } = this;
    const held = await this.deps.limiter.holdCreator({
      owner: principal.key.id,
      uniqueId,
      maxCreators: principal.tier.maxCreators,
      creatorLingerMs: this.deps.creatorLingerMs,
    });
    if (held.ok) return { lease: held.lease };
    return { error: { code: CloseCode.RATE_LIMITED, message: limitMessage(held.limit, principal, held.retryAfterS), uniqueId } };
  }

  private add(uniqueId: string, lease: SocketLease | undefined): Follow {
    let position = this.session.creators.get(uniqueId);
    if (!position) {
      position = notStreamed();
      this.session.creators.set(uniqueId, position);
    }
    const lastSeq = this.params.lastSeqs?.get(uniqueId) ?? this.params.lastSeq;
    const follow = new Follow(this, uniqueId, position, lease, lastSeq);
    this.follows.set(uniqueId, follow);
    return follow;
  }

  private remove(uniqueId: string): void {
    this.follows.get(uniqueId)?.leave();
    this.follows.delete(uniqueId);
    this.session.creators.delete(uniqueId);
    this.deps.sessions.changed(this.session);
  }

  private creators(): string[] {
    return [...this.follows.keys()];
  }

  private received(frame: Record<string, unknown> | typeof NOT_AN_OBJECT): void {
    if (frame === NOT_AN_OBJECT) {
      if (!this.isRoster) return this.client.close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
      return this.send({ event: 'error', data: { code: CloseCode.INVALID_PARAMS, message: 'client messages must be JSON objects' } });
    }
    // Any other object is a keepalive.
    if (!('action' in frame)) return;
    const action = readRosterAction(frame);
    const refused = 'code' in action ? action : (this.rate.take() ?? this.onlyOnRosters(action));
    if (refused) return this.send({ event: 'error', data: { ...refused, ...echo(action) } });
    this.actions = this.actions.then(() =>
      this.perform(action as RosterAction).catch((err: unknown) => {
        const closing = closeFor(err);
        if (closing.unexpected) this.client.log.error({ err }, 'roster action failed');
        this.send({ event: 'error', data: { code: closing.code, message: closing.reason, ...echo(action) } });
      }),
    );
  }

  private onlyOnRosters(action: RosterAction): ErrorData | undefined {
    if (this.isRoster) return undefined;
    return { code: CloseCode.INVALID_PARAMS, message: 'subscribe and unsubscribe need a roster socket (uniqueIds)', ...echo(action) };
  }

  private async perform(action: RosterAction): Promise<void> {
    if (this.client.signal.aborted) return;
    const { uniqueId } = action;
    const answer = (event: 'subscribed' | 'unsubscribed') =>
      this.send({ event, data: { uniqueId, creators: this.creators(), ...(action.id !== undefined && { id: action.id }) } });
    if (action.action === 'unsubscribe') {
      if (this.follows.has(uniqueId)) this.remove(uniqueId);
      return answer('unsubscribed');
    }
    if (this.follows.has(uniqueId)) return answer('subscribed');
    if (this.follows.size >= MAX_ROSTER_CREATORS) {
      return this.send({
        event: 'error',
        data: { code: CloseCode.RATE_LIMITED, message: `a roster socket holds at most ${MAX_ROSTER_CREATORS} creators`, ...echo(action) },
      });
    }
    const held = await this.hold(uniqueId);
    if (this.client.signal.aborted) return void ('lease' in held && held.lease.release());
    if ('error' in held) return this.send({ event: 'error', data: { ...held.error, ...echo(action) } });
    const follow = this.add(uniqueId, held.lease);
    this.deps.sessions.changed(this.session);
    answer('subscribed');
    follow.start();
  }

  /** The session is this connection's now: a socket still on it is closed (4409); it detaches when this one closes. */
  private takeOver(): void {
    const { session, client } = this;
    session.detach?.(CloseCode.SESSION_TAKEN_OVER, 'the session was resumed on another connection');
    session.detach = client.close;
    session.detachedAt = undefined;
    client.onClose(() => {
      if (session.detach === client.close) this.deps.sessions.detached(session);
    });
  }

  /** The tier's session duration ends the socket with 4555. */
  private limitSession(): void {
    const tier = this.principal.tier;
    const timer = setTimeout(
      () => this.client.close(CloseCode.SESSION_LIMIT, `maximum session duration of tier ${tier.name}; resume to continue`),
      tier.maxSessionMs,
    );
    this.client.onClose(() => clearTimeout(timer));
  }

  private closed(): void {
    this.begin();
    for (const follow of this.follows.values()) follow.leave();
    if (this.principal) {
      this.deps.usage.socketClosed(this.principal.key.id, (Date.now() - this.client.openedAt) / 1000, this.eventsSent);
    }
  }
}

/** The fields of an action its answer repeats. */
function echo(action: RosterAction | ErrorData): Pick<ErrorData, 'action' | 'uniqueId' | 'id'> {
  return {
    ...(action.action !== undefined && { action: action.action }),
    ...(action.uniqueId !== undefined && { uniqueId: action.uniqueId }),
    ...(action.id !== undefined && { id: action.id }),
  };
}
