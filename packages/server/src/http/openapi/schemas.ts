/** The OpenAPI components every path family refers to: schemas, error responses, headers, security. */

import { REST_ERROR_CODES } from '../../errors/error-map.js';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });

/** An object with exactly these properties (all required unless listed as optional). */
export function object(properties: Record<string, object>, optional: string[] = []): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const uniqueId = { type: 'string', description: 'A TikTok username, lower case, without @.', examples: ['some_creator'] };

const errorDetail = object({
  code: { type: 'string', enum: [...REST_ERROR_CODES] },
  message: { type: 'string' },
});

const errorBody = object({ error: errorDetail });

const liveStatus = object({
  uniqueId,
  live: { type: 'boolean' },
  roomId: nullable({ type: 'string' }),
  title: nullable({ type: 'string' }),
  viewerCount: nullable({ type: 'integer', minimum: 0 }),
  checkedAt: dateTime,
});

const profile = {
  userId: { type: 'string' },
  uniqueId,
  nickname: { type: 'string' },
  profilePictureUrl: { type: 'string' },
};

const schemas = {
  Error: errorBody,
  LiveStatus: liveStatus,
  BulkEntry: {
    oneOf: [ref('LiveStatus'), object({ uniqueId: { type: 'string', description: 'The name as it was given.' }, error: errorDetail })],
  },
  BulkRequest: object({ uniqueIds: { type: 'array', minItems: 1, items: { type: 'string' } } }),
  BulkResponse: object({ results: { type: 'array', items: ref('BulkEntry') } }),
  User: object({ ...profile, roomId: { type: 'string', description: 'Set while the user is live.' } }, ['roomId']),
  Room: object({
    roomId: { type: 'string' },
    uniqueId,
    title: { type: 'string' },
    startTime: nullable(dateTime),
    viewerCount: { type: 'integer', minimum: 0 },
    likeCount: { type: 'integer', minimum: 0 },
    owner: object(profile),
    streamUrls: {
      type: 'array',
      items: object({
        format: { type: 'string', enum: ['flv', 'hls'] },
        quality: { type: 'string' },
        url: { type: 'string' },
      }),
    },
  }),
  Gift: object({
    id: { type: 'integer' },
    name: { type: 'string' },
    diamondCount: { type: 'integer', minimum: 0 },
    imageUrl: { type: 'string' },
    type: { type: 'integer' },
  }),
  GiftCatalogue: object({ region: nullable({ type: 'string', pattern: '^[A-Z]{2}$' }), gifts: { type: 'array', items: ref('Gift') } }),
};

const header = (description: string, type = 'integer') => ({ description, schema: { type } });

export const rateLimitHeaders = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
};

const failure = (description: string, headers: object = {}) => ({
  description,
  headers,
  content: { 'application/json': { schema: ref('Error') } },
});

export const components = {
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'The API key, as `Authorization: Bearer KEY`.' },
    apiKey: { type: 'apiKey', in: 'query', name: 'apiKey', description: 'The API key as a query parameter, as on the socket.' },
  },
  schemas,
  headers: {
    'X-RateLimit-Limit': header('Requests allowed in the window closest to its limit (per minute or per UTC day).'),
    'X-RateLimit-Remaining': header('Requests left in that window.'),
    'X-RateLimit-Reset': header('When that window restarts, in Unix seconds.'),
    'Retry-After': header('Seconds to wait before retrying.'),
  },
  responses: {
    BadRequest: failure('Invalid input: `INVALID_PARAM`, `INVALID_JSON` or `BODY_TOO_LARGE`.'),
    Unauthorized: failure('Missing, invalid or revoked API key: `UNAUTHORIZED`.'),
    Forbidden: failure('The key may not do this (creator scope): `FORBIDDEN`.'),
    NotFound: failure('`USER_NOT_FOUND` for a name TikTok does not know; `NOT_LIVE` for a room that is not live.'),
    MethodNotAllowed: failure('`METHOD_NOT_ALLOWED`.'),
    RateLimited: failure('`RATE_LIMITED`: a tier limit; retry after the delay.', {
      'Retry-After': { $ref: '#/components/headers/Retry-After' },
      ...rateLimitHeaders,
    }),
    UpstreamFailed: failure('`UPSTREAM_FAILED`: TikTok did not answer or is blocking the gateway.'),
    Unavailable: failure('`TRY_AGAIN_LATER`: the budget toward TikTok is used up for now; retry after the delay.', {
      'Retry-After': { $ref: '#/components/headers/Retry-After' },
    }),
  },
};

/** The failures every authenticated route may answer. */
export const authenticatedFailures = {
  '401': response('Unauthorized'),
  '405': response('MethodNotAllowed'),
  '429': response('RateLimited'),
};

/** What a route that asks TikTok may answer besides. */
export const upstreamFailures = {
  '400': response('BadRequest'),
  '403': response('Forbidden'),
  '502': response('UpstreamFailed'),
  '503': response('Unavailable'),
};

export const security = [{ bearer: [] }, { apiKey: [] }];

export const ok = (description: string, schema: object) => ({
  description,
  headers: rateLimitHeaders,
  content: { 'application/json': { schema } },
});

export const uniqueIdParam = {
  name: 'uniqueId',
  in: 'path',
  required: true,
  description: 'A TikTok username; `@name` and profile URLs are accepted too.',
  schema: { type: 'string' },
};
