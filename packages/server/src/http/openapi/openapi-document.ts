/**
 * The OpenAPI 3.1 document of every public route, served at `GET /v1/openapi.json`. Each
 * route family keeps its paths in its own module; a new family adds its module to
 * PATH_FAMILIES. The calls the gateway makes to webhook endpoints are in `webhooks`.
 */

import { readFileSync } from 'node:fs';
import { accountPaths } from './account-paths.js';
import { giftPaths } from './gift-paths.js';
import { livePaths } from './live-paths.js';
import { opsPaths } from './ops-paths.js';
import { roomPaths } from './room-paths.js';
import { components } from './schemas.js';
import { userPaths } from './user-paths.js';
import { webhookPaths, webhookSchemas } from './webhook-paths.js';
import { webhookCalls, webhookPayloadSchemas } from './webhook-payloads.js';

const PATH_FAMILIES: readonly Record<string, object>[] = [livePaths, roomPaths, userPaths, giftPaths, accountPaths, webhookPaths, opsPaths];

const { version } = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'tiktool',
      version,
      summary: 'A self-hostable gateway for TikTok LIVE events: the REST API beside the WebSocket.',
      description:
        'Every failed answer is `{"error": {"code", "message"}}`. Authenticated routes count against the key\'s tier per minute and per UTC day and carry `X-RateLimit-*` headers. See docs/rest.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: Object.assign({}, ...PATH_FAMILIES),
    webhooks: webhookCalls,
    components: { ...components, schemas: { ...components.schemas, ...webhookSchemas, ...webhookPayloadSchemas } },
  };
}
