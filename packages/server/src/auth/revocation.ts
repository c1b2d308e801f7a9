import { CloseCode } from '@tiktool/protocol';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../transport/client-registry.js';
import type { KeyStore } from './key-store.js';

/**
 * Revoked keys lose their open sockets (4401) as soon as the key store hears of the
 * revocation: at once when revoked through this gateway, and through the account store's
 * notifications when revoked anywhere else (another node, the CLI).
 */
export class Revocation {
  constructor(
    private readonly keys: KeyStore,
    private readonly clients: ClientRegistry,
    private readonly logger: Logger,
  ) {
    keys.onKeyChanged((record) => {
      if (record.revokedAt !== null) this.closeRevoked(record.id);
    });
  }

  /** Revokes the key (its sockets close through the change hook); false when there was no active key by that id. */
  revokeKey = (keyId: string): Promise<boolean> => this.keys.revoke(keyId);

  /** Where a revoked key's sockets are closed. */
  private closeRevoked(keyId: string): void {
    const n = this.clients.closeKey(keyId, CloseCode.UNAUTHORIZED, 'API key revoked');
    if (n > 0) this.logger.info({ keyId, sockets: n }, 'closed sockets of a revoked key');
  }
}
