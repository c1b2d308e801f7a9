import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

async function waitForOutput(child: ChildProcess, output: () => string, text: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!output().includes(text)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not start: ${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A throwaway redis-server on a loopback port, without persistence (a restart loses everything). */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
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

/** One `tiktool serve` process of a cluster. */
export class GatewayNode {
  private out = '';
  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (d) => (this.out += d));
    child.stderr!.on('data', (d) => (this.out += d));
  }

  static async start(env: Record<string, string>): Promise<GatewayNode> {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new GatewayNode(port, child);
    await waitForOutput(child, () => node.out, 'tiktool listening', 'gateway node');
    return node;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.out;
  }

  /** Whether this node has taken a creator's upstream (it logs so). */
  owns(uniqueId: string): boolean {
    return this.out
      .split('\n')
      .some((l) => l.includes(`"creator":"${uniqueId}"`) && /took (the upstream|over)/.test(l));
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill(signal);
    await once(this.child, 'exit');
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
