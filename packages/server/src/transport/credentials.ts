import type { IncomingMessage } from 'node:http';
import { API_KEY_PROTOCOL_PREFIX, JWT_PROTOCOL_PREFIX, PARAM, SUBPROTOCOL, type Credentials } from '@tiktool/protocol';

/** The token of an `Authorization: Bearer` header, if the request has one. */
export function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
}

/**
 * The key a connection presents: `apiKey`/`jwtKey` in the query, `Authorization: Bearer`,
 * or a WebSocket subprotocol (browsers cannot set headers).
 */
export function extractCredentials(req: IncomingMessage, query: URLSearchParams): Credentials {
  const apiKey = query.get(PARAM.apiKey);
  if (apiKey) return { apiKey };
  const jwtKey = query.get(PARAM.jwtKey);
  if (jwtKey) return { jwtKey };
  const token = bearer(req);
  if (token !== undefined) return { apiKey: token };
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
