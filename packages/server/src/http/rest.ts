import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode, InvalidParamError, retryAfterSeconds } from '@tiktool/protocol';
import { GatewayError } from '../errors.js';

/** Largest JSON body the REST API reads. */
export const MAX_BODY_BYTES = 16 * 1024;

/** A REST error with its HTTP status and a stable code, answered as JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The HTTP status and code for each close code a REST call can fail with. */
const BY_CLOSE_CODE: Record<number, [number, string]> = {
  [CloseCode.INVALID_PARAMS]: [400, 'invalid_field'],
  [CloseCode.UNAUTHORIZED]: [401, 'unauthorized'],
  [CloseCode.FORBIDDEN]: [403, 'forbidden'],
  [CloseCode.NOT_FOUND]: [404, 'not_found'],
  [CloseCode.RATE_LIMITED]: [429, 'rate_limited'],
};

/**
 * The HTTP form of an error the gateway reports to clients (a GatewayError or an invalid
 * parameter); undefined for anything else, which is a bug to log and answer with 500.
 */
export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (!(err instanceof GatewayError || err instanceof InvalidParamError)) return undefined;
  const [status, code] = BY_CLOSE_CODE[err.closeCode] ?? [500, 'internal_error'];
  const retry = status === 429 ? retryAfterSeconds(err.message) : undefined;
  return new HttpError(status, code, err.message, retry === undefined ? {} : { 'retry-after': String(Math.ceil(retry)) });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { error: err.code, message: err.message }, err.headers);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_json', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
}

export function stringList(value: unknown, field: string): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new HttpError(400, 'invalid_field', `${field} must be an array of strings or null`);
  }
  return value as string[];
}
