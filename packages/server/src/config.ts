import {
  ADMIN_TOKEN_MIN_LENGTH,
  DEFAULT_DB_PATH,
  DEFAULT_EMULATOR_RATE,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_UPSTREAM,
  HISTORY_MAX_AGE_MS,
  HISTORY_MAX_EVENTS,
  LIVE_CHECK_INTERVAL_MS,
  LIVE_CHECKS_PER_MINUTE,
  PING_INTERVAL_MS,
  SEND_QUEUE_MAX_BYTES,
  SESSION_TTL_MS,
  UPSTREAM_IDLE_TIMEOUT_MS,
  UPSTREAM_LEASE_MS,
  UPSTREAM_LINGER_MS,
} from './defaults.js';
import { defaults as webcastDefaults, maskProxyUrl, webcastOptionsFromEnv, type WebcastOptions } from '@tiktool/webcast';
import { pino } from 'pino';
import { ConfigError } from './errors.js';
import { readProxies } from './upstream/proxy-list.js';

export type UpstreamKind = 'webcast' | 'emulator';

export interface GatewayConfig {
  port: number;
  host: string;
  /** SQLite file for keys and usage; ':memory:' keeps nothing. */
  dbPath: string;
  /** Accounts in Postgres (postgres://...), shared by every node on every host; unset = the SQLite file. */
  databaseUrl?: string;
  upstream: UpstreamKind;
  /** Events per second per creator of the in-process emulator. */
  emulatorRate: number;
  /** The WebCast client's settings (TIKTOK_WEB_URL, SIGN_API_URL, SIGN_API_KEY...). */
  webcast: WebcastOptions;
  /** A key provisioned at start, for demos and tests. */
  bootstrapKey?: string;
  bootstrapTier: string;
  /** Protects the admin REST API; unset disables it. */
  adminToken?: string;
  /** JSON file changing or adding tiers; unset = the built-in tiers. */
  tiersFile?: string;
  /** Cluster mode: every node shares this Redis (streams, upstream ownership, limits, sessions). */
  redisUrl?: string;
  upstreamLeaseMs: number;
  /** One trusted reverse proxy in front: client addresses come from X-Forwarded-For. */
  trustProxy: boolean;
  logLevel: string;
  historyMaxEvents: number;
  historyMaxAgeMs: number;
  sessionTtlMs: number;
  sendQueueMaxBytes: number;
  upstreamLingerMs: number;
  upstreamIdleTimeoutMs: number;
  pingIntervalMs: number;
  // The upstream in the real world (docs/upstream.md): proxies and the sign budget.
  /** One outbound proxy for every upstream request and the push socket. */
  proxy?: string;
  /** A file of proxies, one URL per line, rotated per creator. */
  proxiesFile?: string;
  /** Sign provider calls per minute, per node or (cluster mode) for the cluster; 0 = no limit. */
  signRatePerMinute: number;
  /** A connect whose sign slot is further away than this is refused at once, with the delay. */
  signMaxWaitMs: number;
  /** Each creator waiting to go live (or watched for webhooks) is checked about this often, with jitter. */
  liveCheckMs: number;
  /** Live checks toward TikTok per minute, per node or (cluster mode) for the cluster; 0 = no limit of ours. */
  liveChecksPerMinute: number;
}

