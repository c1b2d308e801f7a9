import type { WebhookStore } from './webhook-store.js';

/** A key as the account store holds it: the record and the SHA-256 hash of the key. */
export interface StoredKey {
  record: KeyRecord;
  hash: Buffer;
}

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

/** The fields of a key that change after creation; undefined = unchanged. */
export interface KeyPatch {
  tier?: string;
  revokedAt?: number | null;
  allowedOrigins?: string[] | null;
  allowedCreators?: string[] | null;
}

/** Usage counted for one key in one hour (seconds since the epoch, on the hour). */
export interface UsageHour {
  keyId: string;
  hour: number;
  connects: number;
  socketSeconds: number;
  events: number;
}

/**
 * Everything the gateway keeps about accounts: keys (hashed), their tier and scopes, the
 * scoped-token secret, usage, and webhook endpoints with their delivery outbox.
 */
export interface AccountStore {
  /** 'sqlite' (one host) or 'postgres' (shared by every node). */
  readonly kind: 'sqlite' | 'postgres';
  /** Applied schema version. */
  readonly schemaVersion: number;
  allKeys(): Promise<StoredKey[]>;
  keyByHash(hash: Buffer): Promise<StoredKey | undefined>;
  keyById(id: string): Promise<StoredKey | undefined>;
  insertKey(key: StoredKey): Promise<void>;
  /** Returns false when no key has this id (or, with `activeOnly`, no active key). */
  updateKey(id: string, patch: KeyPatch, activeOnly?: boolean): Promise<boolean>;
  /** A secret generated once and kept, the same for every process sharing the store. */
  secret(name: string): Promise<string>;
  addUsage(hours: UsageHour[]): Promise<void>;
  /** The recorded hours of a key, newest first. */
  usageHistory(keyId: string, hours: number): Promise<UsageHour[]>;
  /**
   * Calls `onChange(keyId)` when a key is created or changed by any process sharing the
   * store, and `onResync()` when changes may have been missed (the whole cache reloads).
   */
  watchKeys(onChange: (keyId: string) => void, onResync: () => void): void;
  /** Webhook endpoints and their outbox. */
  readonly webhooks: WebhookStore;
  /** Whether the store answers (for readiness). */
  ready(): boolean;
  close(): Promise<void>;
}
