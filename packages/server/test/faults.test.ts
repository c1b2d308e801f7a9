import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CREATOR_EVENT_NAMES, TikTokLive, type ResumedEvent } from '@tiktool/live';
import type { Emulator } from '@tiktool/emulator';
import type { Gateway } from '../src/index.js';
import { waitFor } from '@tiktool/testkit';
import { TEST_KEY, startEmulatedGateway } from './helpers.js';
import { GatewayProcess } from './gateway-process.js';
import { TcpProxy } from './tcp-proxy.js';

/** `npm run test:faults` runs the full size; `npm test` a smaller one. */
const FULL = process.env.TIKTOOL_FAULTS === 'full';
const KILLS = FULL ? 200 : 25;

interface Delivered {
  seq: number;
  msgId: string;
}

/** Records what a client's handlers were given, in order. */
function record(client: TikTokLive): Delivered[] {
  const got: Delivered[] = [];
  for (const name of CREATOR_EVENT_NAMES) {
    client.on(name as 'chat', (data, envelope) => void got.push({ seq: envelope.seq, msgId: data.msgId }));
  }
  return got;
}

/** Waits until the client has been given the newest event emitted so far. */
async function caughtUp(got: Delivered[], emitted: string[]): Promise<void> {
  const target = emitted[emitted.length - 1];
  await waitFor(() => got.some((d) => d.msgId === target), { timeoutMs: 20_000, what: 'the client to catch up' });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`fault suite (${FULL ? 'full' : 'small'} size)`, () => {
  let gateway: Gateway;
  let emulator: Emulator;
  let proxy: TcpProxy;
  before(async () => {
    ({ gateway, emulator } = await startEmulatedGateway({ emulatorRate: 200 }));
    proxy = await TcpProxy.start(gateway.port);
  });
  after(async () => {
    await proxy.close();
    await gateway.close();
    await emulator.close();
  });

  it(`a client whose connection is cut ${KILLS} times at random moments gets every event exactly once, in order`, async () => {
    const client = new TikTokLive('fault_kills', {
      apiKey: TEST_KEY,
      url: `ws://127.0.0.1:${proxy.port}`,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    const got = record(client);
    const resumes: ResumedEvent[] = [];
    client.on('resumed', (r) => void resumes.push(r));
    await client.connect();
    let cuts = 0;
    while (cuts < KILLS) {
      await pause(10 + Math.random() * 60);
      // A cut while the client is still reconnecting would not be a resume of its own.
      if (client.state === 'open' && proxy.cutAll() > 0) cuts++;
    }
    await caughtUp(got, emulator.emitted('fault_kills'));
    client.disconnect();

    assert.ok(resumes.length >= KILLS * 0.9, `resumed ${resumes.length} times for ${KILLS} cuts`);
    assert.ok(
      resumes.every((r) => r.recovered),
      'every resume recovered the gap',
    );
    for (let i = 1; i < got.length; i++) assert.equal(got[i].seq, got[i - 1].seq + 1, `seq order at ${i}`);
    const emitted = emulator.emitted('fault_kills');
    const first = emitted.indexOf(got[0].msgId);
    assert.ok(first >= 0);
    assert.deepEqual(
      got.map((d) => d.msgId),
      emitted.slice(first, first + got.length),
      'delivered exactly what TikTok emitted, once each, in order',
    );
    assert.ok(got.length > KILLS, `delivered ${got.length} events`);
  });

  it('a client that stalls reading is closed with 4008, resumes, and loses nothing', async () => {
    const { gateway: stallGateway, emulator: stallEmulator } = await startEmulatedGateway({
      emulatorRate: 200,
      sendQueueMaxBytes: 64 * 1024,
    });
    const stallProxy = await TcpProxy.start(stallGateway.port);
    try {
      const client = new TikTokLive('fault_stall', { apiKey: TEST_KEY, url: `ws://127.0.0.1:${stallProxy.port}` });
      const got = record(client);
      const closes: number[] = [];
      client.on('disconnected', (d) => void closes.push(d.code));
      const resumes: ResumedEvent[] = [];
      client.on('resumed', (r) => void resumes.push(r));
      await client.connect();
      await waitFor(() => got.length > 10, { timeoutMs: 5000, what: 'first events' });
      stallProxy.stallDownstream(true);
      const creator = stallGateway.hub.get('fault_stall')!;
      while (![...creator.subscribers].every((s) => s.isClosed)) {
        stallEmulator.emit('fault_stall', 2000);
        await pause(50);
      }
      stallProxy.stallDownstream(false);
      await waitFor(() => resumes.length > 0, { timeoutMs: 15_000, what: 'resume' });
      assert.equal(closes[0], 4008);
      assert.equal(resumes[0].recovered, true);
      await caughtUp(got, stallEmulator.emitted('fault_stall'));
      client.disconnect();
      const emitted = stallEmulator.emitted('fault_stall');
      const first = emitted.indexOf(got[0].msgId);
      assert.deepEqual(
        got.map((d) => d.msgId),
        emitted.slice(first, first + got.length),
      );
    } finally {
      await stallProxy.close();
      await stallGateway.close();
      await stallEmulator.close();
    }
  });
});

describe('gateway killed and restarted mid-stream', () => {
  it('clients reconnect, are told recovered=false, and see no duplicate', async () => {
    const env = {
      TIKTOOL_UPSTREAM: 'emulator',
      TIKTOOL_DB: join(mkdtempSync(join(tmpdir(), 'tiktool-fault-')), 'db.sqlite'),
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
      TIKTOOL_EMULATOR_RATE: '100',
    };
    let gateway = await GatewayProcess.start(env);
    const port = gateway.port;
    const clients = [1, 2, 3].map(
      // Short delays keep the test short; then the restart outlasts 8 refused reconnects, so no bound.
      () =>
        new TikTokLive('restart_me', {
          apiKey: TEST_KEY,
          url: `ws://127.0.0.1:${port}`,
          reconnect: { baseDelayMs: 50, maxDelayMs: 300, maxFailedReconnects: Infinity },
        }),
    );
    try {
      const records = clients.map(record);
      const resumes = clients.map(() => [] as ResumedEvent[]);
      clients.forEach((c, i) => c.on('resumed', (r) => void resumes[i].push(r)));
      await Promise.all(clients.map((c) => c.connect()));
      await waitFor(() => records.every((r) => r.length > 20), { timeoutMs: 10_000, what: 'events before the kill' });
      await gateway.kill('SIGKILL');
      const before = records.map((r) => r.length);
      gateway = await GatewayProcess.start(env, port);
      await waitFor(() => resumes.every((r) => r.length > 0), { timeoutMs: 20_000, what: 'resumes after restart' });
      await waitFor(() => records.every((r, i) => r.length > before[i] + 20), { timeoutMs: 10_000, what: 'events after the restart' });
      for (let i = 0; i < clients.length; i++) {
        assert.equal(resumes[i][0].recovered, false, 'a restart without shared store cannot recover');
        const ids = records[i].map((d) => d.msgId);
        assert.equal(new Set(ids).size, ids.length, 'no duplicate');
      }
    } finally {
      for (const c of clients) c.disconnect();
      await gateway.kill('SIGTERM');
    }
  });
});
