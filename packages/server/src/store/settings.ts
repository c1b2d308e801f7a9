import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/** A secret generated once per database and kept in it, so tokens survive restarts. */
export function persistentSecret(db: Db, name: string): string {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?').get(name);
  if (row) return row.value;
  const value = randomBytes(32).toString('base64url');
  db.prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)').run(name, value);
  return db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?').get(name)!.value;
}
