import type { WebSocketConstructor } from '@tiktool/live';

/**
 * Close code of the Drop button. Browsers may only send 1000 and 3000-4999; 3000 is
 * outside the protocol's codes, so the SDK treats it as a transient failure and resumes.
 */
export const DROP_CODE = 3000;
const DROP_REASON = 'dropped in the playground';

/** The browser's WebSocket, remembering the SDK's current socket so Drop can close it. */
export class TrackedSockets {
  readonly WebSocket: WebSocketConstructor;
  private current: WebSocket | undefined;

  constructor() {
    const track = (socket: WebSocket) => {
      this.current = socket;
    };
    this.WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string[]) {
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
