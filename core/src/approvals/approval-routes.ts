import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import { paramsValidator, queryValidator } from '../api/validate.js';
import { actorOf, principalOf } from '../auth/principal.js';
import { validator } from '../cases/route-input.js';
import { ApprovalError, type FourEyes } from './four-eyes.js';

const APPROVAL = {
  type: 'object',
  description: 'Approval: id, action, object, state (pending, approved, rejected), requestedBy, requestedAt, decidedBy, decidedAt, reason, note, payload',
};
const ID = paramsValidator({ id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } });

function toBoom(err: unknown): never {
  if (err instanceof ApprovalError)
    throw err.status === 404 ? Boom.notFound(err.message) : err.status === 403 ? Boom.forbidden(err.message) : Boom.conflict(err.message);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof ApprovalError) toBoom(cause);
  throw err;
}

/** Four-eyes requests: officers see them, a second supervisor decides (`cases:approve`, role supervisor). */
export function registerApprovalRoutes(server: Server, fourEyes: FourEyes): void {
  server.route({
    method: 'GET',
    path: '/api/v1/approvals',
    options: {
      auth: { access: { scope: ['cases:read'] } },
      description: 'Four-eyes approval requests, newest first',
      plugins: { openapi: { response: { type: 'object', properties: { approvals: { type: 'array', items: APPROVAL } } } } },
      validate: {
        query: queryValidator({ state: { enum: ['pending', 'approved', 'rejected'] }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }),
      },
    },
    handler: async (req) => {
      const q = req.query as { state?: string; limit: number };
      return { approvals: await fourEyes.list({ limit: q.limit, ...(q.state ? { state: q.state } : {}) }) };
    },
  });
  for (const [verb, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    server.route({
      method: 'POST',
      path: `/api/v1/approvals/{id}/${verb}`,
      options: {
        auth: { access: { scope: ['cases:approve'] } },
        description: approve
          ? 'Approve a request as a second person with the supervisor role; the action is then carried out'
          : 'Reject a request (as a supervisor)',
        plugins: { openapi: { response: { type: 'object', properties: { approval: APPROVAL } } } },
        validate: { params: ID, payload: validator('approval decision', { properties: { note: { type: 'string', maxLength: 1000 } } }) },
      },
      handler: async (req) => {
        const p = principalOf(req);
        const note = (req.payload as { note?: string } | null)?.note;
        try {
          return { approval: await fourEyes.decide(String(req.params.id), { ...actorOf(req), scope: p.scope }, approve, note) };
        } catch (err) {
          return toBoom(err);
        }
      },
    });
  }
}
