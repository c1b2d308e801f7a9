import type { AccountStore, KeyRecord, StoredKey } from '../accounts/account-store.js';
import { accountsUnavailable } from '../accounts/accounts-unavailable.js';
import { NegativeKeyCache } from '../accounts/negative-key-cache.js';
import { generateApiKey, generateKeyId, hashApiKey, hashesEqual } from './api-key.js';

export type { KeyRecord } from '../accounts/account-store.js';

export interface KeyScope {
  allowedOrigins?: string[] | null;
  allowedCreators?: string[] | null;
}

/**
 * API keys, stored by the account store as SHA-256 hashes (the plain key exists only at
 * creation), and cached here whole so a known key is checked without a database read.
 * The cache follows changes made by any process through the store's notifications;
 * `onKeyChanged` listeners hear of each (e.g. to close a revoked key's sockets).
 */
export class KeyStore {
  /** Database lookups of presented keys since start (the auth throttle keeps this bounded). */
  lookups = 0;
  private readonly byHash = new Map<string, StoredKey>();
  private readonly byId = new Map<string, StoredKey>();
  private readonly unknown = new NegativeKeyCache();
  private readonly listeners: ((record: KeyRecord) => void)[] = [];

  private constructor(private readonly store: AccountStore) {}

  /** Loads every key; with `watch`, follows changes made by other processes and nodes. */
  static async open(store: AccountStore, { watch = true } = {}): Promise<KeyStore> {
    const keys = new KeyStore(store);
    await keys.reload();
    if (watch)
      store.watchKeys(
        (id) => void keys.refresh(id),
        () => void keys.reload(),
      );
    return keys;
  }

  /** Calls `listener` with the current record whenever a key changes, on this node or another. */
  onKeyChanged(listener: (record: KeyRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Whether the key is (as far as this process knows) an active one; no database read. */
  knows(key: string): boolean {
    return this.byHash.get(hashApiKey(key).toString('hex'))?.record.revokedAt === null;
  }

  /** Creates a key; the returned `key` is shown once and never stored. */
  async create(
    tier: string,
    label = '',
    scope: KeyScope = {},
    key: string = generateApiKey(),
  ): Promise<{ key: string; record: KeyRecord }> {
    const record: KeyRecord = {
      id: generateKeyId(),
      tier,
      label,
      createdAt: Date.now(),
      revokedAt: null,
      allowedOrigins: scope.allowedOrigins ?? null,
      allowedCreators: scope.allowedCreators ?? null,
    };
    await this.store.insertKey({ record, hash: hashApiKey(key) });
    return { key, record: (await this.refresh(record.id)) ?? record };
  }

  /** Provisions a known key (bootstrap); keeps it if it exists, updating its tier. */
  async ensure(key: string, tier: string, label: string): Promise<KeyRecord> {
    let found = await this.store.keyByHash(hashApiKey(key));
    if (!found) {
      try {
        return (await this.create(tier, label, {}, key)).record;
      } catch (err) {
        // Nodes starting together: another one inserted the same key first (its hash is unique).
        found = await this.store.keyByHash(hashApiKey(key));
        if (!found) throw err;
      }
    }
    await this.store.updateKey(found.record.id, { tier, revokedAt: null });
    return (await this.refresh(found.record.id))!;
  }

  /**
   * The active key record for a presented key, or undefined. A cached key costs no read;
   * an unknown one costs one, unless it was looked up and not found moments ago.
   */
  async verify(key: string): Promise<KeyRecord | undefined> {
    const hash = hashApiKey(key);
    const hex = hash.toString('hex');
    let found = this.byHash.get(hex);
    if (!found && !this.unknown.has(hex)) {
      this.lookups++;
      found = await this.store.keyByHash(hash).catch(() => {
        throw accountsUnavailable();
      });
      if (found) this.remember(found);
      else this.unknown.add(hex);
    }
    // The lookup is by hash, so timing reveals nothing of the key; compare anyway as defence in depth.
    if (!found || !hashesEqual(found.hash, hash) || found.record.revokedAt !== null) return undefined;
    return found.record;
  }

  /** The cached record of a key id. */
  get(id: string): KeyRecord | undefined {
    return this.byId.get(id)?.record;
  }

  /** The record of a key id, read from the store when not cached yet (created elsewhere moments ago). */
  async lookup(id: string): Promise<KeyRecord | undefined> {
    return this.get(id) ?? (await this.refresh(id));
  }

  async list(): Promise<KeyRecord[]> {
    return (await this.store.allKeys()).map((k) => k.record);
  }

  /** Returns false when no active key has this id. */
  async revoke(id: string): Promise<boolean> {
    const done = await this.store.updateKey(id, { revokedAt: Date.now() }, true);
    await this.refresh(id);
    return done;
  }

  async setTier(id: string, tier: string): Promise<boolean> {
    const done = await this.store.updateKey(id, { tier });
    await this.refresh(id);
    return done;
  }

  async setScope(id: string, scope: KeyScope): Promise<boolean> {
    const done = await this.store.updateKey(id, scope);
    await this.refresh(id);
    return done;
  }

  /** Re-reads one key after a change (here or anywhere) and tells the listeners. */
  private async refresh(id: string): Promise<KeyRecord | undefined> {
    const found = await this.store.keyById(id);
    if (!found) return undefined;
    this.remember(found);
    for (const listener of this.listeners) listener(found.record);
    return found.record;
  }

  /** Replaces the whole cache (at start, and after notifications may have been missed). */
  private async reload(): Promise<void> {
    const all = await this.store.allKeys();
    const before = new Map(this.byId);
    for (const k of all) this.remember(k);
    for (const k of all) {
      const was = before.get(k.record.id)?.record;
      if (was && (was.revokedAt !== k.record.revokedAt || was.tier !== k.record.tier)) {
        for (const listener of this.listeners) listener(k.record);
      }
    }
  }

  private remember(k: StoredKey): void {
    const hex = k.hash.toString('hex');
    this.byHash.set(hex, k);
    this.byId.set(k.record.id, k);
    this.unknown.delete(hex);
  }
}
