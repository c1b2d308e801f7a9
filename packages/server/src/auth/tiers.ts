/** What a key may do. Tiers are configuration; these are the built-in defaults. */
export interface Tier {
  name: string;
  /** Concurrent sockets per key. */
  maxSockets: number;
  /** Connects per rolling hour per key; Infinity = unlimited. */
  connectsPerHour: number;
  /** A socket is closed with 4555 after this long. */
  maxSessionMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_TIERS: readonly Tier[] = [
  { name: 'community', maxSockets: 3, connectsPerHour: 60, maxSessionMs: 2 * HOUR },
  { name: 'basic', maxSockets: 20, connectsPerHour: 600, maxSessionMs: 8 * HOUR },
  { name: 'pro', maxSockets: 50, connectsPerHour: Infinity, maxSessionMs: 12 * HOUR },
  { name: 'ultra', maxSockets: 250, connectsPerHour: Infinity, maxSessionMs: 24 * HOUR },
];

export class Tiers {
  private readonly byName: Map<string, Tier>;
  constructor(tiers: readonly Tier[] = DEFAULT_TIERS) {
    this.byName = new Map(tiers.map((t) => [t.name, t]));
  }
  get(name: string): Tier | undefined {
    return this.byName.get(name);
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}
