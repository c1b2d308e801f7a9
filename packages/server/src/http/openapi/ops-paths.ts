import { object } from './schemas.js';

const count = { type: 'integer', minimum: 0 };
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

export const opsPaths = {
  '/healthz': {
    get: {
      operationId: 'health',
      summary: 'The process is up.',
      tags: ['operations'],
      responses: {
        '200': json(
          'Up, with counts.',
          object({
            status: { const: 'ok' },
            uptimeS: count,
            clients: count,
            creators: count,
            upstreamsOpened: count,
            sessions: count,
          }),
        ),
      },
    },
  },
  '/readyz': {
    get: {
      operationId: 'ready',
      summary: 'The gateway takes connections (its stores are reachable and it is not shutting down).',
      tags: ['operations'],
      responses: {
        '200': json('Ready.', object({ ready: { const: true } })),
        '503': json('Not ready.', object({ ready: { const: false } })),
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics (docs/deploy.md lists them).',
      tags: ['operations'],
      responses: { '200': { description: 'The text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/v1/openapi.json': {
    get: {
      operationId: 'openapi',
      summary: 'This document.',
      tags: ['operations'],
      responses: { '200': json('OpenAPI 3.1.', { type: 'object' }) },
    },
  },
};
