import { CloseCode } from '@tiktool/protocol';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../transport/client-registry.js';
import type { KeyStore } from './key-store.js';

/**
 * Revoked keys lose their open sockets (4401): at once when revoked through this gateway
 * (the admin API), and when revoked anywhere else (another node, the CLI) as soon as the
 * account store tells this node of the change.
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

  /** Revokes the key and closes its sockets; false when there was no active key by that id. */
  revokeKey = async (keyId: string): Promise<boolean> => {
    const done = await this.keys.revoke(keyId);
    this.closeRevoked(keyId);
    return done;
  };

  /** Where a revoked key's sockets are closed. */
  closeRevoked = (keyId: string): void => {
    const n = this.clients.closeKey(keyId, CloseCode.UNAUTHORIZED, 'API key revoked');
    if (n > 0) this.logger.info({ keyId, sockets: n }, 'closed sockets of a revoked key');
  };
}
