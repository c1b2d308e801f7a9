import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthSnapshot {
  clients: number;
  creators: number;
  upstreamsOpened: number;
  sessions: number;
}

export interface HttpDeps {
  health(): HealthSnapshot;
  ready(): boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Plain HTTP requests: health, readiness, and a pointer to the WebSocket endpoint. */
export function handleHttp(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed here` });
  }
  switch (path) {
    case '/healthz':
      return sendJson(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()), ...deps.health() });
    case '/readyz': {
      const ready = deps.ready();
      return sendJson(res, ready ? 200 : 503, { ready });
    }
    case '/':
      return sendJson(res, 200, {
        service: 'tiktool',
        websocket: 'connect a WebSocket to / with ?uniqueId=USERNAME&apiKey=KEY',
        docs: 'https://github.com/tiktool/tiktool/blob/main/docs/protocol.md',
      });
    default:
      return sendJson(res, 404, { error: 'not_found', message: `no route for ${path}` });
  }
}
