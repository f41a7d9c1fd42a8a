import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import { paramsValidator } from '../api/validate.js';
import { ApprovalError } from '../approvals/four-eyes.js';
import { actorOf } from '../auth/principal.js';
import { validator } from '../cases/route-input.js';
import type { ModelPromotion } from './model-promotion.js';
import type { ModelStore } from './model-store.js';

const MODEL = {
  type: 'object',
  description: 'Model: id, sha256, status (shadow, live, retired), createdAt, promotedAt, retiredAt, summary (features, window, holdout metrics)',
};
const ID = paramsValidator({ id: { type: 'string', pattern: '^m-[0-9a-f]{4,12}$' } });

/** The declaration-risk models: listed for officers, promoted by a supervisor (and a second one, with four-eyes). */
export function registerModelRoutes(server: Server, store: ModelStore, promotion: ModelPromotion): void {
  server.route({
    method: 'GET',
    path: '/api/v1/models',
    options: {
      auth: { access: { scope: ['cases:read'] } },
      description: 'The declaration-risk models, newest first',
      plugins: { openapi: { response: { type: 'object', properties: { models: { type: 'array', items: MODEL } } } } },
    },
    handler: async () => ({ models: await store.list() }),
  });
  server.route({
    method: 'POST',
    path: '/api/v1/models/{id}/promote',
    options: {
      auth: { access: { scope: ['cases:approve'] } },
      description:
        'Make a model live (the live one is retired). With security.fourEyes.promoteModel (the default) this files a request that a second supervisor approves (POST /api/v1/approvals/{id}/approve): 202 with the approval',
      plugins: { openapi: { response: { type: 'object', properties: { promoted: { type: 'string' }, approval: { type: 'object' } } } } },
      validate: { params: ID, payload: validator('promotion', { properties: { reason: { type: 'string', maxLength: 1000 } } }) },
    },
    handler: async (req, h) => {
      try {
        const r = await promotion.request(String(req.params.id), actorOf(req), (req.payload as { reason?: string } | null)?.reason);
        return 'approval' in r ? h.response(r).code(202) : r;
      } catch (err) {
        if (err instanceof ApprovalError) throw err.status === 404 ? Boom.notFound(err.message) : Boom.conflict(err.message);
        throw err;
      }
    },
  });
}
