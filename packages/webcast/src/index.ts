export * from './upstream.js';
export { createWebcastUpstream, type WebcastUpstream } from './webcast-upstream.js';
export { WebcastConnection, type ConnectionStats } from './webcast-client.js';
export { resolveOptions, webcastOptionsFromEnv, type WebcastOptions, type ResolvedOptions, type RoomIdSource } from './options.js';
export * as defaults from './defaults.js';
export { FrameDecoder, emptyDecodeStats, type DecodeStats, type DecodedFrame } from './decode/frame-decoder.js';
export { readPushFrame, isGzip, type PushFrame } from './decode/push-frame.js';
export type { FetchResultHead } from './decode/fetch-result.js';
export { Method, FrameType, PAYLOAD_ENCODING_PB, type MethodName } from './methods.js';
export { Schema, webcastSchema, PROTO_FILE, type ProtoObject } from './schema.js';
export { WireReader, WireFormatError } from './wire/reader.js';
export { SIGN_COOKIE_HEADER } from './sign-provider.js';
export { maskProxyUrl, parseProxyUrl, type ProxyUrl, type ProxyKind } from './proxy-url.js';
export {
  createSignBudget,
  MemorySlotStore,
  type SignBudget,
  type SlotStore,
  type Reservation,
  type SignBudgetOptions,
  type BucketParams,
  reservationId,
} from './sign-budget.js';
export { systemClock, type Clock } from './clock.js';
export type { UpstreamObserver, SignOutcome } from './upstream-observer.js';