/** Each setting's environment variable; docs/deploy.md lists the same names. */
export const ENV = {
  port: 'PORT',
  host: 'HOST',
  dbPath: 'TIKTOOL_DB',
  databaseUrl: 'DATABASE_URL',
  upstream: 'TIKTOOL_UPSTREAM',
  emulatorRate: 'TIKTOOL_EMULATOR_RATE',
  bootstrapKey: 'TIKTOOL_BOOTSTRAP_KEY',
  bootstrapTier: 'TIKTOOL_BOOTSTRAP_TIER',
  adminToken: 'TIKTOOL_ADMIN_TOKEN',
  tiersFile: 'TIKTOOL_TIERS',
  redisUrl: 'REDIS_URL',
  upstreamLeaseMs: 'TIKTOOL_UPSTREAM_LEASE_MS',
  trustProxy: 'TIKTOOL_TRUST_PROXY',
  logLevel: 'LOG_LEVEL',
  historyMaxEvents: 'TIKTOOL_HISTORY_MAX_EVENTS',
  historyMaxAgeMs: 'TIKTOOL_HISTORY_MAX_AGE_MS',
  sessionTtlMs: 'TIKTOOL_SESSION_TTL_MS',
  sendQueueMaxBytes: 'TIKTOOL_SEND_QUEUE_MAX_BYTES',
  upstreamLingerMs: 'TIKTOOL_UPSTREAM_LINGER_MS',
  upstreamIdleTimeoutMs: 'TIKTOOL_UPSTREAM_IDLE_TIMEOUT_MS',
  pingIntervalMs: 'TIKTOOL_PING_INTERVAL_MS',
  proxy: 'TIKTOOL_PROXY',
  proxiesFile: 'TIKTOOL_PROXIES_FILE',
  signRatePerMinute: 'TIKTOOL_SIGN_RATE',
  signMaxWaitMs: 'TIKTOOL_SIGN_MAX_WAIT_MS',
  liveCheckMs: 'TIKTOOL_LIVE_CHECK_MS',
  liveChecksPerMinute: 'TIKTOOL_LIVE_CHECKS_PER_MINUTE',
} as const;

type Source = Record<string, string | undefined>;

