import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/** A secret generated once and kept in Postgres: the first node to start creates it, all share it. */
export async function persistentPostgresSecret(pool: pg.Pool, name: string): Promise<string> {
  await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
  return rows[0].value;
}
