import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every generated key, so a leaked one is recognisable in a secret scanner. */
export const KEY_PREFIX = 'tt_';
/** 24 random bytes = 192 bits. */
const KEY_BYTES = 24;

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
}

/** Keys are stored only as this hash. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A short, non-secret handle for a key (its id), safe for logs. */
export function generateKeyId(): string {
  return 'key_' + randomBytes(6).toString('hex');
}
