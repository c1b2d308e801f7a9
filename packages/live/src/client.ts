import {
  CREATOR_EVENT_NAMES,
  CloseCode,
  credentialProtocols,
  formatConnectQuery,
  type CreatorEnvelope,
  type ErrorData,
  type LiveStatusEnvelope,
  type RoomInfoData,
  type RoomInfoEnvelope,
  type RosterChangeData,
  type RosterInfoData,
} from '@tiktool/protocol';
import type { ClientEventArgs } from './client-events.js';
import { CreatorTrack, type CreatorStatus } from './creator-track.js';
import { DISCONNECT_CODE, DISCONNECT_REASON } from './defaults.js';
import { TypedEmitter } from './emitter.js';
import { closedError, exhaustedError, refusedError, TikTokLiveError, unreachableError } from './errors.js';
import { EventIterator } from './event-iterator.js';
import { decodeFrame, type SeqEnvelope, type WireEnvelope } from './frame.js';
import { resolveOptions, type ResolvedOptions, type TikTokLiveOptions } from './options.js';
import { reconnectDelay } from './reconnect-policy.js';
import { Roster, rosterName } from './roster.js';
import { RosterRequests } from './roster-requests.js';
import { resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './transport.js';

/**
 * - `idle`: created, connect() not called yet.
 * - `connecting`: connect() called, waiting for the first roomInfo (a roster: rosterInfo).
 * - `open`: roomInfo (rosterInfo) received; events flow.
 * - `waiting`: a `waitForLive` client is connected and waits for its creator to go live.
 * - `reconnecting`: dropped; waiting to reconnect or for the new connection's first message.
 * - `closed`: stopped for good (disconnect(), a final close code, or give-up).
 *   connect() starts again from here, resuming the same session.
 */
export type ClientState = 'idle' | 'connecting' | 'open' | 'waiting' | 'reconnecting' | 'closed';

/** One creator (a username) or a roster of them. */
export type Creators = string | readonly string[];

/** What connect() resolves with: a creator's roomInfo, or a roster's rosterInfo. */
export type ConnectResult<C extends Creators> = C extends string ? RoomInfoData : RosterInfoData;

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CREATOR_EVENT_NAMES);

/** The gateway's error codes after which a creator is out of the roster (docs/protocol.md). */
const LEAVES_ROSTER: ReadonlySet<number> = new Set([CloseCode.FORBIDDEN, CloseCode.NOT_FOUND, CloseCode.RATE_LIMITED]);

/** What a WebSocket's error event says went wrong: `ws` gives the Node error (ECONNREFUSED); browsers nothing. */
function errorCause(event: unknown): string | undefined {
  const { error, message } = (event ?? {}) as { error?: { code?: unknown; message?: unknown }; message?: unknown };
  if (typeof error?.code === 'string') return error.code;
  if (typeof message === 'string' && message !== '') return message;
  return typeof error?.message === 'string' && error.message !== '' ? error.message : undefined;
}

