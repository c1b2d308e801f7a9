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
import { PostgresServer } from './postgres-server.js';
import { waitFor } from '@tiktool/testkit';

/** Opens another handle on one shared store, as another node or the CLI would. */
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
