/**
 * The emulator's own control API, under /_emulator/: its stats, and switching a creator
 * live or offline (`POST /_emulator/creators/{uniqueId}` with `{"live": false}`). The
 * same handler serves the standalone emulator and, in emulator mode, the gateway's port.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreatorRoom, EndAction } from './creator-room.js';
import { CONTROL_MAX_BODY_BYTES, END_ACTIONS } from './defaults.js';
import { BodyError, json, readJsonBody } from './http-json.js';
import { RoomLimitError, type RoomRegistry } from './room-registry.js';

export const CONTROL_PREFIX = '/_emulator/';
const STATS = /^\/_emulator\/stats\/?$/;
const CREATOR = /^\/_emulator\/creators\/([^/]+)\/?$/;

export interface ControlDeps {
  registry: RoomRegistry;
  stats(): unknown;
}

/** What the control endpoint says of a creator. */
export interface CreatorState {
  uniqueId: string;
  live: boolean;
  roomId: string;
  status: CreatorRoom['status'];
}

function stateOf(room: CreatorRoom): CreatorState {
  return { uniqueId: room.uniqueId, live: room.status !== 'ended', roomId: room.roomId, status: room.status };
}

/** The switch a POST body asks for, or a message saying what is wrong with it. */
function parseSwitch(body: unknown): { live: boolean; action: EndAction } | string {
  const b = body as { live?: unknown; reason?: unknown } | null;
  if (typeof b !== 'object' || b === null || typeof b.live !== 'boolean') return 'the body must be {"live": true} or {"live": false}';
  if (b.reason === undefined) return { live: b.live, action: END_ACTIONS.ended };
  if (b.reason !== 'ended' && b.reason !== 'suspended') return 'reason must be "ended" or "suspended"';
  return { live: b.live, action: END_ACTIONS[b.reason] };
}

/** Serves a request under /_emulator/; false when the path is not the control API's. */
export function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!path.startsWith(CONTROL_PREFIX)) return false;
  if (STATS.test(path)) {
    if (req.method !== 'GET') json(res, 405, { message: 'use GET' });
    else json(res, 200, deps.stats());
    return true;
  }
  const m = CREATOR.exec(path);
  if (!m) {
    json(res, 404, { message: `no control route ${path}; see POST /_emulator/creators/{uniqueId}` });
    return true;
  }
  let uniqueId: string;
  try {
    uniqueId = decodeURIComponent(m[1]);
  } catch {
    json(res, 400, { message: 'the uniqueId holds malformed percent-encoding' });
    return true;
  }
  if (req.method === 'GET') respond(res, uniqueId, () => deps.registry.room(uniqueId));
  else if (req.method === 'POST') void switchCreator(deps, req, res, uniqueId);
  else json(res, 405, { message: 'use GET or POST' });
  return true;
}

async function switchCreator(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, uniqueId: string): Promise<void> {
  let body: unknown;
  try {
    body = await readJsonBody(req, CONTROL_MAX_BODY_BYTES);
  } catch (err) {
    json(res, err instanceof BodyError ? err.status : 400, { message: (err as Error).message });
    return;
  }
  const wanted = parseSwitch(body);
  if (typeof wanted === 'string') return json(res, 400, { message: wanted });
  respond(res, uniqueId, () => deps.registry.setLive(uniqueId, wanted.live, wanted.action));
}

function respond(res: ServerResponse, uniqueId: string, find: () => CreatorRoom | undefined): void {
  let room: CreatorRoom | undefined;
  try {
    room = find();
  } catch (err) {
    if (!(err instanceof RoomLimitError)) throw err;
    return json(res, 429, { message: err.message });
  }
  if (room) json(res, 200, stateOf(room));
  else json(res, 404, { message: `@${uniqueId.slice(0, 64)} does not exist in the emulator (missing_* creators never do)` });
}
