import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountStore, KeyRecord } from '../src/accounts/account-store.js';
import { PostgresAccountStore } from '../src/accounts/postgres-account-store.js';
import { SqliteAccountStore } from '../src/accounts/sqlite-account-store.js';
import { KeyStore } from '../src/auth/key-store.js';
import { REVOCATION_POLL_MS } from '../src/defaults.js';
import { UsageRecorder } from '../src/usage/usage-recorder.js';
import type { AttemptResult, NewDelivery } from '../src/webhooks/delivery.js';
import type { WebhookEndpoint } from '../src/webhooks/webhook-endpoint.js';
import { PostgresServer } from './postgres-server.js';
import { waitFor } from '@tiktool/testkit';

/** Opens another handle on one shared store, as another node or the CLI would. */
let endpoints = 0;
function endpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: `wh_contract_${++endpoints}_${Date.now()}`,
    keyId: 'key_contract',
    url: 'https://hooks.example/in',
    creators: ['alice'],
    events: ['live.start', 'gift'],
    minDiamonds: 1000,
    secret: 'whsec_contract',
    previousSecret: null,
    previousSecretUntil: null,
    createdAt: Date.now(),
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
    ...overrides,
  };
}

const delivery = (endpointId: string, n: number, createdAt = 1000): NewDelivery => ({
  id: `dlv_${endpointId}_${n}`,
  endpointId,
  eventId: `evt_${n}`,
  type: 'gift',
  body: `{"n":${n}}`,
  createdAt,
});

const failed = (attempts: number, nextAttemptAt: number): AttemptResult => ({
  status: 'pending',
  attempts,
  nextAttemptAt,
  attemptedAt: nextAttemptAt - 1,
  statusCode: 500,
  error: 'HTTP 500',
  durationMs: 3,
});

type Opener = () => Promise<AccountStore>;

