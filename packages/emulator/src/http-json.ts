/** JSON over the emulator's HTTP: answers, and request bodies read within a bound. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { TiktoolError } from '@tiktool/protocol';

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A request body that is not JSON (ERR_BODY_INVALID, 400), or too large (ERR_BODY_TOO_LARGE, 413). */
export class BodyError extends TiktoolError<'ERR_BODY_INVALID' | 'ERR_BODY_TOO_LARGE'> {
  override name = 'BodyError';
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(status === 413 ? 'ERR_BODY_TOO_LARGE' : 'ERR_BODY_INVALID', message);
  }
}

/** The request's JSON body; rejects with BodyError past maxBytes or when it does not parse. */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the bound the rest is read and dropped, so the client still gets the answer.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > maxBytes) return reject(new BodyError(413, `the body is larger than ${maxBytes} bytes`));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BodyError(400, 'the body must be JSON, e.g. {"live": false}'));
      }
    });
  });
}
