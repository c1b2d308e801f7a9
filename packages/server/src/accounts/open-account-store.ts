import type { Logger } from '../logger.js';
import type { AccountStore } from './account-store.js';
import { PostgresAccountStore } from './postgres-account-store.js';
import { SqliteAccountStore } from './sqlite-account-store.js';

/** Postgres when DATABASE_URL is set (several hosts), else the SQLite file (one host). */
export async function openAccountStore(config: { databaseUrl?: string; dbPath: string }, logger?: Logger): Promise<AccountStore> {
  if (config.databaseUrl) return PostgresAccountStore.open(config.databaseUrl, logger);
  return SqliteAccountStore.open(config.dbPath);
}
