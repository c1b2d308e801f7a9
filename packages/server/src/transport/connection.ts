import type { IncomingMessage } from 'node:http';
import { parseConnectParams } from '@tiktool/protocol';
import type { WebSocket } from 'ws';
import { closeFor } from '../errors/error-map.js';
import { admitConnection, type AdmissionDeps } from './admission.js';
import { ClientConnection, type ClientConnectionDeps } from './client-connection.js';
import { Roster, type RosterDeps } from './roster.js';

export interface ConnectionDeps extends ClientConnectionDeps, AdmissionDeps, RosterDeps {}

/**
 * One client connection, from the upgrade to its close, in steps: read the parameters,
 * admit (authenticate, tier limits), resume or begin the session, follow the creators
 * (a single socket's one, or a roster's). A step that finds the socket closed stops; the
 * connection undoes what the steps did.
 */
export async function serveConnection(deps: ConnectionDeps, socket: WebSocket, req: IncomingMessage): Promise<void> {
  const client = new ClientConnection(socket, req, deps);
  try {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const params = parseConnectParams(url.searchParams);
    client.facts.creator = params.uniqueId;
    client.facts.creators = params.uniqueIds?.length;
    // Before any wait: the client's frames are the roster's from the start.
    const roster = new Roster(deps, client, params);
    const { principal, earlier } = await admitConnection(deps, client, url, params);
    const session = earlier ?? deps.sessions.create(principal.key.id, params.uniqueIds !== undefined, params.events);
    // The filter is the one this connection asks for, not the one the session began with.
    session.events = params.events;
    await roster.start({ principal, session });
  } catch (err) {
    // The socket closed while a step waited: there is no one left to tell.
    if (client.signal.aborted && err === client.signal.reason) return;
    const closing = closeFor(err);
    if (closing.unexpected) client.log.error({ err }, 'connection failed');
    client.close(closing.code, closing.reason);
  }
}
