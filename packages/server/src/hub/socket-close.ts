import { truncateReason } from '@tiktool/protocol';

/** What closing needs of the client's WebSocket; the ws WebSocket provides it. */
export interface ClosableSocket {
  readonly readyState: number;
  close(code: number, reason: string): void;
  terminate(): void;
}

/** A client that has not completed the close handshake this long after our close frame is cut off. */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 5_000;

const WS_OPEN = 1;

/**
 * Closes one client socket, once, whoever asks first (a subscriber that found the client
 * too slow, the session limit, a revocation): the reason cut to fit a close frame, and a
 * client too slow to even read the close frame cut off.
 */
export class SocketClose {
  private closed = false;
  /**
   * The code of the close frame the gateway sent, if it sent one. A client that never
   * reads never gets it (its socket is cut, 1006), yet this is why it was closed.
   */
  sentCode: number | undefined;

  constructor(private readonly socket: ClosableSocket) {}

  readonly close = (code: number, reason: string): void => {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState === WS_OPEN) this.sentCode = code;
    // Upstream failures reach here with reasons of any length; a close frame holds 123 bytes.
    this.socket.close(code, truncateReason(reason));
    setTimeout(() => this.socket.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS).unref();
  };

  get isClosed(): boolean {
    return this.closed;
  }
}
