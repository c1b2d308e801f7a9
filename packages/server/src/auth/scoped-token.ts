import { randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { unauthorized } from '../errors.js';

const ISSUER = 'tiktool';

export interface ScopedTokenClaims {
  /** The API key the token was issued for. */
  keyId: string;
  /** Creators the token may watch. */
  creators: string[];
  maxSockets: number;
  tokenId: string;
  expiresAt: number;
}

/**
 * Short-lived tokens for browsers: signed (HS256) with the gateway's secret, limited to
 * given creators and a socket count, so a page never holds the API key itself.
 */
export class ScopedTokens {
  private readonly secret: Uint8Array;

  constructor(secret: string) {
    this.secret = new TextEncoder().encode(secret);
  }

  async issue(keyId: string, creators: string[], maxSockets: number, ttlS: number): Promise<{ token: string; claims: ScopedTokenClaims }> {
    const tokenId = randomBytes(9).toString('base64url');
    const expiresAt = Math.floor(Date.now() / 1000) + ttlS;
    const token = await new SignJWT({ creators, maxSockets })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(keyId)
      .setJti(tokenId)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.secret);
    return { token, claims: { keyId, creators, maxSockets, tokenId, expiresAt: expiresAt * 1000 } };
  }

  /** The token's claims; throws a 4401 GatewayError when it is invalid or expired. */
  async verify(token: string): Promise<ScopedTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      const creators = payload.creators;
      const maxSockets = payload.maxSockets;
      if (!Array.isArray(creators) || typeof maxSockets !== 'number' || !payload.sub || !payload.jti || !payload.exp) {
        throw unauthorized('invalid token');
      }
      return {
        keyId: payload.sub,
        creators: creators.map(String),
        maxSockets,
        tokenId: payload.jti,
        expiresAt: payload.exp * 1000,
      };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('token expired: request a new one from POST /v1/jwt');
      if (err instanceof joseErrors.JOSEError) throw unauthorized('invalid token');
      throw err;
    }
  }
}
