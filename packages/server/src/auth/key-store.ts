import type { Db } from '../store/database.js';
import { generateApiKey, generateKeyId, hashApiKey, hashesEqual } from './api-key.js';

export interface KeyRecord {
  id: string;
  tier: string;
  label: string;
  createdAt: number;
  revokedAt: number | null;
}

interface KeyRow {
  id: string;
  hash: Buffer;
  tier: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
}

const toRecord = (r: KeyRow): KeyRecord => ({
  id: r.id,
  tier: r.tier,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** API keys in SQLite, stored as SHA-256 hashes; the plain key exists only at creation. */
export class KeyStore {
  private readonly byHash;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.byHash = db.prepare<[Buffer], KeyRow>('SELECT * FROM api_keys WHERE hash = ?');
    this.insert = db.prepare(
      'INSERT INTO api_keys (id, hash, tier, label, created_at) VALUES (@id, @hash, @tier, @label, @createdAt)',
    );
  }

  /** Creates a key; the returned `key` is shown once and never stored. */
  create(tier: string, label = '', key: string = generateApiKey()): { key: string; record: KeyRecord } {
    const record: KeyRecord = { id: generateKeyId(), tier, label, createdAt: Date.now(), revokedAt: null };
    this.insert.run({ ...record, hash: hashApiKey(key) });
    return { key, record };
  }

  /** Provisions a known key (bootstrap); keeps it if it exists, updating its tier. */
  ensure(key: string, tier: string, label: string): KeyRecord {
    const hash = hashApiKey(key);
    const row = this.byHash.get(hash);
    if (row) {
      this.db.prepare('UPDATE api_keys SET tier = ?, revoked_at = NULL WHERE id = ?').run(tier, row.id);
      return { ...toRecord(row), tier, revokedAt: null };
    }
    return this.create(tier, label, key).record;
  }

  /** The active key record for a presented key, or undefined. */
  verify(key: string): KeyRecord | undefined {
    const hash = hashApiKey(key);
    const row = this.byHash.get(hash);
    // The lookup is by hash, so timing reveals nothing of the key; compare anyway as defence in depth.
    if (!row || !hashesEqual(row.hash, hash) || row.revoked_at !== null) return undefined;
    return toRecord(row);
  }

  list(): KeyRecord[] {
    return this.db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at').all().map(toRecord);
  }

  get(id: string): KeyRecord | undefined {
    const row = this.db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?').get(id);
    return row ? toRecord(row) : undefined;
  }

  /** Returns false when no active key has this id. */
  revoke(id: string): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), id)
      .changes === 1;
  }

  setTier(id: string, tier: string): boolean {
    return this.db.prepare('UPDATE api_keys SET tier = ? WHERE id = ?').run(tier, id).changes === 1;
  }
}
