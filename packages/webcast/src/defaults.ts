/** Every default of the WebCast client, in one place. */

export const DEFAULT_WEB_URL = 'https://www.tiktok.com';
export const DEFAULT_WEBCAST_URL = 'https://webcast.tiktok.com';
export const DEFAULT_SIGN_URL = 'https://tiktok.eulerstream.com';
export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** Sent as the sign provider's `client` parameter. */
export const DEFAULT_CLIENT_NAME = 'tiktool';

/** TikTok closes a push connection that sends no heartbeat for a while. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
/** A push connection with no frame for this long is treated as dead (TikTok answers no pings). */
export const DEFAULT_STALE_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Retries of a rate-limited (429) sign call, with exponential full-jitter backoff. */
export const DEFAULT_SIGN_RETRIES = 3;
export const DEFAULT_SIGN_RETRY_BASE_MS = 1_000;
export const DEFAULT_SIGN_RETRY_MAX_MS = 15_000;

/** Reconnect attempts after an upstream drop before the upstream fails for good. */
export const DEFAULT_RECONNECT_ATTEMPTS = 6;
export const DEFAULT_RECONNECT_BASE_MS = 500;
export const DEFAULT_RECONNECT_MAX_MS = 15_000;

/** How many recent msgIds are remembered to drop messages TikTok resends after a reconnect. */
export const DEFAULT_DEDUP_WINDOW = 20_000;

/**
 * A gift streak without a message for this long is finished by the gateway. TikTok's
 * combo window is a few seconds and its repeatEnd follows within about that, so this is
 * well past any real end.
 */
export const DEFAULT_GIFT_STREAK_TIMEOUT_MS = 15_000;

/** At most this many gift streaks are tracked at once; beyond it the oldest is finished early. */
export const MAX_OPEN_STREAKS = 1_000;
/** Finished-by-timeout streaks remembered, to recognise their late messages. */
export const MAX_TIMED_OUT_STREAKS = 1_000;

/** TikTok's web app id, sent as `aid` everywhere. */
export const TIKTOK_WEB_AID = '1988';
/** Live status in SIGI_STATE, api-live and room info: 2 = live, 4 = ended/offline. */
export const ROOM_STATUS_LIVE = 2;
export const ROOM_STATUS_OFFLINE = 4;
/** api-live's statusCode for a username that does not exist. */
export const API_LIVE_USER_NOT_FOUND = 19881007;

/** Query parameters of the push WebSocket besides room, cursor and route params. */
export const PUSH_SOCKET_PARAMS: Readonly<Record<string, string>> = {
  aid: TIKTOK_WEB_AID,
  app_name: 'tiktok_web',
  version_code: '270000',
  update_version_code: '2.0.0',
  device_platform: 'web',
  identity: 'audience',
  live_id: '12',
  did_rule: '3',
  resp_content_type: 'protobuf',
  heartbeat_duration: '0',
  history_comment_count: '6',
  sup_ws_ds_opt: '1',
  ws_direct: '0',
  client_enter: '1',
  compress: 'gzip',
};

/** A route (direct or a proxy) that failed backs off this long, doubled per failure in a row, capped. */
export const ROUTE_BENCH_BASE_MS = 30_000;
export const ROUTE_BENCH_MAX_MS = 600_000;

/** Sign calls per window; 0 = no budget of ours (the provider's 429s and Retry-After still apply). */
export const DEFAULT_SIGN_RATE_PER_MINUTE = 0;
/** The sign budget allows `TIKTOOL_SIGN_RATE` calls in any window of this length. */
export const DEFAULT_SIGN_WINDOW_MS = 60_000;
/** A connect whose sign slot is further away than this is refused at once, with the delay. */
export const DEFAULT_SIGN_MAX_WAIT_MS = 120_000;
/** When the sign budget's shared store cannot be reached (Redis away), clients come back after this. */
export const SIGN_STORE_RETRY_S = 5;
/** A Retry-After longer than this is not believed (a provider's clock or a typo). */
export const MAX_SIGN_RETRY_AFTER_MS = 600_000;

/** Room info's status_code for a LIVE that needs a logged-in (adult) viewer. */
export const ROOM_INFO_AGE_RESTRICTED = 4003110;
