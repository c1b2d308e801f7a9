import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
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

/** Waits until a child process has printed the text; fails if it exits or takes too long. */
export async function waitForOutput(child: ChildProcess, output: () => string, text: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!output().includes(text)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not start: ${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `tiktool serve` as its own process, as users run it. */
export class GatewayProcess {
  private out = '';
  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (d) => (this.out += d));
    child.stderr!.on('data', (d) => (this.out += d));
  }

  /** Starts a gateway with these environment variables and waits until it listens. */
  static async start(env: Record<string, string>, port?: number): Promise<GatewayProcess> {
    const p = port ?? (await freePort());
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(p), '--host', '127.0.0.1'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new GatewayProcess(p, child);
    await waitForOutput(child, () => node.out, 'tiktool listening', 'gateway');
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

  /** Signals the process and resolves with its exit code. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    const [code] = (await once(this.child, 'exit')) as [number | null];
    return code;
  }
}
