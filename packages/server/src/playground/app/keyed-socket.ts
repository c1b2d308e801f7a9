import type { WebSocketConstructor } from '@tiktool/live';

/** The gateway's subprotocol, and the one that carries the key beside it (docs/protocol.md). */
const SUBPROTOCOL = 'tiktool.v1';
const KEY_SUBPROTOCOL_PREFIX = 'apikey.';

/**
 * Close code of the Drop button. Browsers may only send 1000 and 3000-4999; 3000 is
 * outside the protocol's codes, so the SDK treats it as a transient failure and resumes.
 */
export const DROP_CODE = 3000;
const DROP_REASON = 'dropped in the playground';

/**
 * The browser's WebSocket with the key offered as a subprotocol, so that the key never
 * appears in a URL (and so in no proxy log). Keeps the SDK's current socket for Drop.
 */
export class KeyedSockets {
  readonly WebSocket: WebSocketConstructor;
  private current: WebSocket | undefined;

  constructor(key: string) {
    const protocols = key ? [SUBPROTOCOL, KEY_SUBPROTOCOL_PREFIX + key] : [SUBPROTOCOL];
    const track = (socket: WebSocket) => {
      this.current = socket;
    };
    this.WebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url, protocols);
        track(this);
      }
    };
  }

  /** Closes the open socket the way a network failure would end it: the SDK reconnects and resumes. */
  drop(): void {
    if (this.current?.readyState === WebSocket.OPEN) this.current.close(DROP_CODE, DROP_REASON);
  }
}
