import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@tiktool/emulator';
import { CloseCode } from '@tiktool/protocol';
import { SqliteAccountStore } from '../src/accounts/sqlite-account-store.js';
import { KeyStore } from '../src/auth/key-store.js';
import { RedisServer } from './cluster-harness.js';
import { GatewayProcess } from './gateway-process.js';
import { RawClient, TEST_KEY, type Envelope } from './helpers.js';

type Tagged = Envelope & { uniqueId?: string };

const of = (c: RawClient, event: string, uniqueId?: string) =>
  c.messages.filter((m) => m.event === event && (uniqueId === undefined || m.data.uniqueId === uniqueId));
const eventsOf = (c: RawClient, uniqueId: string) => (c.messages as Tagged[]).filter((m) => m.uniqueId === uniqueId && m.seq !== undefined);

describe('roster sockets in cluster mode: two nodes on one Redis', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let nodes: GatewayProcess[];
  let communityKey: string;

  before(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator({ rate: 50 });
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tiktool-roster-cluster-')), 'keys.sqlite');
    const store = SqliteAccountStore.open(dbPath);
    const keys = await KeyStore.open(store, { watch: false });
    communityKey = (await keys.create('community', 'roster cluster test')).key;
    await store.close();
    const env = {
      REDIS_URL: redis.url,
      TIKTOOL_UPSTREAM: 'webcast',
      TIKTOK_WEB_URL: emulator.url,
      TIKTOK_WEBCAST_URL: emulator.url,
      SIGN_API_URL: emulator.url,
      TIKTOOL_DB: dbPath,
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
      TIKTOOL_LIVE_CHECK_MS: '200',
    };
    nodes = [await GatewayProcess.start(env), await GatewayProcess.start(env)];
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await emulator.close();
    await redis.stop();
  });

  const url = (node: GatewayProcess, params: Record<string, string>, apiKey = TEST_KEY) =>
    `${node.url}/?${new URLSearchParams({ apiKey, ...params })}`;

  it('resumes a roster on the other node: the roster restored, each creator recovered, a waiting one brought in there', async () => {
    const first = new RawClient(url(nodes[0], { uniqueIds: 'clr_a,clr_b,offline_clr_c' }));
    await first.until(
      (x) => eventsOf(x, 'clr_a').length >= 5 && eventsOf(x, 'clr_b').length >= 5 && of(x, 'liveStatus', 'offline_clr_c').length === 1,
      20_000,
    );
    first.close();
    await first.closed;
    const sessionId = of(first, 'rosterInfo')[0].data.sessionId as string;
    const lastSeqs = ['clr_a', 'clr_b'].map((u) => `${u}:${eventsOf(first, u).at(-1)!.seq}`).join(',');

    const second = new RawClient(url(nodes[1], { uniqueIds: '', sessionId, lastSeqs }));
    await second.until(
      (x) => eventsOf(x, 'clr_a').length >= 5 && eventsOf(x, 'clr_b').length >= 5 && of(x, 'liveStatus', 'offline_clr_c').length === 1,
      20_000,
    );
    assert.deepEqual(of(second, 'rosterInfo')[0].data.creators, ['clr_a', 'clr_b', 'offline_clr_c']);
    for (const u of ['clr_a', 'clr_b']) {
      assert.equal(of(second, 'roomInfo', u)[0].data.recovered, true, u);
      const seqs = [...eventsOf(first, u), ...eventsOf(second, u)].map((e) => e.seq!);
      for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `${u}: exactly once across nodes`);
    }
    assert.ok(emulator.setLive('offline_clr_c', true));
    await second.until((x) => eventsOf(x, 'offline_clr_c').length >= 3, 20_000);
    assert.deepEqual(
      of(second, 'liveStatus', 'offline_clr_c').map((m) => m.data.live),
      [false, true],
    );
    second.close();
  });

  it("counts a key's roster creators across nodes", async () => {
    const a = new RawClient(url(nodes[0], { uniqueIds: 'clr_lim_a,clr_lim_b' }, communityKey));
    await a.until((x) => of(x, 'roomInfo').length === 2, 20_000);
    const b = new RawClient(url(nodes[1], { uniqueIds: 'clr_lim_c,clr_lim_d' }, communityKey));
    await b.until((x) => of(x, 'rosterInfo').length === 1 && of(x, 'error').length === 1, 20_000);
    assert.deepEqual(of(b, 'rosterInfo')[0].data.creators, ['clr_lim_c']);
    assert.deepEqual([of(b, 'error')[0].data.code, of(b, 'error')[0].data.uniqueId], [CloseCode.RATE_LIMITED, 'clr_lim_d']);
    a.close();
    b.close();
  });
});
