import { TiktoolError } from './errors.js';
import { isCreatorEventName, type CreatorEventName } from './events.js';

/** What a client sends in the WebSocket URL's query string. */
export interface ConnectParams {
  /**
   * A single-creator socket: the creator's TikTok username, normalised (lower case, no
   * `@`). Exactly one of `uniqueId` and `uniqueIds` is set.
   */
  uniqueId?: string;
  /**
   * A roster socket: its creators, each normalised like `uniqueId`, duplicates collapsed,
   * in the order given. May be empty: the roster is then the resumed session's (with
   * `sessionId`), or starts empty and is filled by subscribe frames.
   */
  uniqueIds?: readonly string[];
  apiKey?: string;
  /** A scoped token from POST /v1/jwt, in place of apiKey. */
  jwtKey?: string;
  /** Resume this session (from a previous roomInfo). */
  sessionId?: string;
  /** Seq of the last event the client processed; replay starts after it (single-creator sockets). */
  lastSeq?: number;
  /**
   * A roster's resume positions: per creator, the seq of its last event the client
   * processed. A creator without one resumes after the last event the gateway sent it.
   */
  lastSeqs?: ReadonlyMap<string, number>;
  /** A single-creator socket waits for its creator to go live instead of closing (4404, 4005). Rosters always wait. */
  waitForLive: boolean;
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
  uniqueIds: 'uniqueIds',
  lastSeqs: 'lastSeqs',
  waitForLive: 'waitForLive',
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

/** The most creators one roster socket may hold (a tier may allow fewer). */
export const MAX_ROSTER_CREATORS = 500;

function parseLastSeq(input: string | null, param: string = PARAM.lastSeq): number | undefined {
  if (input == null || input === '') return undefined;
  if (!/^\d{1,15}$/.test(input)) {
    throw new InvalidParamError(param, `${param} must be a non-negative integer`);
  }
  return Number(input);
}

/** A comma list of usernames, each normalised, duplicates collapsed; throws when it names too many. */
export function parseUniqueIds(input: string): string[] {
  const ids = new Set<string>();
  for (const raw of input.split(',')) {
    if (raw.trim() === '') continue;
    ids.add(normaliseUniqueIdAs(PARAM.uniqueIds, raw));
    if (ids.size > MAX_ROSTER_CREATORS) {
      throw new InvalidParamError(PARAM.uniqueIds, `uniqueIds names more than ${MAX_ROSTER_CREATORS} creators`);
    }
  }
  return [...ids];
}

/** `a:120,b:33`: the seq of the last event processed, per creator. */
export function parseLastSeqs(input: string | null): ReadonlyMap<string, number> | undefined {
  if (input == null || input.trim() === '') return undefined;
  const seqs = new Map<string, number>();
  for (const pair of input.split(',')) {
    if (pair.trim() === '') continue;
    const colon = pair.lastIndexOf(':');
    if (colon < 0) throw new InvalidParamError(PARAM.lastSeqs, 'lastSeqs must be a comma list of uniqueId:seq');
    const uniqueId = normaliseUniqueIdAs(PARAM.lastSeqs, pair.slice(0, colon));
    if (seqs.has(uniqueId)) throw new InvalidParamError(PARAM.lastSeqs, `lastSeqs names ${uniqueId} twice`);
    seqs.set(uniqueId, parseLastSeq(pair.slice(colon + 1).trim(), PARAM.lastSeqs) ?? 0);
    if (seqs.size > MAX_ROSTER_CREATORS) {
      throw new InvalidParamError(PARAM.lastSeqs, `lastSeqs names more than ${MAX_ROSTER_CREATORS} creators`);
    }
  }
  return seqs.size > 0 ? seqs : undefined;
}

/** normaliseUniqueId, its error naming `param`. */
function normaliseUniqueIdAs(param: string, input: string): string {
  try {
    return normaliseUniqueId(input);
  } catch (err) {
    if (err instanceof InvalidParamError) throw new InvalidParamError(param, err.message.replace(/^uniqueId/, `${param}: uniqueId`));
    throw err;
  }
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

/**
 * Parses and validates a connection URL's query string. A roster socket (`uniqueIds`,
 * present even if empty) takes `lastSeqs`; a single-creator socket takes `lastSeq` and
 * `waitForLive`; mixing the two forms is a 4400.
 */
export function parseConnectParams(query: URLSearchParams): ConnectParams {
  const common = {
    apiKey: query.get(PARAM.apiKey) || undefined,
    jwtKey: query.get(PARAM.jwtKey) || undefined,
    sessionId: parseSessionId(query.get(PARAM.sessionId)),
    events: parseEventFilter(query.get(PARAM.events)),
    batch: parseBool(PARAM.batch, query.get(PARAM.batch)),
    gifts: parseGiftMode(query.get(PARAM.gifts)),
  };
  const roster = query.get(PARAM.uniqueIds);
  if (roster === null) {
    if (query.has(PARAM.lastSeqs)) throw new InvalidParamError(PARAM.lastSeqs, 'lastSeqs is for roster sockets (uniqueIds)');
    return {
      ...common,
      uniqueId: normaliseUniqueId(query.get(PARAM.uniqueId)),
      lastSeq: parseLastSeq(query.get(PARAM.lastSeq)),
      waitForLive: parseBool(PARAM.waitForLive, query.get(PARAM.waitForLive)),
    };
  }
  if (query.has(PARAM.uniqueId)) throw new InvalidParamError(PARAM.uniqueIds, 'give uniqueId or uniqueIds, not both');
  if (query.has(PARAM.lastSeq))
    throw new InvalidParamError(PARAM.lastSeq, 'a roster socket takes lastSeqs (uniqueId:seq,...), not lastSeq');
  // A roster always waits: waitForLive is accepted (the SDK may send it) but changes nothing.
  parseBool(PARAM.waitForLive, query.get(PARAM.waitForLive));
  return { ...common, uniqueIds: parseUniqueIds(roster), lastSeqs: parseLastSeqs(query.get(PARAM.lastSeqs)), waitForLive: true };
}

/**
 * Builds the query string a client sends; the inverse of parseConnectParams. With
 * `uniqueIds` (even empty) it is a roster socket's.
 */
export function formatConnectQuery(params: Partial<ConnectParams>): URLSearchParams {
  const q = new URLSearchParams();
  if (params.uniqueIds !== undefined) {
    q.set(PARAM.uniqueIds, params.uniqueIds.join(','));
    if (params.lastSeqs && params.lastSeqs.size > 0) {
      q.set(PARAM.lastSeqs, [...params.lastSeqs].map(([id, seq]) => `${id}:${seq}`).join(','));
    }
  } else {
    q.set(PARAM.uniqueId, params.uniqueId ?? '');
    if (params.lastSeq !== undefined) q.set(PARAM.lastSeq, String(params.lastSeq));
    if (params.waitForLive) q.set(PARAM.waitForLive, '1');
  }
  if (params.apiKey) q.set(PARAM.apiKey, params.apiKey);
  if (params.jwtKey) q.set(PARAM.jwtKey, params.jwtKey);
  if (params.sessionId) q.set(PARAM.sessionId, params.sessionId);
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
