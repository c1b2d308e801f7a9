import { TiktoolError } from './errors.js';
import { isCreatorEventName, type CreatorEventName } from './events.js';

/** What a client sends in the WebSocket URL's query string. */
export interface ConnectParams {
  /** The creator's TikTok username, normalised: lower case, no `@`. */
  uniqueId: string;
  apiKey?: string;
  /** A scoped token from POST /v1/jwt, in place of apiKey. */
  jwtKey?: string;
  /** Resume this session (from a previous roomInfo). */
  sessionId?: string;
  /** Seq of the last event the client processed; replay starts after it. */
  lastSeq?: number;
  /** Only these events are delivered (roomInfo always is). Undefined = all. */
  events?: ReadonlySet<CreatorEventName>;
  /** Several events per frame, as a JSON array (opt-in). */
  batch: boolean;
  /** `final`: one gift per finished streak, none of its progress (see GiftMode). */
  gifts: GiftMode;
}

/**
 * `all`: every gift message, streak progress included. `final`: only messages that
 * complete a gift (repeatEnd true: a streak's end, with its total, or a non-streakable
 * gift), so each gift is counted once.
 */
export type GiftMode = 'all' | 'final';

export const PARAM = {
  uniqueId: 'uniqueId',
  apiKey: 'apiKey',
  jwtKey: 'jwtKey',
  sessionId: 'sessionId',
  lastSeq: 'lastSeq',
  events: 'events',
  batch: 'batch',
  gifts: 'gifts',
} as const;

/** A parameter the gateway rejects (`param` names it); connections close with 4400. */
export class InvalidParamError extends TiktoolError<'ERR_INVALID_PARAM'> {
  override name = 'InvalidParamError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super('ERR_INVALID_PARAM', message);
  }
}

/**
 * TikTok usernames: 2-24 letters, digits, underscores and periods, at least one of them not
 * a period, and not ending with one (TikTok's own rules).
 */
const UNIQUE_ID = /^(?=[a-z0-9_.]{2,24}$)[a-z0-9_.]*[a-z0-9_]$/;
const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Accepts `name`, `@name`, and profile or live URLs (`https://www.tiktok.com/@name/live`),
 * returns the lower-case username or throws InvalidParamError.
 */
export function normaliseUniqueId(input: string | null | undefined): string {
  if (input == null || input.trim() === '') {
    throw new InvalidParamError(PARAM.uniqueId, 'uniqueId is required');
  }
  let s = input.trim();
  const fromUrl = /tiktok\.com\/@([^/?#]+)/i.exec(s);
  if (fromUrl) s = decodePath(fromUrl[1]);
  s = s.replace(/^@/, '').toLowerCase();
  if (!UNIQUE_ID.test(s)) {
    throw new InvalidParamError(PARAM.uniqueId, 'uniqueId must be a TikTok username (2-24 letters, digits, _ or ., not ending with .)');
  }
  return s;
}

/** The username segment of a profile URL, percent-decoded. */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidParamError(PARAM.uniqueId, 'uniqueId holds malformed percent-encoding');
  }
}

/** Parses a comma list such as `chat,gift`; throws on unknown names. */
export function parseEventFilter(input: string | null | undefined): ReadonlySet<CreatorEventName> | undefined {
  if (input == null || input.trim() === '') return undefined;
  const names = new Set<CreatorEventName>();
  for (const raw of input.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!isCreatorEventName(name)) {
      throw new InvalidParamError(PARAM.events, `unknown event "${name.slice(0, 40)}" in events`);
    }
    names.add(name);
  }
  return names.size > 0 ? names : undefined;
}

function parseLastSeq(input: string | null): number | undefined {
  if (input == null || input === '') return undefined;
  if (!/^\d{1,15}$/.test(input)) {
    throw new InvalidParamError(PARAM.lastSeq, 'lastSeq must be a non-negative integer');
  }
  return Number(input);
}

function parseSessionId(input: string | null): string | undefined {
  if (input == null || input === '') return undefined;
  if (!SESSION_ID.test(input)) {
    throw new InvalidParamError(PARAM.sessionId, 'sessionId is malformed');
  }
  return input;
}

function parseBool(name: string, input: string | null): boolean {
  if (input == null || input === '' || input === '0' || input === 'false') return false;
  if (input === '1' || input === 'true') return true;
  throw new InvalidParamError(name, `${name} must be 0, 1, true or false`);
}

export function parseGiftMode(input: string | null | undefined): GiftMode {
  if (input == null || input === '' || input === 'all') return 'all';
  if (input === 'final') return 'final';
  throw new InvalidParamError(PARAM.gifts, 'gifts must be "all" or "final"');
}

/** Parses and validates a connection URL's query string. */
export function parseConnectParams(query: URLSearchParams): ConnectParams {
  return {
    uniqueId: normaliseUniqueId(query.get(PARAM.uniqueId)),
    apiKey: query.get(PARAM.apiKey) || undefined,
    jwtKey: query.get(PARAM.jwtKey) || undefined,
    sessionId: parseSessionId(query.get(PARAM.sessionId)),
    lastSeq: parseLastSeq(query.get(PARAM.lastSeq)),
    events: parseEventFilter(query.get(PARAM.events)),
    batch: parseBool(PARAM.batch, query.get(PARAM.batch)),
    gifts: parseGiftMode(query.get(PARAM.gifts)),
  };
}

/** Builds the query string a client sends; the inverse of parseConnectParams. */
export function formatConnectQuery(params: Partial<ConnectParams> & { uniqueId: string }): URLSearchParams {
  const q = new URLSearchParams();
  q.set(PARAM.uniqueId, params.uniqueId);
  if (params.apiKey) q.set(PARAM.apiKey, params.apiKey);
  if (params.jwtKey) q.set(PARAM.jwtKey, params.jwtKey);
  if (params.sessionId) q.set(PARAM.sessionId, params.sessionId);
  if (params.lastSeq !== undefined) q.set(PARAM.lastSeq, String(params.lastSeq));
  if (params.events && params.events.size > 0) q.set(PARAM.events, [...params.events].join(','));
  if (params.batch) q.set(PARAM.batch, '1');
  if (params.gifts === 'final') q.set(PARAM.gifts, 'final');
  return q;
}

/**
 * The WebSocket subprotocol of the gateway. Clients may carry their key as a second
 * subprotocol (`apikey.KEY` or `jwt.TOKEN`) instead of in the URL, where proxies and
 * access logs would keep it; browsers cannot set headers, so this is their way. The
 * gateway answers with SUBPROTOCOL, never echoing the key.
 */
export const SUBPROTOCOL = 'tiktool.v1';
export const API_KEY_PROTOCOL_PREFIX = 'apikey.';
export const JWT_PROTOCOL_PREFIX = 'jwt.';

/** Characters a subprotocol may hold (an HTTP token). */
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** The key a client presents: an API key, or a scoped token from POST /v1/jwt. */
export interface Credentials {
  apiKey?: string;
  jwtKey?: string;
}

/** The subprotocols that carry these credentials, or undefined when they cannot (then use the query). */
export function credentialProtocols(credentials: Credentials): string[] | undefined {
  const credential = credentials.jwtKey
    ? JWT_PROTOCOL_PREFIX + credentials.jwtKey
    : credentials.apiKey
      ? API_KEY_PROTOCOL_PREFIX + credentials.apiKey
      : undefined;
  return credential && TOKEN.test(credential) ? [SUBPROTOCOL, credential] : undefined;
}
