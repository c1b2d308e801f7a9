import { CREATOR_EVENT_NAMES, type CreatorEnvelope, type Creators, type TikTokLive } from '@tiktool/live';

/** Calls `listener` with every creator event's envelope, in the order they arrive. */
export function onEveryEvent(client: TikTokLive<Creators>, listener: (envelope: CreatorEnvelope) => void): void {
  for (const name of CREATOR_EVENT_NAMES) client.on(name, (_data: unknown, envelope: CreatorEnvelope) => listener(envelope));
}
