import type { StoredKey } from './account-store.js';

/** A row of api_keys as both databases return it (times in ms; scopes as JSON text). */
export interface KeyRow {
  id: string;
  hash: Buffer;
  tier: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
  allowed_origins: string | null;
  allowed_creators: string | null;
}

const list = (json: string | null) => (json ? (JSON.parse(json) as string[]) : null);

export const listJson = (v: string[] | null | undefined) => (v ? JSON.stringify(v) : null);

export const fromRow = (r: KeyRow): StoredKey => ({
  hash: r.hash,
  record: {
    id: r.id,
    tier: r.tier,
    label: r.label,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    allowedOrigins: list(r.allowed_origins),
    allowedCreators: list(r.allowed_creators),
  },
});

/** SET clauses and values of a patch, in the column order both stores use. */
export function patchColumns(patch: {
  tier?: string;
  revokedAt?: number | null;
  allowedOrigins?: string[] | null;
  allowedCreators?: string[] | null;
}): [string, string | number | null][] {
  const cols: [string, string | number | null][] = [];
  if (patch.tier !== undefined) cols.push(['tier', patch.tier]);
  if (patch.revokedAt !== undefined) cols.push(['revoked_at', patch.revokedAt]);
  if (patch.allowedOrigins !== undefined) cols.push(['allowed_origins', listJson(patch.allowedOrigins)]);
  if (patch.allowedCreators !== undefined) cols.push(['allowed_creators', listJson(patch.allowedCreators)]);
  return cols;
}
