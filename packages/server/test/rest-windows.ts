import type { Answer } from './openapi-check.js';

/**
 * Runs `attempt` (which makes requests with a fresh key) again when a minute window
 * rolled over during it, as X-RateLimit-Reset shows: the counts start over at the edge.
 */
export async function inOneMinute<T extends { answers: Answer[] }>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    const result = await attempt();
    const resets = new Set(result.answers.map((a) => a.headers.get('x-ratelimit-reset')));
    if (resets.size === 1 || tries === 2) return result;
  }
}
