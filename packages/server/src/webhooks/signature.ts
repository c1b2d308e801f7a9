import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tiktool-signature';
export const EVENT_ID_HEADER = 'x-tiktool-event-id';

/** hex HMAC-SHA256 of "<t>.<body>". */
export function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/**
 * `t=<unix seconds>,v1=<hex>`: one v1 per secret that signs now (two during a rotation's
 * grace period), so a receiver holding either secret verifies.
 */
export function signatureHeader(secrets: readonly string[], t: number, body: string): string {
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmac(s, t, body)}`)].join(',');
}
