/**
 * One request toward TikTok through the least used route, moving on to the next route
 * when one is blocked: how every lookup that is not a connect reaches TikTok.
 */

import type { HttpClient } from './http-client.js';
import type { RoutePool } from './route-pool.js';
import type { UpstreamRoute } from './upstream-route.js';
import { UpstreamError } from './upstream.js';

/** Rejects with the request's UpstreamError, or BLOCKED when every route is blocked. */
export async function throughRoutes<T>(routes: RoutePool, request: (http: HttpClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const tried = new Set<UpstreamRoute>();
  let lastError: UpstreamError | undefined;
  for (;;) {
    const route = routes.take(tried);
    if (!route)
      throw (
        lastError ?? new UpstreamError('BLOCKED', `every route to TikTok is backing off; retry after ${routes.secondsUntilAvailable()} s`)
      );
    tried.add(route);
    try {
      const answer = await request(route.http);
      routes.succeeded(route);
      return answer;
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.code !== 'BLOCKED' || signal?.aborted) throw err;
      routes.bench(route, err);
      lastError = err;
    } finally {
      routes.release(route);
    }
  }
}
