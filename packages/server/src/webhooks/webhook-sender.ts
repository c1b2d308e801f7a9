import { isIP } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { WEBHOOK_RESPONSE_MAX_BYTES, WEBHOOK_TIMEOUT_MS } from '../defaults.js';
import { checkTarget, publicOnlyLookup } from './target-address.js';

/** How one HTTP attempt went. */
export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, for the delivery's record; null on success. */
  error: string | null;
  durationMs: number;
}

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Posts webhook bodies. Redirects are not followed (a 3xx is a failed attempt), the
 * response body is read to a small bound, and every attempt has a timeout. Unless private
 * targets are allowed, the connection's own DNS lookup refuses addresses that are not
 * public, so a name rebound to an internal address after its check gets nowhere.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(
    private readonly allowPrivate: boolean,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {
    this.agent = new Agent(allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } });
  }

  async send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const url = new URL(req.url);
      // An IP literal is connected to without a lookup: it is checked here instead.
      if (isIP(url.hostname.replace(/^\[(.*)\]$/, '$1'))) await checkTarget(url, this.allowPrivate);
      const res = await fetch(url, {
        method: 'POST',
        body: req.body,
        headers: { 'content-type': 'application/json', ...req.headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        dispatcher: this.agent,
      });
      await drain(res.body);
      const ok = res.status >= 200 && res.status < 300;
      const error = ok ? null : res.status >= 300 && res.status < 400 ? `HTTP ${res.status}: redirect not followed` : `HTTP ${res.status}`;
      return { ok, statusCode: res.status, error, durationMs: took() };
    } catch (err) {
      return { ok: false, statusCode: null, error: describe(err), durationMs: took() };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads at most WEBHOOK_RESPONSE_MAX_BYTES of a response body, then lets the rest go. */
async function drain(body: Response['body']): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let read = 0;
  while (read < WEBHOOK_RESPONSE_MAX_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
  }
  await reader.cancel();
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = e.cause;
  return (cause ? `${cause.code ?? cause.name}: ${cause.message}` : e.message).slice(0, 300);
}
