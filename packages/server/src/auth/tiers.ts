import { readFileSync } from 'node:fs';
import { HOUR_MS } from '../defaults.js';
import { ConfigError } from '../errors.js';

/** What a key may do. Tiers are configuration; these are the built-in defaults. */
export interface Tier {
  name: string;
  /** Concurrent sockets per key. */
  maxSockets: number;
  /** Connects per rolling hour per key; Infinity = unlimited. */
  connectsPerHour: number;
  /** A socket is closed with 4555 after this long; the SDK resumes it. */
  maxSessionMs: number;
  /** Distinct creators one key may watch at once. */
  maxCreators: number;
  /** REST requests per minute and per day (UTC) per key; Infinity = unlimited. */
  requestsPerMinute: number;
  requestsPerDay: number;
  /** Names one `POST /v1/live/bulk` may ask about. */
  maxBulkNames: number;
  /** Webhook endpoints per key. */
  maxWebhooks: number;
  /** Distinct creators a key's webhook endpoints may watch, all together. */
  maxWebhookCreators: number;
}

export const DEFAULT_TIERS: readonly Tier[] = [
  {
    name: 'community',
    maxSockets: 3,
    connectsPerHour: 60,
    maxSessionMs: 2 * HOUR_MS,
    maxCreators: 3,
    requestsPerMinute: 20,
    requestsPerDay: 5_000,
    maxBulkNames: 10,
    maxWebhooks: 1,
    maxWebhookCreators: 3,
  },
  {
    name: 'basic',
    maxSockets: 20,
    connectsPerHour: 600,
    maxSessionMs: 8 * HOUR_MS,
    maxCreators: 10,
    requestsPerMinute: 120,
    requestsPerDay: 50_000,
    maxBulkNames: 50,
    maxWebhooks: 5,
    maxWebhookCreators: 25,
  },
  {
    name: 'pro',
    maxSockets: 50,
    connectsPerHour: Infinity,
    maxSessionMs: 12 * HOUR_MS,
    maxCreators: 50,
    requestsPerMinute: 600,
    requestsPerDay: 500_000,
    maxBulkNames: 100,
    maxWebhooks: 20,
    maxWebhookCreators: 100,
  },
  {
    name: 'ultra',
    maxSockets: 250,
    connectsPerHour: Infinity,
    maxSessionMs: 24 * HOUR_MS,
    maxCreators: 250,
    requestsPerMinute: 3_000,
    requestsPerDay: Infinity,
    maxBulkNames: 200,
    maxWebhooks: 100,
    maxWebhookCreators: 500,
  },
];

/** A tier as written in the tiers file: hours and minutes, null for unlimited. */
interface TierFileEntry {
  maxSockets?: number;
  connectsPerHour?: number | null;
  maxSessionMinutes?: number;
  maxCreators?: number;
  requestsPerMinute?: number | null;
  requestsPerDay?: number | null;
  maxBulkNames?: number;
  maxWebhooks?: number;
  maxWebhookCreators?: number;
}

/** A count from the tiers file: null is unlimited, absent keeps the base's. */
const unlimitedOr = (v: number | null | undefined, base: number) => (v === null ? Infinity : (v ?? base));

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

  /**
   * The defaults, with tiers from a JSON file `{ "name": { maxSockets, connectsPerHour,
   * maxSessionMinutes, maxCreators, requestsPerMinute, requestsPerDay, maxBulkNames, maxWebhooks,
   * maxWebhookCreators } }` changing or adding tiers (null = unlimited for the per-hour, -minute and -day counts).
   */
  static load(path: string | undefined): Tiers {
    if (!path) return new Tiers();
    let file: Record<string, TierFileEntry>;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, TierFileEntry>;
    } catch (err) {
      throw new ConfigError(`cannot read tiers file ${path}: ${(err as Error).message}`);
    }
    const merged = new Map(DEFAULT_TIERS.map((t) => [t.name, { ...t }]));
    for (const [name, entry] of Object.entries(file)) {
      const base = merged.get(name) ?? { ...DEFAULT_TIERS[0], name };
      const tier: Tier = {
        name,
        maxSockets: entry.maxSockets ?? base.maxSockets,
        connectsPerHour: unlimitedOr(entry.connectsPerHour, base.connectsPerHour),
        maxSessionMs: entry.maxSessionMinutes !== undefined ? entry.maxSessionMinutes * 60_000 : base.maxSessionMs,
        maxCreators: entry.maxCreators ?? base.maxCreators,
        requestsPerMinute: unlimitedOr(entry.requestsPerMinute, base.requestsPerMinute),
        requestsPerDay: unlimitedOr(entry.requestsPerDay, base.requestsPerDay),
        maxBulkNames: entry.maxBulkNames ?? base.maxBulkNames,
        maxWebhooks: entry.maxWebhooks ?? base.maxWebhooks,
        maxWebhookCreators: entry.maxWebhookCreators ?? base.maxWebhookCreators,
      };
      for (const [k, v] of Object.entries(tier)) {
        if (typeof v === 'number' && !(v > 0)) throw new ConfigError(`tiers file ${path}: ${name}.${k} must be > 0`);
      }
      merged.set(name, tier);
    }
    return new Tiers([...merged.values()]);
  }
}

const finiteOrNull = (n: number) => (Number.isFinite(n) ? n : null);

/** A tier as JSON shows it (Infinity is not JSON: null). */
export function describeTier(t: Tier) {
  return {
    name: t.name,
    maxSockets: t.maxSockets,
    connectsPerHour: finiteOrNull(t.connectsPerHour),
    maxSessionSeconds: Math.round(t.maxSessionMs / 1000),
    maxCreators: t.maxCreators,
    requestsPerMinute: finiteOrNull(t.requestsPerMinute),
    requestsPerDay: finiteOrNull(t.requestsPerDay),
    maxBulkNames: t.maxBulkNames,
    maxWebhooks: t.maxWebhooks,
    maxWebhookCreators: t.maxWebhookCreators,
  };
}
