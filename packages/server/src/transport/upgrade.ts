import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

/** The paths a client may open its WebSocket on. */
const WS_PATHS = new Set(['/', '/ws']);

/**
 * Hands upgrade requests on the WebSocket paths to `wss`; any other path gets 404, and
 * every upgrade gets 503 once the gateway is shutting down.
 */
export function routeUpgrades(server: Server, wss: WebSocketServer, closing: () => boolean): void {
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0];
    if (closing() || !WS_PATHS.has(path)) {
      socket.end(closing() ? 'HTTP/1.1 503 Service Unavailable\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
}
