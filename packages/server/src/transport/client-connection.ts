import type { IncomingMessage } from 'node:http';
import { CloseCode, truncateReason } from '@tiktool/protocol';
import type { RawData, WebSocket } from 'ws';
import type { Subscriber } from '../hub/subscriber.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics, MeteredConnection } from '../metrics/gateway-metrics.js';
import { clientAddress } from './client-address.js';

export interface ClientConnectionDeps {
  metrics: GatewayMetrics;
  logger: Logger;
  trustProxy: boolean;
}

/** What the 'connection closed' line says, filled in as the steps learn it. */
export interface ConnectionFacts {
  creator?: string;
  keyId?: string;
  tier?: string;
  sessionId?: string;
}

/**
 * One client socket and everything that must be undone when it closes. Each step of a
 * connection registers its own cleanup with `onClose`; the socket's 'close' aborts
 * `signal`, which runs them and stops any step still waiting.
 */
export class ClientConnection {
  readonly openedAt = Date.now();
  readonly address: string;
  readonly log: Logger;
  readonly facts: ConnectionFacts = {};
  private readonly closing = new AbortController();
  private readonly metered: MeteredConnection;
  private subscriber: Subscriber | undefined;
  /** The code this connection sent before it had a subscriber to send it. */
  private sentCode: number | undefined;
  private closedByServer = false;

  constructor(
    readonly socket: WebSocket,
    readonly req: IncomingMessage,
    private readonly deps: ClientConnectionDeps,
  ) {
    this.address = clientAddress(req, deps.trustProxy);
    this.log = deps.logger.child({ remote: this.address });
    this.metered = deps.metrics.connectionOpened(req.socket);
    socket.on('message', (data, isBinary) => this.received(data, isBinary));
    socket.on('close', (wireCode) => this.closed(wireCode));
  }

  /** Aborted when the socket closes, for whatever reason. */
  get signal(): AbortSignal {
    return this.closing.signal;
  }

  /** Closes the socket from the gateway's side; the same function for every caller, so it can be compared. */
  readonly close = (code: number, reason: string): void => {
    this.closedByServer = true;
    if (this.subscriber) return this.subscriber.close(code, truncateReason(reason));
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.sentCode ??= code;
      this.socket.close(code, truncateReason(reason));
    }
  };

  /** Runs `cleanup` when the socket closes, or now if it already has. */
  onClose(cleanup: () => void): void {
    if (this.signal.aborted) return cleanup();
    this.signal.addEventListener('abort', cleanup, { once: true });
  }

  /** Events flow through `subscriber` from now on; it also closes the socket. */
  streaming(subscriber: Subscriber, tier: string, resume: { recovered: boolean } | undefined): void {
    this.subscriber = subscriber;
    this.deps.metrics.connectionStreaming(this.metered, tier, subscriber, resume);
  }

  get eventsSent(): number {
    return this.subscriber?.eventsSent ?? 0;
  }

  /** Clients only send keepalive JSON objects; anything else is a protocol violation. */
  private received(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.close(CloseCode.POLICY_VIOLATION, 'binary frames are not accepted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return this.close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
    }
  }

  private closed(wireCode: number): void {
    // The code the gateway sent is why it closed, even when the client never read it (1006).
    const code = this.subscriber?.sentCloseCode ?? this.sentCode ?? wireCode;
    this.deps.metrics.connectionClosed(this.metered, code, this.closedByServer || this.subscriber?.isClosed === true);
    this.closing.abort();
    this.log.info(
      {
        ...this.facts,
        durationMs: Date.now() - this.openedAt,
        closeCode: code,
        ...(code !== wireCode && { wireCloseCode: wireCode }),
        eventsSent: this.eventsSent,
      },
      'connection closed',
    );
  }
}
