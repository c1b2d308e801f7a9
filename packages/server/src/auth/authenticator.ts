import type { Credentials } from '@tiktool/protocol';
import { forbidden, rateLimited, unauthorized } from '../errors.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { KeyRecord, KeyStore } from './key-store.js';
import type { ScopedTokens } from './scoped-token.js';
import type { TokenLimit } from '../limits/limiter.js';
import type { Tier, Tiers } from './tiers.js';

/** Who is connecting, and what they may do. */
export interface Principal {
  key: KeyRecord;
  tier: Tier;
  /** Set for a scoped token: its own socket limit, on top of the key's (whose slots it takes). */
  token: TokenLimit | undefined;
  /** Creators this principal may watch; null = any. */
  creators: string[] | null;
}

export interface AuthRequest {
  credentials: Credentials;
  address: string;
  origin: string | undefined;
}

/** Turns presented credentials into a Principal, or a GatewayError with the close code to send. */
export class Authenticator {
  constructor(
    private readonly keys: KeyStore,
    private readonly tiers: Tiers,
    private readonly tokens: ScopedTokens,
    private readonly throttle: AuthThrottle,
  ) {}

  async authenticate({ credentials, address, origin }: AuthRequest): Promise<Principal> {
    const wait = this.throttle.retryAfterS(address);
    try {
      const principal = credentials.jwtKey ? await this.fromToken(credentials.jwtKey, wait) : await this.fromKey(credentials.apiKey, wait);
      checkOrigin(principal.key, origin);
      return principal;
    } catch (err) {
      this.throttle.recordFailure(address);
      throw err;
    }
  }

  /** For REST calls: the key behind a Bearer header; throws 4401-coded errors. */
  async keyPrincipal(apiKey: string | undefined, address: string): Promise<Principal> {
    const wait = this.throttle.retryAfterS(address);
    try {
      return await this.fromKey(apiKey, wait);
    } catch (err) {
      this.throttle.recordFailure(address);
      throw err;
    }
  }

  /**
   * A throttled address (`wait` > 0) still gets in with a valid key: the store knows valid
   * hashes in memory, so a throttled address costs no database read.
   */
  private async fromKey(apiKey: string | undefined, wait: number): Promise<Principal> {
    if (wait > 0 && !(apiKey && this.keys.knows(apiKey))) throw throttled(wait);
    if (!apiKey) throw unauthorized('missing API key: pass apiKey in the query, a Bearer header or a subprotocol');
    const key = await this.keys.verify(apiKey);
    if (!key) throw unauthorized('invalid or revoked API key');
    const tier = this.tierOf(key);
    return { key, tier, token: undefined, creators: key.allowedCreators };
  }

  /**
   * The key's current scope, tier and revocation apply to its tokens: a token's creators
   * are those it names that the key may still watch. A throttled address gets in only
   * with a validly signed token (checked without a database read).
   */
  private async fromToken(jwtKey: string, wait: number): Promise<Principal> {
    const claims = await this.tokens.verify(jwtKey).catch((err: unknown) => {
      throw wait > 0 ? throttled(wait) : err;
    });
    const key = this.keys.get(claims.keyId);
    if (!key || key.revokedAt !== null) throw unauthorized('the API key behind this token was revoked');
    const tier = this.tierOf(key);
    const allowed = key.allowedCreators;
    return {
      key,
      tier,
      token: { id: claims.tokenId, maxSockets: Math.min(claims.maxSockets, tier.maxSockets) },
      creators: allowed === null ? claims.creators : claims.creators.filter((c) => allowed.includes(c)),
    };
  }

  private tierOf(key: KeyRecord): Tier {
    const tier = this.tiers.get(key.tier);
    if (!tier) throw unauthorized(`the key's tier "${key.tier}" no longer exists`);
    return tier;
  }
}

const throttled = (wait: number) => rateLimited(`too many failed authentications from this address; retry after ${wait} s`);

function checkOrigin(key: KeyRecord, origin: string | undefined): void {
  // Server-side clients send no Origin; the allow-list stops other web pages using the key.
  if (origin === undefined || key.allowedOrigins === null) return;
  if (!key.allowedOrigins.includes(origin)) throw forbidden(`origin ${origin.slice(0, 60)} is not allowed for this key`);
}

/** Whether the principal may watch the creator; throws 4403 otherwise. */
export function checkCreator(principal: Principal, uniqueId: string): void {
  if (principal.creators !== null && !principal.creators.includes(uniqueId)) {
    throw forbidden(`this key may not watch ${uniqueId}`);
  }
}
