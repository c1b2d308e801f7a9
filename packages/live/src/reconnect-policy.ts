import { closeCodeInfo, fullJitterDelay, retryAfterSeconds, type BackoffOptions } from '@tiktool/protocol';

/**
 * How long to wait before the attempt-th reconnect (1-based) after a close, following
 * the close code's rule from the protocol; undefined when the code forbids reconnecting.
 */
export function reconnectDelay(
  code: number,
  reason: string,
  attempt: number,
  backoff: BackoffOptions,
  random: () => number = Math.random,
): number | undefined {
  switch (closeCodeInfo(code).reconnect) {
    case 'none':
      return undefined;
    case 'resume':
      // The server asked us to come back (restart, slow consumer, session limit): the
      // first try is immediate; if that fails too, the server is not back yet.
      return attempt === 1 ? 0 : fullJitterDelay(attempt, backoff, random);
    case 'backoff':
      return fullJitterDelay(attempt, backoff, random);
    case 'delay': {
      // The server's delay is not capped: coming back earlier only earns another 4429.
      const seconds = retryAfterSeconds(reason);
      return seconds === undefined ? fullJitterDelay(attempt, backoff, random) : Math.ceil(seconds * 1000);
    }
  }
}
