/** Every default of the gateway, in one place. Config overrides many of them. */

import { defaults as webcastDefaults } from '@tiktool/webcast';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_DB_PATH = './data/tiktool.db';
export const DEFAULT_UPSTREAM = 'webcast' as const;
/** The emulator's own rate: its defaults alone are loaded, not the emulator. */
export { DEFAULT_RATE as DEFAULT_EMULATOR_RATE } from '@tiktool/emulator/defaults';

/** Largest message a client may send; the contract has no client messages beyond small control ones. */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;

/** Per-client send queue bound; a client above it is closed with 4008 (slow consumer). */
export const SEND_QUEUE_MAX_BYTES = 1024 * 1024;
/** While replaying, the pump keeps at most this many bytes in flight per client. */
export const REPLAY_HIGH_WATER_BYTES = 256 * 1024;

/** Creator stream history bounds: whichever is reached first trims the oldest events. */
export const HISTORY_MAX_EVENTS = 10_000;
export const HISTORY_MAX_AGE_MS = 10 * 60_000;
/**
 * The node's budget for all creators' history (TIKTOOL_HISTORY_MAX_BYTES): a quarter of
 * the memory the process may use (its cgroup limit, else the machine's), at most 512 MiB.
 */
export const HISTORY_MAX_BYTES_CAP = 512 * 1024 * 1024;
export const HISTORY_MEMORY_SHARE = 0.25;
/** Events of each creator the budget never trims: a creator's newest are always resumable. */
export const HISTORY_FLOOR_EVENTS = 100;
/**
 * What an event costs the budget beyond its frame's bytes: the entry and Buffer objects and
 * the ring slot on the V8 heap, and the Buffer pool's alignment (measured: ~187 + ~9 bytes).
 */
export const HISTORY_ENTRY_OVERHEAD_BYTES = 200;

/** A detached session can be resumed for this long. */
export const SESSION_TTL_MS = 10 * 60_000;

/** An upstream without subscribers is kept this long, so a reconnecting client resumes without a gap. */
export const UPSTREAM_LINGER_MS = 30_000;
/** No event from upstream for this long closes its subscribers with 4006. */
export const UPSTREAM_IDLE_TIMEOUT_MS = 3 * 60_000;

/** Server pings each client this often; one missed pong terminates it. */
export const PING_INTERVAL_MS = 30_000;

/** A connection gets this long to finish authentication before it is closed. */
export const AUTH_DEADLINE_MS = 5_000;

/** Graceful shutdown gives clients this long to receive their 1001 before sockets are destroyed. */
export const SHUTDOWN_GRACE_MS = 3_000;

/** A resume this soon after the session's last socket closed does not count as a new connect. */
export const RESUME_GRACE_MS = 60_000;

/** Roster sockets: subscribe/unsubscribe frames one socket may send per window, so a client cannot churn upstreams. */
export const ROSTER_ACTIONS_PER_WINDOW = 30;
export const ROSTER_ACTION_WINDOW_MS = 10_000;
/** The longest `id` a roster action may carry (it is echoed back). */
export const ROSTER_ACTION_ID_MAX_LENGTH = 64;
/** A creator whose upstream failed on a roster is retried after a backoff from this base to this ceiling. */
export const ROSTER_RETRY_BASE_MS = 5_000;
export const ROSTER_RETRY_MAX_MS = 5 * 60_000;

/** Shortest admin token (TIKTOOL_ADMIN_TOKEN) the gateway starts with. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** Scoped tokens one key may mint per minute (`POST /v1/jwt`); its sockets and connects are limited anyway. */
export const TOKEN_MINTS_PER_MINUTE = 60;
/** Window of the per-key limit on minting scoped tokens. */
export const TOKEN_MINT_WINDOW_MS = 60_000;
/** Lifetime of a scoped token unless asked otherwise, and the most one may have. */
export const TOKEN_DEFAULT_TTL_S = HOUR_MS / 1000;
export const TOKEN_MAX_TTL_S = (24 * HOUR_MS) / 1000;

/** A tier's `connectsPerHour` counts the connects of the last hour. */
export const CONNECT_WINDOW_MS = HOUR_MS;
/** Cluster mode: a socket lease lives this long unless renewed; renewed at a third of it. */
export const SOCKET_LEASE_TTL_MS = 30_000;
/** What a 4429 for sockets or creators suggests when no slot is due to free: slots free as sockets close. */
export const SOCKET_RETRY_AFTER_S = 10;

/** Failed authentications allowed per client address within the window before it is throttled. */
export const AUTH_FAILURES_ALLOWED = 20;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Bound on tracked addresses, so a spray of source addresses cannot grow memory without limit. */
export const AUTH_MAX_TRACKED_ADDRESSES = 100_000;

/** Largest JSON body the REST API reads. */
export const REST_MAX_BODY_BYTES = 16 * 1024;

/** How often usage counters are written to the database. */
export const USAGE_FLUSH_INTERVAL_MS = 10_000;

/** SQLite account store: how often the gateway looks for keys changed by another process (the CLI, a node sharing the file). */
export const REVOCATION_POLL_MS = 2_000;

/** Postgres connections per node for account reads and writes (the key check on connect needs none for a known key). */
export const ACCOUNTS_POOL_SIZE = 5;
/** How soon a node reconnects its Postgres LISTEN connection after losing it. */
export const ACCOUNTS_LISTEN_RETRY_MS = 1_000;
/** Unknown keys remembered as unknown (no database read on a retry) ... */
export const NEGATIVE_KEY_CACHE_TTL_MS = 1_000;
/** ... at most this many. */
export const NEGATIVE_KEY_CACHE_MAX = 10_000;

/** The creator the playground offers in emulator mode, where every name is live. */
export const PLAYGROUND_DEMO_CREATOR = 'demo_creator';

