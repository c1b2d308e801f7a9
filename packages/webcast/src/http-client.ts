/** The few HTTP GETs the client makes, with a timeout and typed network errors. */

import { UpstreamError } from './upstream.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface HttpClient {
  get(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse>;
}

export function createHttpClient(timeoutMs: number): HttpClient {
  return {
    async get(url, headers, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const res = await fetch(url, { headers, signal: combined, redirect: 'follow' });
        const body = Buffer.from(await res.arrayBuffer());
        return { status: res.status, headers: res.headers, body };
      } catch (err) {
        if (signal?.aborted) throw err;
        const what = timeout.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
        throw new UpstreamError('NETWORK', `GET ${redact(url)} failed: ${what}`, { cause: err });
      }
    },
  };
}

/** URL without its query string: queries may carry keys or cookies. */
export function redact(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    throw new UpstreamError('PROTOCOL', `${what}: response is not JSON (HTTP ${res.status})`, { cause: err });
  }
}
