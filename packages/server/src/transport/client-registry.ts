/** Something that can be closed with a code: an open client connection. */
export interface Closable {
  close(code: number, reason: string): void;
}

/** Open connections by API key id, so revoking a key can close its sockets. */
export class ClientRegistry {
  private readonly byKey = new Map<string, Set<Closable>>();

  add(keyId: string, client: Closable): void {
    let set = this.byKey.get(keyId);
    if (!set) {
      set = new Set();
      this.byKey.set(keyId, set);
    }
    set.add(client);
  }

  remove(keyId: string, client: Closable): void {
    const set = this.byKey.get(keyId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.byKey.delete(keyId);
  }

  /** Closes every connection of the key; returns how many. */
  closeKey(keyId: string, code: number, reason: string): number {
    const set = this.byKey.get(keyId);
    if (!set) return 0;
    this.byKey.delete(keyId);
    for (const c of set) c.close(code, reason);
    return set.size;
  }
}
