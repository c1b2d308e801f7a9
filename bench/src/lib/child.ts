/**
 * A benchmark process: node on a script, with its open-file limit raised, an IPC channel
 * (advanced serialization, so Buffers and typed arrays cross it as they are) and
 * request/response calls over it. Every child also loads the usage probe, so any of them
 * (the gateway CLI included, which has no code for it) reports its CPU and memory.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('../procs/probe.js', import.meta.url));

export interface ChildSpec {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  nodeFlags?: string[];
  /** Open-file limit of the process (sockets). */
  nofile?: number;
  /** The script answers commands (procs/serve.ts); otherwise only the probe does. */
  serves?: boolean;
  /** Scheduling niceness (a load generator runs behind what it measures). */
  nice?: number;
  /** The probe ends the process after this long at the latest (a long soak needs more than its default). */
  lifetimeMs?: number;
}

export interface Usage {
  /** process.cpuUsage(): user + system, µs. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** performance.timeOrigin + performance.now() in the child when it answered. */
  at: number;
  /** Since the previous usage call: event-loop delay p99 and max, GC pause max and total (ms). */
  loopP99Ms: number;
  loopMaxMs: number;
  gcMaxMs: number;
  gcTotalMs: number;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class Child {
  readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  readonly exited: Promise<number | null>;
  /** A message sent before the child listens would be lost: calls wait for its hello. */
  private readonly ready: Promise<void>;

  constructor(readonly spec: ChildSpec) {
    const node = [...(spec.nodeFlags ?? []), '--import', PROBE, spec.script, ...(spec.args ?? [])];
    // bash raises the limit, then execs node (through nice): the child's pid is node's own.
    const nice = spec.nice ? `nice -n ${spec.nice} ` : '';
    this.proc = spawn('bash', ['-c', `ulimit -n ${spec.nofile ?? 4096} && exec ${nice}"$0" "$@"`, process.execPath, ...node], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, ...(spec.lifetimeMs && { PROBE_LIFETIME_MS: String(spec.lifetimeMs) }), ...spec.env },
    });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
    });
    let hello: () => void;
    this.ready = new Promise((resolve) => (hello = resolve));
    const awaited = spec.serves ? 'serve' : 'probe';
    this.proc.on('message', (m: { id?: number; ok?: boolean; value?: unknown; error?: string; ready?: string }) => {
      if (m.ready === awaited) hello();
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${spec.name}: ${m.error}`));
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code) => {
        for (const p of this.pending.values()) p.reject(new Error(`${spec.name} exited (${code}): ${this.stderrTail}`));
        this.pending.clear();
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Sends a command and resolves with the child's answer (or rejects after timeoutMs). */
  call<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.spec.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      void this.ready.then(() => this.proc.send({ id, cmd, ...args }));
    });
  }

  usage(): Promise<Usage> {
    return this.call<Usage>('probe.usage');
  }

  /** A full GC (the child runs with --expose-gc), then usage. */
  usageAfterGc(): Promise<Usage> {
    return this.call<Usage>('probe.gc');
  }

  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
