import { pino, type Logger } from 'pino';

export type { Logger };

/** Fields that may carry secrets; pino replaces them wherever they appear. */
const REDACT = [
  'apiKey',
  'jwtKey',
  'key',
  'token',
  'secret',
  '*.secret',
  'authorization',
  '*.apiKey',
  '*.jwtKey',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'tiktool' }, redact: { paths: REDACT, censor: '***' } }, destination ?? process.stdout);
}
