import { CloseCode } from '@tiktool/protocol';
import { REVOCATION_POLL_MS } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../transport/client-registry.js';
import type { KeyStore } from './key-store.js';

/**
 * Revoked keys lose their open sockets (4401): at once when revoked through this gateway
 * (the admin API), within REVOCATION_POLL_MS when revoked by another process (the CLI).
 */
export class Revocation {
  private readonly poller: NodeJS.Timeout;
  private checkedAt = Date.now();

  constructor(
    private readonly keys: KeyStore,
    private readonly clients: ClientRegistry,
    private readonly logger: Logger,
  ) {
    this.poller = setInterval(() => this.poll(), REVOCATION_POLL_MS);
    this.poller.unref();
  }

  /** Revokes the key and closes its sockets; false when there was no active key by that id. */
  revokeKey = (keyId: string): boolean => {
    const done = this.keys.revoke(keyId);
    this.closeRevoked(keyId);
    return done;
  };

  /** Where a revoked key's sockets are closed. */
  closeRevoked = (keyId: string): void => {
    const n = this.clients.closeKey(keyId, CloseCode.UNAUTHORIZED, 'API key revoked');
    if (n > 0) this.logger.info({ keyId, sockets: n }, 'closed sockets of a revoked key');
  };

  stop(): void {
    clearInterval(this.poller);
  }

  private poll(): void {
    const since = this.checkedAt - REVOCATION_POLL_MS;
    this.checkedAt = Date.now();
    for (const id of this.keys.revokedSince(since)) this.closeRevoked(id);
    this.keys.noteCreatedSince(since);
  }
}
