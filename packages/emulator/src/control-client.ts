/**
 * The control API from the other side: what `tiktool emulator live` calls, against the
 * standalone emulator or a gateway running in emulator mode (which serves /_emulator/).
 */

import type { CreatorState } from './control-routes.js';

/** Switches a creator live or offline; rejects with the emulator's message, or why it could not be reached. */
export async function switchCreator(baseUrl: string, uniqueId: string, live: boolean): Promise<CreatorState> {
  const url = `${baseUrl.replace(/\/+$/, '')}/_emulator/creators/${encodeURIComponent(uniqueId)}`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ live }) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(`cannot reach the emulator at ${baseUrl} (${cause})`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<CreatorState> & { message?: string };
  if (res.status !== 200) throw new Error(`${baseUrl} answered HTTP ${res.status}: ${body.message ?? 'no message'}`);
  return body as CreatorState;
}
