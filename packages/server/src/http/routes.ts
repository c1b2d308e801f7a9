import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin, type AdminDeps } from './admin-routes.js';
import { handleApi, type ApiDeps } from './api-routes.js';
import { handleGifts, type GiftRouteDeps } from './gift-routes.js';
import { handleLive, type LiveRouteDeps } from './live-routes.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { handleRooms, type RoomRouteDeps } from './room-routes.js';
import { handleUsers, type UserRouteDeps } from './user-routes.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { PlaygroundPage } from '../playground/playground-page.js';
import { HttpError, httpErrorOf, sendError, sendJson } from './rest.js';
import { handleWebhooks, type WebhookRouteDeps } from './webhook-routes.js';

export interface HealthSnapshot {
  clients: number;
  creators: number;
  upstreamsOpened: number;
  sessions: number;
}

export interface HttpDeps {
  health(): HealthSnapshot;
  ready(): boolean;
  metrics: GatewayMetrics;
  playground: PlaygroundPage;
  api: ApiDeps;
  /** The REST lookups: live, rooms, users, gifts. */
  rest: RestDeps;
  /** A key's webhook endpoints and their deliveries. */
  webhooks: WebhookRouteDeps;
  admin: AdminDeps;
  logger: Logger;
}

export type RestDeps = LiveRouteDeps & RoomRouteDeps & UserRouteDeps & GiftRouteDeps;

const openApi = JSON.stringify(openApiDocument());

/** Plain HTTP requests: health, readiness, metrics, the playground, the REST API, and the admin API. */
export async function handleHttp(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  try {
    if (path === '/healthz') {
      return sendJson(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()), ...deps.health() });
    }
    if (path === '/readyz') {
      const ready = deps.ready();
      return sendJson(res, ready ? 200 : 503, { ready });
    }
    if (path === '/metrics') {
      const body = await deps.metrics.scrape();
      res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
      return void res.end(body);
    }
    if (path === '/v1/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
      return void res.end(openApi);
    }
    if (await deps.playground.handle(req, res, path)) return;
    if (await handleApi(deps.api, req, res, path)) return;
    if (await handleLive(deps.rest, req, res, path)) return;
    if (await handleRooms(deps.rest, req, res, path)) return;
    if (await handleUsers(deps.rest, req, res, path)) return;
    if (await handleGifts(deps.rest, req, res, path)) return;
    if (await handleWebhooks(deps.webhooks, req, res, path)) return;
    if (await handleAdmin(deps.admin, req, res, path)) return;
    throw new HttpError(404, 'NOT_FOUND', `no route for ${path}`);
  } catch (err) {
    const known = httpErrorOf(err);
    if (known) return sendError(res, known);
    deps.logger.error({ err, method: req.method, path }, 'request failed');
    sendError(res, new HttpError(500, 'INTERNAL_ERROR', 'internal error'));
  }
}
