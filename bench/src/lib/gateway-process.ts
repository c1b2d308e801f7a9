/**
 * The gateway under test in its own process: the real CLI (`tiktool serve`), upstream
 * `webcast` pointed at an emulator over loopback, keys in an in-memory database, and a
 * bootstrap key on a tier without limits (the bench measures the gateway, not its tiers).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Child } from './child.js';

const CLI = fileURLToPath(new URL('../../../packages/server/dist/src/cli.js', import.meta.url));

export const BENCH_KEY = 'tt_bench_key_0000000000000000000000000001';
const ADMIN_TOKEN = 'bench-admin-token-0000000000000001';
const BENCH_TIER = {
  bench: {
    maxSockets: 1_000_000,
    connectsPerHour: null,
    maxSessionMinutes: 600,
    maxCreators: 100_000,
    requestsPerMinute: null,
    requestsPerDay: null,
    maxBulkNames: 200,
  },
};

export interface GatewayProcess {
  child: Child;
  wsUrl: string;
  /** ws URL of a creator's stream, with the bench key unless params has another apiKey. */
  url(uniqueId: string, params?: Record<string, string>): string;
  /** Creates keys of a tier through the admin API. */
  createKeys(count: number, tier: string): Promise<string[]>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface GatewayOptions {
  emulatorUrl: string;
  nofile?: number;
  env?: Record<string, string>;
  /** Writes a V8 CPU profile of the gateway here when it exits. */
  profileDir?: string;
  name?: string;
  /** Longest life of the process (ms); see ChildSpec.lifetimeMs. */
  lifetimeMs?: number;
}

export async function startGatewayProcess(o: GatewayOptions): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'tiktool-bench-'));
  const tiers = join(dir, 'tiers.json');
  writeFileSync(tiers, JSON.stringify(BENCH_TIER));
  const port = await freePort();
  const child = new Child({
    name: o.name ?? 'gateway',
    script: CLI,
    args: ['serve'],
    nofile: o.nofile,
    lifetimeMs: o.lifetimeMs,
    nodeFlags: ['--expose-gc', ...(o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileDir] : [])],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      TIKTOOL_DB: ':memory:',
      TIKTOOL_UPSTREAM: 'webcast',
      TIKTOK_WEB_URL: o.emulatorUrl,
      TIKTOK_WEBCAST_URL: o.emulatorUrl,
      SIGN_API_URL: o.emulatorUrl,
      TIKTOOL_BOOTSTRAP_KEY: BENCH_KEY,
      TIKTOOL_BOOTSTRAP_TIER: 'bench',
      TIKTOOL_TIERS: tiers,
      TIKTOOL_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      ...o.env,
    },
  });
  try {
    await Promise.race([
      waitHealthy(`http://127.0.0.1:${port}/healthz`),
      child.exited.then((code) => {
        throw new Error(`gateway exited (${code}): ${child.stderr}`);
      }),
    ]);
  } catch (err) {
    await child.stop();
    throw err;
  }
  const wsUrl = `ws://127.0.0.1:${port}`;
  return {
    child,
    wsUrl,
    url: (uniqueId, params = {}) => `${wsUrl}/?${new URLSearchParams({ uniqueId, apiKey: BENCH_KEY, ...params })}`,
    createKeys: async (count, tier) => {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/v1/admin/keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ tier, label: `bench ${i}` }),
        });
        if (res.status !== 201) throw new Error(`creating a key: HTTP ${res.status} ${await res.text()}`);
        keys.push(((await res.json()) as { key: string }).key);
      }
      return keys;
    },
    stop: () => child.stop(),
  };
}
