import { CloseCode, InvalidParamError, normaliseUniqueId, type ErrorData, type RosterAction } from '@tiktool/protocol';
import { ROSTER_ACTION_ID_MAX_LENGTH, ROSTER_ACTION_WINDOW_MS, ROSTER_ACTIONS_PER_WINDOW } from '../defaults.js';
import { secondsUntil } from '../limits/limiter.js';

/** A client frame that is not a JSON object. */
export const NOT_AN_OBJECT = Symbol('not a JSON object');

/** What a client frame asks, read without trusting it: an action, or the error event that answers it. */
export function readRosterAction(frame: Record<string, unknown>): RosterAction | ErrorData {
  const { action, uniqueId, id } = frame;
  const echo = {
    ...(typeof action === 'string' && { action: action.slice(0, 20) }),
    ...(typeof id === 'string' && id.length <= ROSTER_ACTION_ID_MAX_LENGTH && { id }),
  };
  const invalid = (message: string): ErrorData => ({ code: CloseCode.INVALID_PARAMS, message, ...echo });
  if (action !== 'subscribe' && action !== 'unsubscribe') return invalid('action must be "subscribe" or "unsubscribe"');
  if (id !== undefined && (typeof id !== 'string' || id.length > ROSTER_ACTION_ID_MAX_LENGTH)) {
    return invalid(`id must be a string of at most ${ROSTER_ACTION_ID_MAX_LENGTH} characters`);
  }
  if (typeof uniqueId !== 'string') return invalid('uniqueId is required');
  try {
    return { action, uniqueId: normaliseUniqueId(uniqueId), ...(id !== undefined && { id }) };
  } catch (err) {
    if (err instanceof InvalidParamError) return invalid(err.message);
    throw err;
  }
}

/**
 * At most ROSTER_ACTIONS_PER_WINDOW actions per fixed window on one socket: each may
 * open an upstream, so a client looping subscribe/unsubscribe is told to wait.
 */
export class ActionRate {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one action; the error that refuses it when the window is full. */
  take(): ErrorData | undefined {
    const now = this.now();
    if (now - this.windowStart >= ROSTER_ACTION_WINDOW_MS) {
      this.windowStart = now;
      this.count = 0;
    }
    if (++this.count <= ROSTER_ACTIONS_PER_WINDOW) return undefined;
    const retry = secondsUntil(this.windowStart + ROSTER_ACTION_WINDOW_MS, now);
    return {
      code: CloseCode.RATE_LIMITED,
      message: `too many subscribe/unsubscribe frames: ${ROSTER_ACTIONS_PER_WINDOW} per ${ROSTER_ACTION_WINDOW_MS / 1000} s; retry after ${retry} s`,
    };
  }
}
