import { authenticatedFailures, ok, ref, response, security, uniqueIdParam, upstreamFailures } from './schemas.js';

export const livePaths = {
  '/v1/live/{uniqueId}': {
    get: {
      operationId: 'isLive',
      summary: 'Is a creator live?',
      description: 'Answers are reused for a few seconds: concurrent and repeated asks make one lookup toward TikTok.',
      tags: ['live'],
      security,
      parameters: [uniqueIdParam],
      responses: {
        '200': ok('The live state.', ref('LiveStatus')),
        '404': response('NotFound'),
        ...authenticatedFailures,
        ...upstreamFailures,
      },
    },
  },
  '/v1/live/bulk': {
    post: {
      operationId: 'bulkLive',
      summary: 'Which of these creators are live?',
      description:
        'At most 10 / 50 / 100 / 200 names per call for community / basic / pro / ultra. Each name gets its live state or its own error, in the order asked.',
      tags: ['live'],
      security,
      requestBody: { required: true, content: { 'application/json': { schema: ref('BulkRequest') } } },
      responses: {
        '200': ok('One entry per name.', ref('BulkResponse')),
        '400': response('BadRequest'),
        ...authenticatedFailures,
      },
    },
  },
};
