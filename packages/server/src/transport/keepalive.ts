import type { WebSocket, WebSocketServer } from 'ws';

const alive = new WeakSet<WebSocket>();

/**
 * Pings every client each interval; a client that did not answer the previous ping is
 * terminated, so dead peers (no FIN, e.g. a vanished mobile) do not hold slots forever.
 */
export function startKeepalive(wss: WebSocketServer, intervalMs: number): () => void {
  wss.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  });
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
