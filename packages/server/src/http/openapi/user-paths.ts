import { authenticatedFailures, ok, ref, response, security, uniqueIdParam, upstreamFailures } from './schemas.js';

export const userPaths = {
  '/v1/users/{uniqueId}': {
    get: {
      operationId: 'user',
      summary: "A TikTok user's profile; `roomId` while live.",
      tags: ['users'],
      security,
      parameters: [uniqueIdParam],
      responses: {
        '200': ok('The user.', ref('User')),
        '404': response('NotFound'),
        ...authenticatedFailures,
        ...upstreamFailures,
      },
    },
  },
};
