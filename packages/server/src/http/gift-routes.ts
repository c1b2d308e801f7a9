import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GiftCatalogueAnswer } from '@tiktool/protocol';
import type { CreatorLookups } from '../lookups/creator-lookups.js';
import { admitRequest, onlyMethod, type GuardDeps } from './rest-guard.js';
import { HttpError, sendJson } from './rest.js';

export interface GiftRouteDeps extends GuardDeps {
  lookups: Pick<CreatorLookups, 'gifts'>;
}

/** A region is a two-letter country code; the set is small, so catalogues per region stay bounded. */
const REGION = /^[A-Za-z]{2}$/;

function regionParam(req: IncomingMessage): string | null {
  const region = new URL(req.url ?? '/', 'http://gateway').searchParams.get('region');
  if (region === null || region === '') return null;
  if (!REGION.test(region)) throw new HttpError(400, 'INVALID_PARAM', 'region must be a two-letter country code such as US');
  return region.toUpperCase();
}

/** `GET /v1/gifts[?region=XX]`: the gift catalogue, cached per region. */
export async function handleGifts(deps: GiftRouteDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== '/v1/gifts') return false;
  onlyMethod(req, 'GET');
  await admitRequest(deps, req, res);
  const region = regionParam(req);
  const catalogue: GiftCatalogueAnswer = { region, gifts: await deps.lookups.gifts(region ?? '') };
  sendJson(res, 200, catalogue);
  return true;
}
