/**
 * The few HTTP GETs the client makes, through one route's dispatcher, with a timeout and
 * typed network errors. Errors name the step ("room lookup", "sign provider"...) and
 * never a URL: reasons reach clients, and URLs name the operator's infrastructure.
 */

import { fetch, type Dispatcher } from 'undici';
import { UpstreamError } from './upstream.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface HttpClient {
  get(step: string, url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse>;
}

/** The most telling part of a failed fetch: its cause's code (ECONNREFUSED, UND_ERR_...), else its message. */
export function networkCause(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    if (!(e.cause instanceof Error)) break;
    e = e.cause;
  }
  return scrubUrls(e instanceof Error ? e.message : String(e));
}

/** Replaces anything that looks like a URL or host:port, so a message can be shown to clients. */
export function scrubUrls(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<address>')
    .replace(/\[[0-9a-f:]+\](?::\d+)?/gi, '<address>');
}

export function createHttpClient(timeoutMs: number, dispatcher: Dispatcher): HttpClient {
  return {
    async get(step, url, headers, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const res = await fetch(url, { headers, signal: combined, redirect: 'follow', dispatcher });
        const body = Buffer.from(await res.arrayBuffer());
        return { status: res.status, headers: res.headers as unknown as Headers, body };
      } catch (err) {
        if (signal?.aborted) throw err;
        const what = timeout.aborted ? `timed out after ${timeoutMs} ms` : `network error (${networkCause(err)})`;
        throw new UpstreamError('NETWORK', `${step}: ${what}`, { cause: err });
      }
    },
  };
}

export function parseJson(res: HttpResponse, step: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    throw new UpstreamError('PROTOCOL', `${step}: response is not JSON (HTTP ${res.status})`, { cause: err });
  }
}
