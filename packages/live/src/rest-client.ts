import {
  REST_ERROR_CODES,
  type BulkLiveEntry,
  type GiftAnswer,
  type GiftCatalogueAnswer,
  type LiveStatusAnswer,
  type RestErrorBody,
  type RestErrorCode,
  type RoomAnswer,
  type UserAnswer,
} from '@tiktool/protocol';
import { DEFAULT_REST_URL } from './defaults.js';
import { TikTokLiveError } from './errors.js';

export interface RestClientOptions {
  apiKey: string;
  /** The gateway's HTTP base URL. Default {@link DEFAULT_REST_URL}. */
  url?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

const isRestCode = (code: unknown): code is RestErrorCode => (REST_ERROR_CODES as readonly unknown[]).includes(code);

function baseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new TikTokLiveError('ERR_INVALID_ARGUMENT', `url is not a valid URL: ${input}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TikTokLiveError('ERR_INVALID_ARGUMENT', `url must be http:// or https://, got ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The error for a failed answer: the gateway's code when it gave one. */
function answerError(res: Response, body: unknown): TikTokLiveError {
  const error = (body as Partial<RestErrorBody> | undefined)?.error;
  const retry = Number(res.headers.get('retry-after'));
  const options = { status: res.status, retryAfterS: Number.isFinite(retry) && retry > 0 ? retry : undefined };
  if (error && isRestCode(error.code)) return new TikTokLiveError(error.code, error.message, options);
  return new TikTokLiveError('ERR_PROTOCOL', `the gateway answered HTTP ${res.status} without an error code`, options);
}

/**
 * The gateway's REST API, typed: is a creator live, which of many are, a room, a user,
 * the gift catalogue. A failed call rejects with a TikTokLiveError whose code is the
 * gateway's (`USER_NOT_FOUND`, `NOT_LIVE`, `RATE_LIMITED`...), or `ERR_UNREACHABLE`.
 */
export class RestClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RestClientOptions) {
    if (!options.apiKey) throw new TikTokLiveError('ERR_INVALID_ARGUMENT', 'apiKey is required');
    this.base = baseUrl(options.url ?? DEFAULT_REST_URL);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  isLive(uniqueId: string): Promise<LiveStatusAnswer> {
    return this.call(`/v1/live/${encodeURIComponent(uniqueId)}`);
  }

  /** Each name's live state or its own error, in the order asked (at most the tier's maximum per call). */
  async bulkLive(uniqueIds: readonly string[]): Promise<BulkLiveEntry[]> {
    const { results } = await this.call<{ results: BulkLiveEntry[] }>('/v1/live/bulk', { method: 'POST', body: { uniqueIds } });
    return results;
  }

  /** A live creator's room; rejects with NOT_LIVE when the creator is not live. */
  room(uniqueId: string): Promise<RoomAnswer> {
    return this.call(`/v1/rooms/${encodeURIComponent(uniqueId)}`);
  }

  user(uniqueId: string): Promise<UserAnswer> {
    return this.call(`/v1/users/${encodeURIComponent(uniqueId)}`);
  }

  /** The gift catalogue of a region (a two-letter country code; TikTok's default when absent). */
  async gifts(options: { region?: string } = {}): Promise<GiftAnswer[]> {
    const q = options.region ? `?region=${encodeURIComponent(options.region)}` : '';
    return (await this.call<GiftCatalogueAnswer>(`/v1/gifts${q}`)).gifts;
  }

  private async call<T>(path: string, request: { method?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetch(`${this.base}${path}`, {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
    } catch (cause) {
      throw new TikTokLiveError('ERR_UNREACHABLE', `cannot reach the gateway at ${this.base}`, { cause });
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw answerError(res, body);
    if (body === undefined)
      throw new TikTokLiveError('ERR_PROTOCOL', `the gateway answered HTTP ${res.status} without JSON`, { status: res.status });
    return body as T;
  }
}