/** The contract both account stores keep; `fresh` gives an opener on a new, empty store. */
function contract(kind: string, fresh: () => Promise<Opener>) {
  describe(`account store contract: ${kind}`, () => {
    const opened: AccountStore[] = [];
    let open: Opener;
    const track: Opener = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    before(async () => {
      open = await fresh();
    });
    after(async () => {
      for (const s of opened) await s.close();
    });

    it('keeps only the SHA-256 hash of a key, and checks it', async () => {
      const store = await track();
      const keys = await KeyStore.open(store, { watch: false });
      const { key, record } = await keys.create('pro', 'contract', { allowedCreators: ['alice'] });
      const stored = await store.keyById(record.id);
      assert.deepEqual(stored?.hash, createHash('sha256').update(key).digest());
      assert.ok(!JSON.stringify(await store.allKeys()).includes(key), 'the plain key is not stored');
      assert.equal((await keys.verify(key))?.id, record.id);
      assert.equal(await keys.verify(key + 'x'), undefined);
      assert.deepEqual((await keys.verify(key))?.allowedCreators, ['alice']);
    });

    it('keeps tier, scopes and revocation for the next process', async () => {
      const first = await KeyStore.open(await track(), { watch: false });
      const { key, record } = await first.create('community');
      assert.equal(await first.setTier(record.id, 'ultra'), true);
      assert.equal(await first.setScope(record.id, { allowedOrigins: ['https://a.example'] }), true);
      const second = await KeyStore.open(await track(), { watch: false });
      const seen = await second.verify(key);
      assert.equal(seen?.tier, 'ultra');
      assert.deepEqual(seen?.allowedOrigins, ['https://a.example']);
      assert.equal(await second.revoke(record.id), true);
      assert.equal(await second.revoke(record.id), false, 'revoking twice says no active key');
      const third = await KeyStore.open(await track(), { watch: false });
      assert.equal(await third.verify(key), undefined);
      assert.notEqual((await third.lookup(record.id))?.revokedAt, null);
      assert.equal(await third.setTier('key_missing', 'pro'), false);
    });

    it('gives a bootstrap key one id when several processes provision it at once', async () => {
      const stores = await Promise.all([track(), track(), track()]);
      const keys = await Promise.all(stores.map((s) => KeyStore.open(s, { watch: false })));
      const records = await Promise.all(keys.map((k) => k.ensure('tt_bootstrap_contract', 'pro', 'bootstrap')));
      assert.equal(new Set(records.map((r) => r.id)).size, 1);
      assert.equal((await keys[0].verify('tt_bootstrap_contract'))?.tier, 'pro');
    });

    it('gives every process the same scoped-token secret', async () => {
      const [a, b] = await Promise.all([track(), track()]);
      const [sa, sb] = await Promise.all([a.secret('jwt_secret'), b.secret('jwt_secret')]);
      assert.equal(sa, sb);
      assert.ok(sa.length >= 32);
      assert.equal(await (await track()).secret('jwt_secret'), sa);
    });

    it('sums usage written by several processes', async () => {
      const [a, b] = [new UsageRecorder(await track()), new UsageRecorder(await track())];
      a.connect('key_usage');
      b.connect('key_usage');
      b.socketClosed('key_usage', 1.5, 7);
      await a.flush();
      await b.flush();
      const [hour] = await a.history('key_usage');
      assert.deepEqual(
        { connects: hour.connects, socketSeconds: hour.socketSeconds, events: hour.events },
        {
          connects: 2,
          socketSeconds: 1.5,
          events: 7,
        },
      );
    });

    it('tells a watching process of a key created, re-tiered and revoked by another in time', async () => {
      // Postgres notifies at once (2 s is the promise); SQLite is polled every REVOCATION_POLL_MS.
      const within = kind === 'sqlite' ? REVOCATION_POLL_MS + 1000 : 2000;
      const watcher = await KeyStore.open(await track());
      const seen: KeyRecord[] = [];
      watcher.onKeyChanged((r) => seen.push(r));
      const writer = await KeyStore.open(await track(), { watch: false });
      const { key, record } = await writer.create('community');
      await waitFor(() => watcher.knows(key), { timeoutMs: within });
      await writer.setTier(record.id, 'pro');
      await waitFor(() => watcher.get(record.id)?.tier === 'pro', { timeoutMs: within });
      await writer.revoke(record.id);
      await waitFor(() => seen.some((r) => r.id === record.id && r.revokedAt !== null), { timeoutMs: within });
      assert.equal(watcher.knows(key), false);
    });

    it('reads an unknown key once, not on every retry', async () => {
      const keys = await KeyStore.open(await track(), { watch: false });
      const before = keys.lookups;
      for (let i = 0; i < 20; i++) assert.equal(await keys.verify('tt_not_a_key'), undefined);
      assert.equal(keys.lookups - before, 1);
      const { key } = await keys.create('community');
      const known = keys.lookups;
      for (let i = 0; i < 20; i++) assert.ok(await keys.verify(key));
      assert.equal(keys.lookups, known, 'a known key costs no read');
    });

    it('keeps webhook endpoints, their patches and deletion for the next process', async () => {
      const first = await track();
      const e = endpoint();
      await first.webhooks.insertEndpoint(e);
      const second = await track();
      assert.deepEqual(await second.webhooks.endpoint(e.id), e);
      assert.ok((await second.webhooks.endpoints('key_contract')).some((x) => x.id === e.id));
      assert.equal((await second.webhooks.endpoints('key_other')).length, 0);
      assert.equal(await second.webhooks.updateEndpoint(e.id, { creators: ['bob', 'carol'], disabledAt: 5, disabledReason: 'why' }), true);
      const patched = await first.webhooks.endpoint(e.id);
      assert.deepEqual([patched?.creators, patched?.disabledAt, patched?.disabledReason], [['bob', 'carol'], 5, 'why']);
      assert.equal(await first.webhooks.updateEndpoint('wh_missing', { url: 'https://x.example' }), false);
      await first.webhooks.enqueue([delivery(e.id, 1)]);
      assert.equal(await second.webhooks.deleteEndpoint(e.id), true);
      assert.equal(await first.webhooks.endpoint(e.id), undefined);
      assert.deepEqual(await first.webhooks.deliveries(e.id, 10), []);
      assert.equal(await first.webhooks.deleteEndpoint(e.id), false);
    });

    it("keeps one outbox row per endpoint and event, and leases only an endpoint's oldest pending row", async () => {
      const store = await track();
      const e = endpoint();
      await store.webhooks.insertEndpoint(e);
      assert.equal(await store.webhooks.enqueue([delivery(e.id, 1), delivery(e.id, 2), delivery(e.id, 3)]), 3);
      assert.equal(await store.webhooks.enqueue([{ ...delivery(e.id, 2), id: 'dlv_again' }]), 0, 'an event enqueued twice is one row');
      const now = 10_000;
      const [a] = await store.webhooks.claim('node-a', now, 1000, 10);
      assert.equal(a?.delivery.eventId, 'evt_1');
      assert.equal(a?.endpoint.id, e.id);
      assert.deepEqual(await store.webhooks.claim('node-b', now, 1000, 10), [], 'the head is leased; later rows wait for it');
      assert.equal(await store.webhooks.finish(a!.delivery.id, 'node-b', failed(1, now + 50)), false, 'only the lease holder records');
      assert.equal(await store.webhooks.finish(a!.delivery.id, 'node-a', failed(1, now + 50)), true);
      assert.deepEqual(await store.webhooks.claim('node-b', now + 10, 1000, 10), [], 'the failed head waits for its retry');
      const [retried] = await store.webhooks.claim('node-b', now + 50, 1000, 10);
      assert.equal(retried?.delivery.eventId, 'evt_1');
      assert.equal(retried?.delivery.attempts, 1);
      assert.equal(retried?.delivery.lastStatusCode, 500);
      // The lease runs out (its node died): another node takes the row.
      const [taken] = await store.webhooks.claim('node-c', now + 50 + 1001, 1000, 10);
      assert.equal(taken?.delivery.eventId, 'evt_1');
      const dead: AttemptResult = { ...failed(2, now), status: 'dead', nextAttemptAt: null };
      assert.equal(await store.webhooks.finish(taken!.delivery.id, 'node-c', dead), true);
      const [next] = await store.webhooks.claim('node-c', now + 2000, 1000, 10);
      assert.equal(next?.delivery.eventId, 'evt_2', 'a dead row no longer holds the others back');
      const ok: AttemptResult = {
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: null,
        attemptedAt: now,
        statusCode: 204,
        error: null,
        durationMs: 2,
      };
      await store.webhooks.finish(next!.delivery.id, 'node-c', ok);
      const rows = await store.webhooks.deliveries(e.id, 10);
      assert.deepEqual(
        rows.map((d) => [d.eventId, d.status]),
        [
          ['evt_3', 'pending'],
          ['evt_2', 'delivered'],
          ['evt_1', 'dead'],
        ],
      );
      assert.equal(await store.webhooks.retry(e.id, taken!.delivery.id, now + 3000), true, 'a dead row is replayed');
      assert.equal(await store.webhooks.retry('wh_other', taken!.delivery.id, now + 3000), false);
      const [replayed] = await store.webhooks.claim('node-a', now + 3000, 1000, 10);
      assert.deepEqual([replayed?.delivery.eventId, replayed?.delivery.attempts], ['evt_1', 0]);
      assert.equal(await store.webhooks.pruneDelivered(now + 1), 1);
    });

    it('leases nothing of a disabled endpoint, and each row to one of several processes claiming at once', async () => {
      const stores = await Promise.all([track(), track(), track()]);
      const off = endpoint({ disabledAt: 1, disabledReason: 'failing' });
      await stores[0].webhooks.insertEndpoint(off);
      await stores[0].webhooks.enqueue([delivery(off.id, 1)]);
      const live = Array.from({ length: 12 }, () => endpoint());
      for (const e of live) await stores[0].webhooks.insertEndpoint(e);
      await stores[0].webhooks.enqueue(live.map((e) => delivery(e.id, 1)));
      const claims = await Promise.all(stores.map((s, i) => s.webhooks.claim(`node-${i}`, 10_000, 60_000, 100)));
      const ids = claims.flat().map((c) => c.delivery.id);
      assert.equal(new Set(ids).size, ids.length, 'no row leased twice');
      assert.ok(!ids.includes(delivery(off.id, 1).id), 'a disabled endpoint gets nothing');
      for (const e of live) assert.ok(ids.includes(delivery(e.id, 1).id), `the due row of ${e.id} is leased`);
    });

    it('migrates once when several processes start on a new store together', async () => {
      const again = await fresh();
      const stores = await Promise.all([again(), again(), again()]);
      opened.push(...stores);
      assert.equal(new Set(stores.map((s) => s.schemaVersion)).size, 1);
      assert.ok(stores[0].schemaVersion >= 1);
    });
  });
}

contract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiktool-accounts-')), 'accounts.sqlite');
  return async () => SqliteAccountStore.open(path);
});

let postgres: PostgresServer | undefined;
after(() => postgres?.stop());
contract('postgres', async () => {
  postgres ??= await PostgresServer.start();
  const url = await postgres.createDatabase();
  return () => PostgresAccountStore.open(url);
});
