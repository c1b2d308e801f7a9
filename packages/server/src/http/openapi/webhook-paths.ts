import { WEBHOOK_DEFAULT_GRACE_S, WEBHOOK_MAX_GRACE_S } from '../../defaults.js';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/webhook-endpoint.js';
import { object, ok, ref, response, security } from './schemas.js';

const dateTime = { type: 'string', format: 'date-time' } as const;
const orNull = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const count = { type: 'integer', minimum: 0 };
const json = (schema: object) => ({ 'application/json': { schema } });
const events = { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } };
const creators = { type: 'array', minItems: 1, items: { type: 'string' }, description: 'TikTok usernames; stored lower case.' };

const endpoint = {
  id: { type: 'string', pattern: '^wh_' },
  url: { type: 'string', format: 'uri' },
  creators: { type: 'array', items: { type: 'string' } },
  events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } },
  minDiamonds: count,
  createdAt: dateTime,
  enabled: { type: 'boolean' },
  disabledAt: orNull(dateTime),
  disabledReason: orNull({ type: 'string' }),
  failingSince: orNull({ ...dateTime, description: 'Since when every attempt has failed; null after a success.' }),
  previousSecretExpiresAt: orNull({ ...dateTime, description: 'Until when the secret before the last rotation signs too.' }),
};

const secret = { type: 'string', pattern: '^whsec_', description: 'The signing secret: shown only in this answer.' };

export const webhookSchemas = {
  Webhook: object(endpoint),
  WebhookWithSecret: object({ ...endpoint, secret }),
  WebhookList: object({ webhooks: { type: 'array', items: ref('Webhook') } }),
  WebhookCreate: object({ url: { type: 'string', description: 'https, a public address.' }, creators, events, minDiamonds: count }, [
    'minDiamonds',
  ]),
  WebhookPatch: object(
    {
      url: { type: 'string' },
      creators,
      events,
      minDiamonds: count,
      enabled: { const: true, description: 'Turns a disabled endpoint back on.' },
    },
    ['url', 'creators', 'events', 'minDiamonds', 'enabled'],
  ),
  Delivery: object({
    id: { type: 'string' },
    eventId: { type: 'string', pattern: '^evt_' },
    type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, 'ping'] },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
    attempts: count,
    responseCode: orNull({ type: 'integer', description: "The receiver's status on the latest attempt." }),
    durationMs: orNull({ type: 'number', minimum: 0 }),
    error: orNull({ type: 'string' }),
    createdAt: dateTime,
    lastAttemptAt: orNull(dateTime),
    nextAttemptAt: orNull({ ...dateTime, description: 'Set while the delivery is pending.' }),
    deliveredAt: orNull(dateTime),
  }),
  DeliveryList: object({ deliveries: { type: 'array', items: ref('Delivery'), description: 'The latest 50, newest first.' } }),
};

const notFound = { description: '`NOT_FOUND`: no such endpoint (or delivery) of this key.', content: json(ref('Error')) };
const failures = {
  '401': response('Unauthorized'),
  '404': notFound,
  '405': response('MethodNotAllowed'),
  '429': response('RateLimited'),
  '503': response('Unavailable'),
};
const badInput = {
  description:
    '`INVALID_PARAM` (creators, events, minDiamonds, graceSeconds), `INVALID_URL` (not https, or not a public address), `INVALID_JSON`, `BODY_TOO_LARGE`.',
  content: json(ref('Error')),
};
const refused = {
  description: "`FORBIDDEN` (a creator outside the key's scope) or `TIER_LIMIT` (maxWebhooks, maxWebhookCreators).",
  content: json(ref('Error')),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const operation = (operationId: string, summary: string, responses: object, extra: object = {}) => ({
  operationId,
  summary,
  tags: ['webhooks'],
  security,
  ...extra,
  responses: { ...responses, ...failures },
});
const body = (name: string, required = true) => ({ requestBody: { required, content: json(ref(name)) } });

export const webhookPaths = {
  '/v1/webhooks': {
    get: operation('listWebhooks', "The key's endpoints, never their secrets.", { '200': ok('The endpoints.', ref('WebhookList')) }),
    post: operation(
      'createWebhook',
      'A new endpoint; its signing secret is shown only in this answer.',
      {
        '201': { ...ok('The endpoint.', ref('WebhookWithSecret')), description: 'The endpoint and its secret.' },
        '400': badInput,
        '403': refused,
      },
      body('WebhookCreate'),
    ),
  },
  '/v1/webhooks/{id}': {
    parameters: [idParam],
    get: operation('getWebhook', 'One endpoint.', { '200': ok('The endpoint.', ref('Webhook')) }),
    patch: operation(
      'updateWebhook',
      'Changes url, creators, events or minDiamonds; `{"enabled": true}` turns a disabled endpoint back on.',
      { '200': ok('The endpoint as it is now.', ref('Webhook')), '400': badInput, '403': refused },
      body('WebhookPatch'),
    ),
    delete: operation('deleteWebhook', 'Deletes the endpoint and its deliveries.', { '204': { description: 'Deleted; no body.' } }),
  },
  '/v1/webhooks/{id}/deliveries': {
    parameters: [idParam],
    get: operation('listDeliveries', "The endpoint's latest deliveries.", { '200': ok('The deliveries.', ref('DeliveryList')) }),
  },
  '/v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
    parameters: [idParam, { name: 'deliveryId', in: 'path', required: true, schema: { type: 'string' } }],
    post: operation('retryDelivery', 'Sends a delivery again (a dead letter, or one delivered before) after the earlier ones.', {
      '202': ok('Queued again.', object({ id: { type: 'string' }, status: { const: 'pending' } })),
    }),
  },
  '/v1/webhooks/{id}/test': {
    parameters: [idParam],
    post: operation('testWebhook', 'Queues a signed `ping` for the endpoint, whatever its events.', {
      '202': ok('Queued.', object({ eventId: { type: 'string', pattern: '^evt_' } })),
    }),
  },
  '/v1/webhooks/{id}/rotate-secret': {
    parameters: [idParam],
    post: operation(
      'rotateWebhookSecret',
      'A new secret; the old one keeps signing (a second `v1=`) for graceSeconds.',
      { '200': ok('The endpoint and its new secret.', ref('WebhookWithSecret')), '400': badInput },
      {
        requestBody: {
          required: false,
          content: json(
            object({ graceSeconds: { type: 'integer', minimum: 0, maximum: WEBHOOK_MAX_GRACE_S, default: WEBHOOK_DEFAULT_GRACE_S } }, [
              'graceSeconds',
            ]),
          ),
        },
      },
    ),
  },
};
