import type { Db } from '../store/database.js';
import { generateApiKey, generateKeyId, hashApiKey, hashesEqual } from './api-key.js';

export interface KeyRecord {
  id: string;
  tier: string;
  label: string;
  createdAt: number;
  revokedAt: number | null;
  /** Browser origins allowed to use the key; null = any. */
  allowedOrigins: string[] | null;
  /** Creators the key may watch; null = any. */
  allowedCreators: string[] | null;
}

interface KeyRow {
  id: string;
  hash: Buffer;
  tier: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
  allowed_origins: string | null;
  allowed_creators: string | null;
}

const toRecord = (r: KeyRow): KeyRecord => ({
  id: r.id,
  tier: r.tier,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  allowedOrigins: r.allowed_origins ? (JSON.parse(r.allowed_origins) as string[]) : null,
  allowedCreators: r.allowed_creators ? (JSON.parse(r.allowed_creators) as string[]) : null,
});

export interface KeyScope {
  allowedOrigins?: string[] | null;
  allowedCreators?: string[] | null;
}

/** API keys in SQLite, stored as SHA-256 hashes; the plain key exists only at creation. */
export class KeyStore {
  /** Database lookups of presented keys since start (the auth throttle keeps this bounded). */
  lookups = 0;
  /**
   * Hashes (hex) of the active keys, so an address throttled for failed attempts can still
   * use a valid key without a database read per attempt. Bounded by the number of keys.
   */
  private readonly active = new Set<string>();
  private readonly byHash;
  private readonly byId;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.byHash = db.prepare<[Buffer], KeyRow>('SELECT * FROM api_keys WHERE hash = ?');
    this.byId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
    this.insert = db.prepare(
      `INSERT INTO api_keys (id, hash, tier, label, created_at, allowed_origins, allowed_creators)
       VALUES (@id, @hash, @tier, @label, @createdAt, @origins, @creators)`,
    );
    const rows = db.prepare<[], { hash: Buffer }>('SELECT hash FROM api_keys WHERE revoked_at IS NULL').all();
    for (const { hash } of rows) this.active.add(hash.toString('hex'));
  }

  /** Whether the key is (as far as this process knows) an active one; no database read. */
  knows(key: string): boolean {
    return this.active.has(hashApiKey(key).toString('hex'));
  }

  /** Creates a key; the returned `key` is shown once and never stored. */
  create(tier: string, label = '', scope: KeyScope = {}, key: string = generateApiKey()): { key: string; record: KeyRecord } {
    const id = generateKeyId();
    this.insert.run({
      id,
      hash: hashApiKey(key),
      tier,
      label,
      createdAt: Date.now(),
      origins: scope.allowedOrigins ? JSON.stringify(scope.allowedOrigins) : null,
      creators: scope.allowedCreators ? JSON.stringify(scope.allowedCreators) : null,
    });
    this.active.add(hashApiKey(key).toString('hex'));
    return { key, record: this.get(id)! };
  }

  /** Provisions a known key (bootstrap); keeps it if it exists, updating its tier. */
  ensure(key: string, tier: string, label: string): KeyRecord {
    const row = this.byHash.get(hashApiKey(key));
    if (!row) return this.create(tier, label, {}, key).record;
    this.db.prepare('UPDATE api_keys SET tier = ?, revoked_at = NULL WHERE id = ?').run(tier, row.id);
    this.active.add(row.hash.toString('hex'));
    return this.get(row.id)!;
  }

  /** The active key record for a presented key, or undefined. */
  verify(key: string): KeyRecord | undefined {
    this.lookups++;
    const hash = hashApiKey(key);
    const row = this.byHash.get(hash);
    // The lookup is by hash, so timing reveals nothing of the key; compare anyway as defence in depth.
    if (!row || !hashesEqual(row.hash, hash) || row.revoked_at !== null) return undefined;
    return toRecord(row);
  }

  get(id: string): KeyRecord | undefined {
    const row = this.byId.get(id);
    return row ? toRecord(row) : undefined;
  }

  list(): KeyRecord[] {
    return this.db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at').all().map(toRecord);
  }

  /** Returns false when no active key has this id. */
  revoke(id: string): boolean {
    const changes = this.db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(Date.now(), id).changes;
    const row = this.byId.get(id);
    if (row) this.active.delete(row.hash.toString('hex'));
    return changes === 1;
  }

  /**
   * Ids of keys revoked at or after `since` (ms), to close their sockets when another
   * process (the CLI) revoked them; they leave the set of active hashes too.
   */
  revokedSince(since: number): string[] {
    const rows = this.db
      .prepare<[number], { id: string; hash: Buffer }>('SELECT id, hash FROM api_keys WHERE revoked_at >= ?')
      .all(since);
    for (const r of rows) this.active.delete(r.hash.toString('hex'));
    return rows.map((r) => r.id);
  }

  /** Keys created by another process (the CLI) at or after `since` (ms) join the set of active hashes. */
  noteCreatedSince(since: number): void {
    const rows = this.db
      .prepare<[number], { hash: Buffer }>('SELECT hash FROM api_keys WHERE created_at >= ? AND revoked_at IS NULL')
      .all(since);
    for (const r of rows) this.active.add(r.hash.toString('hex'));
  }

  setTier(id: string, tier: string): boolean {
    return this.db.prepare('UPDATE api_keys SET tier = ? WHERE id = ?').run(tier, id).changes === 1;
  }

  setScope(id: string, scope: KeyScope): boolean {
    const sets: string[] = [];
    const args: (string | null)[] = [];
    if (scope.allowedOrigins !== undefined) {
      sets.push('allowed_origins = ?');
      args.push(scope.allowedOrigins ? JSON.stringify(scope.allowedOrigins) : null);
    }
    if (scope.allowedCreators !== undefined) {
      sets.push('allowed_creators = ?');
      args.push(scope.allowedCreators ? JSON.stringify(scope.allowedCreators) : null);
    }
    if (sets.length === 0) return this.get(id) !== undefined;
    return this.db.prepare(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ?`).run(...args, id).changes === 1;
  }
}
