import {
  CREATOR_EVENT_NAMES,
  CloseCode,
  credentialProtocols,
  formatConnectQuery,
  type CreatorEnvelope,
  type RoomInfoData,
} from '@tiktool/protocol';
import type { ClientEventArgs } from './client-events.js';
import { StreamCursor } from './cursor.js';
import { DISCONNECT_CODE, DISCONNECT_REASON } from './defaults.js';
import { TypedEmitter } from './emitter.js';
import { closedError, exhaustedError, TikTokLiveError, unreachableError } from './errors.js';
import { EventIterator } from './event-iterator.js';
import { decodeFrame, isRoomInfoEnvelope, type WireEnvelope } from './frame.js';
import { resolveOptions, type ResolvedOptions, type TikTokLiveOptions } from './options.js';
import { reconnectDelay } from './reconnect-policy.js';
import { resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './transport.js';

/**
 * - `idle`: created, connect() not called yet.
 * - `connecting`: connect() called, waiting for the first roomInfo.
 * - `open`: roomInfo received; events flow.
 * - `reconnecting`: dropped; waiting to reconnect or for the new connection's roomInfo.
 * - `closed`: stopped for good (disconnect(), a final close code, or give-up).
 *   connect() starts again from here, resuming the same session.
 */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

const KNOWN_EVENTS: ReadonlySet<string> = new Set(CREATOR_EVENT_NAMES);

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

/**
 * A connection to a tiktool gateway for one creator's LIVE events.
 *
 * Delivery is exactly-once and in order across reconnects: the client resumes its
 * session with the seq of the last event it delivered, and drops anything at or below
 * that seq. When the gateway cannot fill a gap, `resumed` says `recovered: false`.
 *
 * Register listeners, and start `for await` loops, before connect() resolves: events
 * can arrive in the same tick as roomInfo, ahead of an awaited connect().
 *
 * Errors: the `error` event gets exceptions thrown by your listeners (as
 * `ERR_HANDLER`) and frames that break the wire contract (`ERR_PROTOCOL`). As with
 * Node's EventEmitter, with no `error` listener they are rethrown asynchronously.
 *
 * @example
 * const client = new TikTokLive('streamer_username', { apiKey: 'YOUR_KEY' })
 * client.on('chat', (e) => console.log(`${e.user.uniqueId}: ${e.comment}`))
 * client.connect()
 */
export class TikTokLive extends TypedEmitter<ClientEventArgs> implements AsyncIterable<CreatorEnvelope> {
  /** The creator as given; the gateway normalises `@name` and profile URLs. */
  readonly uniqueId: string;
  readonly #options: ResolvedOptions;
  readonly #cursor = new StreamCursor();
  #state: ClientState = 'idle';
  #roomInfo: RoomInfoData | undefined;
  #socket: WebSocketLike | undefined;
  /** Whether the current socket has delivered its roomInfo (events before it are invalid). */
  #socketReady = false;
  #attempt = 0;
  /** How the last connection that never reached roomInfo failed, and how many reconnects in a row failed so. */
  #failure: string | undefined;
  #sameFailures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every stop, so work started before it (an await, a timer) is void. */
  #generation = 0;
  #pending: Deferred<RoomInfoData> | undefined;
  readonly #iterators = new Set<EventIterator<CreatorEnvelope>>();
  /** Why the client last stopped, if it was an error; handed to late iterators. */
  #stopError: TikTokLiveError | undefined;

  constructor(uniqueId: string, options: TikTokLiveOptions = {}) {
    super();
    if (typeof uniqueId !== 'string' || uniqueId.trim() === '') {
      throw new TikTokLiveError('ERR_INVALID_ARGUMENT', 'uniqueId must be a non-empty string');
    }
    this.uniqueId = uniqueId.trim();
    this.#options = resolveOptions(options);
  }

  get state(): ClientState {
    return this.#state;
  }

  /** The session to resume, from the last roomInfo. */
  get sessionId(): string | undefined {
    return this.#cursor.sessionId;
  }

  /** Seq of the last event delivered, or the stream's seq when the session began. */
  get lastSeq(): number | undefined {
    return this.#cursor.lastSeq;
  }

  /** The creator stream's epoch from the last roomInfo; seqs compare only within one. */
  get epoch(): string | undefined {
    return this.#cursor.epoch;
  }

  /** The last roomInfo received. */
  get roomInfo(): RoomInfoData | undefined {
    return this.#roomInfo;
  }

  /**
   * Connects (or, after a stop, reconnects resuming the same session). Resolves with
   * the next roomInfo; at once when already open. Reconnectable closes before it are
   * retried, until `reconnect.maxFailedReconnects` fail the same way. Rejects with a
   * {@link TikTokLiveError}: `ERR_CONNECTION_CLOSED` on a final close code (e.g.
   * `closeCode` 4401, 4404), `ERR_UNREACHABLE` when the gateway cannot be reached,
   * `ERR_RECONNECT_EXHAUSTED`, or `ERR_DISCONNECTED` when disconnect() comes first.
   */
  connect(): Promise<RoomInfoData> {
    if (this.#state === 'open' && this.#roomInfo) return Promise.resolve(this.#roomInfo);
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
   * Closes with 1000 and stops reconnecting. Nothing is delivered after this returns;
   * iterators end normally. Emits `disconnected` when a socket was open.
   */
  disconnect(): void {
    if (this.#state === 'idle' || this.#state === 'closed') return;
    const socket = this.#socket;
    this.#stop(undefined, new TikTokLiveError('ERR_DISCONNECTED', 'disconnect() was called before roomInfo'));
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

  /** The key travels as a subprotocol, out of URLs that proxies log; in the query only if it cannot. */
  #protocols(): string[] | undefined {
    return credentialProtocols({ apiKey: this.#options.apiKey, jwtKey: this.#options.jwtKey });
  }

  #url(inProtocols: boolean): string {
    const url = new URL(this.#options.url);
    const query = formatConnectQuery({
      uniqueId: this.uniqueId,
      apiKey: inProtocols ? undefined : this.#options.apiKey,
      jwtKey: inProtocols ? undefined : this.#options.jwtKey,
      sessionId: this.#cursor.sessionId,
      lastSeq: this.#cursor.lastSeq,
      events: this.#options.events,
      batch: this.#options.batch,
      gifts: this.#options.gifts,
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

  #onEnvelope(envelope: WireEnvelope): void {
    if (isRoomInfoEnvelope(envelope)) {
      this.#onRoomInfo(envelope.data);
      return;
    }
    if (!this.#socketReady) {
      this.#reportError(new TikTokLiveError('ERR_PROTOCOL', `"${envelope.event}" arrived before roomInfo`));
      return;
    }
    if (!this.#cursor.admit(envelope.seq)) return;
    // Events newer than this SDK's types move the position but are not delivered.
    if (!KNOWN_EVENTS.has(envelope.event)) return;
    // The gateway is trusted for the shape of each event's data.
    const creatorEnvelope = envelope as CreatorEnvelope;
    for (const iterator of this.#iterators) iterator.push(creatorEnvelope);
    this.emitDynamic(creatorEnvelope.event, [creatorEnvelope.data, creatorEnvelope]);
  }

  #onRoomInfo(info: RoomInfoData): void {
    if (this.#socketReady) {
      this.#reportError(new TikTokLiveError('ERR_PROTOCOL', 'a second roomInfo on one connection'));
      return;
    }
    const socket = this.#socket;
    this.#socketReady = true;
    const resumed = this.#cursor.applyRoomInfo(info);
    this.#roomInfo = info;
    this.#state = 'open';
    this.#attempt = 0;
    this.#failure = undefined;
    this.#sameFailures = 0;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve(info);
    // Any listener may disconnect; later lifecycle events would then be stale.
    this.emit('roomInfo', info, { event: 'roomInfo', data: info });
    if (this.#socket !== socket) return;
    this.emit('connected', info);
    if (resumed && this.#socket === socket) this.emit('resumed', resumed);
  }

  #onClose(code: number, reason: string, unreachable: TikTokLiveError | undefined): void {
    const failedBeforeRoomInfo = !this.#socketReady;
    this.#socket = undefined;
    const attempt = this.#attempt + 1;
    const { reconnect } = this.#options;
    const delayMs = reconnect ? reconnectDelay(code, reason, attempt, reconnect) : undefined;
    if (delayMs === undefined) {
      const error = unreachable ?? closedError(code, reason);
      this.#stop(isNaturalEnd(code) ? undefined : error, error);
      this.emit('disconnected', { code, reason, willReconnect: false, ...(unreachable && { error: unreachable }) });
      return;
    }
    const sameFailures = failedBeforeRoomInfo ? this.#countFailure(unreachable?.message ?? `${code} ${reason}`) : 0;
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
   * Counts a connection that failed before roomInfo: how many reconnects in a row
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
   * `pendingError` rejects a connect() still waiting for roomInfo.
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
    for (const iterator of this.#iterators) iterator.end(error);
    this.#iterators.clear();
  }
}
