/** Every default of the gateway, in one place. Config overrides many of them. */

import { defaults as webcastDefaults } from '@tiktool/webcast';

export const HOUR_MS = 3_600_000;

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