/** Closes after which the stream is simply over: iterators end without an error. */
function isNaturalEnd(code: number): boolean {
  return code === CloseCode.NORMAL || code === CloseCode.STREAM_END;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function protocolError(message: string): TikTokLiveError {
  return new TikTokLiveError('ERR_PROTOCOL', message);
}

/**
 * A connection to a tiktool gateway for one creator's LIVE events, or for a roster of
 * creators on one socket (`new TikTokLive(['a', 'b'])`).
 *
 * Delivery is exactly-once and in order across reconnects, per creator: the client
 * resumes its session with the seq of the last event it delivered of each creator, and
 * drops anything at or below it. When the gateway cannot fill a gap, `resumed` says
 * `recovered: false` (for that creator).
 *
 * On a roster every handler's envelope argument names the creator (`envelope.uniqueId`);
 * creators who are not live are waited for (`liveStatus` events), and `subscribe()` /
 * `unsubscribe()` change the roster while connected.
 *
 * Register listeners, and start `for await` loops, before connect() resolves: events
 * can arrive in the same tick as roomInfo, ahead of an awaited connect().
 *
 * Errors: the `error` event gets exceptions thrown by your listeners (as
 * `ERR_HANDLER`), frames that break the wire contract (`ERR_PROTOCOL`), and on a roster
 * the gateway dropping a creator (`ERR_REFUSED`). As with Node's EventEmitter, with no
 * `error` listener they are rethrown asynchronously.
 *
 * @example
 * const client = new TikTokLive('streamer_username', { apiKey: 'YOUR_KEY' })
 * client.on('chat', (e) => console.log(`${e.user.uniqueId}: ${e.comment}`))
 * client.connect()
 */
export class TikTokLive<C extends Creators = string> extends TypedEmitter<ClientEventArgs> implements AsyncIterable<CreatorEnvelope> {
  /** The creator as given (the gateway normalises `@name` and profile URLs); undefined on a roster. */
  readonly uniqueId: C extends string ? string : undefined;
  readonly #options: ResolvedOptions;
  /** A single-creator client's one creator. */
  readonly #single: CreatorTrack | undefined;
  /** A roster client's creators. */
  readonly #roster: Roster | undefined;
  readonly #requests = new RosterRequests();
  #rosterInfo: RosterInfoData | undefined;
  #state: ClientState = 'idle';
  #socket: WebSocketLike | undefined;
  /** Whether the current socket has been accepted: its first message (roomInfo, rosterInfo or liveStatus) came. */
  #socketReady = false;
  #attempt = 0;
  /** How the last connection that never got accepted failed, and how many reconnects in a row failed so. */
  #failure: string | undefined;
  #sameFailures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every stop, so work started before it (an await, a timer) is void. */
  #generation = 0;
  #pending: Deferred<ConnectResult<C>> | undefined;
  readonly #iterators = new Set<EventIterator<CreatorEnvelope>>();
  /** Why the client last stopped, if it was an error; handed to late iterators. */
  #stopError: TikTokLiveError | undefined;

  constructor(creators: C, options: TikTokLiveOptions = {}) {
    super();
    if (Array.isArray(creators)) {
      this.#roster = new Roster(creators as readonly string[]);
      this.uniqueId = undefined as C extends string ? string : undefined;
    } else {
      if (typeof creators !== 'string' || creators.trim() === '') {
        throw new TikTokLiveError('ERR_INVALID_ARGUMENT', 'uniqueId must be a non-empty string (or an array of them for a roster)');
      }
      this.uniqueId = creators.trim() as C extends string ? string : undefined;
      this.#single = new CreatorTrack(creators.trim());
    }
    this.#options = resolveOptions(options);
  }

  get state(): ClientState {
    return this.#state;
  }

  /** The session to resume: from the last roomInfo, or a roster's rosterInfo. */
  get sessionId(): string | undefined {
    return this.#roster ? this.#rosterInfo?.sessionId : this.#single?.cursor.sessionId;
  }

  /** Seq of the last event delivered, or the stream's seq when the session began (a roster: see creator()). */
  get lastSeq(): number | undefined {
    return this.#single?.cursor.lastSeq;
  }

  /** The creator stream's epoch from the last roomInfo; seqs compare only within one (a roster: see creator()). */
  get epoch(): string | undefined {
    return this.#single?.cursor.epoch;
  }

  /** The last roomInfo received (a roster: see creator()). */
  get roomInfo(): RoomInfoData | undefined {
    return this.#single?.roomInfo;
  }

  /** The creators followed, normalised (a single-creator client: its one, as given). */
  get creators(): string[] {
    return this.#roster ? this.#roster.ids : [this.#single!.uniqueId];
  }

  /**
   * What the client knows of one creator it follows: live or waiting, its last roomInfo
   * and liveStatus, its position. Undefined for a creator it does not follow.
   */
  creator(uniqueId: string): CreatorStatus | undefined {
    if (!this.#roster) return this.#single!.uniqueId === uniqueId.trim() ? this.#single!.snapshot() : undefined;
    try {
      return this.#roster.get(rosterName(uniqueId))?.snapshot();
    } catch {
      return undefined;
    }
  }

  /**
   * Connects (or, after a stop, reconnects resuming the same session). Resolves with
   * the next roomInfo (with `waitForLive`: once the creator is live), or for a roster
   * with its rosterInfo; at once when already open. Reconnectable closes before it are
   * retried, until `reconnect.maxFailedReconnects` fail the same way. Rejects with a
   * {@link TikTokLiveError}: `ERR_CONNECTION_CLOSED` on a final close code (e.g.
   * `closeCode` 4401, 4404), `ERR_UNREACHABLE` when the gateway cannot be reached,
   * `ERR_RECONNECT_EXHAUSTED`, or `ERR_DISCONNECTED` when disconnect() comes first.
   */
  connect(): Promise<ConnectResult<C>> {
    const connected = this.#connected();
    if (connected) return Promise.resolve(connected);
    this.#pending ??= deferred();
    const { promise } = this.#pending;
    if (this.#state === 'idle' || this.#state === 'closed') {
      this.#state = 'connecting';
      this.#attempt = 0;
      this.#failure = undefined;
      this.#sameFailures = 0;
      this.#stopError = undefined;
      void this.#open(this.#generation);
    }
    return promise;
  }

  /**
   * Adds a creator to a roster client. Resolves with the roster's creators once the
   * gateway has added it (its `liveStatus` or roomInfo follows); before connect() or
   * after a stop, at once: the next connect asks for it. While reconnecting it is sent
   * when the new socket opens. Rejects with `ERR_REFUSED` when the gateway refuses
   * (`closeCode` 4400, 4403, 4404, 4429: see {@link TikTokLiveError}), `ERR_INVALID_ARGUMENT`
   * for a name that is no username, `ERR_INVALID_STATE` on a single-creator client.
   */
  subscribe(uniqueId: string): Promise<string[]> {
    return this.#change('subscribe', uniqueId);
  }

  /** Removes a creator from a roster client; like {@link subscribe}, resolves with the creators left. */
  unsubscribe(uniqueId: string): Promise<string[]> {
    return this.#change('unsubscribe', uniqueId);
  }

  /**
   * Closes with 1000 and stops reconnecting. Nothing is delivered after this returns;
   * iterators end normally. Emits `disconnected` when a socket was open.
   */
  disconnect(): void {
    if (this.#state === 'idle' || this.#state === 'closed') return;
    const socket = this.#socket;
    this.#stop(undefined, new TikTokLiveError('ERR_DISCONNECTED', 'disconnect() was called before the connection was ready'));
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.close(DISCONNECT_CODE, DISCONNECT_REASON);
    this.emit('disconnected', { code: DISCONNECT_CODE, reason: DISCONNECT_REASON, willReconnect: false });
  }

  /**
   * Pull the creator events (not roomInfo) with `for await`, exactly once and in order
   * across reconnects, like the listeners. Each call starts a new iterator that sees
   * events from then on; events are buffered in memory, without bound, until consumed.
   * The loop ends normally on disconnect(), a 1000 close, or 4005 (stream ended; the
   * `streamEnd` event comes first). It throws the {@link TikTokLiveError} when the
   * client stops for any other reason (e.g. 4401 key revoked, reconnect exhausted).
   * An iterator made while the client is closed ends at once (the same way).
   *
   * @example
   * client.connect() // not awaited: the loop must exist when the first events land
   * for await (const e of client) if (e.event === 'chat') console.log(e.data.comment)
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<CreatorEnvelope> {
    const iterator: EventIterator<CreatorEnvelope> = new EventIterator(() => this.#iterators.delete(iterator));
    if (this.#state === 'closed') iterator.end(this.#stopError);
    else this.#iterators.add(iterator);
    return iterator;
  }

  protected override onListenerError(error: unknown, name: keyof ClientEventArgs): void {
    if (name === 'error' || this.listenerCount('error') === 0) {
      super.onListenerError(error, name);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.emit('error', new TikTokLiveError('ERR_HANDLER', `a "${name}" listener threw: ${message}`, { cause: error }));
  }

  #reportError(error: TikTokLiveError): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else super.onListenerError(error, 'error');
  }

  /** What connect() resolves with at once: the open connection's first message. */
  #connected(): ConnectResult<C> | undefined {
    if (this.#state !== 'open') return undefined;
    return (this.#roster ? this.#rosterInfo : this.#single?.roomInfo) as ConnectResult<C> | undefined;
  }

  #change(action: 'subscribe' | 'unsubscribe', uniqueId: string): Promise<string[]> {
    const roster = this.#roster;
    if (!roster) {
      return Promise.reject(new TikTokLiveError('ERR_INVALID_STATE', `${action}() is for roster clients: new TikTokLive([...])`));
    }
    let name: string;
    try {
      name = rosterName(uniqueId);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#state === 'idle' || this.#state === 'closed') {
      if (action === 'subscribe') roster.add(name);
      else roster.remove(name);
      return Promise.resolve(roster.ids);
    }
    const answer = this.#requests.add(action, name);
    if (this.#socketReady) this.#sendRequests();
    return answer;
  }

  #sendRequests(): void {
    const socket = this.#socket;
    if (!socket) return;
    for (const frame of this.#requests.unsent()) socket.send(frame);
  }

  /** The key travels as a subprotocol, out of URLs that proxies log; in the query only if it cannot. */
  #protocols(): string[] | undefined {
    return credentialProtocols({ apiKey: this.#options.apiKey, jwtKey: this.#options.jwtKey });
  }

  #url(inProtocols: boolean): string {
    const url = new URL(this.#options.url);
    const common = {
      apiKey: inProtocols ? undefined : this.#options.apiKey,
      jwtKey: inProtocols ? undefined : this.#options.jwtKey,
      events: this.#options.events,
      batch: this.#options.batch,
      gifts: this.#options.gifts,
    };
    const query = this.#roster
      ? formatConnectQuery({
          ...common,
          uniqueIds: this.#roster.ids,
          sessionId: this.#rosterInfo?.sessionId,
          lastSeqs: this.#roster.positions(),
        })
      : formatConnectQuery({
          ...common,
          uniqueId: this.#single!.uniqueId,
          sessionId: this.#single!.cursor.sessionId,
          lastSeq: this.#single!.cursor.lastSeq,
          waitForLive: this.#options.waitForLive,
        });
    for (const [key, value] of query) url.searchParams.set(key, value);
    return url.toString();
  }

  async #open(generation: number): Promise<void> {
    let WebSocketClass: WebSocketConstructor;
    try {
      WebSocketClass = await resolveWebSocket(this.#options.WebSocket);
    } catch (error) {
      if (generation === this.#generation) this.#fail(error);
      return;
    }
    if (generation !== this.#generation) return;
    let socket: WebSocketLike;
    try {
      const protocols = this.#protocols();
      socket = new WebSocketClass(this.#url(protocols !== undefined), protocols);
    } catch (cause) {
      this.#fail(new TikTokLiveError('ERR_INVALID_ARGUMENT', 'the WebSocket constructor threw', { cause }));
      return;
    }
    this.#socket = socket;
    this.#socketReady = false;
    const resuming = this.sessionId !== undefined;
    this.#single?.newSocket(resuming);
    this.#roster?.newSocket(resuming);
    let opened = false;
    let cause: string | undefined;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#onFrame(socket, event.data);
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      const unreachable = opened ? undefined : unreachableError(this.#options.url, event.code, event.reason, cause);
      this.#onClose(event.code, event.reason, unreachable);
    };
    // The close event that follows says what matters (`ws` throws on unhandled errors);
    // only a socket that never opened needs the error's cause to be explained.
    socket.onerror = (event) => {
      cause ??= errorCause(event);
    };
  }

  #onFrame(socket: WebSocketLike, data: unknown): void {
    const { envelopes, errors } = decodeFrame(data);
    for (const error of errors) this.#reportError(error);
    for (const envelope of envelopes) {
      // A listener may have disconnected (or a reconnect begun) in the middle of a batch.
      if (this.#socket !== socket) return;
      this.#onEnvelope(envelope);
    }
  }

  #onEnvelope(wire: WireEnvelope): void {
    if (wire.kind === 'event') {
      this.#onCreatorEvent(wire);
      return;
    }
    const { envelope } = wire;
    switch (envelope.event) {
      case 'roomInfo':
        return this.#onRoomInfo(envelope);
      case 'liveStatus':
        return this.#onLiveStatus(envelope);
      case 'rosterInfo':
        return this.#onRosterInfo(envelope.data);
      case 'subscribed':
      case 'unsubscribed':
        return this.#onRosterChange(envelope.event === 'subscribed' ? 'subscribe' : 'unsubscribe', envelope.data);
      case 'error':
        return this.#onGatewayError(envelope.data);
    }
  }

  /** The creator an envelope is about; undefined when the client does not follow it (any more). */
  #track(uniqueId: string | undefined): CreatorTrack | undefined {
    if (this.#single) return this.#single;
    return uniqueId === undefined ? undefined : this.#roster!.get(uniqueId);
  }

  #onCreatorEvent(e: SeqEnvelope): void {
    const track = this.#track(e.uniqueId);
    // A roster's events of a creator just unsubscribed may still be on the way.
    if (!track) {
      if (e.uniqueId === undefined) this.#reportError(protocolError(`"${e.event}" on a roster socket names no uniqueId`));
      return;
    }
    if (!track.ready) {
      this.#reportError(protocolError(`"${e.event}" arrived before roomInfo`));
      return;
    }
    if (!track.cursor.admit(e.seq)) return;
    // Events newer than this SDK's types move the position but are not delivered.
    if (!KNOWN_EVENTS.has(e.event)) return;
    // The gateway is trusted for the shape of each event's data.
    const uniqueId = e.uniqueId ?? track.roomInfo!.uniqueId;
    const envelope = { event: e.event, data: e.data, seq: e.seq, uniqueId } as CreatorEnvelope;
    for (const iterator of this.#iterators) iterator.push(envelope);
    this.emitDynamic(envelope.event, [envelope.data, envelope]);
  }

  /** The gateway took the socket: it counts as a connection that worked, whatever follows. */
  #accept(): void {
    this.#socketReady = true;
    this.#attempt = 0;
    this.#failure = undefined;
    this.#sameFailures = 0;
  }

  #settle(result: ConnectResult<C>): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve(result);
  }

  #onRoomInfo(envelope: RoomInfoEnvelope): void {
    const info = envelope.data;
    const track = this.#track(info.uniqueId);
    if (!track) return;
    if (this.#roster ? !this.#socketReady : track.ready) {
      this.#reportError(protocolError(this.#roster ? 'roomInfo before rosterInfo' : 'a second roomInfo on one connection'));
      return;
    }
    const socket = this.#socket;
    // On a roster a second roomInfo means the creator's stream history restarted: a gap to report.
    const resuming = track.resuming || track.ready;
    track.ready = true;
    track.resuming = false;
    const resumed = track.cursor.applyRoomInfo(info);
    track.roomInfo = info;
    if (this.#single) {
      this.#accept();
      this.#state = 'open';
      this.#settle(info as ConnectResult<C>);
    }
    // Any listener may disconnect; later lifecycle events would then be stale.
    this.emit('roomInfo', info, envelope);
    if (this.#socket !== socket) return;
    this.emit('connected', info);
    if (resumed && resuming && this.#socket === socket) this.emit('resumed', resumed);
  }

  #onLiveStatus(envelope: LiveStatusEnvelope): void {
    const status = envelope.data;
    const track = this.#track(status.uniqueId);
    if (!track) return;
    track.liveStatus = status;
    if (!status.live) {
      // It is waited for: its next roomInfo starts a new LIVE on this socket.
      track.ready = false;
      track.resuming = false;
    }
    if (this.#single) {
      this.#accept();
      if (!status.live) this.#state = 'waiting';
    }
    this.emit('liveStatus', status, envelope);
  }

  #onRosterInfo(info: RosterInfoData): void {
    if (!this.#roster || this.#socketReady) {
      this.#reportError(protocolError(this.#roster ? 'a second rosterInfo on one connection' : 'rosterInfo on a single-creator socket'));
      return;
    }
    this.#accept();
    this.#rosterInfo = info;
    this.#roster.replace(info.creators);
    this.#state = 'open';
    this.#settle(info as ConnectResult<C>);
    this.#sendRequests();
  }

  #onRosterChange(action: 'subscribe' | 'unsubscribe', change: RosterChangeData): void {
    if (!this.#roster) {
      this.#reportError(protocolError(`"${action}d" on a single-creator socket`));
      return;
    }
    this.#roster.replace(change.creators);
    if (this.#rosterInfo) this.#rosterInfo = { ...this.#rosterInfo, creators: change.creators };
    this.#requests.answered(action, change);
  }

  #onGatewayError(data: ErrorData): void {
    if (this.#requests.refused(data)) return;
    // Refused at connect, or not found: the gateway no longer follows it (an upstream failure, 4500, is retried).
    if (data.uniqueId !== undefined && LEAVES_ROSTER.has(data.code)) this.#roster?.remove(data.uniqueId);
    this.#reportError(refusedError(data));
  }

  #onClose(code: number, reason: string, unreachable: TikTokLiveError | undefined): void {
    const failedBeforeAccepted = !this.#socketReady;
    this.#socket = undefined;
    this.#requests.socketLost();
    const attempt = this.#attempt + 1;
    const { reconnect } = this.#options;
    const delayMs = reconnect ? reconnectDelay(code, reason, attempt, reconnect) : undefined;
    if (delayMs === undefined) {
      const error = unreachable ?? closedError(code, reason);
      this.#stop(isNaturalEnd(code) ? undefined : error, error);
      this.emit('disconnected', { code, reason, willReconnect: false, ...(unreachable && { error: unreachable }) });
      return;
    }
    const sameFailures = failedBeforeAccepted ? this.#countFailure(unreachable?.message ?? `${code} ${reason}`) : 0;
    if (reconnect && (attempt > reconnect.maxAttempts || sameFailures >= reconnect.maxFailedReconnects)) {
      const error = exhaustedError(this.#attempt, code, reason, unreachable);
      this.#stop(error, error);
      this.emit('disconnected', { code, reason, willReconnect: false, error });
      return;
    }
    // State first, events after: a listener calling disconnect() must find the timer.
    this.#attempt = attempt;
    this.#state = 'reconnecting';
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#open(generation);
    }, delayMs);
    this.emit('disconnected', { code, reason, willReconnect: true, ...(unreachable && { error: unreachable }) });
    if (this.#generation === generation) this.emit('reconnecting', { attempt, delayMs });
  }

  /**
   * Counts a connection that failed before it was accepted: how many reconnects in a row
   * (the first connect is not one) have now failed this same way.
   */
  #countFailure(failure: string): number {
    const isReconnect = this.#attempt > 0;
    if (failure === this.#failure) this.#sameFailures += isReconnect ? 1 : 0;
    else this.#sameFailures = isReconnect ? 1 : 0;
    this.#failure = failure;
    return this.#sameFailures;
  }

  /** A failure outside any close (no WebSocket class, bad URL): stop with it. */
  #fail(error: unknown): void {
    const liveError =
      error instanceof TikTokLiveError
        ? error
        : new TikTokLiveError('ERR_WEBSOCKET_UNAVAILABLE', 'could not open a WebSocket', { cause: error });
    this.#stop(liveError, liveError);
  }

  /**
   * Stops for good. `error` ends the iterators (undefined: they end normally);
   * `pendingError` rejects a connect() (and roster requests) still waiting.
   */
  #stop(error: TikTokLiveError | undefined, pendingError: TikTokLiveError): void {
    this.#generation += 1;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#socket = undefined;
    this.#state = 'closed';
    this.#stopError = error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(pendingError);
    this.#requests.rejectAll(pendingError);
    for (const iterator of this.#iterators) iterator.end(error);
    this.#iterators.clear();
  }
}
