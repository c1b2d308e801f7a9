/**
 * Benchmark 6: connects/s with the key check, accounts in the SQLite file against
 * accounts in Postgres (DATABASE_URL, a local server the bench starts). The same 40
 * ultra keys, created through the admin API, sign in every client; a known key is
 * checked from the node's cache, so Postgres should cost no round trip per connect.
 * Rounds alternate between the stores so machine noise falls on both.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@tiktool/emulator';
import { PostgresServer } from '../../../packages/server/dist/test/postgres-server.js';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';

const CLIENTS = 4_000;
const CONCURRENCY = 200;
const KEYS = 40;
const ROUNDS = 3;
const CREATOR = 'accounts_creator';

export type AccountsStoreKind = 'sqlite' | 'postgres';

export interface AccountsRun {
  store: AccountsStoreKind;
  clients: number;
  opened: number;
  /** connects/s of each round. */
  rounds: number[];
  medianConnectsPerS: number;
  closes: Closes;
}

async function round(env: Record<string, string>): Promise<{ opened: number; perS: number; closes: Closes }> {
  const emulator = await startEmulator({ rate: 0, seed: 37 });
  const nofile = CLIENTS + 1_024;
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, nofile, env, name: 'gateway-accounts' });
  const clients = new ClientProcess('clients', nofile);
  try {
    const keys = await gateway.createKeys(KEYS, 'ultra');
    const urls = Array.from({ length: CLIENTS }, (_, i) => gateway.url(CREATOR, { apiKey: keys[i % keys.length] }));
    await clients.connect('warm', 'idle', [gateway.url(CREATOR)], 1);
    const c = await clients.connect('accounts', 'idle', urls, CONCURRENCY);
    return { opened: c.opened, perS: (c.opened / c.elapsedMs) * 1000, closes: c.closes };
  } finally {
    await clients.stop();
    await gateway.stop();
    await emulator.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runAccounts(): Promise<AccountsRun[]> {
  const postgres = await PostgresServer.start();
  try {
    const envs: Record<AccountsStoreKind, () => Promise<Record<string, string>>> = {
      sqlite: async () => ({ TIKTOOL_DB: join(mkdtempSync(join(tmpdir(), 'tiktool-bench-accounts-')), 'accounts.db') }),
      postgres: async () => ({ DATABASE_URL: await postgres.createDatabase() }),
    };
    const runs: Record<AccountsStoreKind, AccountsRun> = {
      sqlite: { store: 'sqlite', clients: CLIENTS, opened: 0, rounds: [], medianConnectsPerS: 0, closes: {} },
      postgres: { store: 'postgres', clients: CLIENTS, opened: 0, rounds: [], medianConnectsPerS: 0, closes: {} },
    };
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['sqlite', 'postgres'] as const) {
        const r = await round(await envs[kind]());
        const run = runs[kind];
        run.rounds.push(r.perS);
        run.opened = Math.min(run.opened || r.opened, r.opened);
        for (const [code, n] of Object.entries(r.closes)) run.closes[code] = (run.closes[code] ?? 0) + n;
      }
    }
    for (const run of Object.values(runs)) run.medianConnectsPerS = median(run.rounds);
    return [runs.sqlite, runs.postgres];
  } finally {
    await postgres.stop();
  }
}
