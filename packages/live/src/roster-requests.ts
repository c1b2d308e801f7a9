import type { ErrorData, RosterAction, RosterChangeData } from '@tiktool/protocol';
import { refusedError, type TikTokLiveError } from './errors.js';

type Action = RosterAction['action'];

interface Request {
  frame: Required<RosterAction>;
  resolve(creators: string[]): void;
  reject(error: Error): void;
  /** Sent on the current socket (false: waiting for the next one). */
  sent: boolean;
}

/**
 * The subscribe and unsubscribe frames a roster client has asked for and the gateway
 * has not answered yet, by the `id` the answer echoes. A request whose socket drops
 * before the answer is sent again on the next one: the reconnect asks for the roster as
 * the client last knew it, so the request still applies.
 */
export class RosterRequests {
  readonly #pending = new Map<string, Request>();
  #nextId = 0;

  /** A new request, to send at once or when a socket opens. */
  add(action: Action, uniqueId: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const id = `r${++this.#nextId}`;
      this.#pending.set(id, { frame: { action, uniqueId, id }, resolve, reject, sent: false });
    });
  }

  /** The frames not sent on the current socket yet; they count as sent from now on. */
  unsent(): string[] {
    const frames: string[] = [];
    for (const request of this.#pending.values()) {
      if (request.sent) continue;
      request.sent = true;
      frames.push(JSON.stringify(request.frame));
    }
    return frames;
  }

  /** The socket closed: what it carried is sent again on the next one. */
  socketLost(): void {
    for (const request of this.#pending.values()) request.sent = false;
  }

  /** The gateway's answer; true when it answers one of these requests. */
  answered(action: Action, data: RosterChangeData): boolean {
    const request = data.id === undefined ? undefined : this.#pending.get(data.id);
    if (!request || request.frame.action !== action) return false;
    this.#pending.delete(data.id!);
    request.resolve(data.creators);
    return true;
  }

  /** The gateway's error event; true when it refuses one of these requests. */
  refused(data: ErrorData): boolean {
    const request = data.id === undefined ? undefined : this.#pending.get(data.id);
    if (!request) return false;
    this.#pending.delete(data.id!);
    request.reject(refusedError(data));
    return true;
  }

  /** The client stopped: nothing pending will be answered. */
  rejectAll(error: TikTokLiveError): void {
    for (const request of this.#pending.values()) request.reject(error);
    this.#pending.clear();
  }
}
