import { object, ok, response, security } from './schemas.js';

const count = { type: 'integer', minimum: 0 };
const countOrNull = { oneOf: [count, { type: 'null' }] };
const timeOrNull = { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] };

const tierLimits = object({
  name: { type: 'string' },
  maxSockets: count,
  connectsPerHour: countOrNull,
  maxSessionSeconds: count,
  maxCreators: count,
  requestsPerMinute: countOrNull,
  requestsPerDay: countOrNull,
  maxBulkNames: count,
  maxWebhooks: count,
  maxWebhookCreators: count,
});

const rateLimits = object({
  keyId: { type: 'string' },
  tier: { type: 'string' },
  limits: tierLimits,
  usage: object({
    sockets: count,
    creators: count,
    connectsThisHour: count,
    requestsThisMinute: countOrNull,
    requestsToday: countOrNull,
  }),
  reset: object({ connects: timeOrNull, requestsMinute: timeOrNull, requestsDay: timeOrNull }),
});

const tokenRequest = object(
  {
    creators: { type: 'array', minItems: 1, items: { type: 'string' } },
    maxSockets: { type: 'integer', minimum: 1 },
    expiresIn: { type: 'integer', minimum: 1, description: 'Seconds; an hour unless given, at most a day.' },
  },
  ['maxSockets', 'expiresIn'],
);

const token = object({
  token: { type: 'string' },
  creators: { type: 'array', items: { type: 'string' } },
  maxSockets: count,
  expiresAt: { type: 'string', format: 'date-time' },
});

export const accountPaths = {
  '/v1/rate_limits': {
    get: {
      operationId: 'rateLimits',
      summary: "The key's tier, limits and usage. Does not count as a request.",
      tags: ['account'],
      security,
      responses: {
        '200': ok('Limits and usage.', rateLimits),
        '401': response('Unauthorized'),
        '405': response('MethodNotAllowed'),
        '429': response('RateLimited'),
        '503': response('Unavailable'),
      },
    },
  },
  '/v1/jwt': {
    post: {
      operationId: 'mintToken',
      summary: 'A scoped token for browsers: some creators, fewer sockets, a short life (`jwtKey=` on the socket).',
      tags: ['account'],
      security,
      requestBody: { required: true, content: { 'application/json': { schema: tokenRequest } } },
      responses: {
        '201': { ...ok('The token.', token), description: 'The token.' },
        '400': response('BadRequest'),
        '401': response('Unauthorized'),
        '403': response('Forbidden'),
        '405': response('MethodNotAllowed'),
        '429': response('RateLimited'),
        '503': response('Unavailable'),
      },
    },
  },
};
