import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControl, type ControlDeps } from './control-routes.js';
import type { FaultControl } from './fault-control.js';
import { json } from './http-json.js';
import { RoomLimitError, type RoomRegistry } from './room-registry.js';

/** What every HTTP route reads: the rooms, the faults, and where the push server is. */
export interface RouteContext {
  registry: RoomRegistry;
  faults: FaultControl;
  /** When set, the sign endpoints require this X-Api-Key. */
  signApiKey: string | undefined;
  /** The push WebSocket URL, as a client that sent `req` reaches it. */
  pushUrl(req: IncomingMessage): string;
  /** Calls of TikTok's endpoints that tests count. */
  calls: { giftLists: number };
}

export type Route = [RegExp, (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, q: URLSearchParams) => void];

/** An im/fetch-style answer: the protobuf body with TikTok's headers. */
export function sendFetchResult(res: ServerResponse, body: Buffer, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': body.length, ...headers });
  res.end(body);
}

/** The emulator's HTTP: the control API, then address faults, then TikTok's and the sign provider's GET routes. */
export function requestHandler(
  ctx: RouteContext,
  control: ControlDeps,
  routes: Route[],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (handleControl(control, req, res, url.pathname)) return;
    if (ctx.faults.addresses.answerRequest(req, res, url.pathname)) return;
    if (req.method !== 'GET') return json(res, 405, { message: 'method not allowed' });
    for (const [pattern, handle] of routes) {
      const m = pattern.exec(url.pathname);
      if (!m) continue;
      try {
        handle(req, res, m, url.searchParams);
      } catch (err) {
        // A full emulator answers like a TikTok that is shedding load.
        if (!(err instanceof RoomLimitError)) throw err;
        json(res, 429, { message: err.message });
      }
      return;
    }
    json(res, 404, { message: 'not found' });
  };
}
