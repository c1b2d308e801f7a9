import { authenticatedFailures, ok, ref, security, upstreamFailures } from './schemas.js';

export const giftPaths = {
  '/v1/gifts': {
    get: {
      operationId: 'gifts',
      summary: 'The gift catalogue, cached per region.',
      tags: ['gifts'],
      security,
      parameters: [
        {
          name: 'region',
          in: 'query',
          required: false,
          description: "A two-letter country code; TikTok's default region when absent.",
          schema: { type: 'string', pattern: '^[A-Za-z]{2}$' },
        },
      ],
      responses: {
        '200': ok('The catalogue.', ref('GiftCatalogue')),
        ...authenticatedFailures,
        ...upstreamFailures,
      },
    },
  },
};
