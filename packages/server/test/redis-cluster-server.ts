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
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string): Promise<ClusterNode> {
    return startOnFreePort(recentlyFreePort, async (port) => {
      const bus = await recentlyFreePort();
      // biome-ignore format: one flag and its value a line
      const child = spawn('redis-server', [
        '--port', String(port),
        '--cluster-port', String(bus),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
        '--dir', dir,
        '--save', '',
        '--appendonly', 'no',
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
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
        child.kill('SIGKILL');
        throw err;
      }
      return new ClusterNode(port, child);
    });
  }

  async clusterInfo(): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), 'cluster', 'info']);
    return stdout;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await once(this.child, 'exit');
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
      const allOk = async () => (await Promise.all(nodes.map((n) => n.clusterInfo()))).every((i) => i.includes('cluster_state:ok'));
      await waitFor(allOk, { timeoutMs: PROCESS_START_TIMEOUT_MS, what: 'every node of the Redis Cluster to report cluster_state:ok' });
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

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
