/** The calls the gateway makes to an endpoint (OpenAPI 3.1 `webhooks`): each event's body and the signature headers. */

import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '../../webhooks/signature.js';
import { object, ref } from './schemas.js';

const str = { type: 'string' };
const int = { type: 'integer' };
const count = { type: 'integer', minimum: 0 };
const orNull = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });

const user = object({
  userId: str,
  uniqueId: str,
  nickname: str,
  profilePictureUrl: str,
  followRole: { type: 'integer', enum: [0, 1, 2] },
  isSubscriber: { type: 'boolean' },
  isModerator: { type: 'boolean' },
  badges: { type: 'array', items: object({ type: str, name: str, level: int, imageUrl: str }) },
});

/** Every creator event's data starts with TikTok's msgId and the message's own time (ms). */
const meta = { msgId: str, timestamp: int };

const data = {
  'live.start': object({ roomId: str, title: str, viewerCount: count }),
  'live.end': object({ roomId: orNull(str), reason: str }),
  gift: object(
    {
      ...meta,
      user: ref('WebhookUser'),
      giftId: int,
      giftName: str,
      diamondCount: count,
      repeatCount: count,
      repeatEnd: { const: true },
      giftType: int,
      groupId: str,
      giftPictureUrl: str,
      receiverUserId: str,
      totalDiamondCount: count,
      streakTimedOut: { const: true },
    },
    ['streakTimedOut'],
  ),
  follow: object({ ...meta, user: ref('WebhookUser') }),
  subscribe: object({ ...meta, user: ref('WebhookUser'), subMonth: count }),
  'viewers.peak': object({ roomId: orNull(str), viewerCount: count, previousPeak: count }),
  ping: object({ message: str }),
};

const schemaName = (type: string) => `Webhook_${type.replace('.', '_')}`;

const event = (type: string) =>
  object({
    id: { type: 'string', pattern: '^evt_', description: 'The same for one occurrence however often it is sent: deduplicate by it.' },
    type: { const: type },
    createdAt: { type: 'string', format: 'date-time' },
    uniqueId: { type: 'string', description: "The creator's username (empty for a ping)." },
    data: data[type as keyof typeof data],
  });

export const webhookPayloadSchemas = {
  WebhookUser: user,
  ...Object.fromEntries(Object.keys(data).map((type) => [schemaName(type), event(type)])),
};

const headers = [
  {
    name: SIGNATURE_HEADER,
    in: 'header',
    required: true,
    description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the secret>`; two `v1=` during a rotation grace period.',
    schema: { type: 'string', pattern: '^t=\\d+(,v1=[0-9a-f]{64})+$' },
  },
  { name: EVENT_ID_HEADER, in: 'header', required: true, description: 'The event id, as in the body.', schema: str },
];

const when: Record<string, string> = {
  'live.start': 'The creator went live.',
  'live.end': 'The LIVE ended.',
  gift: "A gift is finished (a streak's last message, or a gift that is not streakable) and worth at least the endpoint's minDiamonds.",
  follow: 'A viewer followed the creator.',
  subscribe: 'A viewer subscribed.',
  'viewers.peak': 'A new peak of viewers in this LIVE, at most once a minute.',
  ping: '`POST /v1/webhooks/{id}/test`.',
};

/** The `webhooks` section: one POST per event type. */
export const webhookCalls = Object.fromEntries(
  Object.keys(data).map((type) => [
    type,
    {
      post: {
        operationId: `webhook_${type.replace('.', '_')}`,
        summary: when[type],
        tags: ['webhooks'],
        parameters: headers,
        requestBody: { required: true, content: { 'application/json': { schema: ref(schemaName(type)) } } },
        responses: {
          '2XX': { description: 'Delivered. Anything else (or no answer within the timeout) is retried; redirects are not followed.' },
        },
      },
    },
  ]),
);
