/**
 * Real outbound proxies on loopback for the upstream tests: an HTTP CONNECT proxy
 * (TooTallNate's `proxy`) and a SOCKS5 server (@pondwader/socks5-server), each with a
 * username and password, leaving from an address of its own (127.0.0.x) so the emulator
 * can tell who reached it, and logging every tunnel it opens.
 */

import { createServer as createHttpServer, type Server } from 'node:http';
import { createConnection, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createSocksServer } from '@pondwader/socks5-server';
import { createProxy } from 'proxy';

export interface LoopbackProxy {
  /** The proxy's URL, credentials included. */
  readonly url: string;
  /** host:port of every tunnel it opened, in order. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

export const PROXY_USER = 'tiktool';

function listening(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startHttpProxy(egress: string, password: string): Promise<LoopbackProxy> {
  const server = createProxy(createHttpServer());
  server.localAddress = egress;
  const expected = `Basic ${Buffer.from(`${PROXY_USER}:${password}`).toString('base64')}`;
  server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  const tunnels: string[] = [];
  server.on('connect', (req) => tunnels.push(req.url ?? ''));
  const port = await listening(server);
  return {
    url: `http://${PROXY_USER}:${password}@127.0.0.1:${port}`,
    tunnels,
    close: () => closeServer(server),
  };
}

export async function startSocksProxy(egress: string, password: string): Promise<LoopbackProxy> {
  const socks = createSocksServer({ auth: { username: PROXY_USER, password } });
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  socks.setConnectionHandler((conn, sendStatus) => {
    tunnels.push(`${conn.destAddress}:${conn.destPort}`);
    const out = createConnection({ host: conn.destAddress, port: conn.destPort, localAddress: egress });
    sockets.add(out);
    out.on('close', () => sockets.delete(out));
    out.once('connect', () => {
      sendStatus('REQUEST_GRANTED');
      conn.socket.pipe(out).pipe(conn.socket);
    });
    out.on('error', () => {
      sendStatus('HOST_UNREACHABLE');
      conn.socket.destroy();
    });
    conn.socket.on('error', () => out.destroy());
    conn.socket.on('close', () => out.destroy());
  });
  // Our own listener hands each connection to the SOCKS server (its documented entry point).
  const clients = new Set<Socket>();
  const server = createNetServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    socks._handleConnection(client);
  });
  const port = await listening(server);
  return {
    url: `socks5://${PROXY_USER}:${password}@127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...sockets, ...clients]) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening: a dead proxy. */
export async function deadPort(): Promise<number> {
  const server = createNetServer();
  const port = await listening(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
