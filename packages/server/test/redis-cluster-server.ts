import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROCESS_START_TIMEOUT_MS, recentlyFreePort, startOnFreePort, waitFor } from '@tiktool/testkit';
import { waitForOutput } from './gateway-process.js';

const run = promisify(execFile);

/** How long a node may be silent before the others mark it failed: short, so a test sees a failover soon. */
const NODE_TIMEOUT_MS = 2_000;

/** One redis-server in cluster mode, its client port and cluster bus port both picked free. */
class ClusterNode {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly bus: number,
    private readonly dir: string,
  ) {}

  static async start(dir: string): Promise<ClusterNode> {
    return startOnFreePort(recentlyFreePort, async (port) => {
      const node = new ClusterNode(port, await recentlyFreePort(), dir);
      await node.restart();
      return node;
    });
  }

  /** Starts the node on its ports again; its nodes.conf brings it back with its id and slots (its data is gone). */
  async restart(): Promise<void> {
    await this.stop();
    // biome-ignore format: one flag and its value a line
    const child = spawn('redis-server', [
      '--port', String(this.port),
      '--cluster-port', String(this.bus),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${this.port}.conf`,
      '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
      '--dir', this.dir,
      '--save', '',
      '--appendonly', 'no',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // A test process that dies without its after hooks must not leave the node running.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.off('exit', orphanGuard));
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      await waitForOutput(child, () => out, 'Ready to accept connections', 'redis-server (cluster node)');
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async clusterInfo(): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), 'cluster', 'info']).catch(() => ({ stdout: '' }));
    return stdout;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

/**
 * A throwaway Redis Cluster of `masters` masters without replicas on loopback ports,
 * without persistence: `redis-cli --cluster create` spreads the 16384 slots over them.
 */
export class RedisClusterServer {
  private constructor(
    private readonly nodes: ClusterNode[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<RedisClusterServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tiktool-redis-cluster-'));
    const nodes: ClusterNode[] = [];
    const cluster = new RedisClusterServer(nodes, dir);
    try {
      for (let i = 0; i < masters; i++) nodes.push(await ClusterNode.start(dir));
      const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
      await cluster.healthy();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** REDIS_URL naming the cluster by its seed nodes. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** Resolves once every node reports cluster_state:ok: all slots served. */
  async healthy(): Promise<void> {
    const allOk = async () => (await Promise.all(this.nodes.map((n) => n.clusterInfo()))).every((i) => i.includes('cluster_state:ok'));
    await waitFor(allOk, { timeoutMs: PROCESS_START_TIMEOUT_MS, what: 'every node of the Redis Cluster to report cluster_state:ok' });
  }

  /** Kills the master on `port` (SIGKILL: a crash). */
  async kill(port: number): Promise<void> {
    await this.node(port).stop();
  }

  /** Starts the master on `port` again, empty, and waits until the cluster is healthy. */
  async revive(port: number): Promise<void> {
    await this.node(port).restart();
    await this.healthy();
  }

  private node(port: number): ClusterNode {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no cluster node on port ${port}`);
    return node;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
