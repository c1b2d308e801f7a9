import { authenticatedFailures, ok, ref, response, security, uniqueIdParam, upstreamFailures } from './schemas.js';

export const roomPaths = {
  '/v1/rooms/{uniqueId}': {
    get: {
      operationId: 'room',
      summary: "A live creator's room: owner, title, start time, counts, stream URLs where TikTok gives them.",
      tags: ['rooms'],
      security,
      parameters: [uniqueIdParam],
      responses: {
        '200': ok('The room.', ref('Room')),
        '404': response('NotFound'),
        ...authenticatedFailures,
        ...upstreamFailures,
      },
    },
  },
};