/** Cluster mode: the upstream owner's lease; another node takes over within it. */
export const UPSTREAM_LEASE_MS = 10_000;
/** Cluster mode: how long a node waits for another node's upstream to go live. */
export const CLUSTER_CONNECT_TIMEOUT_MS = 15_000;
/** Cluster mode: recent msgIds kept per creator to drop what a new owner's upstream resends (as one upstream does). */
export const CLUSTER_RECENT_IDS = webcastDefaults.DEFAULT_DEDUP_WINDOW;
/** Cluster mode: how long start-up waits for Redis before giving up. */
export const REDIS_STARTUP_TIMEOUT_MS = 10_000;

/** Live checks: a creator waiting to go live is checked this often (TIKTOOL_LIVE_CHECK_MS), with jitter. */
export const LIVE_CHECK_INTERVAL_MS = 60_000;
/** Live checks: each creator's interval varies by up to this fraction either way, so creators watched together spread out. */
export const LIVE_CHECK_JITTER = 0.1;
/** Live checks: a creator whose checks fail (or who does not exist) is checked half as often per failure in a row, down to 1/8. */
export const LIVE_CHECK_MAX_DOUBLINGS = 3;
/** Live checks (and REST live lookups) toward TikTok per minute, node- or cluster-wide (TIKTOOL_LIVE_CHECKS_PER_MINUTE). */
export const LIVE_CHECKS_PER_MINUTE = 600;
/** The window of the live check budget: LIVE_CHECKS_PER_MINUTE start in any such window. */
export const LIVE_CHECK_BUDGET_WINDOW_MS = 60_000;
/** A live answer is reused this long: concurrent and repeated asks for one creator make one lookup. */
export const LIVE_ANSWER_TTL_MS = 10_000;
/** Live answers kept (an LRU): names asked by strangers cannot grow memory without bound. */
export const LIVE_ANSWERS_MAX = 10_000;
/** A lookup waits at most this long for a slot in the budget before it is refused with a retry delay. */
export const LIVE_CHECK_MAX_WAIT_MS = 5_000;
/** After TikTok blocks or rate limits a lookup, every lookup pauses: this long, doubled per block in a row, capped. */
export const LIVE_CHECK_BACKOFF_BASE_MS = 30_000;
export const LIVE_CHECK_BACKOFF_MAX_MS = 10 * 60_000;
/** Cluster mode: an owner serving from memory while Redis is unreachable tries to append again this often. */
export const REDIS_APPEND_RETRY_MS = 1_000;
/** Cluster mode: the port of a Redis Cluster seed node given without one. */
export const REDIS_DEFAULT_PORT = 6379;
/** Redis Cluster: redirects and retries a command may take (MOVED/ASK after a failover or resharding need one or two). */
export const REDIS_CLUSTER_MAX_REDIRECTIONS = 3;
/** Redis Cluster: the wait before retrying a command whose master's connection closed. */
export const REDIS_CLUSTER_RETRY_DELAY_MS = 100;
/** Redis Cluster: the slot map is re-read this often too, so a failover is noticed without a redirect. */
export const REDIS_CLUSTER_SLOTS_REFRESH_MS = 5_000;

/** REST: the gift catalogue of a region is reused this long (it changes a few times a year). */
export const GIFT_CATALOGUE_TTL_MS = HOUR_MS;
/** REST: gift catalogues held, one per region asked for. */
export const REST_REGIONS_MAX = 64;

/** Webhooks: a delivery attempt gives up after this long. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Webhooks: at most this much of a receiver's response body is read. */
export const WEBHOOK_RESPONSE_MAX_BYTES = 4 * 1024;
/** Webhooks: the first retry's delay (TIKTOOL_WEBHOOK_RETRY_BASE_MS); each further one is WEBHOOK_BACKOFF_FACTOR times longer. */
export const WEBHOOK_RETRY_BASE_MS = 60_000;
export const WEBHOOK_BACKOFF_FACTOR = 3;
/** Webhooks: each retry delay varies by up to this fraction either way. */
export const WEBHOOK_JITTER = 0.2;
/** Webhooks: attempts of one delivery before it is dead-lettered (kept for replay). */
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** Webhooks: an endpoint whose every attempt failed for this long is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * HOUR_MS;
/** Webhooks: a node's lease on a delivery it is sending; longer than an attempt's timeout. */
export const WEBHOOK_LEASE_MS = 60_000;
/** Webhooks: how often each node looks for due deliveries (it also looks at once when it enqueues). */
export const WEBHOOK_POLL_MS = 1_000;
/** Webhooks: deliveries a node sends at once. */
export const WEBHOOK_CONCURRENCY = 8;
/** Webhooks: how often a node reloads the endpoints (changed by another node or the CLI). */
export const WEBHOOK_RELOAD_MS = 5_000;
/** Webhooks: delivered rows are kept this long for the deliveries list, then pruned; dead ones stay for replay. */
export const WEBHOOK_DELIVERED_RETENTION_MS = 7 * 24 * HOUR_MS;
/** Webhooks: rows the deliveries list shows. */
export const WEBHOOK_DELIVERIES_SHOWN = 50;
/** Webhooks: a rotated secret keeps signing this long unless asked otherwise, and at most WEBHOOK_MAX_GRACE_S. */
export const WEBHOOK_DEFAULT_GRACE_S = 24 * 3600;
export const WEBHOOK_MAX_GRACE_S = 7 * 24 * 3600;
/** Webhooks: viewers.peak is sent at most this often per LIVE. */
export const WEBHOOK_PEAK_INTERVAL_MS = 60_000;
/** Webhooks: a watched creator whose upstream closed while still live is re-acquired after this long. */
export const WEBHOOK_REACQUIRE_MS = 5_000;
