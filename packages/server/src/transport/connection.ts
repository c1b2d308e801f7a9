import type { IncomingMessage } from 'node:http';
import { InvalidParamError, parseConnectParams } from '@tiktool/protocol';
import type { WebSocket } from 'ws';
import { closeFor } from '../errors/error-map.js';
import type { Hub } from '../hub/hub.js';
import { admitConnection, type AdmissionDeps } from './admission.js';
import { ClientConnection, type ClientConnectionDeps } from './client-connection.js';
import { planResume } from './resume-plan.js';
import { startStreaming, type StreamingDeps } from './streaming.js';

export interface ConnectionDeps extends ClientConnectionDeps, AdmissionDeps, StreamingDeps {
  hub: Hub;
}

/**
 * One client connection, from the upgrade to its close, in steps: admit (authenticate,
 * tier limits), join the creator's upstream, plan the resume, stream. A step that finds
 * the socket closed stops; the connection undoes what the steps did.
 */
export async function serveConnection(deps: ConnectionDeps, socket: WebSocket, req: IncomingMessage): Promise<void> {
  const client = new ClientConnection(socket, req, deps);
  try {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const parsed = parseConnectParams(url.searchParams);
    if (parsed.uniqueId === undefined) throw new InvalidParamError('uniqueIds', 'roster sockets are not served yet');
    const params = { ...parsed, uniqueId: parsed.uniqueId };
    client.facts.creator = params.uniqueId;
    const { principal, earlier } = await admitConnection(deps, client, url, params);
    const { creator, opened } = await deps.hub.acquire(params.uniqueId);
    client.signal.throwIfAborted();
    const plan = planResume(deps.sessions, {
      params,
      uniqueId: creator.uniqueId,
      keyId: principal.key.id,
      found: earlier,
      stream: creator.stream,
      joinSeq: creator.joinSeq(opened),
    });
    startStreaming(deps, client, { params, principal, creator, plan });
  } catch (err) {
    // The socket closed while a step waited: there is no one left to tell.
    if (client.signal.aborted && err === client.signal.reason) return;
    const closing = closeFor(err);
    if (closing.unexpected) client.log.error({ err }, 'connection failed');
    client.close(closing.code, closing.reason);
  }
}
