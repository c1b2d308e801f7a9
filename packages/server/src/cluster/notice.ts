import type { CreatorEventName } from '@tiktool/protocol';

/**
 * The messages on a creator's pub/sub channel: `e|epoch|seq|event|data` (an appended
 * event, published by the APPEND script, scripts.ts), `l|room` (the upstream is live) and
 * `c|code|reason` (the upstream is gone for good). Event and epoch never hold a `|`; the
 * data and the reason come last, so theirs need no escaping.
 */
export type Notice =
  | { kind: 'e'; epoch: string; seq: number; event: CreatorEventName; data: string }
  | { kind: 'l'; room: string }
  | { kind: 'c'; code: number; reason: string };

/** The event notice as APPEND builds it, from Lua expressions: its seq is the one the script assigned. */
export const eventNoticeLua = (epoch: string, seq: string, event: string, data: string) =>
  `'e|' .. ${epoch} .. '|' .. ${seq} .. '|' .. ${event} .. '|' .. ${data}`;

export const encodeEvent = (epoch: string, seq: number, event: CreatorEventName, data: string) => `e|${epoch}|${seq}|${event}|${data}`;
export const encodeLive = (room: string) => `l|${room}`;
export const encodeClosed = (code: number, reason: string) => `c|${code}|${reason}`;

export function decodeNotice(m: string): Notice | undefined {
  const kind = m[0];
  if (m[1] !== '|') return undefined;
  if (kind === 'e') {
    const a = m.indexOf('|', 2);
    const b = m.indexOf('|', a + 1);
    const c = m.indexOf('|', b + 1);
    if (a < 0 || b < 0 || c < 0) return undefined;
    return {
      kind,
      epoch: m.slice(2, a),
      seq: Number(m.slice(a + 1, b)),
      event: m.slice(b + 1, c) as CreatorEventName,
      data: m.slice(c + 1),
    };
  }
  if (kind === 'l') return { kind, room: m.slice(2) };
  if (kind === 'c') {
    const a = m.indexOf('|', 2);
    if (a < 0) return undefined;
    return { kind, code: Number(m.slice(2, a)), reason: m.slice(a + 1) };
  }
  return undefined;
}
