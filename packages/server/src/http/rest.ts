import type { IncomingMessage, ServerResponse } from 'node:http';
import { retryAfterSeconds } from '@tiktool/protocol';
import { REST_MAX_BODY_BYTES } from '../defaults.js';
import { clientFacing, type RestErrorCode } from '../errors/error-map.js';
import { GatewayError } from '../errors.js';

/** A REST answer's error: its HTTP status and `error.code`, answered as JSON. */
export class HttpError extends GatewayError<RestErrorCode> {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    code: RestErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

/**
 * The HTTP form of an error meant for clients (by errors/error-map.ts); undefined for
 * anything else, which is a bug to log and answer with 500.
 */
export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  const facing = clientFacing(err);
  if (!facing) return undefined;
  const { message } = err as Error;
  const retry = facing.httpStatus === 429 || facing.httpStatus === 503 ? retryAfterSeconds(message) : undefined;
  const headers: Record<string, string> = retry === undefined ? {} : { 'retry-after': String(Math.ceil(retry)) };
  return new HttpError(facing.httpStatus, facing.httpError, message, headers);
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

/** Every failed REST answer has this one shape: `{error: {code, message}}`. */
export function sendError(res: ServerResponse, err: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, { ...headers, ...err.headers });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > REST_MAX_BODY_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE', `the body may be at most ${REST_MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'INVALID_JSON', 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function stringList(value: unknown, field: string): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new HttpError(400, 'INVALID_PARAM', `${field} must be an array of strings or null`);
  }
  return value as string[];
}
