import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/**
 * Listens on a port the kernel picks and returns it: the server holds the port from the
 * start, so no other test can take it in between (as "find a free port, then bind" allows).
 */
export async function listenOnFreePort(server: Server, host = '127.0.0.1'): Promise<number> {
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** How many ports startOnFreePort tries before giving up. */
export const PORT_ATTEMPTS = 5;

/**
 * For a program that cannot listen on port 0 and report it (redis-server): picks a port,
 * starts the program on it, and if another process took the port meanwhile (the start
 * fails with "address already in use"), tries another.
 */
export async function startOnFreePort<T>(pick: () => Promise<number>, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await pick();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !/address already in use|EADDRINUSE/i.test(String(err))) throw err;
    }
  }
}

/** A port that was free a moment ago (the kernel's pick, released): only for startOnFreePort. */
export async function recentlyFreePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnFreePort(server);
  await new Promise((r) => server.close(r));
  return port;
}
