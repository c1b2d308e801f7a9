import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ProcessOutput, waitFor, PROCESS_START_TIMEOUT_MS } from '@tiktool/testkit';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** The line `tiktool serve` prints once it listens, with the port it got. */
export const LISTENING = /tiktool listening on ws:\/\/[\d.]+:(\d+)/;

/** Waits until a child process has printed the text; fails if it exits or takes too long. */
export async function waitForOutput(child: ChildProcess, output: () => string, text: string, what: string): Promise<void> {
  await waitFor(
    () => {
      if (output().includes(text)) return true;
      if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${output()}`);
      return false;
    },
    { timeoutMs: PROCESS_START_TIMEOUT_MS, what: `${what} to print "${text}"` },
  );
}

function parseLogLine(line: string): { creator?: string; msg?: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as { creator?: string; msg?: string };
  } catch {
    return undefined;
  }
}

/** `tiktool serve` as its own process, as users run it. */
export class GatewayProcess {
  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
    private readonly out: ProcessOutput,
  ) {}

  /**
   * Starts a gateway with these environment variables and waits until it listens. Without
   * a port it listens on one the kernel picks (no race with other tests) and says which.
   */
  static async start(env: Record<string, string>, port = 0): Promise<GatewayProcess> {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new ProcessOutput(child);
    try {
      const [, listening] = await out.waitForLine(LISTENING, 'gateway');
      return new GatewayProcess(Number(listening), child, out);
    } catch (err) {
      child.kill('SIGKILL'); // a gateway that did not start must not outlive the test
      throw err;
    }
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.out.all;
  }

  /** Whether this node has taken a creator's upstream: its structured log says so, as an operator reads it. */
  owns(uniqueId: string): boolean {
    const tag = `"creator":"${uniqueId}"`;
    return this.output.split('\n').some((line) => {
      const entry = line.includes(tag) ? parseLogLine(line) : undefined;
      return entry?.creator === uniqueId && /took (the upstream|over)/.test(entry.msg ?? '');
    });
  }

  /** Signals the process and resolves with its exit code. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    const [code] = (await once(this.child, 'exit')) as [number | null];
    return code;
  }
}

/** What the nodes of a multi-host test share: the account store, Redis, and the emulator standing in for TikTok. */
export interface SharedHosts {
  databaseUrl: string;
  redisUrl: string;
  emulatorUrl: string;
  /** More settings every node gets (keys, admin token, intervals). */
  env?: Record<string, string>;
}

/**
 * Gateway processes as nodes on separate hosts: each its own data directory, nothing
 * shared but Postgres, Redis and the upstream.
 */
export function startHosts(shared: SharedHosts, count = 2): Promise<GatewayProcess[]> {
  const env = {
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: shared.redisUrl,
    TIKTOOL_UPSTREAM: 'webcast',
    TIKTOK_WEB_URL: shared.emulatorUrl,
    TIKTOK_WEBCAST_URL: shared.emulatorUrl,
    SIGN_API_URL: shared.emulatorUrl,
    ...shared.env,
  };
  const own = () => ({ ...env, TIKTOOL_DB: join(mkdtempSync(join(tmpdir(), 'tiktool-host-')), 'tiktool.db') });
  return Promise.all(Array.from({ length: count }, () => GatewayProcess.start(own())));
}
