/**
 * `@tiktool/live/compat`: TikTok-Live-Connector's API on the tiktool gateway. Change the
 * import, keep the bot:
 *
 *   const { WebcastPushConnection } = require('@tiktool/live/compat')  // was 'tiktok-live-connector'
 *
 * Node only (it extends node:events' EventEmitter, as the connector does).
 */

export {
  TikTokLiveConnection,
  WebcastPushConnection,
  type ConnectorGift,
  type ConnectorRoomInfo,
  type ConnectorState,
} from './webcast-push-connection.js';
export { ENV_API_KEY, ENV_URL, IGNORED_OPTIONS, type ConnectorOptions } from './connector-options.js';
export type { ConnectorBadge, ConnectorMeta, ConnectorUser } from './connector-data.js';
