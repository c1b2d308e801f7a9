/**
 * TikTok-Live-Connector's constructor options, accepted as they are. Behind the gateway
 * most of them have nothing left to do (the gateway fetches, signs, polls and keeps the
 * WebSocket); they are accepted and ignored so that existing code runs unchanged. What
 * is new: where the gateway is and the key to it, from the options or the environment.
 */

import type { GiftMode } from '@tiktool/protocol';
import { DEFAULT_URL } from '../defaults.js';
import { TikTokLiveError } from '../errors.js';

export const ENV_URL = 'TIKTOOL_URL';
export const ENV_API_KEY = 'TIKTOOL_API_KEY';

/** Options of TikTok-Live-Connector 1.x and 2.x that the gateway makes meaningless. */
export const IGNORED_OPTIONS = [
  'processInitialData',
  'fetchRoomInfoOnConnect',
  'enableWebsocketUpgrade',
  'enableRequestPolling',
  'requestPollingIntervalMs',
  'sessionId',
  'ttTargetIdc',
  'clientParams',
  'requestHeaders',
  'websocketHeaders',
  'requestOptions',
  'websocketOptions',
  'signProviderOptions',
  'authenticateWs',
  'signApiKey',
  'preferredAgentIds',
  'connectWithUniqueId',
  'disableEulerFallbacks',
  'webClientParams',
  'webClientHeaders',
  'webClientOptions',
  'wsClientParams',
  'wsClientHeaders',
  'wsClientOptions',
] as const;

export type IgnoredOptions = { [K in (typeof IGNORED_OPTIONS)[number]]?: unknown };

export interface ConnectorOptions extends IgnoredOptions {
  /** Add `extendedGiftInfo` (the gift as getAvailableGifts() lists it) to gift events. */
  enableExtendedGiftInfo?: boolean;
  /** The gateway's WebSocket URL; default $TIKTOOL_URL, else the SDK's default. */
  url?: string;
  /** The gateway API key; default $TIKTOOL_API_KEY. */
  apiKey?: string;
  /** A scoped token in place of apiKey. */
  jwtKey?: string;
  /** 'final': one gift event per finished streak (see docs/protocol.md). Default 'all', as the connector. */
  gifts?: GiftMode;
}

export interface GatewaySettings {
  url: string;
  apiKey: string | undefined;
  jwtKey: string | undefined;
  gifts: GiftMode;
  extendedGiftInfo: boolean;
}

function env(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

export function gatewaySettings(options: ConnectorOptions | undefined): GatewaySettings {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TikTokLiveError('ERR_INVALID_ARGUMENT', 'options must be an object');
  }
  const o = options ?? {};
  return {
    url: o.url ?? env(ENV_URL) ?? DEFAULT_URL,
    apiKey: o.apiKey ?? env(ENV_API_KEY),
    jwtKey: o.jwtKey,
    gifts: o.gifts ?? 'all',
    extendedGiftInfo: o.enableExtendedGiftInfo === true,
  };
}
