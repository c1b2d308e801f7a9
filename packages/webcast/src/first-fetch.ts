/**
 * The first fetch of a room: recent messages plus where and how to open the push
 * WebSocket (push server, cursor, internal_ext, route params). Signed through the sign
 * provider, or, in direct mode, fetched unsigned from the webcast host (the emulator).
 */

import type { UpstreamEvent } from '@tiktool/protocol';
import { TIKTOK_WEB_AID } from './defaults.js';
import type { FrameDecoder } from './decode/frame-decoder.js';
import type { FetchResultHead } from './decode/fetch-result.js';
import type { HttpClient } from './http-client.js';
import { tiktokHeaders, type ResolvedOptions } from './options.js';
import type { SignBudget } from './sign-budget.js';
import { signConnect } from './sign-provider.js';
import { UpstreamError } from './upstream.js';

export interface FirstFetch {
  head: FetchResultHead;
  events: UpstreamEvent[];
  /** Cookie header for the push WebSocket (without the session cookie). */
  cookie: string;
}

/** set-cookie header values -> one Cookie header (name=value pairs only). */
function cookiePairs(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0].trim())
    .filter((c) => c !== '')
    .join('; ');
}

async function directFetch(roomId: string, cursor: string, o: ResolvedOptions, http: HttpClient, signal?: AbortSignal) {
  const q = new URLSearchParams({
    aid: TIKTOK_WEB_AID,
    room_id: roomId,
    cursor,
    resp_content_type: 'protobuf',
    did_rule: '3',
    fetch_rule: '1',
    client_enter: '1',
  });
  const url = `${o.webcastUrl}/webcast/im/fetch/?${q}`;
  const res = await http.get('first fetch', url, tiktokHeaders(o), signal);
  if (res.status !== 200) throw new UpstreamError('PROTOCOL', `first fetch: HTTP ${res.status}`);
  return { body: res.body, cookie: cookiePairs(res.headers) };
}

export async function firstFetch(
  roomId: string,
  cursor: string,
  o: ResolvedOptions,
  http: HttpClient,
  decoder: FrameDecoder,
  budget: SignBudget,
  signal?: AbortSignal,
): Promise<FirstFetch> {
  const { body, cookie } = o.direct
    ? await directFetch(roomId, cursor, o, http, signal)
    : await signConnect(roomId, cursor, o, http, budget, signal);
  const result = decoder.decodeFetchResult(body);
  if (!result) throw new UpstreamError('PROTOCOL', 'the first fetch returned a body that is not a protobuf fetch result');
  if (result.head.pushServer === '') throw new UpstreamError('PROTOCOL', 'the first fetch named no push server');
  return { head: result.head, events: result.events, cookie };
}
