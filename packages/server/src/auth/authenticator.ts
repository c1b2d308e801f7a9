import { forbidden, rateLimited, unauthorized } from '../errors.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { KeyRecord, KeyStore } from './key-store.js';
import type { ScopedTokens } from './scoped-token.js';
import type { Tier, Tiers } from './tiers.js';

export interface Credentials {
  apiKey?: string;
  jwtKey?: string;
}

/** Who is connecting, and what they may do. */
export interface Principal {
  key: KeyRecord;
  tier: Tier;
  /** Whose slots the connection takes: the key, or the scoped token. */
  owner: string;
  maxSockets: number;
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
    if (wait > 0) throw rateLimited(`too many failed authentications from this address; retry after ${wait} s`);
    try {
      const principal = credentials.jwtKey
        ? await this.fromToken(credentials.jwtKey)
        : this.fromKey(credentials.apiKey);
      checkOrigin(principal.key, origin);
      return principal;
    } catch (err) {
      this.throttle.recordFailure(address);
      throw err;
    }
  }

  /** For REST calls: the key behind a Bearer header; throws 4401-coded errors. */
  keyPrincipal(apiKey: string | undefined, address: string): Principal {
    const wait = this.throttle.retryAfterS(address);
    if (wait > 0) throw rateLimited(`too many failed authentications from this address; retry after ${wait} s`);
    try {
      return this.fromKey(apiKey);
    } catch (err) {
      this.throttle.recordFailure(address);
      throw err;
    }
  }

  private fromKey(apiKey: string | undefined): Principal {
    if (!apiKey) throw unauthorized('missing API key: pass apiKey in the query, a Bearer header or a subprotocol');
    const key = this.keys.verify(apiKey);
    if (!key) throw unauthorized('invalid or revoked API key');
    const tier = this.tierOf(key);
    return { key, tier, owner: key.id, maxSockets: tier.maxSockets, creators: key.allowedCreators };
  }

  private async fromToken(jwtKey: string): Promise<Principal> {
    const claims = await this.tokens.verify(jwtKey);
    const key = this.keys.get(claims.keyId);
    if (!key || key.revokedAt !== null) throw unauthorized('the API key behind this token was revoked');
    const tier = this.tierOf(key);
    return {
      key,
      tier,
      owner: `${key.id}/${claims.tokenId}`,
      maxSockets: Math.min(claims.maxSockets, tier.maxSockets),
      creators: claims.creators,
    };
  }

  private tierOf(key: KeyRecord): Tier {
    const tier = this.tiers.get(key.tier);
    if (!tier) throw unauthorized(`the key's tier "${key.tier}" no longer exists`);
    return tier;
  }
}

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