function num(src: Source, name: string, fallback: number, min = 0): number {
  const raw = src[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

function str(src: Source, name: string): string | undefined {
  const raw = src[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** The logger's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS: readonly string[] = [
  ...Object.entries(pino.levels.values)
    .sort(([, a], [, b]) => b - a)
    .map(([name]) => name),
  'silent',
];

function logLevel(src: Source): string {
  const level = str(src, ENV.logLevel) ?? 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`${ENV.logLevel} must be one of ${LOG_LEVELS.join(', ')}; got "${level}"`);
  }
  return level;
}

/**
 * Builds the config from environment variables, with overrides (from CLI flags or
 * tests) taking precedence.
 */
export function loadConfig(env: Source = process.env, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const upstream = (str(env, ENV.upstream) ?? DEFAULT_UPSTREAM) as UpstreamKind;
  if (upstream !== 'webcast' && upstream !== 'emulator') {
    throw new ConfigError(`${ENV.upstream} must be "webcast" or "emulator", got "${upstream}"`);
  }
  const config: GatewayConfig = {
    port: num(env, ENV.port, DEFAULT_PORT),
    host: str(env, ENV.host) ?? DEFAULT_HOST,
    dbPath: str(env, ENV.dbPath) ?? DEFAULT_DB_PATH,
    databaseUrl: postgresUrl(str(env, ENV.databaseUrl)),
    upstream,
    emulatorRate: num(env, ENV.emulatorRate, DEFAULT_EMULATOR_RATE),
    bootstrapKey: str(env, ENV.bootstrapKey),
    bootstrapTier: str(env, ENV.bootstrapTier) ?? 'pro',
    adminToken: str(env, ENV.adminToken),
    tiersFile: str(env, ENV.tiersFile),
    redisUrl: str(env, ENV.redisUrl),
    upstreamLeaseMs: num(env, ENV.upstreamLeaseMs, UPSTREAM_LEASE_MS, 100),
    trustProxy: ['1', 'true'].includes(str(env, ENV.trustProxy) ?? ''),
    logLevel: logLevel(env),
    historyMaxEvents: num(env, ENV.historyMaxEvents, HISTORY_MAX_EVENTS, 1),
    historyMaxAgeMs: num(env, ENV.historyMaxAgeMs, HISTORY_MAX_AGE_MS, 1),
    sessionTtlMs: num(env, ENV.sessionTtlMs, SESSION_TTL_MS, 1),
    sendQueueMaxBytes: num(env, ENV.sendQueueMaxBytes, SEND_QUEUE_MAX_BYTES, 1024),
    upstreamLingerMs: num(env, ENV.upstreamLingerMs, UPSTREAM_LINGER_MS),
    upstreamIdleTimeoutMs: num(env, ENV.upstreamIdleTimeoutMs, UPSTREAM_IDLE_TIMEOUT_MS, 1),
    pingIntervalMs: num(env, ENV.pingIntervalMs, PING_INTERVAL_MS, 1),
    liveCheckMs: num(env, ENV.liveCheckMs, LIVE_CHECK_INTERVAL_MS, 100),
    liveChecksPerMinute: num(env, ENV.liveChecksPerMinute, LIVE_CHECKS_PER_MINUTE),
    ...upstreamInTheWorld(env),
  };
  const merged = { ...config, ...overrides, webcast: { ...config.webcast, ...overrides.webcast } };
  checkAdminToken(merged.adminToken);
  return merged;
}

/** Proxies (into webcast.proxies), the sign budget, and the session cookie's data center. */
function upstreamInTheWorld(env: Source) {
  const proxy = str(env, ENV.proxy);
  const proxiesFile = str(env, ENV.proxiesFile);
  const webcast = webcastOptionsFromEnv(env);
  const proxies = readProxies(proxy, proxiesFile, { proxy: ENV.proxy, file: ENV.proxiesFile });
  if (proxies.length) webcast.proxies = proxies;
  if (webcast.sessionCookie && !webcast.targetIdc) {
    throw new ConfigError(
      "TIKTOK_SESSION_ID needs TIKTOK_TARGET_IDC: the account's data center, the value of its tt-target-idc cookie (e.g. useast2a)",
    );
  }
  return {
    webcast,
    proxy,
    proxiesFile,
    signRatePerMinute: num(env, ENV.signRatePerMinute, webcastDefaults.DEFAULT_SIGN_RATE_PER_MINUTE),
    signMaxWaitMs: num(env, ENV.signMaxWaitMs, webcastDefaults.DEFAULT_SIGN_MAX_WAIT_MS, 1),
  };
}

/**
 * What will not work with this config, said at start: in `webcast` mode the public sign
 * provider refuses requests without a key, so every creator would fail with 4500.
 */
export function startWarnings(config: GatewayConfig): string[] {
  return [...signWarnings(config), ...accountWarnings(config)];
}

/** Cluster mode with accounts in a local SQLite file works only for nodes on one host sharing that file. */
function accountWarnings(config: GatewayConfig): string[] {
  if (!config.redisUrl || config.databaseUrl) return [];
  return [
    `REDIS_URL is set but accounts are in the local SQLite file ${config.dbPath}: keys, usage and sessions' owners ` +
      'are per host. That is fine only for nodes on one host sharing this file; for nodes on several hosts set ' +
      'DATABASE_URL=postgres://... (docs/scaling.md)',
  ];
}

function signWarnings(config: GatewayConfig): string[] {
  const { signApiKey, signUrl, direct } = config.webcast;
  if (config.upstream !== 'webcast' || signApiKey || signUrl || direct) return [];
  return [
    'SIGN_API_KEY is not set: the default sign provider (SIGN_API_URL) requires a key, so every connection to a ' +
      'TikTok creator will close with 4500. Set SIGN_API_KEY (docs/upstream.md), or try the offline demo: ' +
      'TIKTOOL_UPSTREAM=emulator TIKTOOL_BOOTSTRAP_KEY=demo-key npm start',
  ];
}

const SECRET_FIELDS = new Set(['bootstrapKey', 'adminToken', 'signApiKey', 'sessionCookie']);

/** One line for the start log, with every secret masked. */
export function describeConfig(config: GatewayConfig): string {
  const flat: Record<string, unknown> = { ...config, ...config.webcast };
  delete flat.webcast;
  return Object.entries(flat)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${shown(k, v)}`)
    .join(' ');
}

function shown(field: string, value: unknown): string {
  if (SECRET_FIELDS.has(field)) return '***';
  if (field === 'redisUrl' || field === 'databaseUrl') return maskUrlPassword(String(value));
  if (field === 'proxy') return maskProxyUrl(String(value));
  if (field === 'proxies') return (value as string[]).map(maskProxyUrl).join(',');
  return String(value);
}

/** DATABASE_URL must name Postgres; anything else is refused at start rather than misread. */
function postgresUrl(url: string | undefined): string | undefined {
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(`${ENV.databaseUrl} must be a postgres:// or postgresql:// URL`);
  }
  return url;
}

/** redis://user:secret@host -> redis://user:***@host */
function maskUrlPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** The admin token guards every key; a short one could be guessed, so it is refused at start. */
function checkAdminToken(token: string | undefined): void {
  if (token !== undefined && token.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new ConfigError(
      `${ENV.adminToken} must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (it has ${token.length}); ` +
        'generate one with: openssl rand -hex 32',
    );
  }
}
