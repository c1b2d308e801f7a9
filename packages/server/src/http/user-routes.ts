import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserAnswer } from '@tiktool/protocol';
import type { UserProfile } from '@tiktool/webcast';
import type { CreatorLookups } from '../lookups/creator-lookups.js';
import { admitRequest, creatorParam, onlyMethod, type GuardDeps } from './rest-guard.js';
import { sendJson } from './rest.js';

export interface UserRouteDeps extends GuardDeps {
  lookups: Pick<CreatorLookups, 'user'>;
}

/** `roomId` only while the user is live. */
const userJson = ({ roomId, ...user }: UserProfile): UserAnswer => (roomId === undefined ? user : { ...user, roomId });

/** `GET /v1/users/{uniqueId}`; 404 USER_NOT_FOUND for a name TikTok does not know. */
export async function handleUsers(deps: UserRouteDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const m = /^\/v1\/users\/([^/]+)$/.exec(path);
  if (!m) return false;
  onlyMethod(req, 'GET');
  const principal = await admitRequest(deps, req, res);
  sendJson(res, 200, userJson(await deps.lookups.user(creatorParam(principal, m[1]))));
  return true;
}
