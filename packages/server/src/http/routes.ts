import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin, type AdminDeps } from './admin-routes.js';
import { handleApi, type ApiDeps } from './api-routes.js';
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
  webhooks: WebhookRouteDeps;
  admin: AdminDeps;
  logger: Logger;
}

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
    if (await deps.playground.handle(req, res, path)) return;
    if (await handleApi(deps.api, req, res, path)) return;
    if (await handleWebhooks(deps.webhooks, req, res, path)) return;
    if (await handleAdmin(deps.admin, req, res, path)) return;
    throw new HttpError(404, 'not_found', `no route for ${path}`);
  } catch (err) {
    const known = httpErrorOf(err);
    if (known) return sendError(res, known);
    deps.logger.error({ err, method: req.method, path }, 'request failed');
    sendError(res, new HttpError(500, 'internal_error', 'internal error'));
  }
}
