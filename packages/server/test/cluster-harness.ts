import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { recentlyFreePort, startOnFreePort } from '@tiktool/testkit';
import { waitForOutput } from './gateway-process.js';

/** A throwaway redis-server on a loopback port, without persistence (a restart loses everything). */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  /** redis-server cannot report a port it picked: if another process took ours first, it tries another. */
  static async start(): Promise<RedisServer> {
    return startOnFreePort(recentlyFreePort, async (port) => {
      const server = new RedisServer(port);
      await server.restart();
      return server;
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    await this.stop();
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    this.child = child;
    await waitForOutput(child, () => out, 'Ready to accept connections', 'redis-server');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

/**
 * A TCP load balancer in front of the nodes: each new connection goes to the next node
 * that accepts it, so a client whose node died lands on a live one.
 */
export class LoadBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    private readonly ports: number[],
  ) {}

  static async start(ports: number[]): Promise<LoadBalancer> {
    const server = createServer();
    const lb = new LoadBalancer(server, ports);
    server.on('connection', (client) => lb.route(client, 0));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return lb;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(client: Socket, tried: number): void {
    if (tried >= this.ports.length) return void client.destroy();
    const port = this.ports[this.next++ % this.ports.length];
    const upstream = connect(port, '127.0.0.1');
    client.pause();
    upstream.once('error', () => this.route(client, tried + 1));
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const s of [client, upstream]) {
        s.on('error', drop);
        s.on('close', drop);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
