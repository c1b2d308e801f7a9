import type { IncomingMessage } from 'node:http';
import { CloseCode } from '@tiktool/protocol';
import type { RawData, WebSocket } from 'ws';
import { SocketClose } from '../hub/socket-close.js';
import type { Logger } from '../logger.js';
import type { DeliveryCount, GatewayMetrics, MeteredConnection } from '../metrics/gateway-metrics.js';
import { clientAddress } from './client-address.js';
import { NOT_AN_OBJECT } from './roster-action.js';

export interface ClientConnectionDeps {
  metrics: GatewayMetrics;
  logger: Logger;
  trustProxy: boolean;
}

/** What the 'connection closed' line says, filled in as the steps learn it. */
export interface ConnectionFacts {
  creator?: string;
  /** A roster socket: how many creators it asked for. */
  creators?: number;
  keyId?: string;
  tier?: string;
  sessionId?: string;
}

/** Takes the client's JSON-object frames (or NOT_AN_OBJECT for any other text frame). */
export type FrameHandler = (frame: Record<string, unknown> | typeof NOT_AN_OBJECT) => void;

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
  private readonly closer: SocketClose;
  private readonly metered: MeteredConnection;
  private delivery: DeliveryCount | undefined;
  private frames: FrameHandler | undefined;
  private closedByServer = false;

  constructor(
    readonly socket: WebSocket,
    readonly req: IncomingMessage,
    private readonly deps: ClientConnectionDeps,
  ) {
    this.address = clientAddress(req, deps.trustProxy);
    this.log = deps.logger.child({ remote: this.address });
    this.metered = deps.metrics.connectionOpened(req.socket);
    this.closer = new SocketClose(socket);
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
    this.closer.close(code, reason);
  };

  /** Runs `cleanup` when the socket closes, or now if it already has. */
  onClose(cleanup: () => void): void {
    if (this.signal.aborted) return cleanup();
    this.signal.addEventListener('abort', cleanup, { once: true });
  }

  /** Sends one message, unless the socket is no longer open. */
  send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** The client's frames go to `handler` from now on (the connection's roster). */
  onFrames(handler: FrameHandler): void {
    this.frames = handler;
  }

  /** The connection streams now; `delivery` counts what it sent. */
  streaming(delivery: DeliveryCount, tier: string): void {
    this.delivery = delivery;
    this.deps.metrics.connectionStreaming(this.metered, tier, delivery);
  }

  get eventsSent(): number {
    return this.delivery?.eventsSent ?? 0;
  }

  /**
   * Clients send JSON objects: keepalives, and on a roster socket subscribe frames.
   * Binary frames are a protocol violation; other text is the handler's to answer.
   */
  private received(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.close(CloseCode.POLICY_VIOLATION, 'binary frames are not accepted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const frame =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : NOT_AN_OBJECT;
    if (this.frames) return this.frames(frame);
    if (frame === NOT_AN_OBJECT) this.close(CloseCode.POLICY_VIOLATION, 'client messages must be JSON objects');
  }

  private closed(wireCode: number): void {
    // The code the gateway sent is why it closed, even when the client never read it (1006).
    const code = this.closer.sentCode ?? wireCode;
    this.deps.metrics.connectionClosed(this.metered, code, this.closedByServer || this.closer.isClosed);
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
