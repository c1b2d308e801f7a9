import type { ConnectParams } from '@tiktool/protocol';
import { checkCreator, type Authenticator, type Principal } from '../auth/authenticator.js';
import { RESUME_GRACE_MS } from '../defaults.js';
import { rateLimited } from '../errors.js';
import type { SessionStore } from '../hub/session-store.js';
import type { Session } from '../hub/session.js';
import type { Limiter, LimitName } from '../limits/limiter.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { ClientConnection } from './client-connection.js';
import type { ClientRegistry } from './client-registry.js';
import { extractCredentials } from './credentials.js';

export interface AdmissionDeps {
  authenticator: Authenticator;
  limiter: Limiter;
  sessions: SessionStore;
  usage: UsageRecorder;
  clients: ClientRegistry;
  /** The hub's upstream linger: a creator's slot is held that long after the key's last socket on it. */
  creatorLingerMs: number;
}

/** A connection let in: who it is, and the session its resume URL names, if that is still there. */
export interface Admitted {
  principal: Principal;
  earlier: Session | undefined;
}

const LIMIT_WORDS: Record<LimitName, (p: Principal) => string> = {
  sockets: (p) => `too many concurrent sockets: tier ${p.tier.name} allows ${p.tier.maxSockets}`,
  tokenSockets: (p) => `too many concurrent sockets: this token allows ${p.token?.maxSockets}`,
  connects: (p) => `too many connects: tier ${p.tier.name} allows ${p.tier.connectsPerHour} per hour`,
  creators: (p) => `too many creators at once: tier ${p.tier.name} allows ${p.tier.maxCreators}`,
};

/** What a client refused by a limit is told, with when to retry. */
export function limitMessage(limit: LimitName, principal: Principal, retryAfterS: number): string {
  return `${LIMIT_WORDS[limit](principal)}; retry after ${retryAfterS} s`;
}

/**
 * Authenticates the client and admits it under its tier's limits, holding a socket slot
 * (and, in the registry, a handle for revocation) until the connection closes. Throws a
 * GatewayError when the client may not connect. A roster's creators are admitted one by
 * one later (Roster): one the key may not watch is refused alone.
 */
export async function admitConnection(deps: AdmissionDeps, client: ClientConnection, url: URL, params: ConnectParams): Promise<Admitted> {
  const principal = await deps.authenticator.authenticate({
    credentials: extractCredentials(client.req, url.searchParams),
    address: client.address,
    origin: client.req.headers.origin,
  });
  client.signal.throwIfAborted();
  client.facts.keyId = principal.key.id;
  client.facts.tier = principal.tier.name;
  if (params.uniqueId !== undefined) checkCreator(principal, params.uniqueId);
  deps.clients.add(principal.key.id, client);
  client.onClose(() => deps.clients.remove(principal.key.id, client));

  const earlier = params.sessionId ? resumable(await deps.sessions.find(params.sessionId, principal.key.id), params) : undefined;
  // A resume within the grace period is the same visit: it does not consume a connect.
  const withinGrace = earlier !== undefined && (earlier.detachedAt === undefined || Date.now() - earlier.detachedAt <= RESUME_GRACE_MS);
  await holdSocketSlot(deps, client, principal, params.uniqueId, !withinGrace);
  if (!withinGrace) deps.usage.connect(principal.key.id);
  return { principal, earlier };
}

/** The found session, if this socket may resume it: a roster's on a roster socket, a single socket's on one for its creator. */
function resumable(found: Session | undefined, params: ConnectParams): Session | undefined {
  if (!found) return undefined;
  if (params.uniqueId === undefined) return found.roster ? found : undefined;
  return !found.roster && found.creators.has(params.uniqueId) ? found : undefined;
}

/** Puts the tier's limits to the limiter (in process, or the cluster's in Redis): it admits the socket or names the limit hit. */
async function holdSocketSlot(
  deps: AdmissionDeps,
  client: ClientConnection,
  principal: Principal,
  uniqueId: string | undefined,
  countConnect: boolean,
): Promise<void> {
  const admission = await deps.limiter.admit({
    owner: principal.key.id,
    token: principal.token,
    uniqueId,
    maxSockets: principal.tier.maxSockets,
    maxCreators: principal.tier.maxCreators,
    connectsPerHour: principal.tier.connectsPerHour,
    countConnect,
    creatorLingerMs: deps.creatorLingerMs,
  });
  if (!admission.ok) throw rateLimited(limitMessage(admission.limit, principal, admission.retryAfterS));
  const { lease } = admission;
  client.onClose(() => void lease.release());
  client.signal.throwIfAborted();
}
