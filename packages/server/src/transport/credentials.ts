import type { IncomingMessage } from 'node:http';
import { API_KEY_PROTOCOL_PREFIX, JWT_PROTOCOL_PREFIX, SUBPROTOCOL } from '@tiktool/protocol';

export interface Credentials {
  apiKey?: string;
  jwtKey?: string;
}

/**
 * The key a connection presents: `apiKey`/`jwtKey` in the query, `Authorization: Bearer`,
 * or a WebSocket subprotocol (browsers cannot set headers).
 */
export function extractCredentials(req: IncomingMessage, query: URLSearchParams): Credentials {
  const apiKey = query.get('apiKey');
  if (apiKey) return { apiKey };
  const jwtKey = query.get('jwtKey');
  if (jwtKey) return { jwtKey };
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return { apiKey: auth.replace(/^Bearer\s+/i, '').trim() };
  for (const p of offeredProtocols(req)) {
    if (p.startsWith(API_KEY_PROTOCOL_PREFIX)) return { apiKey: p.slice(API_KEY_PROTOCOL_PREFIX.length) };
    if (p.startsWith(JWT_PROTOCOL_PREFIX)) return { jwtKey: p.slice(JWT_PROTOCOL_PREFIX.length) };
  }
  return {};
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return header ? header.split(',').map((p) => p.trim()) : [];
}

/** Picks the protocol to answer with: ours if offered, never one carrying a secret. */
export function selectProtocol(offered: Set<string>): string | false {
  return offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}
