import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeDelivery } from '../webhooks/delivery.js';
import { describeEndpoint } from '../webhooks/webhook-endpoint.js';
import type { WebhookEndpoints } from '../webhooks/webhook-endpoints.js';
import { admitRequest, type GuardDeps } from './rest-guard.js';
import { HttpError, readJson, sendJson } from './rest.js';

export interface WebhookRouteDeps extends GuardDeps {
  webhooks: WebhookEndpoints;
}

const ROUTE = /^\/v1\/webhooks(?:\/([^/]+)(?:\/(deliveries|test|rotate-secret)(?:\/([^/]+)\/(retry))?)?)?\/?$/;

function method(req: IncomingMessage, allowed: string[]): string {
  const m = req.method ?? 'GET';
  if (!allowed.includes(m)) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use ${allowed.join(' or ')}`, { allow: allowed.join(', ') });
  return m;
}

/**
 * `/v1/webhooks...`, authenticated and counted like every REST route: a key's endpoints, their
 * deliveries, replay, a test ping and secret rotation. Returns false when the path is not theirs.
 */
export async function handleWebhooks(deps: WebhookRouteDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const m = ROUTE.exec(path);
  if (!m) return false;
  const [, id, sub, deliveryId] = m;
  if (deliveryId !== undefined && sub !== 'deliveries') return false;
  // Counted like every REST request of the key (X-RateLimit-*, 429).
  const p = await admitRequest(deps, req, res);
  const hooks = deps.webhooks;
  if (id === undefined) {
    if (method(req, ['GET', 'POST']) === 'GET') {
      sendJson(res, 200, { webhooks: (await hooks.list(p.key.id)).map(describeEndpoint) });
    } else {
      const created = await hooks.create(p.key, p.tier, await readJson(req));
      sendJson(res, 201, { ...describeEndpoint(created), secret: created.secret });
    }
  } else if (sub === undefined) {
    const verb = method(req, ['GET', 'PATCH', 'DELETE']);
    if (verb === 'GET') sendJson(res, 200, describeEndpoint(await hooks.get(p.key.id, id)));
    else if (verb === 'PATCH') sendJson(res, 200, describeEndpoint(await hooks.update(p.key, p.tier, id, await readJson(req))));
    else {
      await hooks.remove(p.key.id, id);
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
    }
  } else if (sub === 'deliveries' && deliveryId === undefined) {
    method(req, ['GET']);
    sendJson(res, 200, { deliveries: (await hooks.deliveries(p.key.id, id)).map(describeDelivery) });
  } else if (sub === 'deliveries') {
    method(req, ['POST']);
    await hooks.retry(p.key.id, id, deliveryId!);
    sendJson(res, 202, { id: deliveryId, status: 'pending' });
  } else if (sub === 'test') {
    method(req, ['POST']);
    sendJson(res, 202, { eventId: await hooks.test(p.key.id, id) });
  } else {
    method(req, ['POST']);
    const body = await readJson(req);
    const rotated = await hooks.rotate(p.key.id, id, body.graceSeconds);
    sendJson(res, 200, { ...describeEndpoint(rotated), secret: rotated.secret });
  }
  return true;
}
